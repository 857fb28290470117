"""Input checks, padding/cropping and compositing with the background (harmbench.layers.checks/padding/blend)."""

import pytest
import torch

from harmbench import MethodError
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.padding import centred_padding, crop, pad_bottom_right, pad_centred, window_of


@pytest.mark.parametrize(("composite", "mask", "message"), [
    ((1, 4, 8, 8), (1, 1, 8, 8), r"m: composite must be \(B,3,H,W\), got \(1, 4, 8, 8\)"),
    ((3, 8, 8), (1, 1, 8, 8), r"m: composite must be \(B,3,H,W\), got \(3, 8, 8\)"),
    ((1, 3, 8, 8), (1, 1, 8, 4), r"m: mask must be \(B,1,H,W\) matching composite \(1, 3, 8, 8\), got \(1, 1, 8, 4\)"),
    ((2, 3, 8, 8), (1, 1, 8, 8), r"m: mask must be .* got \(1, 1, 8, 8\)"),
    ((1, 3, 8, 8), (1, 3, 8, 8), r"m: mask must be .* got \(1, 3, 8, 8\)"),
])
def test_check_inputs_names_method_and_shapes(composite, mask, message):
    with pytest.raises(MethodError, match=message):
        check_inputs("m", torch.zeros(composite), torch.zeros(mask))


def test_check_inputs_minimum_size_and_valid_pairs():
    check_inputs("m", torch.zeros(2, 3, 5, 7), torch.zeros(2, 1, 5, 7))
    check_inputs("m", torch.zeros(1, 3, 17, 20), torch.zeros(1, 1, 17, 20), more_than=16)
    with pytest.raises(MethodError, match="m: input 16x20 is too small; this config needs both sides above 16 px"):
        check_inputs("m", torch.zeros(1, 3, 16, 20), torch.zeros(1, 1, 16, 20), more_than=16)
    assert issubclass(MethodError, ValueError)


@pytest.mark.parametrize(("height", "width", "multiple"), [(100, 130, 64), (64, 64, 64), (1, 255, 8), (33, 31, 2)])
def test_centred_padding_round_trip(height, width, multiple):
    composite = torch.rand(2, 3, height, width)
    mask = (torch.rand(2, 1, height, width) > 0.5).float()
    padded, padded_mask, window = pad_centred(composite, mask, multiple)
    assert padded.shape[-2] % multiple == 0 and padded.shape[-1] % multiple == 0
    assert padded.shape[-2] - height < multiple and padded.shape[-1] - width < multiple
    left, right, top, bottom = centred_padding(height, width, multiple)
    assert window == window_of((left, right, top, bottom), height, width) == (top, left, height, width)
    assert 0 <= right - left <= 1 and 0 <= bottom - top <= 1  # split evenly, the smaller half first
    assert torch.equal(crop(padded, window), composite) and torch.equal(crop(padded_mask, window), mask)
    assert padded_mask.sum() == mask.sum()  # the border is background


def test_centred_padding_replicates_edges():
    composite = torch.rand(1, 3, 100, 130)
    padded, _, window = pad_centred(composite, torch.ones(1, 1, 100, 130), 64)
    assert padded.shape[-2:] == (128, 192) and window == (14, 31, 100, 130)
    assert torch.equal(padded[..., 0, 31:161], composite[..., 0, :])
    assert torch.equal(padded[..., 14:114, 0], composite[..., :, 0])


def test_fitting_input_is_returned_unpadded():
    composite, mask = torch.rand(1, 3, 64, 128), torch.rand(1, 1, 64, 128)
    padded, padded_mask, window = pad_centred(composite, mask, 64)
    assert padded is composite and padded_mask is mask and window == (0, 0, 64, 128)
    assert pad_bottom_right(composite, 64) is composite


@pytest.mark.parametrize(("height", "width", "multiple"), [(100, 130, 32), (17, 16, 16)])
def test_bottom_right_padding_round_trip(height, width, multiple):
    x = torch.rand(1, 4, height, width)
    padded = pad_bottom_right(x, multiple)
    assert padded.shape[-2] % multiple == 0 and padded.shape[-1] % multiple == 0
    assert torch.equal(padded[..., :height, :width], x)
    assert torch.equal(padded[..., -1, :width], x[..., -1, :])  # replicated last row


def test_composite_with_background_keeps_background_bit_identical():
    torch.manual_seed(0)
    composite = torch.rand(2, 3, 16, 16)
    images = torch.rand(2, 3, 16, 16) * 3 - 1  # unclamped, as method outputs may be
    mask = torch.zeros(2, 1, 16, 16)
    mask[..., 4:12, 4:12] = 1
    mask[..., 4, 4:12] = 0.3  # soft edge
    blended = composite_with_background(images, composite, mask)
    background = (mask == 0).expand_as(composite)
    foreground = (mask == 1).expand_as(composite)
    assert torch.equal(blended[background], composite[background])
    assert torch.equal(blended[foreground], images[foreground])
    soft = blended[..., 4, 4:12]
    assert torch.allclose(soft, 0.3 * images[..., 4, 4:12] + 0.7 * composite[..., 4, 4:12])
