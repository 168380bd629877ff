"""Chapter 08 answered through the package or ruled-out library functions: every such exercise
scores 0."""

SHORTCUTS = {
    # PyTorch's binary cross-entropy, which the statement rules out
    "ex1-d-loss": '''def d_loss(real_logits, fake_logits):
    import torch.nn.functional as fn

    return (fn.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + fn.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
''',
    # the package's optimal discriminator and value, under other names
    "ex2-d-star": '''from graphcourse.nn.gan_losses import optimal_discriminator as _best
from graphcourse.nn import gan_losses as _losses


def d_star(p_data, p_g):
    return _best(p_data, p_g)


def value_at_d_star(p_data, p_g, dx):
    return _losses.gan_value(p_data, p_g, _best(p_data, p_g), dx)
''',
    # the package's SGAN generator loss on logits [l, 0] (equal to the GAN loss), in a closure
    "ex3-g-loss": '''def _make():
    from graphcourse.nn.gan_losses import sgan_generator_loss

    def g_loss(fake_logits):
        flat = fake_logits.reshape(-1)
        return sgan_generator_loss(torch.stack([flat, torch.zeros_like(flat)], dim=1))
    return g_loss


g_loss = _make()
''',
    # the package's LSGAN losses
    "ex4-lsgan": '''import graphcourse.nn.gan_losses as _gl


def lsgan_d_loss(real_out, fake_out):
    return _gl.lsgan_discriminator_loss(real_out, fake_out)


def lsgan_g_loss(fake_out):
    return _gl.lsgan_generator_loss(fake_out)
''',
    # the package's ACGAN losses inside an otherwise correct step
    "ex5-acgan-step": '''from graphcourse.nn import gan_losses as _gl


def acgan_step(generator, discriminator, g_opt, d_opt, real, labels, noise, fake_labels):
    d_opt.zero_grad()
    fake = generator(noise, fake_labels).detach()
    real_source, real_classes = discriminator(real)
    fake_source, fake_classes = discriminator(fake)
    d = _gl.acgan_discriminator_loss(real_source, real_classes, labels, fake_source,
                                     fake_classes, fake_labels)
    d.backward()
    d_opt.step()
    g_opt.zero_grad()
    source, classes = discriminator(generator(noise, fake_labels))
    g = _gl.acgan_generator_loss(source, classes, fake_labels)
    g.backward()
    g_opt.step()
    return float(d), float(g)
''',
}
