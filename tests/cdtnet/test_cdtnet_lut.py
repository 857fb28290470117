"""The colour mapping module: trilinear lookup against an independent 8-corner reference, fusion, masking, batches;
the compiled CPU path (numba) against the same reference and against the general (grid_sample) path."""

from __future__ import annotations

import sys

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

import cdtnet.lut
from cdtnet.lut import ColorMapping, WeightPredictor, apply_lut, identity_lut


def reference_trilinear(lut: torch.Tensor, image: torch.Tensor, binsize_scale: float = 1.0) -> torch.Tensor:
    """Direct 8-corner trilinear interpolation in float64, written like the original kernel: flat index
    r + g*D + b*D*D into a [c, b, g, r] LUT, binsize = scale/(D-1). lut (3,D,D,D), image (3,H,W) in [0,1]."""
    size = lut.shape[-1]
    flat = lut.double().reshape(3, -1)
    binsize = binsize_scale / (size - 1)
    pos = image.double() / binsize
    index = pos.floor().long().clamp(0, size - 2)  # scale 1: v == 1 sits on the last cell's far corner
    frac = pos - index
    r, g, b = index
    fr, fg, fb = frac
    out = torch.zeros(3, *image.shape[1:], dtype=torch.float64)
    for db in (0, 1):
        for dg in (0, 1):
            for dr in (0, 1):
                weight = ((fr if dr else 1 - fr) * (fg if dg else 1 - fg) * (fb if db else 1 - fb))
                out += weight * flat[:, (r + dr) + (g + dg) * size + (b + db) * size * size]
    return out


def test_identity_lut_layout_and_lookup():
    lut = identity_lut(5)
    assert lut.shape == (3, 5, 5, 5)
    assert lut[0, 1, 2, 3] == 0.75 and lut[1, 1, 2, 3] == 0.5 and lut[2, 1, 2, 3] == 0.25  # [c, b, g, r]
    image = torch.rand(2, 3, 9, 13)
    assert torch.allclose(apply_lut(lut[None], image), image, atol=1e-6)


@pytest.mark.parametrize("size", [2, 9, 33])
def test_lookup_matches_direct_trilinear_per_image(size):
    torch.manual_seed(size)
    luts = torch.rand(2, 3, size, size, size) * 2 - 0.5
    image = torch.rand(2, 3, 7, 11)
    image[0, :, 0, 0] = 0.0
    image[0, :, 0, 1] = 1.0
    image[1, 0, 3, :] = 1.0
    got = apply_lut(luts, image)
    for b in range(2):  # each image uses its own LUT: no mixing of batch items or channels
        # padded-LUT coordinates cost ~1e-6 in float32
        assert torch.allclose(got[b].double(), reference_trilinear(luts[b], image[b]), atol=1e-5)


def test_gradients_reach_the_image_and_the_lut():
    torch.manual_seed(10)
    lut = torch.rand(1, 3, 5, 5, 5, requires_grad=True)
    image = (torch.rand(1, 3, 4, 6) * 0.8 + 0.1).requires_grad_()
    apply_lut(lut, image).sum().backward()
    assert image.grad is not None and image.grad.abs().sum() > 0
    # the 8 trilinear weights of each looked-up value sum to 1: 3 channels x 24 pixels
    assert lut.grad is not None and torch.allclose(lut.grad.sum(), torch.tensor(3.0 * 24), atol=1e-4)


def test_lookup_agrees_with_the_original_kernel_arithmetic():
    torch.manual_seed(1)
    lut = torch.rand(3, 33, 33, 33)
    image = torch.rand(3, 16, 16)
    original = reference_trilinear(lut, image, binsize_scale=1.000001)  # the CUDA kernel's binsize
    assert (apply_lut(lut[None], image[None])[0].double() - original).abs().max() < 5e-5


def test_swapped_axes_would_be_caught():
    torch.manual_seed(2)
    lut = torch.rand(3, 9, 9, 9)
    image = torch.rand(1, 3, 8, 8)
    wrong = apply_lut(lut.permute(0, 3, 2, 1)[None], image)[0].double()  # [c, r, g, b]
    assert (wrong - reference_trilinear(lut, image[0])).abs().max() > 1e-2


def test_chunking_over_threads_does_not_change_the_result():
    torch.manual_seed(3)
    luts = torch.rand(2, 3, 9, 9, 9)
    image, mask = torch.rand(2, 3, 6, 10), torch.rand(2, 1, 6, 10)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        single = apply_lut(luts, image, mask)
        torch.set_num_threads(4)  # 60 pixels -> 4 chunks
        chunked = apply_lut(luts, image, mask)
    finally:
        torch.set_num_threads(threads)
    assert torch.equal(single, chunked)


def test_mask_compositing_keeps_background_exactly():
    torch.manual_seed(4)
    lut = torch.rand(1, 3, 9, 9, 9)
    image = torch.rand(1, 3, 8, 12)
    mask = torch.zeros(1, 1, 8, 12)
    mask[..., 2:6, 3:9] = 1.0
    mask[..., 0, 0] = 0.25
    out = apply_lut(lut, image, mask)
    looked_up = apply_lut(lut, image)
    background = (mask == 0).expand_as(image)
    assert torch.equal(out[background], image[background])
    foreground = (mask == 1).expand_as(image)
    assert torch.allclose(out[foreground], looked_up[foreground])
    assert torch.allclose(out[0, :, 0, 0], 0.25 * looked_up[0, :, 0, 0] + 0.75 * image[0, :, 0, 0])


def random_mapping(pooling="fg-bg") -> ColorMapping:
    torch.manual_seed(5)
    mapping = ColorMapping(feature_channels=16, n_lut=3, lut_size=9, pooling=pooling, clamp=False)
    with torch.no_grad():
        for k in range(3):
            getattr(mapping, f"LUT{k}").LUT.uniform_(-0.2, 1.2)
    return mapping


def test_fused_lookup_equals_weighted_sum_of_separate_lookups():
    mapping = random_mapping()
    features, image = torch.randn(2, 16, 4, 4), torch.rand(2, 3, 10, 14)
    mask = (torch.rand(2, 1, 10, 14) > 0.5).float()
    weights = mapping.classifier(features, mask)
    separate = sum(weights[:, k, None, None, None] * apply_lut(getattr(mapping, f"LUT{k}").LUT[None], image)
                   for k in range(3))
    expected = mask * separate + (1 - mask) * image
    assert torch.allclose(mapping(features, image, mask), expected, atol=1e-5)


def test_batch_of_two_equals_two_batches_of_one():
    mapping = random_mapping()
    features, image = torch.randn(2, 16, 4, 4), torch.rand(2, 3, 10, 14)
    mask = (torch.rand(2, 1, 10, 14) > 0.5).float()
    together = mapping(features, image, mask)
    for b in range(2):
        alone = mapping(features[b:b + 1], image[b:b + 1], mask[b:b + 1])
        assert torch.allclose(together[b:b + 1], alone, atol=1e-6)


def test_initial_weights_make_the_identity():
    predictor = WeightPredictor(8, 4, "fg-bg")
    assert torch.equal(predictor.fc.bias, torch.ones(4))
    mapping = ColorMapping(8, 4, 9, "fg-bg", clamp=False)
    assert torch.allclose(mapping.LUT0.LUT, identity_lut(9)) and not mapping.LUT1.LUT.any()


def test_pooling_variants():
    fg_bg, global_pool = WeightPredictor(8, 4, "fg-bg"), WeightPredictor(8, 4, "global")
    assert fg_bg.fc.in_channels == 16 and global_pool.fc.in_channels == 8
    features = torch.randn(1, 8, 4, 4)
    mask_a = torch.zeros(1, 1, 32, 32)
    mask_a[..., :16, :] = 1
    mask_b = 1 - mask_a
    assert not torch.allclose(fg_bg(features, mask_a), fg_bg(features, mask_b))
    assert torch.equal(global_pool(features, mask_a), global_pool(features, mask_b))
    # fg/bg means are over all positions, not divided by the areas: with mask 0.5 each is half the global mean
    mean = fg_bg.conv(features).mean(dim=(2, 3))[0]
    weight = fg_bg.fc.weight[:, :, 0, 0]
    expected = weight[:, :8] @ (0.5 * mean) + weight[:, 8:] @ (0.5 * mean) + fg_bg.fc.bias
    assert torch.allclose(fg_bg(features, torch.full((1, 1, 32, 32), 0.5))[0], expected, atol=1e-5)


def test_gradients_reach_luts_and_classifier():
    mapping = random_mapping()
    features, image = torch.randn(2, 16, 4, 4), torch.rand(2, 3, 10, 14)
    mask = (torch.rand(2, 1, 10, 14) > 0.3).float()
    mapping(features, image, mask).square().mean().backward()
    for name, parameter in mapping.named_parameters():
        assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name


def test_clamp_option():
    lut = torch.full((1, 3, 5, 5, 5), 2.0)
    image, mask = torch.rand(1, 3, 4, 4), torch.ones(1, 1, 4, 4)
    assert torch.allclose(apply_lut(lut, image, mask, clamp=True), torch.ones(1, 3, 4, 4))
    assert torch.allclose(apply_lut(lut, image, mask), torch.full((1, 3, 4, 4), 2.0))


def test_foreground_only_lookup_equals_dense_lookup(monkeypatch):
    torch.manual_seed(6)
    luts = torch.rand(3, 3, 9, 9, 9, requires_grad=True)
    image = torch.rand(3, 3, 12, 20)
    mask = torch.zeros(3, 1, 12, 20)
    mask[0, :, 2:5, 3:9] = 1.0
    mask[1, :, 0, :] = 0.5  # soft, a different foreground size; image 2 has no foreground at all
    results = {}
    for path, fraction in (("sparse", 1.0), ("dense", -1.0)):
        monkeypatch.setattr("cdtnet.lut.SPARSE_FRACTION", fraction)
        luts.grad = None
        out = apply_lut(luts, image, mask)
        out.square().sum().backward()
        results[path] = (out, luts.grad.clone())
    assert torch.equal(results["sparse"][0], results["dense"][0])
    assert torch.equal(results["sparse"][0][2], image[2])
    assert torch.allclose(results["sparse"][1], results["dense"][1], atol=1e-5)
    monkeypatch.setattr("cdtnet.lut._compiled_kernel", lambda: None)  # the general path without autograd too
    with torch.no_grad():
        for path, fraction in (("sparse", 1.0), ("dense", -1.0)):
            monkeypatch.setattr("cdtnet.lut.SPARSE_FRACTION", fraction)
            results[path] = apply_lut(luts, image, mask)
    assert torch.equal(results["sparse"], results["dense"])
    assert torch.equal(results["sparse"][2], image[2])


# ------------------------------------------------------------------------------------ compiled and general paths

@pytest.fixture(params=["compiled", "general"])
def lookup_path(request, monkeypatch):
    """Runs a test on one path of apply_lut and checks afterwards that the compiled kernel ran exactly when asked."""
    calls = []
    if request.param == "compiled":
        pytest.importorskip("numba")
        compiled = cdtnet.lut._apply_compiled
        monkeypatch.setattr("cdtnet.lut._apply_compiled", lambda *args: calls.append(1) or compiled(*args))
    else:
        monkeypatch.setattr("cdtnet.lut._compiled_kernel", lambda: None)
        monkeypatch.setattr("cdtnet.lut._apply_compiled", lambda *args: calls.append(1))
    yield request.param
    assert bool(calls) == (request.param == "compiled")


def reference_apply(lut: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None, clamp: bool) -> torch.Tensor:
    """apply_lut's definition in float64 for one image: clamp the colours to [0, 1], trilinear, clip, blend."""
    looked_up = reference_trilinear(lut, image.clamp(0, 1))
    if clamp:
        looked_up = looked_up.clamp(0, 1)
    if mask is None:
        return looked_up
    weight = mask.double()
    return weight * looked_up + (1 - weight) * image.double()


# 131 x 127 pixels: more than one parallel block (16384) of the kernel, and a partial chunk at each block's end
@pytest.mark.parametrize("size, height, width", [(33, 131, 127), (9, 7, 11), (2, 1, 5)])
@pytest.mark.parametrize("shared_lut", [False, True])
@pytest.mark.parametrize("clamp", [False, True])
def test_both_paths_match_the_float64_definition(lookup_path, size, height, width, shared_lut, clamp):
    generator = torch.Generator().manual_seed(size * 1000 + height)
    luts = torch.rand(1 if shared_lut else 3, 3, size, size, size, generator=generator) * 2 - 0.5
    image = torch.rand(3, 3, height, width, generator=generator) * 1.6 - 0.3  # values outside [0, 1] too
    image[0, :, 0, :] = 0.0
    image[1, :, 0, :] = 1.0
    mask = torch.rand(3, 1, height, width, generator=generator)
    mask[0, :, : height // 2] = 0.0  # background runs (whole chunks skipped by the kernel)...
    mask[0, :, 0, 0] = 0.3  # ...with a lone foreground pixel in one
    mask[1] = (mask[1] > 0.5).float()
    mask[2] = 0.0  # an image with no foreground at all
    with torch.no_grad():
        blended = apply_lut(luts, image, mask, clamp=clamp)
        looked_up = apply_lut(luts, image, clamp=clamp)
    # the compiled path is float32 with fused multiply-adds (~3e-7); the general path's grid costs ~1e-6 in coordinates
    tolerance = 1e-6 if lookup_path == "compiled" else 2e-5
    for b in range(3):
        lut = luts[0 if shared_lut else b]
        assert (blended[b].double() - reference_apply(lut, image[b], mask[b], clamp)).abs().max() <= tolerance
        assert (looked_up[b].double() - reference_apply(lut, image[b], None, clamp)).abs().max() <= tolerance
    background = (mask == 0).expand_as(image)
    assert torch.equal(blended[background], image[background])


def test_the_paths_agree_within_the_general_paths_precision(monkeypatch):
    pytest.importorskip("numba")
    torch.manual_seed(7)
    luts, image, mask = torch.rand(2, 3, 17, 17, 17), torch.rand(2, 3, 40, 30), torch.rand(2, 1, 40, 30)
    with torch.inference_mode():  # evaluation runs under inference_mode: its tensors must work too
        compiled = apply_lut(luts, image, mask, clamp=True)
        monkeypatch.setattr("cdtnet.lut._compiled_kernel", lambda: None)
        general = apply_lut(luts, image, mask, clamp=True)
    assert (compiled - general).abs().max() < 1e-5


def test_the_compiled_path_is_taken_only_for_cpu_float32_inference():
    pytest.importorskip("numba")
    lut, image, mask = torch.rand(1, 3, 5, 5, 5), torch.rand(2, 3, 4, 4), torch.rand(2, 1, 4, 4)
    applies = cdtnet.lut._compiled_path_applies
    assert applies(lut, image, mask) and applies(lut, image, None)
    trainable = lut.clone().requires_grad_()
    assert not applies(trainable, image, mask)  # autograd has to record the lookup
    with torch.no_grad():
        assert applies(trainable, image, mask)
    assert not applies(lut.double(), image.double(), mask.double())
    assert not applies(lut.to("meta"), image.to("meta"), mask.to("meta"))  # efficiency.estimate's shapes
    assert not applies(lut.expand(3, -1, -1, -1, -1), image, mask)  # a LUT batch neither 1 nor B: general's error
    assert not applies(lut, image, mask[:1])

    class Watching(TorchDispatchMode):  # like the MAC counter, which must see the grid_sample it counts
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            return func(*args, **(kwargs or {}))

    with Watching():
        assert not applies(lut, image, mask)


@pytest.mark.parametrize("count", [1, 2, 6, 256, 1000, 1024])
def test_the_kernels_block_order_visits_every_block_once_spread_over_the_image(count):
    lut_kernel = pytest.importorskip("cdtnet.lut_kernel")
    stride = lut_kernel._scattering_stride(count)
    order = [task * stride % count for task in range(count)]
    assert sorted(order) == list(range(count))
    # numba gives each of 2 threads half of the tasks: each half has about half the blocks of each half of the image
    first_thread = order[: count // 2]
    assert abs(sum(block < count // 2 for block in first_thread) - count // 4) <= max(1, count // 50)


def test_compiled_path_propagates_nan_and_stays_inside_the_lut():
    pytest.importorskip("numba")
    lut, image = torch.rand(1, 3, 9, 9, 9), torch.rand(1, 3, 3, 4)
    image[0, :, 1, 2] = float("nan")
    image[0, 0, 2, 3] = float("inf")
    mask = torch.ones(1, 1, 3, 4)
    out = apply_lut(lut, image, mask)
    assert out[0, :, 1, 2].isnan().all()
    finite = torch.ones(3, 4, dtype=torch.bool)
    finite[1, 2] = finite[2, 3] = False
    expected = reference_apply(lut[0], image[0], mask[0], clamp=False)
    assert (out[0][:, finite].double() - expected[:, finite]).abs().max() <= 1e-6


def test_without_numba_apply_lut_takes_the_general_path(monkeypatch):
    monkeypatch.setitem(sys.modules, "cdtnet.lut_kernel", None)  # its import now fails, as without numba
    monkeypatch.delattr(cdtnet, "lut_kernel", raising=False)
    assert cdtnet.lut._compiled_kernel.__wrapped__() is None
    monkeypatch.setattr("cdtnet.lut._compiled_kernel", cdtnet.lut._compiled_kernel.__wrapped__)
    lut, image = torch.rand(1, 3, 5, 5, 5), torch.rand(1, 3, 4, 6)
    assert not cdtnet.lut._compiled_path_applies(lut, image, None)
    assert torch.allclose(apply_lut(lut, image)[0].double(), reference_trilinear(lut[0], image[0]), atol=1e-5)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_lookup_matches_the_float64_definition():
    """The general (grid_sample) path on CUDA, the path a GPU evaluation takes, within its CPU tolerance."""
    generator = torch.Generator().manual_seed(5)
    luts = torch.rand(3, 3, 33, 33, 33, generator=generator) * 2 - 0.5
    image = torch.rand(3, 3, 131, 127, generator=generator) * 1.6 - 0.3
    mask = torch.rand(3, 1, 131, 127, generator=generator)
    mask[2] = 0.0
    with torch.no_grad():
        blended = apply_lut(luts.cuda(), image.cuda(), mask.cuda()).cpu()
    for b in range(3):
        assert (blended[b].double() - reference_apply(luts[b], image[b], mask[b], False)).abs().max() <= 2e-5
    background = (mask == 0).expand_as(image)
    assert torch.equal(blended[background], image[background])
