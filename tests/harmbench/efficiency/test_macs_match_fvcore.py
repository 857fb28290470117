"""The GMACs counter against fvcore, the reference it replaces: same per-operator figures on every rule and method.

fvcore counts a ``torch.jit`` trace of a real forward; the reference below is fvcore with the handles harmbench
used before the counter (fvcore's defaults plus grid_sample by mode, bicubic/trilinear upsampling, avg_pool2d).
"""

from __future__ import annotations

import importlib
import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from harmbench import list_methods
from harmbench.efficiency import count_macs
from harmbench.factory import create_method

estimate_module = importlib.import_module("harmbench.efficiency.estimate")  # the package re-exports estimate()

with warnings.catch_warnings():  # fvcore's package import scripts its losses with torch.jit, which now warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from fvcore.nn.flop_count import _DEFAULT_SUPPORTED_OPS
    from fvcore.nn.jit_analysis import JitModelAnalysis
    from fvcore.nn.jit_handles import elementwise_flop_counter, get_shape


def _fvcore_grid_sampler(inputs, outputs) -> int:
    per_element = {0: 2 ** (len(get_shape(inputs[0])) - 2), 1: 0, 2: 16}[inputs[2].toIValue()]
    return per_element * math.prod(get_shape(outputs[0]))


def fvcore_macs(model: nn.Module, inputs: tuple) -> dict[str, int]:
    """fvcore's per-operator MACs of a real forward, with harmbench's former handles."""
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = JitModelAnalysis(model, inputs)
        analysis.set_op_handle(**{**_DEFAULT_SUPPORTED_OPS,
            "aten::grid_sampler": _fvcore_grid_sampler,
            "aten::upsample_bicubic2d": elementwise_flop_counter(0, 16),
            "aten::upsample_trilinear3d": elementwise_flop_counter(0, 8),
            "aten::avg_pool2d": elementwise_flop_counter(1, 0)})
        analysis.unsupported_ops_warnings(False)
        analysis.uncalled_modules_warnings(False)
        return {op: int(n) for op, n in analysis.by_operator().items() if n}


class Zoo(nn.Module):
    """One call of every operator the counter has a rule for, in the forms the models use and a few more."""

    def __init__(self, train_norms: bool = False):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, groups=1)
        self.grouped = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=4, bias=False)
        self.up_conv = nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)
        self.linear = nn.Linear(4, 6)
        self.linear_no_bias = nn.Linear(6, 5, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.bn_plain = nn.BatchNorm2d(4, affine=False)
        self.bn_batch_stats = nn.BatchNorm2d(4, track_running_stats=False)
        self.instance = nn.InstanceNorm2d(4, affine=True)
        self.instance_plain = nn.InstanceNorm2d(4)
        self.group = nn.GroupNorm(2, 4)
        self.group_plain = nn.GroupNorm(2, 4, affine=False)
        self.layer = nn.LayerNorm(5)
        self.layer_plain = nn.LayerNorm(5, elementwise_affine=False)
        self.table = nn.Parameter(torch.rand(1, 3, 5, 5, 5))
        self.train(train_norms)

    def forward(self, x, mask):
        y = self.up_conv(self.grouped(self.conv(x)))  # (B, 4, H, W)
        y = self.instance_plain(self.instance(self.bn_batch_stats(self.bn_plain(self.bn(y)))))
        y = self.group_plain(self.group(y))
        tokens = self.linear_no_bias(self.linear(y.flatten(2).transpose(1, 2)))  # (B, HW, 5)
        tokens = self.layer_plain(self.layer(tokens))
        gram = tokens.transpose(1, 2) @ tokens  # matmul (B, 5, 5)
        products = [torch.einsum("bik,bij->bkj", tokens, tokens), torch.einsum("bki,bji->bjk", gram, gram),
                    torch.einsum("ij,bjk->bik", gram[0], gram), torch.mm(gram[0], gram[0]), torch.bmm(gram, gram),
                    torch.addmm(gram[0], gram[0], gram[0])]
        pooled = [F.adaptive_avg_pool2d(y, 1), F.adaptive_avg_pool2d(y, 2), F.avg_pool2d(y, 2)]
        ups = [F.interpolate(y, scale_factor=2, mode=mode) for mode in ("nearest", "bilinear", "bicubic")]
        ups.append(F.interpolate(y[:, None], scale_factor=2, mode="trilinear"))
        grid = x[:, :2].movedim(1, -1) * 2 - 1
        looked_up = [F.grid_sample(y, grid, mode=mode, align_corners=False) for mode in ("bilinear", "nearest",
                                                                                          "bicubic")]
        lut = self.table.expand(x.shape[0], *self.table.shape[1:])
        looked_up.append(F.grid_sample(lut, x.movedim(1, -1)[:, None] * 2 - 1, align_corners=True))
        return [y, mask, *products, *pooled, *ups, *looked_up]


@pytest.mark.parametrize("train_norms", [False, True], ids=["eval", "train"])
def test_every_rule_matches_fvcore(train_norms):
    model, inputs = Zoo(train_norms), (torch.rand(2, 3, 12, 10), torch.rand(2, 1, 12, 10))
    count = count_macs(model, inputs)
    expected = fvcore_macs(model, inputs)
    assert count.by_operator == expected
    assert count.total == sum(expected.values())
    assert count.forward == "shapes"


@pytest.mark.parametrize("method", list_methods())
def test_every_method_counts_as_fvcore_did(method):
    """Built on meta, counted by shape propagation on CPU: fvcore's figures for a real CPU forward, to the MAC
    (CDTNet's CPU lookup of only the foreground pixels included: the input's branches are the real ones)."""
    model = estimate_module.meta_model(method, tiny=True, overrides={})
    count = estimate_module._macs_by_shapes(model, method, 40, "cpu", tiny=True, overrides={})
    expected = fvcore_macs(create_method(method, tiny=True), estimate_module.example_inputs(40))
    assert count.by_operator == expected
