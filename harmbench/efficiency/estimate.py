"""Counting a model's cost from its structure: parameters, fvcore-convention GMACs, and the CDTNet paper's
torchstat-style figures.

Two counts, never mixed:

- **GMACs** (:func:`count_macs`): fvcore's operator-level MAC conventions (one fused multiply-add = 1), applied by
  our own counter (a ``TorchDispatchMode``) to one forward under ``inference_mode``. fvcore counted the operators
  of a ``torch.jit`` trace, i.e. the outermost aten call of each Python-level call; under ``inference_mode`` the
  dispatcher shows the counter the same calls (``aten::conv2d``, ``aten::linear``, ``aten::batch_norm``,
  ``aten::einsum``, ...) before decomposing them, so :data:`OPERATOR_RULES` are fvcore's rules on fvcore's
  operators, plus ours (``grid_sample``: 8 MACs per output element when trilinear, i.e. a 3-D LUT lookup; bicubic
  and trilinear upsampling; ``avg_pool2d``). Every other operator the forward runs must be in
  :data:`UNCOUNTED_OPS` (a reviewed list with a reason per operator); an operator in neither is an error, never a
  silent zero.

  The forward propagates shapes instead of computing: parameters and buffers are treated as unknown values,
  every operator that reads an unknown value returns an uninitialised tensor of the right shape (found by running
  the operator on ``meta`` copies of its arguments), and only operators on known values (the inputs, constants)
  really run. So device-dependent code takes the same branch as a real forward on that device, and input-dependent
  decisions (CDTNet's CPU lookup of foreground pixels only) are the real ones. An operator whose result would
  depend on an unknown value (``.item()``, ``nonzero``, ...) stops it; the count is then taken from a real forward
  at the requested size (``forward`` says which).
- **Paper rule** (:func:`paper_estimate`): what the CDTNet paper's Table 3 reports (Cong et al., CVPR 2022, §4.2:
  "estimated with the network analyzer torchstat"). torchstat's per-leaf-module formulas (``torchstat/
  compute_flops.py``; research sheet cdtnet_iss2am.md §13 and Addendum):

  * Conv2d: k_h·k_w·C_in·C_out/groups·H_out·W_out, + C_out·H_out·W_out with a bias; Linear: B·in·out;
  * BatchNorm2d: 2 per input element (1 without affine); ReLU/ReLU6/LeakyReLU/PReLU/ELU and Max/AvgPool2d: 1 per
    input element; Upsample: 1 per output pixel (B·H·W, no channel factor: torchstat's quirk);
  * any other leaf module: 0 (functional calls are invisible);
  * memory: the sum over leaf-module calls of the output's float32 size (batch excluded), as if nothing were freed.

  Differences between a model and the implementation the paper measured are the model's to declare, through
  :meth:`harmbench.contract.HarmonizationMethod.paper_accounting` (CDTNet: each basis LUT's trilinear output, 3·H·W
  floats at full resolution, was a leaf module's output there; a model can also exclude submodules whose work our
  code skips but the paper's ran). Unlike torchstat we count every call of a module
  (torchstat kept only the last call's figures); the official architectures call each leaf once, so their figures
  do not change. The paper rounds memory to whole MB and FLOPs to 2 decimals (G = 1e9, MB = 2^20 bytes).

  Only shapes are needed, so the forward runs on the ``meta`` device: instant and allocation-free at 2048².

:func:`estimate` builds a method's model once, on ``meta``, for the parameter count, the paper rule and (given
uninitialised storage on the device) the GMACs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves, tree_map_only

from harmbench.contract import PaperAccounting
from harmbench.factory import create_method
from harmbench.registry import MethodError, get_method

# --------------------------------------------------------------------------------------------------- GMACs

_SHAPE = "shape/layout/indexing: moves or selects data, no arithmetic"
_ELEMENTWISE = "elementwise arithmetic: not a multiply-accumulate (fvcore counts only MAC-based operators)"
_NONLINEAR = "elementwise nonlinearity or comparison: no multiply-accumulate"
_REDUCTION = "reduction: additions or comparisons only, no multiply-accumulate"
_CREATION = "creates constants or buffers: no arithmetic on the input"
_SEARCH = "sorting, searching or de-duplication: comparisons, no multiply-accumulate"

#: Operators that contribute 0 MACs, each with the reason it is not counted: every uncounted operator of a
#: forward is one that was reviewed here.
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
    **dict.fromkeys(["aten::item", "aten::is_nonzero"], "reads one value out of a tensor (.item(), bool()): no "
                                                        "arithmetic"),
    **dict.fromkeys([
        "aten::zeros", "aten::zeros_like", "aten::ones", "aten::ones_like", "aten::full", "aten::full_like",
        "aten::empty", "aten::empty_like", "aten::new_zeros", "aten::new_ones", "aten::new_full", "aten::new_empty",
        "aten::arange", "aten::linspace", "aten::tensor", "aten::scalar_tensor", "aten::lift_fresh",
    ], _CREATION),
}


def _numel(tensor: torch.Tensor) -> int:
    return math.prod(tensor.shape)


def _conv_macs(transposed: Callable[[tuple], bool]) -> Callable:
    """fvcore: batch x weight elements x spatial positions (the output's; the input's when ``transposed(args)``)."""

    def macs(args, out) -> int:
        x, weight = args[0], args[1]
        return x.shape[0] * _numel(weight) * math.prod((x if transposed(args) else out).shape[2:])

    return macs


def _grid_sampler_macs(args, out) -> int:
    """``grid_sample``: per output element, 8 weighted corners for a 3-D (trilinear: a LUT lookup) input, 4 for
    2-D bilinear, 16 for bicubic, 0 for nearest (a copy)."""
    mode = args[2]  # aten's enum: 0 bilinear/trilinear, 1 nearest, 2 bicubic
    return {0: 2 ** (args[0].dim() - 2), 1: 0, 2: 16}[mode] * _numel(out)


def _per_output_element(macs: int) -> Callable:
    return lambda args, out: macs * _numel(out)


def _per_input_element(args, out) -> int:
    return _numel(args[0])


def _norm_macs(weight_index: int, training_index: int | None = None) -> Callable:
    """fvcore's norms: 5 per element with an affine weight, else 4 (their rough estimate); an inference batch norm
    (``training`` false: running statistics) 2 per element with an affine weight, else 1."""

    def macs(args, out) -> int:
        affine = len(args) > weight_index and args[weight_index] is not None  # trailing defaults may be left out
        if training_index is not None and not args[training_index]:
            return _numel(args[0]) * (2 if affine else 1)
        return _numel(args[0]) * (5 if affine else 4)

    return macs


def _einsum_macs(args, out) -> int:
    """fvcore's einsum: two closed forms, else half of numpy's "optimized FLOP count" of the optimal path as numpy
    prints it (4 significant digits)."""
    equation, operands = args[0].replace(" ", ""), args[1]
    shapes = [tuple(t.shape) for t in operands]
    letters = dict.fromkeys(c for c in equation if c.isalpha())
    equation = equation.translate({ord(c): ord("a") + i for i, c in enumerate(letters)})
    if equation == "abc,abd->acd":
        return math.prod(shapes[0]) * shapes[1][-1]
    if equation == "abc,adc->adb":
        return math.prod(shapes[0]) * shapes[1][1]
    # zero-stride views: numpy needs only the shapes
    views = [np.lib.stride_tricks.as_strided(np.empty(1), shape=s, strides=[0] * len(s)) for s in shapes]
    report = np.einsum_path(equation, *views, optimize="optimal")[1]
    return int(float(re.search(r"optimized flop count:\s*(\S+)", report, re.IGNORECASE).group(1)) // 2)


def _matmul_macs(args, out) -> int:
    return _numel(args[0]) * args[1].shape[-1]


#: Operator -> (name in the per-operator breakdown, MACs from its positional arguments and its output), in
#: fvcore's conventions: no bias additions; products as multiply-adds; norms per element (see ``_norm_macs``);
#: upsampling per output element (nearest 1, bilinear 4, bicubic 16, trilinear 8); average pooling 1 per input
#: element. Names are those the counter sees under ``inference_mode`` (fvcore's); the lower-level convolution,
#: product, pooling and grid-sampler operators are here for code that calls them directly.
OPERATOR_RULES: dict[str, tuple[str, Callable]] = {
    **dict.fromkeys(["aten::conv1d", "aten::conv2d", "aten::conv3d"], ("conv", _conv_macs(lambda args: False))),
    **dict.fromkeys(["aten::conv_transpose1d", "aten::conv_transpose2d", "aten::conv_transpose3d"],
                    ("conv", _conv_macs(lambda args: True))),
    **dict.fromkeys(["aten::convolution", "aten::_convolution"], ("conv", _conv_macs(lambda args: args[6]))),
    "aten::linear": ("linear", lambda args, out: _numel(args[0]) * args[1].shape[0]),
    "aten::matmul": ("matmul", _matmul_macs),
    "aten::mm": ("mm", _matmul_macs),
    "aten::bmm": ("bmm", _matmul_macs),
    "aten::addmm": ("addmm", lambda args, out: args[1].shape[0] * args[1].shape[1] * args[2].shape[1]),
    "aten::einsum": ("einsum", _einsum_macs),
    "aten::batch_norm": ("batch_norm", _norm_macs(1, training_index=5)),
    "aten::instance_norm": ("instance_norm", _norm_macs(1)),
    "aten::group_norm": ("group_norm", _norm_macs(2)),
    "aten::layer_norm": ("layer_norm", _norm_macs(2)),
    "aten::upsample_nearest2d": ("upsample_nearest2d", _per_output_element(1)),
    "aten::upsample_bilinear2d": ("upsample_bilinear2d", _per_output_element(4)),
    "aten::upsample_bicubic2d": ("upsample_bicubic2d", _per_output_element(16)),
    "aten::upsample_trilinear3d": ("upsample_trilinear3d", _per_output_element(8)),
    **dict.fromkeys(["aten::adaptive_avg_pool2d", "aten::_adaptive_avg_pool2d"],
                    ("adaptive_avg_pool2d", _per_input_element)),
    "aten::avg_pool2d": ("avg_pool2d", _per_input_element),  # like fvcore's adaptive_avg_pool2d: 1 per input
    **dict.fromkeys(["aten::grid_sampler", "aten::grid_sampler_2d", "aten::grid_sampler_3d"],
                    ("grid_sampler", _grid_sampler_macs)),
}


class UncountedOperatorError(MethodError):
    """An operator has no MAC rule and is not on the reviewed :data:`UNCOUNTED_OPS` list."""


class _ValuesNeeded(Exception):
    """The shape-propagating forward reached an operator whose result depends on an unknown value."""


def _depends_on_values(func, args) -> bool:
    """Whether ``func``'s result (a Python value, or its shape) depends on its inputs' values. Indexing is tagged
    so for boolean masks; integer index tensors fix the result's shape."""
    if torch.Tag.data_dependent_output in func.tags:
        return True
    if torch.Tag.dynamic_output_shape not in func.tags:
        return False
    return not (func._schema.name == "aten::index"
                and all(i is None or not (i.dtype == torch.bool or i.dtype == torch.uint8) for i in args[1]))


class _MacCounter(TorchDispatchMode):
    """Counts MACs per :data:`OPERATOR_RULES` and, with ``unknown`` storages, propagates shapes instead of values.

    ``unknown`` holds the storage addresses of tensors whose values are not known (parameters and buffers, then
    the outputs of every operator that read one). Known values are computed for real; a freed unknown tensor's
    address reused by a real result is known again, so a stale address never hides a real value for long and can
    only make the count fall back to a real forward, never make it wrong.
    """

    def __init__(self, device: torch.device, unknown: set[int] | None = None):
        super().__init__()
        self.device = device  # where uninitialised results are allocated
        self.macs: Counter = Counter()
        self.unreviewed: Counter = Counter()
        self.unknown = unknown

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        reads_unknown = self.unknown is not None and any(
            self._is_unknown(t) for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor))
        if not reads_unknown or func.is_view:  # views move no data: run them, aliasing stays real
            out = func(*args, **kwargs)
            if self.unknown is not None and not func.is_view:
                for tensor in tree_leaves(out):
                    if isinstance(tensor, torch.Tensor):
                        self.unknown.discard(tensor.untyped_storage().data_ptr())
        elif _depends_on_values(func, args):
            raise _ValuesNeeded(func._schema.name)
        else:
            out = self._shapes_only(func, args, kwargs)
        self._count(func, args, out)
        return out

    def _is_unknown(self, tensor: torch.Tensor) -> bool:
        """Unknown: computed from the weights, or left on ``meta`` (a model's tensor that is no buffer)."""
        return tensor.is_meta or tensor.untyped_storage().data_ptr() in self.unknown

    def _shapes_only(self, func, args, kwargs):
        """``func``'s result as uninitialised tensors of the right shapes, marked unknown; mutated arguments are
        returned as themselves (and marked unknown)."""
        real_of = {}

        def to_meta(tensor):
            meta = torch.empty_strided(tensor.shape, tensor.stride(), dtype=tensor.dtype, device="meta")
            real_of[id(meta)] = tensor
            return meta

        def to_real(meta):
            tensor = real_of.get(id(meta))
            if tensor is None:  # on the device a copy asks for (``.to(device)``), else the counter's
                device = kwargs.get("device") or self.device
                tensor = torch.empty_strided(meta.shape, meta.stride(), dtype=meta.dtype, device=device)
            if tensor.untyped_storage().data_ptr():  # 0: an empty tensor, no values to know
                self.unknown.add(tensor.untyped_storage().data_ptr())
            return tensor

        meta_args, meta_kwargs = tree_map_only(torch.Tensor, to_meta, (args, kwargs))
        for index, argument in enumerate(func._schema.arguments):  # in-place and out= targets
            if argument.alias_info is not None and argument.alias_info.is_write:
                target = meta_args[index] if index < len(meta_args) else meta_kwargs.get(argument.name)
                if isinstance(target, torch.Tensor):
                    to_real(target)
        try:
            meta_out = func(*meta_args, **meta_kwargs)
        except (NotImplementedError, RuntimeError) as exc:  # no meta kernel, or one that reads a value (bool())
            raise _ValuesNeeded(func._schema.name) from exc
        return tree_map_only(torch.Tensor, to_real, meta_out)

    def _count(self, func, args, out) -> None:
        name = func._schema.name
        if name in OPERATOR_RULES:
            label, rule = OPERATOR_RULES[name]
            self.macs[label] += int(rule(args, out))
        elif name not in UNCOUNTED_OPS:
            self.unreviewed[name] += 1


@dataclass
class MacCount:
    """MACs of one forward: the total, per operator (fvcore's names: ``conv``, ``linear``, ``grid_sampler``, ...), and
    how the forward ran."""

    total: int
    by_operator: dict[str, int]
    forward: str = "real"  # "shapes": shape propagation; "real": a real forward


def _run_counted(model: nn.Module, inputs: tuple[torch.Tensor, ...], shapes_only: bool) -> MacCount:
    """One counted forward; ``shapes_only``: the model's parameters and buffers are unknown values (shapes are
    propagated and :class:`_ValuesNeeded` raised where a value is needed), else a real forward."""
    unknown = None
    if shapes_only:
        storages = (t.untyped_storage().data_ptr() for t in [*model.parameters(), *model.buffers()])
        unknown = {address for address in storages if address}  # 0: empty or on meta (unknown anyway)
    counter = _MacCounter(inputs[0].device, unknown)
    with torch.inference_mode(), counter:  # see OPERATOR_RULES
        model(*inputs)
    if counter.unreviewed:
        listed = ", ".join(f"{op} (x{n})" for op, n in sorted(counter.unreviewed.items()))
        raise UncountedOperatorError(
            f"{getattr(model, 'method_name', type(model).__name__)}: no MAC rule for {listed}; add a rule in "
            "harmbench/efficiency/estimate.py or review it into UNCOUNTED_OPS with a reason")
    return MacCount(sum(counter.macs.values()), dict(sorted(counter.macs.items())),
                    "shapes" if shapes_only else "real")


def count_macs(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> MacCount:
    """MACs of ``model(*inputs)`` (fvcore's conventions) by a shape-propagating forward, or by a real one when the
    forward needs a value computed from the weights; raises :class:`UncountedOperatorError` for an unreviewed
    operator."""
    try:
        return _run_counted(model, inputs, shapes_only=True)
    except _ValuesNeeded:
        return _run_counted(model, inputs, shapes_only=False)


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


def paper_accounting(model: nn.Module, height: int, width: int) -> PaperAccounting:
    """The model's :meth:`~harmbench.contract.HarmonizationMethod.paper_accounting` at ``height`` x ``width``;
    none for a model without the hook (a plain ``nn.Module``: nothing to declare)."""
    hook = getattr(model, "paper_accounting", None)
    return hook(height, width) if hook is not None else PaperAccounting()


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


def meta_model(name: str, tiny: bool = False, overrides: dict | None = None) -> nn.Module:
    """The method's model with every parameter and buffer on ``meta``: shapes only, nothing allocated."""
    get_method(name)  # import the method modules first: tensors they create at import must not land on meta
    with torch.device("meta"):
        return create_method(name, device="meta", tiny=tiny, **(overrides or {}))


def _paper_on_meta(name: str, size: int, tiny: bool, overrides: dict, model: nn.Module | None = None
                   ) -> PaperEstimate:
    """The paper rule from shapes alone (on ``model``, a :func:`meta_model`, when given); falls back to a real CPU
    forward for models that need values (e.g. a data-dependent branch or ``.item()``)."""
    try:
        return paper_estimate(model or meta_model(name, tiny, overrides), example_inputs(size, "meta"))
    except (NotImplementedError, RuntimeError):
        return paper_estimate(create_method(name, tiny=tiny, **overrides), example_inputs(size))


def _macs_by_shapes(model: nn.Module, name: str, size: int, device: str, tiny: bool, overrides: dict) -> MacCount:
    """fvcore-convention MACs of a :func:`meta_model`, given uninitialised storage on ``device`` (values are never
    read); a real forward of a freshly built model when the forward needs values computed from the weights or an
    operator has no ``meta`` implementation."""
    inputs = example_inputs(size, device)
    try:
        return _run_counted(model.to_empty(device=device), inputs, shapes_only=True)
    except _ValuesNeeded:
        return _run_counted(create_method(name, device=device, tiny=tiny, **overrides), inputs, shapes_only=False)


def estimate(name: str, size: int, *, tiny: bool = False, device: str = "cpu", macs: bool = True,
             **overrides) -> dict:
    """Structural cost of method ``name`` at ``size`` x ``size``, batch 1, from one model built on ``meta``:
    ``params``, ``gmacs`` (fvcore's conventions, one multiply-add = 1; shapes propagated on ``device``, whose
    branches the forward takes; None with ``macs=False``), ``paper_gflops`` and ``paper_memory_mb`` (the paper's
    torchstat rule, shapes only), per-operator/per-type breakdowns, and how each forward ran: ``gmacs_forward``
    ("shapes" or "real") and ``paper_forward_device`` ("meta", or "cpu" for a real forward)."""
    model = meta_model(name, tiny, overrides)
    paper = _paper_on_meta(name, size, tiny, overrides, model)
    result = {"params": count_params(model), "gmacs": None, "gmacs_by_operator": None, "gmacs_forward": None,
              "paper_gflops": paper.gflops, "paper_memory_mb": paper.memory_mb,
              "paper_flops_by_module_type": paper.by_module_type, "paper_zero_flop_modules": paper.zero_flop_types,
              "paper_forward_device": paper.forward_device}
    if macs:
        count = _macs_by_shapes(model, name, size, device, tiny, overrides)
        result["gmacs"] = count.total / 1e9
        result["gmacs_by_operator"] = {op: n / 1e9 for op, n in count.by_operator.items()}
        result["gmacs_forward"] = count.forward
    return result
