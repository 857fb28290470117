"""MUNIT blocks: the norms against their formulas written out in NumPy, the AdaIN parameter layout, block shapes."""

import numpy as np
import pytest
import torch

from harmbench.layers.munit import (
    MLP,
    AdaptiveInstanceNorm2d,
    Conv2dBlock,
    LayerNorm,
    ResBlock,
    adain_layers,
    adain_param_count,
    assign_adain_params,
)


def test_layer_norm_uses_unbiased_std_over_all_but_the_batch():
    torch.manual_seed(0)
    norm = LayerNorm(3)
    assert ((norm.gamma >= 0) & (norm.gamma <= 1)).all() and torch.equal(norm.beta, torch.zeros(3))
    with torch.no_grad():
        norm.beta.copy_(torch.tensor([0.5, -1.0, 2.0]))
    x = torch.randn(2, 3, 4, 5) * 3 + 1
    values = x.numpy()
    mean = values.reshape(2, -1).mean(1)[:, None, None, None]
    std = values.reshape(2, -1).std(1, ddof=1)[:, None, None, None]
    gamma, beta = norm.gamma.detach().numpy()[None, :, None, None], norm.beta.detach().numpy()[None, :, None, None]
    expected = (values - mean) / (std + 1e-5) * gamma + beta
    assert np.allclose(norm(x).detach().numpy(), expected, atol=1e-5)


def test_adain_uses_biased_variance_and_the_given_scale_and_shift():
    norm = AdaptiveInstanceNorm2d(2)
    x = torch.randn(3, 2, 4, 4)
    with pytest.raises(RuntimeError, match="set_style"):
        norm(x)
    weight, bias = torch.rand(3, 2), torch.randn(3, 2)
    norm.set_style(weight, bias)
    values = x.numpy()
    mean, var = values.mean((2, 3), keepdims=True), values.var((2, 3), keepdims=True)
    expected = (values - mean) / np.sqrt(var + 1e-5) * weight.numpy()[..., None, None] + bias.numpy()[..., None, None]
    assert np.allclose(norm(x).numpy(), expected, atol=1e-5)


def test_assign_adain_params_lays_out_bias_then_weight_per_layer():
    block = torch.nn.Sequential(ResBlock(4, "adain", "relu"), Conv2dBlock(4, 2, 3, 1, 1, norm="adain"))
    layers = adain_layers(block)
    assert [layer.channels for layer in layers] == [4, 4, 2] and adain_param_count(layers) == 20
    params = torch.arange(40.0).view(2, 20)
    assign_adain_params(params, layers)
    assert torch.equal(layers[1].style[1], params[:, 8:12]) and torch.equal(layers[1].style[0], params[:, 12:16])
    assert block(torch.randn(2, 4, 6, 6)).shape == (2, 2, 6, 6)
    with pytest.raises(ValueError, match="needing 20"):
        assign_adain_params(torch.zeros(2, 21), layers)


def test_blocks_shapes_and_mlp_layout():
    assert Conv2dBlock(3, 8, 4, 2, 1, norm="ln", activation="lrelu")(torch.rand(1, 3, 10, 12)).shape == (1, 8, 5, 6)
    assert Conv2dBlock(3, 8, 3, 1, 1, pad_type="zero")(torch.rand(1, 3, 5, 5)).shape == (1, 8, 5, 5)
    mlp = MLP(3, 10, 6, 3)
    assert [m.fc.out_features for m in mlp.model] == [6, 6, 10] and mlp(torch.rand(2, 3, 1, 1)).shape == (2, 10)
    with pytest.raises(ValueError, match="norm must be"):
        Conv2dBlock(3, 3, 3, norm="batch")
