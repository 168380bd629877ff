"""Bad inputs of chapter 07's package: digits and MNIST (graphcourse.data.images), backprop by
hand, likelihoods, autoencoders and the graph autoencoder (graphcourse.nn)."""

import tempfile

import torch
from torch_geometric.data import Data

from graphcourse.data import images
from graphcourse.nn import autoencoders as ae
from graphcourse.nn import backprop as bp
from graphcourse.nn import graph_autoencoder as ga
from graphcourse.nn import likelihoods as lk

from . import Bad

D = "graphcourse.data.images"
B = "graphcourse.nn.backprop"
L = "graphcourse.nn.likelihoods"
A = "graphcourse.nn.autoencoders"
G = "graphcourse.nn.graph_autoencoder"

PARAMS = {"W1": torch.zeros(3, 4), "b1": torch.zeros(3), "W2": torch.zeros(2, 3),
          "b2": torch.zeros(2)}
X = torch.rand(5, 4)
Y = torch.rand(5, 2)
M2 = torch.zeros(5, 2)
PIXELS = torch.rand(3, 64)
EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
Z = torch.randn(3, 2)


def _params(**changes):
    params = dict(PARAMS)
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def _graph():
    return Data(x=torch.rand(3, 4), edge_index=EDGES)


def _split_graph():
    train = Data(x=torch.rand(3, 4), edge_index=EDGES, pos_edge_label_index=EDGES[:, :2])
    return train


EXEMPT = {
    f"{D}:DigitImages": "a result container that digits and mnist build",
    f"{B}:TwoLayerForward": "a result container that two_layer builds",
    f"{A}:VAEOutput": "a result container that VAE.forward builds",
    f"{G}:GraphCode": "a result container that GraphAutoencoder.encode builds",
}

ROWS = [
    # ------------------------------------------------------------------ data.images
    Bad(f"{D}:digits", "unknown split",
        lambda: images.digits("val"), ValueError, r"split: expected one of 'train', 'test'"),
    Bad(f"{D}:digits", "split as a bool",
        lambda: images.digits(True), TypeError, r"split: expected one of"),
    Bad(f"{D}:digits", "negative seed",
        lambda: images.digits("train", seed=-1), ValueError, r"seed: expected an int >= 0"),
    Bad(f"{D}:digits", "float seed",
        lambda: images.digits("train", seed=1.5), TypeError, r"seed: expected an int"),
    Bad(f"{D}:mnist", "files absent: names the folder",
        lambda: images.mnist(tempfile.mkdtemp()), FileNotFoundError,
        r"root: MNIST's raw files are not in .*MNIST/raw"),
    Bad(f"{D}:mnist", "limit 0",
        lambda: images.mnist(tempfile.mkdtemp(), limit=0), ValueError,
        r"limit: expected an int >= 1 or None"),
    Bad(f"{D}:mnist", "float limit (would be truncated)",
        lambda: images.mnist(tempfile.mkdtemp(), limit=10.5), TypeError,
        r"limit: expected an int or None"),
    Bad(f"{D}:mnist", "train as a string",
        lambda: images.mnist(tempfile.mkdtemp(), train="test"), TypeError,
        r"train: expected True or False"),
    Bad(f"{D}:mnist_folder", "root as a number",
        lambda: images.mnist_folder(3), TypeError, r"root: expected a file path"),
    # ------------------------------------------------------------------ backprop
    Bad(f"{B}:two_layer", "params missing b2",
        lambda: bp.two_layer(X, _params(b2=None)), ValueError, r"params: missing 'b2'"),
    Bad(f"{B}:two_layer", "params as a list",
        lambda: bp.two_layer(X, list(PARAMS.values())), TypeError, r"params: expected a dict"),
    Bad(f"{B}:two_layer", "W2 does not follow W1",
        lambda: bp.two_layer(X, _params(W2=torch.zeros(2, 4))), ValueError,
        r"params\['W2'\]: expected shape \[O, 3\]"),
    Bad(f"{B}:two_layer", "W1 transposed (x W1 instead of W1 x)",
        lambda: bp.two_layer(X, _params(W1=torch.zeros(4, 3))), ValueError,
        r"params\['b1'\]: expected shape \[4\]"),
    Bad(f"{B}:two_layer", "x of the wrong width",
        lambda: bp.two_layer(torch.rand(5, 3), PARAMS), ValueError, r"x: expected shape \[B, 4\]"),
    Bad(f"{B}:two_layer", "x with NaN",
        lambda: bp.two_layer(torch.full((2, 4), float("nan")), PARAMS), ValueError,
        r"x: expected finite values"),
    Bad(f"{B}:two_layer_gradients", "unknown loss",
        lambda: bp.two_layer_gradients(X, Y, PARAMS, "ce"), ValueError,
        r"loss: expected one of 'mse', 'bce'"),
    Bad(f"{B}:two_layer_gradients", "targets of the wrong shape",
        lambda: bp.two_layer_gradients(X, Y[:, :1], PARAMS), ValueError,
        r"y: expected shape \[5, 2\]"),
    Bad(f"{B}:two_layer_gradients", "class ids as targets",
        lambda: bp.two_layer_gradients(X, torch.zeros(5, 2, dtype=torch.long), PARAMS),
        TypeError, r"y: expected a floating-point tensor"),
    Bad(f"{B}:two_layer_gradients", "cross-entropy targets outside [0, 1]",
        lambda: bp.two_layer_gradients(X, Y * 16, PARAMS, "bce"), ValueError,
        r"y: cross-entropy needs targets in \[0, 1\]"),
    Bad(f"{B}:two_layer_loss", "loss as a function",
        lambda: bp.two_layer_loss(X, Y, PARAMS, torch.nn.functional.mse_loss), TypeError,
        r"loss: expected one of"),
    Bad(f"{B}:two_layer_loss", "one-dimensional x",
        lambda: bp.two_layer_loss(X[0], Y, PARAMS), ValueError, r"x: expected a 2-D tensor"),
    Bad(f"{B}:output_delta", "a and z of different shapes",
        lambda: bp.output_delta(Y, Y, Y[:, :1]), ValueError, r"a: expected the shape of z"),
    Bad(f"{B}:output_delta", "a list for z",
        lambda: bp.output_delta(Y, Y, [[0.0, 1.0]]), TypeError, r"z: expected a torch.Tensor"),
    Bad(f"{B}:sigmoid_prime", "an integer tensor",
        lambda: bp.sigmoid_prime(torch.tensor([1, 2])), TypeError,
        r"z: expected a floating-point tensor"),
    # ------------------------------------------------------------------ likelihoods
    Bad(f"{L}:gaussian_nll", "shapes differ",
        lambda: lk.gaussian_nll(Y, X), ValueError, r"x: expected the shape of mean \[5, 2\]"),
    Bad(f"{L}:gaussian_nll", "sigma 0",
        lambda: lk.gaussian_nll(Y, Y, 0.0), ValueError, r"sigma: expected a positive number"),
    Bad(f"{L}:gaussian_nll", "a variance tensor with a zero",
        lambda: lk.gaussian_nll(Y, Y, torch.tensor([1.0, 0.0])), ValueError,
        r"sigma: expected positive values"),
    Bad(f"{L}:gaussian_nll", "sigma that does not broadcast",
        lambda: lk.gaussian_nll(Y, Y, torch.ones(3)), ValueError, r"sigma: shape \[3\] does not"),
    Bad(f"{L}:gaussian_nll", "constant as a string",
        lambda: lk.gaussian_nll(Y, Y, constant="no"), TypeError, r"constant: expected True"),
    Bad(f"{L}:gaussian_nll", "images not flattened",
        lambda: lk.gaussian_nll(torch.rand(2, 8, 8), torch.rand(2, 8, 8)), ValueError,
        r"mean: expected a 2-D tensor"),
    Bad(f"{L}:bernoulli_nll", "pixels 0-16, not scaled to [0, 1]",
        lambda: lk.bernoulli_nll(Y, Y * 16), ValueError, r"x: expected values in \[0, 1\]"),
    Bad(f"{L}:bernoulli_nll", "NaN logits",
        lambda: lk.bernoulli_nll(torch.full((5, 2), float("nan")), Y), ValueError,
        r"logits: expected finite values"),
    Bad(f"{L}:bernoulli_nll", "an empty batch",
        lambda: lk.bernoulli_nll(torch.zeros(0, 2), torch.zeros(0, 2)), ValueError,
        r"logits: expected at least one example"),
    Bad(f"{L}:kl_standard_normal", "logvar of another shape",
        lambda: lk.kl_standard_normal(M2, torch.zeros(5, 3)), ValueError,
        r"logvar: expected the shape of mu"),
    Bad(f"{L}:kl_standard_normal", "one-dimensional mu",
        lambda: lk.kl_standard_normal(torch.zeros(2), torch.zeros(2)), ValueError,
        r"mu: expected a 2-D tensor"),
    Bad(f"{L}:kl_monte_carlo", "zero samples",
        lambda: lk.kl_monte_carlo(M2, M2, 0), ValueError, r"samples: expected an int >= 1"),
    Bad(f"{L}:kl_monte_carlo", "a seed instead of a generator",
        lambda: lk.kl_monte_carlo(M2, M2, 10, 0), TypeError,
        r"generator: expected a torch.Generator"),
    Bad(f"{L}:reparameterize", "infinite logvar",
        lambda: lk.reparameterize(M2, torch.full((5, 2), float("inf"))), ValueError,
        r"logvar: expected finite values"),
    Bad(f"{L}:reparameterize", "a seed instead of a generator",
        lambda: lk.reparameterize(M2, M2, 3), TypeError, r"generator: expected a torch.Generator"),
    # ------------------------------------------------------------------ autoencoders
    Bad(f"{A}:Autoencoder", "code 0",
        lambda: ae.Autoencoder(64, 16, 0), ValueError, r"code: expected an int >= 1"),
    Bad(f"{A}:Autoencoder", "linear as a string",
        lambda: ae.Autoencoder(64, 16, 2, linear="yes"), TypeError, r"linear: expected True"),
    Bad(f"{A}:Autoencoder", "images not flattened (hint)",
        lambda: ae.Autoencoder(64, 16, 2)(torch.rand(3, 8, 8)), ValueError,
        r"x: expected shape \[B, 64\] .*; flatten images with x.view\(len\(x\), -1\)"),
    Bad(f"{A}:Autoencoder", "images of another size",
        lambda: ae.Autoencoder(64, 16, 2)(torch.rand(3, 784)), ValueError,
        r"x: expected shape \[B, 64\]"),
    Bad(f"{A}:Autoencoder", "decode a code of the wrong size",
        lambda: ae.Autoencoder(64, 16, 2).decode(torch.zeros(3, 3)), ValueError,
        r"code: expected shape \[B, 2\]"),
    Bad(f"{A}:reconstruction_loss", "a VAE",
        lambda: ae.reconstruction_loss(ae.VAE(64, 8, 2), PIXELS), TypeError,
        r"model: expected an Autoencoder.*elbo_terms"),
    Bad(f"{A}:reconstruction_loss", "target of another batch size",
        lambda: ae.reconstruction_loss(ae.Autoencoder(64, 8, 2), PIXELS, PIXELS[:2]),
        ValueError, r"target: expected 3 images"),
    Bad(f"{A}:reconstruction_loss", "unscaled pixels as Bernoulli targets",
        lambda: ae.reconstruction_loss(ae.Autoencoder(64, 8, 2), PIXELS * 16), ValueError,
        r"x: expected values in \[0, 1\]"),
    Bad(f"{A}:corrupt", "unknown kind",
        lambda: ae.corrupt(PIXELS, 0.3, "salt"), ValueError, r"kind: expected one of"),
    Bad(f"{A}:corrupt", "masking probability 1",
        lambda: ae.corrupt(PIXELS, 1.0, "masking"), ValueError,
        r"noise: expected a probability in \[0, 1\)"),
    Bad(f"{A}:corrupt", "negative noise",
        lambda: ae.corrupt(PIXELS, -0.1), ValueError, r"noise: expected a non-negative number"),
    Bad(f"{A}:corrupt", "integer images",
        lambda: ae.corrupt(torch.zeros(2, 64, dtype=torch.long)), TypeError,
        r"x: expected a floating-point tensor"),
    Bad(f"{A}:VAE", "unknown decoder",
        lambda: ae.VAE(64, 16, 2, decoder="normal"), ValueError,
        r"decoder: expected one of 'bernoulli', 'gaussian'"),
    Bad(f"{A}:VAE", "sigma 0",
        lambda: ae.VAE(64, 16, 2, decoder="gaussian", sigma=0), ValueError,
        r"sigma: expected a positive number"),
    Bad(f"{A}:VAE", "float hidden",
        lambda: ae.VAE(64, 16.0, 2), TypeError, r"hidden: expected an int"),
    Bad(f"{A}:VAE", "decode a code of the wrong size",
        lambda: ae.VAE(64, 16, 2).decode(torch.zeros(3, 5)), ValueError,
        r"z: expected shape \[B, 2\]"),
    Bad(f"{A}:elbo_terms", "an Autoencoder",
        lambda: ae.elbo_terms(ae.Autoencoder(64, 8, 2), PIXELS), TypeError,
        r"model: expected a VAE.*reconstruction_loss"),
    Bad(f"{A}:elbo_terms", "unscaled pixels with a Bernoulli decoder",
        lambda: ae.elbo_terms(ae.VAE(64, 8, 2), PIXELS * 16), ValueError,
        r"x: expected values in \[0, 1\]"),
    Bad(f"{A}:elbo_terms", "NaN pixels",
        lambda: ae.elbo_terms(ae.VAE(64, 8, 2), torch.full((2, 64), float("nan"))), ValueError,
        r"x: expected finite values"),
    Bad(f"{A}:sample", "float count",
        lambda: ae.sample(ae.VAE(64, 8, 2), 4.0), TypeError, r"count: expected an int"),
    Bad(f"{A}:sample", "zero count",
        lambda: ae.sample(ae.VAE(64, 8, 2), 0), ValueError, r"count: expected an int >= 1"),
    Bad(f"{A}:sample", "an Autoencoder",
        lambda: ae.sample(ae.Autoencoder(64, 8, 2), 4), TypeError, r"model: expected a VAE"),
    # ------------------------------------------------------------------ graph autoencoder
    Bad(f"{G}:GraphAutoencoder", "variational as a string",
        lambda: ga.GraphAutoencoder(4, 8, 2, variational="yes"), TypeError,
        r"variational: expected True"),
    Bad(f"{G}:GraphAutoencoder", "zero hidden",
        lambda: ga.GraphAutoencoder(4, 0, 2), ValueError, r"hidden: expected an int >= 1"),
    Bad(f"{G}:GraphAutoencoder", "features of another width",
        lambda: ga.GraphAutoencoder(5, 8, 2).encode(torch.rand(3, 4), EDGES), ValueError,
        r"x: expected 5 features per node"),
    Bad(f"{G}:GraphAutoencoder", "edge id beyond the nodes",
        lambda: ga.GraphAutoencoder(4, 8, 2).encode(torch.rand(2, 4), EDGES), ValueError,
        r"edge_index: node id 2 is out of range"),
    Bad(f"{G}:link_logits", "pairs beyond the nodes",
        lambda: ga.link_logits(Z[:2], EDGES), ValueError, r"edge_index: node id 2 is out"),
    Bad(f"{G}:link_logits", "int32 pairs",
        lambda: ga.link_logits(Z, EDGES.int()), TypeError, r"edge_index: expected dtype"),
    Bad(f"{G}:link_logits", "one-dimensional z",
        lambda: ga.link_logits(Z[:, 0], EDGES), ValueError, r"z: expected a 2-D tensor"),
    Bad(f"{G}:recon_loss", "the model instead of its code",
        lambda: ga.recon_loss(ga.GraphAutoencoder(4, 8, 2), EDGES), TypeError,
        r"code: expected z \[N, D\] or a GraphCode.*encode"),
    Bad(f"{G}:recon_loss", "no positive edges",
        lambda: ga.recon_loss(Z, EDGES[:, :0]), ValueError,
        r"pos_edge_index: expected at least one edge"),
    Bad(f"{G}:recon_loss", "negatives beyond the nodes",
        lambda: ga.recon_loss(Z, EDGES, torch.tensor([[0], [5]])), ValueError,
        r"neg_edge_index: node id 5 is out of range"),
    Bad(f"{G}:recon_loss", "NaN in the code",
        lambda: ga.recon_loss(torch.full((3, 2), float("nan")), EDGES), ValueError,
        r"code: expected finite values"),
    Bad(f"{G}:link_metrics", "no negatives",
        lambda: ga.link_metrics(Z, EDGES, EDGES[:, :0]), ValueError,
        r"pos_edge_index, neg_edge_index: expected at least one pair each"),
    Bad(f"{G}:link_metrics", "float pairs",
        lambda: ga.link_metrics(Z, EDGES, EDGES.float()), TypeError,
        r"neg_edge_index: expected an integer tensor"),
    Bad(f"{G}:link_split", "a directed edge list (half of it would be dropped)",
        lambda: ga.link_split(Data(x=torch.zeros(3, 2), edge_index=torch.tensor([[0, 1],
                                                                                  [1, 2]]))),
        ValueError, r"data.edge_index: expected an undirected graph"),
    Bad(f"{G}:link_split", "val + test of 1",
        lambda: ga.link_split(_graph(), 0.5, 0.5), ValueError, r"val \+ test: expected a sum"),
    Bad(f"{G}:link_split", "a count instead of a fraction",
        lambda: ga.link_split(_graph(), 50), ValueError, r"val: expected a number in \(0, 1\)"),
    Bad(f"{G}:link_split", "an edge_index instead of a graph",
        lambda: ga.link_split(EDGES), TypeError, r"data: expected a torch_geometric Data"),
    Bad(f"{G}:link_split", "float seed",
        lambda: ga.link_split(_graph(), seed=0.5), TypeError, r"seed: expected an int"),
    Bad(f"{G}:fit_link_prediction", "a graph not split for link prediction",
        lambda: ga.fit_link_prediction(ga.GraphAutoencoder(4, 8, 2), _graph(), 1), ValueError,
        r"train: missing attribute 'pos_edge_label_index'.*"),
    Bad(f"{G}:fit_link_prediction", "a validation graph without negatives",
        lambda: ga.fit_link_prediction(ga.GraphAutoencoder(4, 8, 2), _split_graph(), 1,
                                       val=_split_graph()), ValueError,
        r"val: missing attribute 'neg_edge_label_index'"),
    Bad(f"{G}:fit_link_prediction", "an Autoencoder",
        lambda: ga.fit_link_prediction(ae.Autoencoder(4, 8, 2), _split_graph(), 1), TypeError,
        r"model: expected a GraphAutoencoder"),
    Bad(f"{G}:fit_link_prediction", "zero epochs",
        lambda: ga.fit_link_prediction(ga.GraphAutoencoder(4, 8, 2), _split_graph(), 0),
        ValueError, r"epochs: expected an int >= 1"),
]
