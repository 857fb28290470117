"""Guo et al. (intrinsic image harmonization): parameter counts per part against the research sheet, the patch
relation against a per-sample transposed convolution, the lighting transfer, loss pieces, shapes, gradients,
optimisation steps, checkpoints, recipe and errors."""

import pytest
import torch
import torch.nn.functional as F
from baseline_batches import adam_loss_history, colour_cast_batch, learnable_batch

import harmbench
from baselines.guo import (
    HarmonyRecBlock,
    InharmonyFree,
    Lighting,
    channel_sum_gradients,
    dssim_contrast_structure,
    smoothness_loss,
)
from harmbench.checkpoints import save_checkpoint
from harmbench.registry import MethodError, get_method

# Research sheet hidt_guo_vgg.md section 2 (zhenglab/IntrinsicHarmony v1.0, counted from its layer tables).
SHEET_PARTS = {"reflectance_enc": 5_393_088, "illumination_enc": 668_352, "reflectance_dec": 1_033_987,
               "illumination_dec": 1_033_987, "lighting": 670_408, "lighting_res": 18_970_624, "ifm": 8_373_024,
               "reflectance_rec": 2_359_808, "illumination_rec": 2_359_808}


def part_counts(**overrides) -> dict[str, int]:
    info = get_method("guo")
    with torch.device("meta"):
        model = info.build(info.make_config(**overrides))
    return {name: sum(p.numel() for p in part.parameters()) for name, part in model.named_children()}


def test_parameter_counts_per_part_match_the_research_sheet():
    counts = part_counts()
    assert counts == SHEET_PARTS
    assert sum(counts.values()) == 40_863_086
    # one LightingResBlock: 2 x Conv3 (590,080) + shared LN (512) + 2 x Lighting (9,216 + 1,770,240 + 1,536)
    assert SHEET_PARTS["lighting_res"] == 4 * (2 * 590_080 + 512 + 2 * (9_216 + 1_770_240 + 1_536))


def test_later_code_without_inharmony_free_res_blocks():
    # HEAD (iih_base_lt_gd) sets ifm_n_res 0: IFM 1,285,920, total 33,775,982
    counts = part_counts(inharmony_free_res_blocks=0)
    assert counts["ifm"] == 1_285_920 and sum(counts.values()) == 33_775_982


@pytest.mark.parametrize("size", [(256, 256), (96, 160), (100, 150)])
def test_output_shapes_and_background_kept(size):
    model = harmbench.create_method("guo", tiny=True)
    batch = colour_cast_batch(*size, batch=2)
    with torch.inference_mode():
        out = model(batch["composite"], batch["mask"])
    for key in ("images", "harmonized", "reflectance", "illumination"):
        assert out[key].shape == (2, 3, *size) and torch.isfinite(out[key]).all(), key
    padded = [-(-side // 8) for side in size]
    assert out["ifm_mean"].shape == (2, 1, *padded)
    assert out["reflectance"].min() >= 0 and out["reflectance"].max() <= 1
    background = batch["mask"].expand_as(out["images"]) == 0
    assert torch.equal(out["images"][background], batch["composite"][background])
    assert torch.allclose(out["harmonized"], out["reflectance"] * out["illumination"])


def test_default_config_at_1024_on_meta():
    info = get_method("guo")
    with torch.device("meta"):
        model = info.build(info.make_config())
        out = model(torch.empty(1, 3, 1024, 1024), torch.empty(1, 1, 1024, 1024))
    assert out["images"].shape == (1, 3, 1024, 1024) and out["ifm_mean"].shape == (1, 1, 128, 128)


class KeepRebuilt(torch.nn.Module):
    """Stands in for HarmonyRecBlock's conv: records cat[x, y] and returns zeros, so the block returns x."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        self.seen.append(features)
        return torch.zeros_like(features[:, :features.shape[1] // 2])


def test_harmony_rec_block_is_a_transposed_convolution_with_patch_kernels():
    torch.manual_seed(0)
    block = HarmonyRecBlock(3)
    block.conv = KeepRebuilt()
    x = torch.randn(2, 3, 8, 12)
    attention = torch.rand(2, 24, 24).softmax(1)  # (B, source position, output position) on the 4 x 6 grid
    assert torch.equal(block(x, attention), x)
    for sample in range(2):  # the original: conv_transpose2d(attention, 4x4 patches as kernels, stride 2, pad 1) / 4
        kernels = F.unfold(x[sample:sample + 1], 4, padding=1, stride=2)[0].T.reshape(24, 3, 4, 4)
        expected = F.conv_transpose2d(attention[sample].view(1, 24, 4, 6), kernels, stride=2, padding=1) / 4
        assert torch.allclose(block.conv.seen[0][sample:sample + 1, 3:], expected, atol=1e-5)


def test_attention_is_a_softmax_over_background_positions():
    torch.manual_seed(0)
    module = InharmonyFree(4, 4, 0, scale=10.0)
    x = torch.rand(2, 4, 32, 48)
    mask = torch.zeros(2, 1, 4, 6)
    mask[..., 1:3, 2:4] = 1
    attention, channel_mean = module(x, mask)
    assert attention.shape == (2, 24, 24) and channel_mean.shape == (2, 1, 4, 6)
    assert torch.allclose(attention.sum(1), torch.ones(2, 24))
    # background output positions have no foreground features: their logits are all 0, so the weights are uniform
    background = (mask.flatten(2)[0, 0] == 0).nonzero()[0, 0]
    assert torch.allclose(attention[:, :, background], torch.full((2, 24), 1 / 24))


def test_lighting_changes_only_the_foreground_and_is_identity_for_equal_lights():
    torch.manual_seed(0)
    lighting = Lighting(6, 8)
    x = torch.randn(1, 6, 5, 7)
    mask = torch.zeros(1, 1, 5, 7)
    mask[..., 1:4, 2:5] = 1
    light_fg, light_bg = torch.randn(1, 8), torch.randn(1, 8)
    out = lighting(x, light_fg, light_bg, mask)
    outside = mask.expand_as(x) == 0
    assert torch.equal(out[outside], x[outside]) and not torch.allclose(out, x)
    # equal lights: ratio 1, no intensity shift, so the foreground holds the sum of the three colour planes
    same = lighting(x, light_fg, light_fg, mask)
    planes = lighting.colour(x).unflatten(1, (3, 6)).sum(1)
    inside = mask.expand_as(x) > 0
    assert torch.allclose(same[inside], planes[inside], atol=1e-5)


def test_lighting_colour_convolution_pads_by_reflection_as_the_original_conv2dblock():
    torch.manual_seed(0)
    lighting = Lighting(6, 8)
    x = torch.randn(1, 6, 5, 7)
    conv = lighting.colour[0]
    expected = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), conv.weight, conv.bias)
    assert torch.allclose(conv(x), expected, atol=1e-6)


def test_loss_pieces():
    y, x = torch.meshgrid(torch.arange(6.0), torch.arange(8.0), indexing="ij")
    ramp = torch.stack([x, 2 * x, y])[None]  # channel sum 3x + y
    grad_x, grad_y = channel_sum_gradients(ramp)
    assert torch.equal(grad_x[0, 0, :, 1:], torch.full((6, 7), 3.0)) and torch.equal(grad_x[0, 0, :, 0], y[:, 0])
    assert torch.equal(grad_y[0, 0, 1:], torch.ones(5, 8)) and torch.equal(grad_y[0, 0, 0], 3 * x[0])  # zero outside
    assert smoothness_loss(ramp) == 0 and smoothness_loss(ramp ** 2) > 0  # linear ramps have no second differences
    maps = torch.rand(2, 1, 16, 16)
    assert dssim_contrast_structure(maps, maps).abs() < 1e-6
    assert dssim_contrast_structure(maps, -maps) > 0.4  # anti-correlated structure: close to the maximum 1


def test_gradients_reach_every_parameter():
    model = harmbench.create_method("guo", tiny=True).train()
    batch = colour_cast_batch(64, 96)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]))
    assert set(losses) == {"l1", "reflectance_gradient", "illumination_l2", "illumination_smooth", "inharmony_free"}
    assert model.make_discriminator() is None and model.training_notes() == []
    sum(losses.values()).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.ndim > 1:
            assert param.grad.abs().sum() > 0, name


def test_illumination_branch_does_not_train_the_attention():
    model = harmbench.create_method("guo", tiny=True).train()
    batch = colour_cast_batch(64, 64)
    model.training_losses(batch, model(batch["composite"], batch["mask"]))["illumination_l2"].backward()
    assert all(p.grad is None for p in model.ifm.parameters())
    assert all(p.grad is not None for p in model.illumination_rec.parameters())


def test_adam_steps_lower_the_loss():
    torch.manual_seed(0)
    model = harmbench.create_method("guo", tiny=True).train()
    history = adam_loss_history(model, learnable_batch(64), steps=6, lr=1e-3)
    assert history[-1] < 0.9 * history[0], history


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = harmbench.create_method("guo", tiny=True)
    save_checkpoint(tmp_path / "guo.pt", model, get_method("guo"))
    torch.manual_seed(1)
    loaded = harmbench.create_method("guo", weights=tmp_path / "guo.pt", tiny=True)
    batch = colour_cast_batch(64, 64)
    with torch.inference_mode():
        assert torch.equal(model(batch["composite"], batch["mask"])["images"],
                           loaded(batch["composite"], batch["mask"])["images"])


def test_recipe_and_registration():
    info = get_method("guo")
    assert (info.family, info.native_size, info.trainable, info.blends) == ("guo", 1024, True, True)
    assert "Intrinsic Image Harmonization" in info.paper and info.official_weights == ""
    recipe = harmbench.create_method("guo", tiny=True).train_recipe()
    assert (recipe.lr, recipe.betas, recipe.epochs, recipe.schedule, recipe.decay_epochs) == \
        (1e-4, (0.5, 0.999), 100, "linear", 50)


def test_bad_config_and_inputs():
    with pytest.raises(MethodError, match="ngf"):
        harmbench.create_method("guo", tiny=True, ngf=7)
    model = harmbench.create_method("guo", tiny=True)
    with pytest.raises(MethodError, match="too small"):
        model(torch.rand(1, 3, 8, 64), torch.rand(1, 1, 8, 64))
    with torch.inference_mode():
        assert model(torch.rand(1, 3, 9, 9), torch.rand(1, 1, 9, 9))["images"].shape == (1, 3, 9, 9)
