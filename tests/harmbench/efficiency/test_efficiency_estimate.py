"""Counting: the paper's Table 3 FLOPs/memory reproduced exactly, torchstat rules on toy modules, GMACs by shape
propagation (agreement with fvcore: test_macs_match_fvcore.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from harmbench import list_methods
from harmbench.contract import PaperAccounting
from harmbench.efficiency import PAPER_TABLE3, UNCOUNTED_OPS, UncountedOperatorError, count_macs, estimate
from harmbench.efficiency.estimate import MASK_FRACTION, _paper_on_meta, example_inputs, paper_estimate

# Table 3 (Cong et al., CVPR 2022) as printed: (method, size) -> (FLOPs G, memory MB)
PAPER_ROWS = [(method, size, flops, memory) for size, rows in PAPER_TABLE3.items()
              for method, (_, _, memory, _, flops, _) in rows.items()]


def test_the_paper_rows_are_the_ones_asked_for():
    assert {(m, s): (f, mem) for m, s, f, mem in PAPER_ROWS} == {
        ("iss2am", 1024): (239.36, 5148), ("iss2am", 2048): (957.43, 20592),
        ("cdtnet-256", 1024): (78.05, 1923), ("cdtnet-256", 2048): (267.10, 6723),
        ("cdtnet-512", 2048): (312.19, 7691), ("cdtnet-256-sim", 1024): (3.49, 144),
        ("cdtnet-256-sim", 2048): (3.49, 288), ("cdtnet-512-sim", 2048): (13.95, 574)}


@pytest.mark.parametrize(("method", "size", "flops", "memory"), PAPER_ROWS)
def test_paper_rule_reproduces_table3(method, size, flops, memory):
    """Rounded as printed: FLOPs to 2 decimals (G = 1e9), memory to whole MB (MB = 2^20 bytes)."""
    estimate_ = _paper_on_meta(method, size, tiny=False, overrides={})
    assert estimate_.forward_device == "meta"  # shapes only: no fallback to a real forward
    assert round(estimate_.gflops, 2) == pytest.approx(flops, abs=1e-9)
    assert round(estimate_.memory_mb) == memory


def test_paper_rule_scales_with_pixels_for_a_full_resolution_network():
    small, large = (_paper_on_meta("iss2am", s, tiny=False, overrides={}) for s in (1024, 2048))
    assert large.memory_bytes / small.memory_bytes == pytest.approx(4, rel=1e-6)  # all but a few pooled vectors
    assert large.flops / small.flops == pytest.approx(4, rel=1e-4)


class Toy(nn.Module):
    """Conv(+bias) -> BN -> ReLU -> MaxPool -> Upsample(x2) -> Conv(no bias); a shared ReLU called twice."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.head = nn.Conv2d(8, 3, 1, bias=False)
        self.skipped = nn.Conv2d(3, 3, 1)

    def forward(self, x, mask):
        y = self.relu(self.bn(self.conv(torch.cat([x, mask], 1))))
        y = self.relu(self.up(self.pool(y)))
        return {"images": self.head(y) + 0 * self.skipped(x)}


def test_torchstat_rules_on_a_toy_model_count_every_call():
    h = w = 16
    inputs = (torch.rand(1, 3, h, w), torch.rand(1, 1, h, w))
    got = paper_estimate(Toy().eval(), inputs)
    conv = 9 * 4 * 8 * h * w + 8 * h * w  # MACs + bias
    bn = 2 * 8 * h * w
    relu = 8 * h * w + 8 * h * w  # the shared ReLU runs twice: both calls count
    pool = 8 * h * w  # per input element
    up = h * w  # per output pixel, no channel factor (torchstat)
    head = 8 * 3 * h * w
    skipped = 3 * 3 * h * w + 3 * h * w
    assert got.by_module_type == {"BatchNorm2d": bn, "Conv2d": conv + head + skipped, "MaxPool2d": pool,
                                  "ReLU": relu, "Upsample": up}
    outputs = 8 * h * w * 3 + 8 * h * w // 4 + 8 * h * w * 2 + 3 * h * w + 3 * h * w  # conv,bn,relu,pool,up,relu,...
    assert got.memory_bytes == 4 * outputs


def test_model_hook_excludes_submodules_and_adds_functional_outputs():
    model = Toy().eval()
    model.paper_accounting = lambda h, w: PaperAccounting(exclude=("skipped",), extra_outputs=[(3, h, w)] * 2)
    h = w = 8
    plain = paper_estimate(Toy().eval(), (torch.rand(1, 3, h, w), torch.rand(1, 1, h, w)))
    hooked = paper_estimate(model, (torch.rand(1, 3, h, w), torch.rand(1, 1, h, w)))
    assert plain.flops - hooked.flops == 3 * 3 * h * w + 3 * h * w
    assert hooked.memory_bytes - plain.memory_bytes == 4 * (2 * 3 * h * w - 3 * h * w)


def test_full_size_gmacs_need_no_real_forward():
    result = estimate("cdtnet-512", 2048)
    assert result["gmacs_forward"] == "shapes" and result["paper_forward_device"] == "meta"
    assert result["gmacs"] == pytest.approx(result["paper_gflops"], rel=0.01)


def test_the_input_decides_branches_as_in_a_real_forward():
    """CDTNet's CPU lookup visits only foreground pixels when they are few: 8 MACs per looked-up colour channel."""
    size = 64
    result = estimate("cdtnet-256", size, tiny=True)
    foreground = int(example_inputs(size)[1].count_nonzero())
    assert foreground == MASK_FRACTION * size * size
    assert result["gmacs_by_operator"]["grid_sampler"] * 1e9 == pytest.approx(8 * 3 * foreground, abs=1e-3)


def test_meta_estimate_needs_no_memory_at_2048():
    result = estimate("cdtnet-512", 2048, macs=False)
    assert result["gmacs"] is None and round(result["paper_gflops"], 2) == 312.19
    assert result["params"] > 2_700_000


def test_fvcore_conv_closed_form_without_bias():
    conv = nn.Conv2d(4, 64, 3, padding=1)
    assert count_macs(conv, (torch.rand(1, 4, 32, 32),)).total == 64 * 32 * 32 * 4 * 9


class Lookup(nn.Module):
    def __init__(self, spatial: int):
        super().__init__()
        self.table = nn.Parameter(torch.rand(1, 3, *[5] * spatial))

    def forward(self, x):
        grid = x.movedim(1, -1)[:, None] if self.table.dim() == 5 else x[:, :2].movedim(1, -1)
        return F.grid_sample(self.table.expand(x.shape[0], *self.table.shape[1:]), grid * 2 - 1,
                             mode="bilinear", align_corners=True)


def test_grid_sample_is_8_macs_per_output_element_when_trilinear_and_4_when_bilinear():
    x = torch.rand(2, 3, 6, 7)
    trilinear = count_macs(Lookup(3), (x,))
    assert trilinear.by_operator["grid_sampler"] == 8 * 2 * 3 * 6 * 7
    assert count_macs(Lookup(2), (x,)).by_operator["grid_sampler"] == 4 * 2 * 3 * 6 * 7


class Erf(nn.Module):
    def forward(self, x):
        return torch.erf(x)


class ConvErf(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 1)

    def forward(self, x):
        return torch.erf(self.conv(x))


@pytest.mark.parametrize("model", [Erf(), ConvErf()], ids=["on the input", "on values computed from the weights"])
def test_an_unreviewed_operator_is_an_error_not_a_silent_zero(model):
    assert "aten::erf" not in UNCOUNTED_OPS
    with pytest.raises(UncountedOperatorError, match=r"aten::erf \(x1\)"):
        count_macs(model, (torch.rand(1, 3, 4, 4),))


class Branchy(nn.Module):
    """A second conv only when a value decides so: of the input (known without a real forward) or of the first
    conv's output (needs one)."""

    def __init__(self, decide_on_output: bool):
        super().__init__()
        self.decide_on_output = decide_on_output
        self.first, self.second = nn.Conv2d(3, 4, 1), nn.Conv2d(4, 4, 1)
        nn.init.constant_(self.first.bias, 1.0)
        nn.init.zeros_(self.first.weight)  # first(x) == 1 everywhere

    def forward(self, x):
        y = self.first(x)
        if (y if self.decide_on_output else x).amax() > 0.5:
            y = self.second(y)
        return y


@pytest.mark.parametrize(("decide_on_output", "forward"), [(False, "shapes"), (True, "real")])
def test_a_branch_on_a_value_is_taken_as_a_real_forward_takes_it(decide_on_output, forward):
    x = torch.rand(1, 3, 5, 6) + 0.6
    count = count_macs(Branchy(decide_on_output), (x,))
    assert count.forward == forward
    assert count.total == 3 * 4 * 30 + 4 * 4 * 30  # both convs ran



def test_every_uncounted_operator_has_a_reason():
    assert all(op.startswith("aten::") and len(reason) > 20 for op, reason in UNCOUNTED_OPS.items())


@pytest.mark.parametrize("method", list_methods())
def test_estimate_runs_for_every_registered_method(method):
    result = estimate(method, 32, tiny=True)
    assert result["params"] >= 0 and result["gmacs"] >= 0
    assert result["paper_gflops"] >= 0 and result["paper_memory_mb"] >= 0
    assert result["gmacs"] == pytest.approx(sum(result["gmacs_by_operator"].values()))


def test_gmacs_agree_with_the_paper_rule_up_to_its_extra_element_operations():
    """fvcore (conv without bias, BN 1/element, bilinear upsampling 4/element, LUT lookups) and torchstat (conv with
    bias, BN 2/element, ReLU/pool) differ only in small element-wise terms for these conv nets."""
    for method in ("iss2am", "cdtnet-256"):
        result = estimate(method, 64, tiny=True)
        assert result["gmacs"] == pytest.approx(result["paper_gflops"], rel=0.05)
