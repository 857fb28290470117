"""Partial convolution on soft masks: the original's closed form, update mask applied twice with a bias."""

import pytest
import torch
import torch.nn.functional as F

from harmbench.layers.partial_conv import PartialConv2d


@pytest.mark.parametrize("bias", [True, False])
def test_soft_mask_matches_the_originals_closed_form(bias):
    torch.manual_seed(0)
    layer = PartialConv2d(2, 3, kernel_size=3, stride=1, padding=0, bias=bias)
    x = torch.randn(1, 2, 5, 5)
    mask = torch.zeros(1, 1, 5, 5)
    mask[..., 0, 0] = 0.3  # the only foreground: a soft pixel in the top-left window
    mask[..., 4, 4] = 0.8
    out, update = layer(x, mask)
    # window (0,0) sees only the 0.3 pixel: coverage c = 0.3, update u = 0.3, conv term = w[:, :, 0, 0] . x * 0.3
    c = 0.3
    conv = (layer.weight[:, :, 0, 0] * x[0, :, 0, 0]).sum(1) * c
    expected = conv * 9 / (c + 1e-8) * c ** (2 if bias else 1) + (layer.bias * c if bias else 0)
    assert torch.allclose(out[0, :, 0, 0], expected, atol=1e-6)
    assert update[0, 0, 0, 0].item() == pytest.approx(c) and update[0, 0, 2, 2].item() == pytest.approx(0.8)
    assert update[0, 0, 1, 1] == 0 and torch.equal(out[0, :, 1, 1], torch.zeros(3))  # a window with no foreground


def test_soft_mask_over_all_windows_equals_unfolded_formula():
    torch.manual_seed(1)
    layer = PartialConv2d(2, 4, kernel_size=3, stride=2, padding=0)
    x, mask = torch.randn(2, 2, 9, 11), torch.rand(2, 1, 9, 11) * (torch.rand(2, 1, 9, 11) > 0.5)
    out, update = layer(x, mask)
    coverage = F.unfold(mask, 3, stride=2).sum(1, keepdim=True)  # (B, 1, L)
    u = coverage.clamp(0, 1)
    raw = layer.weight.view(4, -1) @ F.unfold(x * mask, 3, stride=2)  # (B, 4, L)
    expected = raw * 9 / (coverage + 1e-8) * u * u + layer.bias.view(1, 4, 1) * u
    assert torch.allclose(out.flatten(2), expected, atol=1e-5)
    assert torch.allclose(update.flatten(2), u)
    assert ((u > 0) & (u < 1)).any()  # the soft case is exercised
