"""Counting a model's cost from its structure: parameters, fvcore GMACs, and the CDTNet paper's torchstat-style figures.

Two counts, never mixed:

- **GMACs** (:func:`count_macs`): fvcore's operator-level count of one traced forward, one fused multiply-add = 1.
  fvcore's own handles plus ours (``grid_sample``: 8 MACs per output element when trilinear, i.e. a 3-D LUT
  lookup). Every other operator the trace contains must be in :data:`UNCOUNTED_OPS` (a reviewed list with a reason
  per operator); an operator in neither is an error, never a silent zero. fvcore traces with ``torch.jit``, which
  cannot run on the ``meta`` device, so this count runs a real forward at the requested size.
- **Paper rule** (:func:`paper_estimate`): what the CDTNet paper's Table 3 reports (Cong et al., CVPR 2022, §4.2:
  "estimated with the network analyzer torchstat"). torchstat's per-leaf-module formulas (``torchstat/
  compute_flops.py``; research sheet cdtnet_iss2am.md §13 and Addendum):

  * Conv2d: k_h·k_w·C_in·C_out/groups·H_out·W_out, + C_out·H_out·W_out with a bias; Linear: B·in·out;
  * BatchNorm2d: 2 per input element (1 without affine); ReLU/ReLU6/LeakyReLU/PReLU/ELU and Max/AvgPool2d: 1 per
    input element; Upsample: 1 per output pixel (B·H·W, no channel factor: torchstat's quirk);
  * any other leaf module: 0 (functional calls are invisible);
  * memory: the sum over leaf-module calls of the output's float32 size (batch excluded), as if nothing were freed.

  The paper's CDTNet additionally lists each basis LUT's trilinear output (3·H·W floats at full resolution; its
  LUT lookup was a leaf module there) and the (sim) variants exclude the decoder, which the official sim code still
  runs but whose output it ignores (ours skips it). Models declare such differences through the optional hook
  described at :func:`paper_accounting`; without it, a ``lut`` submodule with ``n_lut`` basis LUTs is recognised.
  Unlike torchstat we count every call of a module (torchstat kept only the last call's figures); the official
  architectures call each leaf once, so their figures do not change. The paper rounds memory to whole MB and
  FLOPs to 2 decimals (G = 1e9, MB = 2^20 bytes).

  Only shapes are needed, so the forward runs on the ``meta`` device: instant and allocation-free at 2048².
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass, field

import torch
from torch import nn

with warnings.catch_warnings():  # fvcore's package import scripts its losses with torch.jit, which now warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from fvcore.nn.jit_analysis import JitModelAnalysis
    from fvcore.nn.jit_handles import elementwise_flop_counter, get_shape

from harmbench.factory import create_method
from harmbench.registry import MethodError, get_method

# --------------------------------------------------------------------------------------------------- GMACs (fvcore)

_SHAPE = "shape/layout/indexing: moves or selects data, no arithmetic"
_ELEMENTWISE = "elementwise arithmetic: not a multiply-accumulate (fvcore counts only MAC-based operators)"
_NONLINEAR = "elementwise nonlinearity or comparison: no multiply-accumulate"
_REDUCTION = "reduction: additions or comparisons only, no multiply-accumulate"
_CREATION = "creates constants or buffers: no arithmetic on the input"
_SEARCH = "sorting, searching or de-duplication: comparisons, no multiply-accumulate"

#: Operators that contribute 0 MACs, each with the reason it is not counted. fvcore's own silent-ignore list is
#: replaced by this one, so every uncounted operator in a trace is one that was reviewed here.
UNCOUNTED_OPS: dict[str, str] = {
    **dict.fromkeys([
        "aten::cat", "aten::stack", "aten::chunk", "aten::split", "aten::split_with_sizes", "aten::unbind",
        "aten::view", "aten::reshape", "aten::flatten", "aten::permute", "aten::transpose", "aten::t",
        "aten::squeeze", "aten::unsqueeze", "aten::unsqueeze_", "aten::expand", "aten::expand_as", "aten::contiguous",
        "aten::slice", "aten::select", "aten::narrow", "aten::index", "aten::gather", "aten::flip", "aten::roll",
        "aten::repeat", "aten::constant_pad_nd", "aten::pad", "aten::reflection_pad2d", "aten::replication_pad2d",
        "aten::copy_", "aten::clone", "aten::detach", "aten::to", "aten::type_as", "aten::size", "aten::Int",
        "aten::ScalarImplicit", "aten::dropout", "aten::alias", "aten::pixel_shuffle", "aten::pixel_unshuffle",
        "aten::masked_fill", "aten::index_put_", "aten::numel",
        "aten::movedim", "aten::moveaxis", "aten::swapaxes", "aten::unflatten", "aten::view_as", "aten::reshape_as",
        "aten::index_copy", "aten::index_copy_", "aten::index_select", "aten::masked_select", "aten::scatter",
        "aten::scatter_",
    ], _SHAPE),
    **dict.fromkeys([
        "aten::add", "aten::add_", "aten::sub", "aten::sub_", "aten::rsub", "aten::mul", "aten::mul_", "aten::div",
        "aten::div_", "aten::neg", "aten::reciprocal", "aten::pow", "aten::sqrt", "aten::rsqrt", "aten::exp",
        "aten::log", "aten::abs", "aten::square", "aten::floor", "aten::floor_divide", "aten::remainder",
        "aten::addcmul", "aten::lerp",
    ], _ELEMENTWISE),
    **dict.fromkeys([
        "aten::relu", "aten::relu_", "aten::elu", "aten::elu_", "aten::leaky_relu", "aten::leaky_relu_",
        "aten::prelu", "aten::hardtanh", "aten::hardtanh_", "aten::relu6", "aten::gelu", "aten::silu",
        "aten::sigmoid", "aten::sigmoid_", "aten::tanh", "aten::tanh_", "aten::softmax", "aten::log_softmax",
        "aten::clamp", "aten::clamp_", "aten::clamp_min", "aten::clamp_max", "aten::where", "aten::eq", "aten::ne",
        "aten::gt", "aten::ge", "aten::lt", "aten::le", "aten::__and__", "aten::bitwise_not", "aten::max_pool2d",
        "aten::adaptive_max_pool2d", "aten::amax", "aten::amin", "aten::max", "aten::min", "aten::sign",
        "aten::round",
    ], _NONLINEAR),
    **dict.fromkeys([
        "aten::sum", "aten::mean", "aten::var", "aten::std", "aten::var_mean", "aten::std_mean", "aten::norm",
        "aten::linalg_vector_norm", "aten::cumsum",
    ], _REDUCTION),
    **dict.fromkeys(["aten::sort", "aten::argsort", "aten::topk", "aten::searchsorted", "aten::_unique2",
                     "aten::unique_dim", "aten::bucketize", "aten::nonzero", "aten::count_nonzero",
                     "aten::argmax", "aten::argmin"], _SEARCH),
    "aten::linalg_inv": "inverse of a small constant matrix (reinhard's 3x3 colour matrix): ~27 MACs, negligible",
    **dict.fromkeys([
        "aten::zeros", "aten::zeros_like", "aten::ones", "aten::ones_like", "aten::full", "aten::full_like",
        "aten::empty", "aten::empty_like", "aten::new_zeros", "aten::new_ones", "aten::new_full", "aten::new_empty",
        "aten::arange", "aten::linspace", "aten::tensor", "aten::scalar_tensor", "aten::lift_fresh",
    ], _CREATION),
}


def _grid_sampler_macs(inputs, outputs) -> int:
    """``grid_sample``: per output element, 8 weighted corners for a 3-D (trilinear: a LUT lookup) input, 4 for
    2-D bilinear, 16 for bicubic, 0 for nearest (a copy)."""
    spatial_dims = len(get_shape(inputs[0])) - 2
    mode = inputs[2].toIValue()  # 0 bilinear/trilinear, 1 nearest, 2 bicubic (aten's enum)
    per_element = {0: 2 ** spatial_dims, 1: 0, 2: 16}[mode]
    return per_element * math.prod(get_shape(outputs[0]))


def _handles() -> dict:
    from fvcore.nn.flop_count import _DEFAULT_SUPPORTED_OPS

    handles = dict(_DEFAULT_SUPPORTED_OPS)  # fvcore's conventions kept as they are, e.g. nearest upsampling 1/element
    handles.update({
        "aten::grid_sampler": _grid_sampler_macs,
        "aten::upsample_bicubic2d": elementwise_flop_counter(0, 16),
        "aten::upsample_trilinear3d": elementwise_flop_counter(0, 8),
        "aten::avg_pool2d": elementwise_flop_counter(1, 0),  # like fvcore's adaptive_avg_pool2d: 1 per input
    })
    return handles


class _MacAnalysis(JitModelAnalysis):
    """fvcore's FLOP analysis with our handles, and our reviewed list in place of fvcore's silent-ignore list."""

    def __init__(self, model: nn.Module, inputs: tuple[torch.Tensor, ...]):
        super().__init__(model=model, inputs=inputs)
        self._ignored_ops = set(UNCOUNTED_OPS)  # fvcore keeps this list on the instance; we replace its content
        self.set_op_handle(**_handles())
        self.unsupported_ops_warnings(False)  # we raise instead
        self.uncalled_modules_warnings(False)


class UncountedOperatorError(MethodError):
    """A traced operator has no MAC handle and is not on the reviewed :data:`UNCOUNTED_OPS` list."""


@dataclass
class MacCount:
    total: int
    by_operator: dict[str, int]


def count_macs(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> MacCount:
    """fvcore MACs of ``model(*inputs)``; raises :class:`UncountedOperatorError` for an unreviewed operator."""
    with torch.no_grad(), warnings.catch_warnings():  # jit tracing refuses inference-mode tensors
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit's deprecation notice, raised inside fvcore
        analysis = _MacAnalysis(model, inputs)
        total = analysis.total()  # runs the trace; unsupported_ops() is only valid afterwards
        unknown = analysis.unsupported_ops()
    if unknown:
        listed = ", ".join(f"{op} (x{n})" for op, n in sorted(unknown.items()))
        raise UncountedOperatorError(
            f"{getattr(model, 'method_name', type(model).__name__)}: no MAC rule for {listed}; add a handle in "
            "harmbench/efficiency/estimate.py or review it into UNCOUNTED_OPS with a reason")
    return MacCount(int(total), {op: int(n) for op, n in sorted(analysis.by_operator().items())})


# ---------------------------------------------------------------------------------------------- paper rule (torchstat)

_ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU)
_POOLS = (nn.MaxPool2d, nn.AvgPool2d)


def torchstat_flops(module: nn.Module, inputs: tuple, output) -> int:
    """torchstat 0.0.7's "Flops" of one call of a leaf ``module`` (0 for module types torchstat does not know)."""
    if not inputs or not isinstance(inputs[0], torch.Tensor):
        return 0
    x = inputs[0]
    if isinstance(module, nn.Conv2d):
        batch, out_channels, out_h, out_w = output.shape
        k_h, k_w = module.kernel_size
        positions = batch * out_h * out_w
        macs = k_h * k_w * x.shape[1] * (out_channels // module.groups) * positions
        return macs + (out_channels * positions if module.bias is not None else 0)
    if isinstance(module, nn.BatchNorm2d):
        return x.numel() * (2 if module.affine else 1)
    if isinstance(module, _ACTIVATIONS + _POOLS):
        return x.numel()
    if isinstance(module, nn.Upsample):
        return x.shape[0] * math.prod(output.shape[2:])
    if isinstance(module, nn.Linear):
        return x.shape[0] * x.shape[1] * output.shape[1]
    return 0


def _output_numel_per_item(output) -> int:
    """Elements of a leaf module's output without the batch dimension (torchstat: ``prod(out.size()[1:])``)."""
    if isinstance(output, torch.Tensor):
        return math.prod(output.shape[1:])
    if isinstance(output, (tuple, list)):
        return sum(_output_numel_per_item(o) for o in output)
    return 0


@dataclass
class PaperAccounting:
    """What a model tells the paper rule beyond its leaf modules (see :func:`paper_accounting`)."""

    exclude: tuple[str, ...] = ()  # qualified submodule names whose leaves are left out
    extra_outputs: list[tuple[int, ...]] = field(default_factory=list)  # per-item shapes of functional outputs


def paper_accounting(model: nn.Module, height: int, width: int) -> PaperAccounting:
    """The model's optional hook ``paper_accounting(height, width) -> {"exclude": [...], "extra_outputs": [...]}``.

    ``exclude``: submodules the paper left out (CDTNet (sim): ``["decoder"]``); ``extra_outputs``: shapes (without
    batch) of outputs the paper counted that our code computes functionally (CDTNet: one (3, H, W) per basis LUT).
    """
    hook = getattr(model, "paper_accounting", None)
    if hook is None:
        return _inferred_accounting(model, height, width)
    declared = hook(height, width)
    return PaperAccounting(tuple(declared.get("exclude", ())), [tuple(s) for s in declared.get("extra_outputs", ())])


def _inferred_accounting(model: nn.Module, height: int, width: int) -> PaperAccounting:
    """For models without the hook: a colour-mapping submodule ``lut`` with ``n_lut`` basis LUTs (CDTNet) gets one
    (3, H, W) output per basis LUT, the original's separate per-LUT lookup modules that our fused lookup replaces."""
    n_lut = getattr(getattr(model, "lut", None), "n_lut", 0)
    return PaperAccounting(extra_outputs=[(3, height, width)] * n_lut)


@dataclass
class PaperEstimate:
    flops: int  # torchstat "Flops" (MACs + bias/BN/activation/pool/upsample element operations)
    memory_bytes: int  # sum of leaf outputs (and declared extra outputs) as float32
    by_module_type: dict[str, int]  # flops per leaf module type
    zero_flop_types: list[str]  # leaf types that were called but have no torchstat FLOP rule
    forward_device: str = ""  # "meta" (shapes only) or the device of the real forward it needed

    @property
    def gflops(self) -> float:
        return self.flops / 1e9

    @property
    def memory_mb(self) -> float:
        return self.memory_bytes / 2 ** 20


def paper_estimate(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> PaperEstimate:
    """torchstat's FLOPs and memory of ``model(*inputs)`` by forward hooks on every leaf module, per call."""
    height, width = inputs[0].shape[-2:]
    accounting = paper_accounting(model, height, width)
    excluded = {id(m) for name in accounting.exclude for m in model.get_submodule(name).modules()}
    flops, elements = Counter(), 0
    zero_types = set()

    def hook(module, args, output):
        nonlocal elements
        count = torchstat_flops(module, args, output)
        flops[type(module).__name__] += count
        if count == 0:
            zero_types.add(type(module).__name__)
        elements += _output_numel_per_item(output)

    leaves = [m for m in model.modules() if next(m.children(), None) is None and id(m) not in excluded]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        with torch.inference_mode():
            model(*inputs)
    finally:
        for handle in handles:
            handle.remove()
    elements += sum(math.prod(shape) for shape in accounting.extra_outputs)
    return PaperEstimate(sum(flops.values()), 4 * elements, dict(sorted(flops.items())),
                         sorted(zero_types - {t for t, n in flops.items() if n}), inputs[0].device.type)


# ------------------------------------------------------------------------------------------------- one method's figures

MASK_FRACTION = 0.25  # foreground share of the profiling input; CDTNet's CPU LUT lookup skips background pixels


def example_inputs(size: int, device: str | torch.device = "cpu", batch: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """A deterministic random composite in [0,1] and a centred square mask covering a quarter of the image."""
    device = torch.device(device)
    if device.type == "meta":
        return torch.empty(batch, 3, size, size, device=device), torch.empty(batch, 1, size, size, device=device)
    generator = torch.Generator().manual_seed(0)
    composite = torch.rand(batch, 3, size, size, generator=generator)
    mask = torch.zeros(batch, 1, size, size)
    mask[..., size // 4: 3 * size // 4, size // 4: 3 * size // 4] = 1.0
    return composite.to(device), mask.to(device)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _paper_on_meta(name: str, size: int, tiny: bool, overrides: dict) -> PaperEstimate:
    """The paper rule from shapes alone; falls back to a real CPU forward for models that need values (e.g. a
    data-dependent branch or ``.item()``)."""
    get_method(name)  # import the method modules first: tensors they create at import must not land on meta
    try:
        with torch.device("meta"):  # parameters are never allocated
            model = create_method(name, device="meta", tiny=tiny, **overrides)
        return paper_estimate(model, example_inputs(size, "meta"))
    except (NotImplementedError, RuntimeError):
        model = create_method(name, tiny=tiny, **overrides)
        return paper_estimate(model, example_inputs(size))


def estimate(name: str, size: int, *, tiny: bool = False, device: str = "cpu", macs: bool = True,
             **overrides) -> dict:
    """Structural cost of method ``name`` at ``size`` x ``size``, batch 1: ``params``, ``gmacs`` (fvcore, one
    multiply-add = 1; a real forward on ``device``; None with ``macs=False``), ``paper_gflops`` and
    ``paper_memory_mb`` (the paper's torchstat rule, shapes only), plus per-operator/per-type breakdowns."""
    paper = _paper_on_meta(name, size, tiny, overrides)
    model = create_method(name, device=device, tiny=tiny, **overrides)
    result = {"params": count_params(model), "gmacs": None, "gmacs_by_operator": None,
              "paper_gflops": paper.gflops, "paper_memory_mb": paper.memory_mb,
              "paper_flops_by_module_type": paper.by_module_type, "paper_zero_flop_modules": paper.zero_flop_types,
              "paper_forward_device": paper.forward_device}
    if macs:
        count = count_macs(model, example_inputs(size, device))
        result["gmacs"] = count.total / 1e9
        result["gmacs_by_operator"] = {op: n / 1e9 for op, n in count.by_operator.items()}
    return result
