"""DoveNet: shapes, gradients, parameter counts (analytic and published), official key names, partial convolution
against a direct computation, losses and a few optimisation steps."""

import dataclasses

import pytest
import torch
from baseline_batches import adam_loss_history, learnable_batch, random_batch

import harmbench
from baselines.dovenet import DoveNet, DoveNetConfig


def conv(cin: int, cout: int, k: int, bias: bool = True) -> int:
    return cin * cout * k * k + (cout if bias else 0)


def analytic_generator_parameters(ngf: int = 64, num_downs: int = 8) -> int:
    """pix2pix U-Net with instance norm (all convs biased) plus DoveNet's three 1x1 gates, counted by hand."""
    total = conv(4, ngf, 4) + conv(2 * ngf, 3, 4)  # outermost
    for outer in (ngf, 2 * ngf, 4 * ngf):  # gated levels: down, up, gate on the 2*outer concatenation
        total += conv(outer, 2 * outer, 4) + conv(4 * outer, outer, 4) + conv(2 * outer, 2 * outer, 1)
    total += (num_downs - 5) * (conv(8 * ngf, 8 * ngf, 4) + conv(16 * ngf, 8 * ngf, 4))  # middle levels
    return total + 2 * conv(8 * ngf, 8 * ngf, 4)  # innermost


def analytic_discriminator_parameters(ndf: int = 64) -> int:
    widths = [3] + [ndf * m for m in (1, 2, 4, 8, 8, 8, 8)]
    stack = sum(conv(widths[i], widths[i + 1], 3) for i in range(7))
    return 2 * stack + conv(8 * ndf, 1, 1) + 2 * conv(8 * ndf, 8 * ndf, 1) + conv(8 * ndf, 1, 1)


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("size", [(256, 256), (96, 160)])
def test_output_shape_and_finite(size):
    batch = random_batch(*size)
    model = harmbench.create_method("dovenet", tiny=True)
    with torch.inference_mode():
        images = model(batch["composite"], batch["mask"])["images"]
    assert images.shape == batch["composite"].shape
    assert torch.isfinite(images).all()
    assert images.min() >= 0 and images.max() <= 1  # tanh output mapped to [0,1]


def test_parameter_counts_match_analytic_and_published():
    with torch.device("meta"):
        model = harmbench.get_method("dovenet").build(DoveNetConfig())
        discriminator = model.make_discriminator()
    assert count(model) == analytic_generator_parameters()
    assert count(discriminator) == analytic_discriminator_parameters()
    assert count(model) == pytest.approx(54.76e6, rel=0.01)  # published G size
    assert count(discriminator) == pytest.approx(17.79e6, rel=0.01)


def test_official_key_names_and_shapes():
    with torch.device("meta"):
        state = DoveNet(DoveNetConfig(norm="batch")).state_dict()
    innermost = "model.model.1" + ".model.3" * 6
    expected = {"model.model.0.weight": (64, 4, 4, 4), "model.model.3.weight": (128, 3, 4, 4),
                "model.model.3.bias": (3,), "model.model.1.attention.0.weight": (128, 128, 1, 1),
                "model.model.1.model.3.model.3.attention.0.weight": (512, 512, 1, 1),
                "model.model.1.model.2.running_mean": (128,), innermost + ".model.1.weight": (512, 512, 4, 4),
                innermost + ".model.3.weight": (512, 512, 4, 4), innermost + ".model.4.weight": (512,)}
    for key, shape in expected.items():
        assert tuple(state[key].shape) == shape, key
    assert "model.model.0.bias" not in state  # batch norm: convs without bias, as the released checkpoint


def test_gradients_reach_generator_and_discriminator():
    torch.manual_seed(0)
    batch = random_batch(256, 256)
    model = harmbench.create_method("dovenet", tiny=True).train()
    discriminator = model.make_discriminator()
    out = model(batch["composite"], batch["mask"])
    losses = model.training_losses(batch, out, discriminator=discriminator)
    assert set(losses) == {"l1", "adv_global", "adv_verification"}
    sum(losses.values()).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.dim() > 1:  # a bias right before an instance norm gets a (numerically) zero gradient
            assert param.grad.abs().sum() > 0, name
    discriminator.zero_grad()
    detached = {k: v.detach() for k, v in out.items()}
    d_losses = model.discriminator_losses(discriminator, batch, detached)
    assert set(d_losses) == {"d_global", "d_verification", "d_gradient_penalty"}
    sum(d_losses.values()).backward()
    for name, param in discriminator.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.dim() > 1:  # hinge terms cancel on a head's bias when every real and fake score is inside the margin
            assert param.grad.abs().sum() > 0, name


def test_discriminator_needs_255_pixels():
    model = harmbench.create_method("dovenet", tiny=True)
    batch = random_batch(128, 128)
    out = model(batch["composite"], batch["mask"])
    with pytest.raises(harmbench.MethodError, match="at least 255"):
        model.discriminator_losses(model.make_discriminator(), batch, out)


def test_losses_finite_and_adam_steps_lower_l1():
    torch.manual_seed(0)
    batch = learnable_batch()
    model = harmbench.create_method("dovenet", tiny=True, dropout=False).train()
    history = adam_loss_history(model, batch, steps=6, lr=5e-3)
    assert history[-1] < 0.95 * history[0]


def test_recipe_and_registration():
    info = harmbench.get_method("dovenet")
    assert (info.family, info.native_size, info.trainable, info.blends) == ("dovenet", 256, True, False)
    recipe = harmbench.create_method("dovenet", tiny=True).train_recipe()
    assert (recipe.lr, recipe.betas, recipe.schedule, recipe.epochs, recipe.decay_epochs) == \
        (2e-4, (0.5, 0.999), "linear", 200, 100)
    assert dataclasses.asdict(info.make_config()) == dataclasses.asdict(DoveNetConfig())


def test_bad_config_and_inputs_fail_clearly():
    with pytest.raises(harmbench.MethodError, match="norm must be one of"):
        harmbench.create_method("dovenet", tiny=True, norm="group")
    model = harmbench.create_method("dovenet", tiny=True)
    with pytest.raises(harmbench.MethodError, match=r"dovenet: mask must be \(B,1,H,W\)"):
        model(torch.rand(1, 3, 64, 64), torch.rand(1, 1, 32, 32))


def test_wrong_checkpoint_is_a_method_error(tmp_path):
    path = tmp_path / "net_G_last.pth"
    with torch.device("meta"):
        rainnet = harmbench.get_method("rainnet").build(harmbench.get_method("rainnet").make_config(tiny=True))
    torch.save({k: torch.zeros(v.shape) for k, v in rainnet.state_dict().items()}, path)
    with pytest.raises(harmbench.MethodError, match="does not fit method 'dovenet'"):
        harmbench.create_method("dovenet", weights=path, tiny=True)
