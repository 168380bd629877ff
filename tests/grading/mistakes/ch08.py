"""Chapter 08's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # log(sigmoid) written out: a logit of -100 gives log(0) and an infinite loss.
    "ex1-d-loss": ('''def d_loss(real_logits, fake_logits):
    return (-torch.log(torch.sigmoid(real_logits)).mean()
            - torch.log(1 - torch.sigmoid(fake_logits)).mean())
''', "not log(sigmoid)"),
    # 0 / 0 left as NaN where both densities vanish.
    "ex2-d-star": ('''def d_star(p_data, p_g):
    return p_data / (p_data + p_g)


def value_at_d_star(p_data, p_g, dx):
    total = p_data + p_g
    safe = torch.where(total > 0, total, torch.ones_like(total))
    value = torch.special.xlogy(p_data, p_data / safe) + torch.special.xlogy(p_g, p_g / safe)
    return float(value.sum()) * dx
''', "not NaN (0/0)"),
    # The saturating loss log(1 - D(G(z))) where the non-saturating one was asked for.
    "ex3-g-loss": ('''def g_loss(fake_logits):
    return -F.softplus(fake_logits).mean()
''', "the non-saturating loss -log D is log 2"),
    # The notes' LSGAN code, with its leading minus signs.
    "ex4-lsgan": ('''def lsgan_d_loss(real_out, fake_out):
    return -0.5 * ((real_out - 1) ** 2).mean() - 0.5 * (fake_out**2).mean()


def lsgan_g_loss(fake_out):
    return -0.5 * ((fake_out - 1) ** 2).mean()
''', "no leading minus"),
    # The discriminator's step on fakes that were not detached from the generator.
    "ex5-acgan-step": ('''def acgan_step(generator, discriminator, g_opt, d_opt, real, labels,
               noise, fake_labels):
    d_opt.zero_grad()
    g_opt.zero_grad()
    fake = generator(noise, fake_labels)
    real_source, real_classes = discriminator(real)
    fake_source, fake_classes = discriminator(fake)
    d = (F.softplus(-real_source).mean() + F.softplus(fake_source).mean()
         + F.cross_entropy(real_classes, labels) + F.cross_entropy(fake_classes, fake_labels))
    d.backward()
    d_opt.step()
    g_opt.zero_grad()
    source, classes = discriminator(generator(noise, fake_labels))
    g = F.softplus(-source).mean() + F.cross_entropy(classes, fake_labels)
    g.backward()
    g_opt.step()
    return float(d), float(g)
''', "detach G(z)"),
}
