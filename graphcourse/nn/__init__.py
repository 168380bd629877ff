"""Layers and models taught in the course, one module per concept.

- ``sage``: neighbourhood aggregation, the mean update, GraphSAGE and ``NodeClassifier`` (01).
- ``spectral``: ChebNet, spectral convolution on Laplacian eigenvectors, a low-pass filter (02).
- ``gcn``: Kipf & Welling's graph convolution, self-loops and its edge normalisation (03).
- ``gat``: graph attention, the layer and the paper's two-layer Cora model (03).
- ``gin``: the graph isomorphism network layer (03) and a GIN graph classifier for graphs
  without node features (05).
- ``attention``: scaled dot-product attention, masks, heads, multi-head attention (04).
- ``transformer_layers``: the position-wise FFN and the encoder and decoder layers (04).
- ``transformer``: positional encoding, the config, the encoder-decoder model, its checkpoints
  (04).
- ``recipe``: the Transformer paper's training recipe, warmup schedule and label smoothing (04).
- ``graphormer_encodings``: Graphormer's centrality, spatial and edge encodings (05).
- ``graphormer``: the Graphormer layer and model with its virtual node (05).
- ``sat_extractors``: k-hop subgraphs of all nodes at once, SAT's k-subtree and k-subgraph
  structure extractors (06).
- ``sat``: the Structure-Aware Transformer's attention, layer and model (06).
- ``backprop``: the backpropagation equations by hand for a two-layer sigmoid network (07).
- ``likelihoods``: Gaussian and Bernoulli negative log-likelihoods, the KL term and the
  reparameterisation trick (07).
- ``autoencoders``: the (linear, denoising) autoencoder and the VAE on flat images (07).
- ``graph_autoencoder``: the (variational) graph autoencoder for link prediction (07).
- ``gan_losses``: the GAN, LSGAN, SGAN, ACGAN and cycle losses; the optimal discriminator,
  KL and Jensen-Shannon divergences on a grid (08).
- ``gans``: MLP and DCGAN generators and discriminators, the translation networks and the
  mode-coverage metric (08).
- ``gan_training``: the GAN step done right, the training loop with snapshots and the
  explorer's view (08).
- ``analysis``: attention statistics of a trained GAT and Transformer (entropies, head
  agreement, attention by label, attention views) (03, 04).
- ``graphormer_analysis``: a Graphormer's learned bias by distance and a node's attention row
  per head (05).
- ``text``: normalising, tokenising, the vocabulary and bags of words (09).
- ``ir``: the tf-idf IR baseline ranker and the retrieval of key-value memories (09).
- ``memnet_batch``: examples encoded as bags of word ids and padded into a ranking batch (09).
- ``memnet``: Starspace, the profile and key-value profile memory networks (09).
- ``memnet_analysis``: what the persona explorer draws for one dialogue turn (09).
- ``memnet_training``: the margin ranking loss with sampled negatives, training and hits@k
  evaluation of the rankers (09).

Layers check their inputs in ``forward`` unless their caller has: a model checks once and
calls its layers, as modules, inside ``_checks.checked_inputs``.
"""

from .attention import (
                        MultiHeadAttention,
                        causal_mask,
                        merge_heads,
                        padding_mask,
                        scaled_dot_product_attention,
                        split_heads,
)
from .autoencoders import (
                        VAE,
                        Autoencoder,
                        VAEOutput,
                        corrupt,
                        elbo_terms,
                        reconstruction_loss,
                        sample,
)
from .backprop import (
                        TwoLayerForward,
                        output_delta,
                        sigmoid_prime,
                        two_layer,
                        two_layer_gradients,
                        two_layer_loss,
)
from .gan_losses import (
                        acgan_discriminator_loss,
                        acgan_generator_loss,
                        auxiliary_loss,
                        cycle_loss,
                        discriminator_loss,
                        gan_value,
                        generator_loss,
                        jensen_shannon,
                        kl_divergence,
                        lsgan_discriminator_loss,
                        lsgan_generator_loss,
                        optimal_discriminator,
                        sgan_discriminator_loss,
                        sgan_generator_loss,
                        value_at_optimum,
)
from .gan_training import (
                        GANHistory,
                        GANView,
                        StepLosses,
                        discriminator_step,
                        gan_step,
                        gan_view,
                        generator_step,
                        train_gan,
)
from .gans import (
                        DCDiscriminator,
                        DCGenerator,
                        MLPDiscriminator,
                        MLPGenerator,
                        ModeCoverage,
                        PatchDiscriminator,
                        Translator,
                        dcgan_init,
                        mode_coverage,
)
from .gat import GAT, GATLayer
from .gcn import GCNLayer, symmetric_norm, with_self_loops
from .gin import GINClassifier, GINLayer
from .graph_autoencoder import (
                        GraphAutoencoder,
                        GraphCode,
                        fit_link_prediction,
                        link_logits,
                        link_metrics,
                        link_split,
                        recon_loss,
)
from .graphormer import Graphormer, GraphormerConfig, GraphormerLayer, GraphormerOutput
from .graphormer_encodings import (
                        CentralityEncoding,
                        EdgeEncoding,
                        SpatialEncoding,
                        graphormer_init,
)
from .ir import KeyValueMemory, TfidfRanker, context_text, gold_index
from .likelihoods import (
                        bernoulli_nll,
                        gaussian_nll,
                        kl_monte_carlo,
                        kl_standard_normal,
                        reparameterize,
)
from .memnet import (
                        KVProfileMemoryRanker,
                        ProfileMemoryRanker,
                        RankingBatch,
                        StarspaceRanker,
                        encode_examples,
                        example_vocabulary,
)
from .memnet_training import evaluate_ranker, ranking_loss, sample_negatives, train_ranker
from .recipe import label_smoothing_loss, noam_lambda
from .sage import MeanLayer, NodeClassifier, SAGELayer, lstm_aggregate, mean_aggregate
from .sat import SAT, SATAttention, SATConfig, SATLayer, SATOutput
from .sat_extractors import KHopSubgraphs, KSubgraphExtractor, KSubtreeExtractor, khop_subgraphs
from .spectral import ChebLayer, LowPassFilter, SpectralConv, spectral_basis
from .text import Vocabulary, bag_of_words, normalize, tokenize
from .transformer import (
                        PositionalEncoding,
                        Seq2SeqTransformer,
                        TransformerConfig,
                        load_transformer,
                        save_transformer,
                        sinusoidal_encoding,
)
from .transformer_layers import DecoderLayer, EncoderLayer, PositionwiseFeedForward

__all__ = [
    # chapter 01
    "MeanLayer", "NodeClassifier", "SAGELayer", "lstm_aggregate", "mean_aggregate",
    # chapter 02
    "ChebLayer", "LowPassFilter", "SpectralConv", "spectral_basis",
    # chapter 03
    "GAT", "GATLayer", "GCNLayer", "GINClassifier", "GINLayer", "symmetric_norm",
    "with_self_loops",
    # chapter 04
    "MultiHeadAttention", "causal_mask", "merge_heads", "padding_mask",
    "scaled_dot_product_attention", "split_heads", "DecoderLayer", "EncoderLayer",
    "PositionalEncoding", "PositionwiseFeedForward", "Seq2SeqTransformer", "TransformerConfig",
    "label_smoothing_loss", "load_transformer", "noam_lambda", "save_transformer",
    "sinusoidal_encoding",
    # chapter 05
    "CentralityEncoding", "EdgeEncoding", "Graphormer", "GraphormerConfig", "GraphormerLayer",
    "GraphormerOutput", "SpatialEncoding", "graphormer_init",
    # chapter 06
    "KHopSubgraphs", "KSubgraphExtractor", "KSubtreeExtractor", "SAT", "SATAttention",
    "SATConfig", "SATLayer", "SATOutput", "khop_subgraphs",
    # chapter 07
    "TwoLayerForward", "output_delta", "sigmoid_prime", "two_layer", "two_layer_gradients",
    "two_layer_loss", "bernoulli_nll", "gaussian_nll", "kl_monte_carlo", "kl_standard_normal",
    "reparameterize", "Autoencoder", "VAE", "VAEOutput", "corrupt", "elbo_terms",
    "reconstruction_loss", "sample", "GraphAutoencoder", "GraphCode", "fit_link_prediction",
    "link_logits", "link_metrics", "link_split", "recon_loss",
    # chapter 08
    "acgan_discriminator_loss", "acgan_generator_loss", "auxiliary_loss", "cycle_loss",
    "discriminator_loss", "gan_value", "generator_loss", "jensen_shannon", "kl_divergence",
    "lsgan_discriminator_loss", "lsgan_generator_loss", "optimal_discriminator",
    "sgan_discriminator_loss", "sgan_generator_loss", "value_at_optimum", "GANHistory",
    "GANView", "StepLosses", "discriminator_step", "gan_step", "gan_view", "generator_step",
    "train_gan", "DCDiscriminator", "DCGenerator", "MLPDiscriminator", "MLPGenerator",
    "ModeCoverage", "PatchDiscriminator", "Translator", "dcgan_init", "mode_coverage",
    # chapter 09
    "Vocabulary", "bag_of_words", "normalize", "tokenize", "KeyValueMemory", "TfidfRanker",
    "context_text", "example_vocabulary", "gold_index", "KVProfileMemoryRanker",
    "ProfileMemoryRanker",
    "RankingBatch", "StarspaceRanker", "encode_examples", "evaluate_ranker", "ranking_loss",
    "sample_negatives", "train_ranker",
]
