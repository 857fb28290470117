"""RainNet: shapes, exact background, RAIN against a numpy implementation and its statistics, gradients, parameter
counts (analytic and published), official key names, losses and optimisation steps."""

import numpy as np
import pytest
import torch
from baseline_batches import adam_loss_history, learnable_batch, random_batch

import harmbench
from baselines.rainnet import RAIN, RainNet, RainNetConfig


def conv(cin: int, cout: int, k: int, bias: bool = False) -> int:
    return cin * cout * k * k + (cout if bias else 0)


def analytic_parameters(ngf: int = 64, input_nc: int = 3) -> int:
    """Bias-free 4x4 convs, RAIN with 4C parameters, biased 1x1 gates and output layer, counted by hand."""
    total = conv(input_nc, ngf, 4) + conv(ngf, 2 * ngf, 4) + conv(2 * ngf, 4 * ngf, 4) + conv(4 * ngf, 8 * ngf, 4)
    total += 3 * (conv(8 * ngf, 8 * ngf, 4) + conv(16 * ngf, 8 * ngf, 4) + 4 * 8 * ngf)  # middle codec blocks
    total += 2 * conv(8 * ngf, 8 * ngf, 4) + 4 * 8 * ngf  # innermost
    for out_channels in (4 * ngf, 2 * ngf, ngf):  # decoder tail: transposed conv, RAIN, gate on the concatenation
        total += conv(4 * out_channels, out_channels, 4) + 4 * out_channels + conv(2 * out_channels, 2 * out_channels,
                                                                                   1, bias=True)
    return total + conv(2 * ngf, 3, 4, bias=True)


def rain_numpy(x: np.ndarray, mask: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """RAIN at zero gamma/beta for one sample, mask already at the feature size, written from the formula."""
    out = np.empty_like(x)
    fg, bg = mask > 0.5, mask <= 0.5
    for c in range(x.shape[0]):  # per channel; each region reduced with numpy
        channel = x[c]
        mu_b, mu_f = channel[bg].sum() / (bg.sum() + eps), channel[fg].sum() / (fg.sum() + eps)
        sd_b = np.sqrt(((channel[bg] - mu_b) ** 2).sum() / (bg.sum() + eps) + eps)
        sd_f = np.sqrt(((channel[fg] - mu_f) ** 2).sum() / (fg.sum() + eps) + eps)
        out[c] = np.where(fg, (channel - mu_f) / sd_f * sd_b + mu_b, (channel - mu_b) / sd_b)
    return out


@pytest.mark.parametrize("size", [(256, 256), (96, 160)])
def test_output_shape_finite_and_background_exact(size):
    batch = random_batch(*size)
    soft = batch["mask"].clone()
    soft[:, :, size[0] // 4, :] = 0.5  # a soft edge row: only mask == 0 pixels must be exact
    model = harmbench.create_method("rainnet", tiny=True)
    with torch.inference_mode():
        images = model(batch["composite"], soft)["images"]
    assert images.shape == batch["composite"].shape
    assert torch.isfinite(images).all()
    background = (soft == 0).expand_as(images)
    assert torch.equal(images[background], batch["composite"][background])
    assert not torch.equal(images[~background], batch["composite"][~background])


def test_rain_matches_numpy_and_restyles_foreground():
    torch.manual_seed(0)
    layer = RAIN(4)
    x = torch.randn(1, 4, 8, 8) * 3 + 1
    x[..., 2:6, 2:6] = x[..., 2:6, 2:6] * 0.3 - 2  # foreground with other statistics
    full_mask = torch.zeros(1, 1, 32, 32)
    full_mask[..., 8:24, 8:24] = 1  # nearest-resized to the 8x8 features: exactly [2:6, 2:6]
    out = layer(x, full_mask)
    small = full_mask[0, 0, ::4, ::4].numpy()
    assert np.allclose(out[0].detach().numpy(), rain_numpy(x[0].numpy(), small), atol=1e-4)
    fg, bg = out[0][:, small > 0.5], out[0][:, small <= 0.5]
    x_bg = x[0][:, small <= 0.5]
    assert torch.allclose(bg.mean(1), torch.zeros(4), atol=1e-4) and torch.allclose(bg.std(1, unbiased=False),
                                                                                      torch.ones(4), atol=1e-3)
    assert torch.allclose(fg.mean(1), x_bg.mean(1), atol=1e-4)  # foreground takes the background's statistics
    assert torch.allclose(fg.std(1, unbiased=False), x_bg.std(1, unbiased=False), rtol=1e-3)


def test_parameter_counts_match_analytic_and_published():
    with torch.device("meta"):
        model = harmbench.get_method("rainnet").build(RainNetConfig())
        discriminator = model.make_discriminator()
    n = sum(p.numel() for p in model.parameters())
    assert n == analytic_parameters()
    assert n == pytest.approx(54.75e6, rel=0.01)  # published G size
    assert sum(p.numel() for p in discriminator.parameters()) == pytest.approx(17.79e6, rel=0.01)


def test_official_key_names_and_shapes():
    with torch.device("meta"):
        state = RainNet(RainNetConfig()).state_dict()
    innermost = "unet_block" + ".submodule" * 3
    expected = {"model_layer0.weight": (64, 3, 4, 4), "model_layer1.1.weight": (128, 64, 4, 4),
                "unet_block.down.1.weight": (512, 512, 4, 4), "unet_block.up.1.weight": (1024, 512, 4, 4),
                "unet_block.upnorm.foreground_gamma": (512,), innermost + ".up.1.weight": (512, 512, 4, 4),
                innermost + ".up.3.weight": (512, 512, 4, 4), innermost + ".upnorm.background_beta": (512,),
                "model_layer11.1.weight": (1024, 256, 4, 4), "model_layer11norm.foreground_beta": (256,),
                "model_layer11att.0.weight": (512, 512, 1, 1), "model_layer13att.0.bias": (128,),
                "model_out.1.weight": (128, 3, 4, 4), "model_out.1.bias": (3,)}
    for key, shape in expected.items():
        assert tuple(state[key].shape) == shape, key
    # Encoder 4, three middle codec blocks 6 each, innermost 6, decoder tail 7 each, output 2; instance norms
    # and dropout carry no state.
    assert len(state) == 4 + 3 * 6 + 6 + 3 * 7 + 2


def test_gradients_reach_generator_and_discriminator():
    torch.manual_seed(0)
    batch = random_batch(256, 256)
    model = harmbench.create_method("rainnet", tiny=True).train()
    discriminator = model.make_discriminator()
    out = model(batch["composite"], batch["mask"])
    losses = model.training_losses(batch, out, discriminator=discriminator)
    assert set(losses) == {"l1", "adv_global", "adv_verification"}
    sum(losses.values()).backward()
    for name, param in model.named_parameters():  # RAIN's gammas and betas included
        assert param.grad is not None and torch.isfinite(param.grad).all() and param.grad.abs().sum() > 0, name
    d_losses = model.discriminator_losses(discriminator, batch, {k: v.detach() for k, v in out.items()})
    sum(d_losses.values()).backward()
    for name, param in discriminator.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.dim() > 1:  # hinge terms can cancel exactly on a head's bias
            assert param.grad.abs().sum() > 0, name


def test_discriminator_works_beyond_batch_1_sample_by_sample():
    """The released recipe trains at batch 11: the (DoveNet-form) discriminator scores each sample on its own."""
    torch.manual_seed(0)
    batch = random_batch(256, 256, batch=3)
    discriminator = harmbench.create_method("rainnet", tiny=True).make_discriminator().eval()  # fixed spectral norms
    image = batch["target"] * 2 - 1
    with torch.no_grad():
        together = discriminator(image, batch["mask"])
        alone = [discriminator(image[i:i + 1], batch["mask"][i:i + 1]) for i in range(3)]
    for head in range(2):
        assert together[head].shape[0] == 3
        assert torch.allclose(together[head], torch.cat([out[head] for out in alone]), atol=1e-5)


def test_four_channel_input_variant():
    model = harmbench.create_method("rainnet", tiny=True, input_nc=4)
    batch = random_batch(256, 256, batch=1)
    with torch.inference_mode():
        assert model(batch["composite"], batch["mask"])["images"].shape == (1, 3, 256, 256)
    assert model.model_layer0.weight.shape[1] == 4


def test_losses_finite_and_adam_steps_lower_l1():
    torch.manual_seed(0)
    batch = learnable_batch()
    model = harmbench.create_method("rainnet", tiny=True, dropout=False).train()
    history = adam_loss_history(model, batch, steps=6, lr=5e-3)
    assert history[-1] < 0.97 * history[0]


def test_recipe_and_registration():
    info = harmbench.get_method("rainnet")
    assert (info.family, info.native_size, info.trainable, info.blends) == ("rainnet", 256, True, True)
    recipe = harmbench.create_method("rainnet", tiny=True).train_recipe()
    assert (recipe.lr, recipe.betas, recipe.schedule, recipe.decay_epochs, recipe.batch_size) == \
        (2e-4, (0.5, 0.999), "linear", 100, 11)


def test_wrong_checkpoint_and_config_fail_clearly(tmp_path):
    with pytest.raises(harmbench.MethodError, match="input_nc must be 3 or 4"):
        harmbench.create_method("rainnet", input_nc=5)
    path = tmp_path / "latest_net_G.pth"
    torch.save(harmbench.create_method("dovenet", tiny=True).state_dict(), path)
    with pytest.raises(harmbench.MethodError, match="does not fit method 'rainnet'"):
        harmbench.create_method("rainnet", weights=path, tiny=True)
