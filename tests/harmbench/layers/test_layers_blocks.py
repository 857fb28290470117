"""Shapes and behaviour of the shared network blocks (harmbench.layers: unet, attention_unet, partial_conv, gan,
vgg, init, imagenet, resnet)."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from harmbench import MethodError
from harmbench.layers.attention_unet import build_ssam_unet, mask_weighted_mse
from harmbench.layers.gan import (
    DomainVerificationDiscriminator,
    MultiscaleDiscriminator,
    multiscale_discriminator_losses,
    multiscale_generator_losses,
)
from harmbench.layers.imagenet import ImageNetNormalization
from harmbench.layers.init import init_pix2pix, init_pix2pixhd
from harmbench.layers.partial_conv import PartialConv2d
from harmbench.layers.resnet import ResnetBlock
from harmbench.layers.unet import UnetSkipConnectionBlock, attention_gate
from harmbench.layers.vgg import VGG19Features, vgg_loss_note


def test_partial_convolution_matches_direct_computation():
    torch.manual_seed(0)
    layer = PartialConv2d(2, 3, kernel_size=3, stride=1, padding=0)
    x = torch.randn(1, 2, 6, 7)
    mask = torch.ones(1, 1, 6, 7)
    mask[..., :3, :4] = 0
    out, update = layer(x, mask)
    # Direct: per window, conv over the valid pixels, rescaled by 9 / (valid count), plus bias where any is valid.
    patches = F.unfold(x * mask, 3)  # (1, 2*9, L)
    valid = F.unfold(mask, 3).sum(1)  # (1, L)
    raw = (layer.weight.view(3, -1) @ patches[0]).unsqueeze(0)  # (1, 3, L)
    expected = torch.where(valid > 0, raw * 9 / valid.clamp_min(1) + layer.bias.view(1, 3, 1), 0.0)
    assert torch.allclose(out.flatten(2), expected, atol=1e-5)
    assert torch.equal(update.flatten(2)[0, 0], (valid[0] > 0).float())
    plain, none = layer(x)
    assert none is None and torch.allclose(plain, F.conv2d(x, layer.weight, layer.bias))


@pytest.mark.parametrize("kind", ["innermost", "middle", "outermost"])
def test_unet_level_shapes(kind):
    inner = UnetSkipConnectionBlock(8, 8, "instance", kind="innermost")
    block = {"innermost": inner,
             "middle": UnetSkipConnectionBlock(4, 8, "batch", submodule=inner, attention=True),
             "outermost": UnetSkipConnectionBlock(3, 4, "instance", input_channels=4, kind="outermost",
                                                  submodule=UnetSkipConnectionBlock(4, 8, "instance", submodule=inner))
             }[kind]
    channels = {"innermost": 8, "middle": 4, "outermost": 4}[kind]
    out = block(torch.rand(2, channels, 16, 16))
    expected = {"innermost": 16, "middle": 8, "outermost": 3}[kind]
    assert out.shape == (2, expected, 16, 16)
    if kind == "outermost":
        assert out.abs().max() <= 1  # tanh


def test_ssam_unet_shapes_and_bad_settings():
    torch.manual_seed(0)
    encoder, decoder = build_ssam_unet(depth=3, ch=8, max_channels=16, batchnorm_from=1, attend_from=1,
                                       attention_mid_k=0.5)
    assert encoder.channels == [8, 16, 16]
    image, mask = torch.rand(2, 3, 32, 32), torch.rand(2, 1, 32, 32)
    features = encoder(torch.cat([image, mask], 1))
    assert [tuple(f.shape[1:]) for f in features] == [(16, 8, 8), (16, 16, 16), (8, 32, 32)]
    out, last = decoder(features, image, mask)
    assert out.shape == image.shape and last.shape == (2, decoder.out_channels, 32, 32)
    with pytest.raises(MethodError, match="depth must be >= 2"):
        build_ssam_unet(1, 8, 16, 1, 1, 0.5)
    with pytest.raises(MethodError, match="attention_mid_k must be > 0"):
        build_ssam_unet(3, 8, 16, 1, 1, 0.0)


def test_mask_weighted_mse_normalises_by_foreground_area():
    target = torch.zeros(2, 3, 10, 10)
    mask = torch.zeros(2, 1, 10, 10)
    mask[0, :, :5] = 1  # area 50
    loss = mask_weighted_mse(target + 0.5, target, mask, min_area=10.0)
    # image 0: 300 * 0.25 / (3 * 50); image 1: area 0 -> clamped to 10
    assert loss.item() == pytest.approx((300 * 0.25 / 150 + 300 * 0.25 / 30) / 2)


def test_imagenet_normalisation_round_trip_and_no_state():
    norm = ImageNetNormalization()
    x = torch.rand(1, 3, 4, 4)
    assert torch.allclose(norm.denormalize(norm.normalize(x)), x, atol=1e-6)
    assert norm.state_dict() == {}


def test_domain_verification_discriminator_shapes():
    torch.manual_seed(0)
    discriminator = DomainVerificationDiscriminator(ndf=2)
    mask = torch.zeros(1, 1, 256, 256)
    mask[..., 64:192, 64:192] = 1
    realism, verification = discriminator(torch.rand(1, 3, 256, 256) * 2 - 1, mask)
    assert realism.shape == verification.shape == (1, 1, 1, 1)


def test_multiscale_gan_losses():
    torch.manual_seed(0)
    discriminator = MultiscaleDiscriminator(4 + 3, ndf=4, n_layers=2, num_d=2)
    condition, fake, real = torch.rand(1, 4, 32, 32), torch.rand(1, 3, 32, 32), torch.rand(1, 3, 32, 32)
    outputs = discriminator(torch.cat([condition, real], 1))
    assert len(outputs) == 2 and all(len(scale) == 2 + 2 for scale in outputs)
    generator = multiscale_generator_losses(discriminator, condition, fake, real, lambda_feat=10.0)
    assert set(generator) == {"g_gan", "g_feat"} and all(v.item() >= 0 for v in generator.values())
    same = multiscale_generator_losses(discriminator, condition, real, real, lambda_feat=10.0)
    assert same["g_feat"].item() == 0  # feature matching of identical images
    sides = multiscale_discriminator_losses(discriminator, condition, fake, real)
    assert set(sides) == {"d_fake", "d_real"}


def test_initialisers_differ_on_biases():
    torch.manual_seed(0)
    conv = nn.Conv2d(4, 4, 3)
    default_bias = conv.bias.detach().clone()
    init_pix2pixhd(conv)
    assert torch.equal(conv.bias, default_bias)  # pix2pixHD keeps PyTorch's default bias
    init_pix2pix(conv)
    assert torch.count_nonzero(conv.bias) == 0 and conv.weight.std().item() == pytest.approx(0.02, rel=0.3)


def test_vgg19_layout_and_loss_note():
    names = set(VGG19Features().state_dict())
    assert len(names) == 32 and {"features.0.weight", "features.34.bias"} <= names  # torchvision's indices
    assert vgg_loss_note("vgg19.pth", "x") == "VGG loss: on (vgg19.pth)"
    assert vgg_loss_note(None, "L1 instead") == "VGG loss: off (no vgg_weights given; L1 instead)"


def test_resnet_block_is_residual_and_gate_is_in_unit_range():
    torch.manual_seed(0)
    block = ResnetBlock(4)
    x = torch.rand(2, 4, 8, 8)
    with torch.no_grad():
        block.body[5].weight.zero_()
        block.body[5].bias.zero_()
    assert torch.equal(block(x), x)  # a zero last conv leaves the identity path alone
    assert sorted(block.state_dict()) == ["body.1.bias", "body.1.weight", "body.5.bias", "body.5.weight"]
    gate = attention_gate(4)(torch.randn(2, 4, 8, 8))
    assert gate.shape == (2, 4, 8, 8) and gate.min() >= 0 and gate.max() <= 1
