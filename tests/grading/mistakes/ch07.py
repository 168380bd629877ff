"""Chapter 07's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # The output error without sigma'(z2): the cross-entropy's delta used with the squared error.
    "ex1-backprop": ('''def backprop_two_layer(x, y, W1, b1, W2, b2):
    a1 = torch.sigmoid(x @ W1.T + b1)
    a2 = torch.sigmoid(a1 @ W2.T + b2)
    delta2 = a2 - y
    delta1 = (delta2 @ W2) * a1 * (1 - a1)
    batch = x.size(0)
    return delta1.T @ x / batch, delta1.mean(0), delta2.T @ a1 / batch, delta2.mean(0)
''', "did you forget sigma'(z2)?"),
    # log(sigmoid) written out: a logit of 100 gives log(0) and an infinite loss.
    "ex2-likelihoods": ('''def gaussian_nll(mean, x, sigma):
    per_feature = (x - mean) ** 2 / (2 * sigma**2) + 0.5 * math.log(2 * math.pi * sigma**2)
    return per_feature.sum(dim=1).mean()


def bernoulli_nll(logits, x):
    p = torch.sigmoid(logits)
    return -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum(dim=1).mean()
''', "not log(sigmoid)"),
    # The reconstruction compared with the noisy input instead of the clean one.
    "ex3-denoising": ('''def denoising_loss(model, x, noise, generator=None):
    corrupted = x + noise * torch.randn(x.shape, generator=generator)
    return ((model(corrupted) - corrupted) ** 2).mean()
''', "compare with the clean input"),
    # exp(logvar) taken as the standard deviation.
    "ex4-reparameterize": ('''def reparameterize(mu, logvar, eps):
    return mu + torch.exp(logvar) * eps
''', "exp(logvar) is the variance"),
    # The KL term left out of the negative ELBO (the KL function itself is right).
    "ex5-vae-loss": ('''def kl_standard_normal(mu, logvar):
    return (-0.5 * (1 + logvar - mu**2 - logvar.exp())).sum(dim=1).mean()


def negative_elbo(model, x, generator=None):
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=generator)
    logits = model.decode(z)
    return (F.softplus(logits) - x * logits).sum(dim=1).mean()
''', "did you add the KL"),
}
