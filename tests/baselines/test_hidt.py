"""HiDT: shift/merge steps against a literal NumPy re-telling, the generator's parts against the research sheet's
parameter counts and AdaIN layout, the background style, shapes, training stages, gradients, checkpoints, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from baseline_batches import colour_cast_batch

import harmbench
from baselines.hidt import realign, shifted_copies
from harmbench.checkpoints import save_checkpoint
from harmbench.layers.munit import adain_layers, assign_adain_params
from harmbench.layers.vgg import VGG19Features
from harmbench.registry import MethodError, get_method


def test_shifted_copies_are_shifted_area_reductions():
    image = np.random.default_rng(0).random((2, 12, 20)).astype(np.float32)
    padded = np.pad(image, ((0, 0), (0, 4), (0, 4)), mode="edge")
    expected = [padded[:, dy:dy + 12, dx:dx + 20].reshape(2, 3, 4, 5, 4).mean((2, 4))
                for dx in range(4) for dy in range(4)]  # x outer, y inner, as HiDT's GridCrop
    ours = shifted_copies(torch.from_numpy(image)[None])[0].numpy()
    assert ours.shape == (16, 2, 3, 5)
    assert np.allclose(ours, np.stack(expected), atol=1e-6)


def test_realign_follows_hidt_enhancement_preprocessing():
    low_h, low_w = 6, 10
    copies = torch.from_numpy(np.random.default_rng(1).uniform(-1, 1, (16, 3, low_h, low_w)).astype(np.float32))
    expected = []
    for index in range(16):  # HiDT: upsample x4, paste at (vert, hor) into a -1 canvas, nearest-resize back
        hor, vert = index // 4, index % 4
        canvas = torch.full((1, 3, 4 * low_h + 4, 4 * low_w + 4), -1.0)
        canvas[0, :, vert:vert + 4 * low_h, hor:hor + 4 * low_w] = copies[index].repeat_interleave(4, 1) \
            .repeat_interleave(4, 2)
        expected.append(F.interpolate(canvas, size=(low_h, low_w), mode="nearest")[0])
    ours = realign(copies[None])[0]
    assert ours.shape == (48, low_h, low_w)
    assert torch.equal(ours, torch.cat(expected))


@pytest.mark.parametrize("size", [(256, 256), (96, 160), (100, 150)])
def test_output_shape_and_finite(size):
    model = harmbench.create_method("hidt", tiny=True)
    batch = colour_cast_batch(*size, batch=2)
    with torch.inference_mode():
        out = model(batch["composite"], batch["mask"])
    padded = [-(-s // 16) * 16 for s in size]
    assert out["images"].shape == (2, 3, *size)
    assert out["lowres"].shape == (2, 16, 3, padded[0] // 4, padded[1] // 4)
    assert torch.isfinite(out["images"]).all() and torch.isfinite(out["lowres"]).all()


def test_joint_stage_gradients_reach_every_parameter():
    model = harmbench.create_method("hidt", tiny=True).train()
    discriminator = model.make_discriminator()
    batch = colour_cast_batch(96, 160)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), discriminator)
    assert set(losses) == {"lowres_l1", "g_gan", "g_feat", "g_l1"}
    assert model.training_notes()[0].startswith("VGG loss: off")
    sum(losses.values()).backward()
    assert len(model.trainable_parameters()) == len(list(model.parameters()))
    for name, param in model.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.ndim > 1:
            assert param.grad.abs().sum() > 0, name


def test_two_stage_training_trains_one_part_each():
    batch = colour_cast_batch(64, 64)
    first = harmbench.create_method("hidt", tiny=True, train_stage="harmonizer").train()
    losses = first.training_losses(batch, first(batch["composite"], batch["mask"]))  # no discriminator needed
    assert set(losses) == {"lowres_l1"}
    losses["lowres_l1"].backward()
    assert all(p.grad is not None for p in first.harmonizer.parameters())
    assert {id(p) for p in first.trainable_parameters()} == {id(p) for p in first.harmonizer.parameters()}

    second = harmbench.create_method("hidt", tiny=True, train_stage="enhancer").train()
    out = second(batch["composite"], batch["mask"])
    losses = second.training_losses(batch, out, second.make_discriminator())
    assert set(losses) == {"g_gan", "g_feat", "g_l1"}
    sum(losses.values()).backward()
    assert all(p.grad is None for p in second.harmonizer.parameters())  # frozen: run without a graph
    assert all(p.grad is not None for p in second.enhancer.parameters())
    assert {id(p) for p in second.trainable_parameters()} == {id(p) for p in second.enhancer.parameters()}


def test_discriminator_losses_backward():
    model = harmbench.create_method("hidt", tiny=True).train()
    discriminator = model.make_discriminator()
    batch = colour_cast_batch(96, 160)
    losses = model.discriminator_losses(discriminator, batch, model(batch["composite"], batch["mask"]))
    assert set(losses) == {"d_fake", "d_real"}
    sum(losses.values()).backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in discriminator.parameters())
    assert all(p.grad is None for p in model.parameters())


def test_parameter_counts_match_hand_arithmetic():
    # RRDBNet(48, nf 64, nb 5, gc 32): conv 48->64 (27,712) + 5 RRDB x 3 RDB x (18,464 + 27,680 + 36,896
    #   + 46,112 + 110,656 = 239,808) + trunk conv (36,928) + 2 x conv 64->256 (147,712) + HR conv (36,928)
    #   + conv 64->3 (1,731) = 3,995,843  (sheet: 4.00M)
    # Discriminator: pix2pixHD's, 3 scales x 2,768,833.
    info = get_method("hidt")
    with torch.device("meta"):
        model = info.build(info.make_config())
        discriminator = model.make_discriminator()
    enhancer = sum(p.numel() for p in model.enhancer.parameters())
    assert enhancer == 3_995_843 and abs(enhancer / 4.00e6 - 1) < 0.01
    assert sum(p.numel() for p in discriminator.parameters()) == 3 * 2_768_833


def part_counts(**overrides) -> dict[str, int]:
    info = get_method("hidt")
    with torch.device("meta"):
        generator = info.build(info.make_config(**overrides)).harmonizer
    return {name: sum(p.numel() for p in part.parameters()) for name, part in generator.named_children()}


@pytest.mark.parametrize(("style_dim", "decoder", "mlp", "total"), [
    (3, 4_510_146, 255_316, 9_819_289),  # configs/daytime.yaml
    (12, 4_498_479, 255_892, 9_809_935),  # configs/wikiart.yaml (style_dim 12, 3 output channels)
])
def test_generator_part_counts_match_the_research_sheet(style_dim, decoder, mlp, total):
    # Research sheet (hidt_guo_vgg.md section 1), counted from the released layer tables with HiDT's 3-channel input.
    segmentation = 3 if style_dim == 3 else 0
    counts = part_counts(mask_input=False, style_dim=style_dim, segmentation_channels=segmentation)
    assert counts["content_encoder"] == 3_497_184
    assert counts["style_encoder"] == (1_556_643 if style_dim == 3 else 1_558_380)
    assert counts["decoder"] == decoder and counts["mlp"] == mlp
    assert sum(counts.values()) == total


def test_mask_input_adds_one_stem_channel():
    # the harmonization input [composite, mask] widens only the Conv9 stem: 48 x 9 x 9 weights
    assert part_counts()["content_encoder"] - part_counts(mask_input=False)["content_encoder"] == 48 * 81


def test_adain_parameters_follow_hidt_layout():
    # 10 body layers (192 channels) then the two skip convs (5 channels): [bias C, weight C] each = 3860 values
    model = harmbench.create_method("hidt")
    layers = adain_layers(model.harmonizer.decoder)
    assert [layer.channels for layer in layers] == [192] * 10 + [5, 5]
    assert model.harmonizer.mlp.model[-1].fc.out_features == 3860
    params = torch.arange(2 * 3860.0).view(2, 3860)
    assign_adain_params(params, layers)
    weight, bias = layers[-1].style
    assert torch.equal(bias[0], params[0, 3850:3855]) and torch.equal(weight[1], params[1, 3855:3860])


def test_one_background_style_for_all_copies():
    # the style reads the background only: changing foreground pixels of the composite leaves it unchanged,
    # changing the background changes it
    torch.manual_seed(0)
    model = harmbench.create_method("hidt", tiny=True)
    batch = colour_cast_batch(64, 64)
    seen = []
    model.harmonizer.style_encoder.register_forward_hook(lambda module, args, out: seen.append(out))
    inside, outside = batch["mask"] > 0, batch["mask"] == 0
    with torch.inference_mode():
        model(batch["composite"], batch["mask"])
        model(torch.where(inside, 1 - batch["composite"], batch["composite"]), batch["mask"])
        model(torch.where(outside, 1 - batch["composite"], batch["composite"]), batch["mask"])
    assert seen[0].shape == (1, 3)
    assert torch.allclose(seen[0], seen[1], atol=1e-6) and not torch.allclose(seen[0], seen[2], atol=1e-3)


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = harmbench.create_method("hidt", tiny=True)
    save_checkpoint(tmp_path / "hidt.pt", model, get_method("hidt"))
    torch.manual_seed(1)
    loaded = harmbench.create_method("hidt", weights=tmp_path / "hidt.pt", tiny=True)
    batch = colour_cast_batch(64, 64)
    with torch.inference_mode():
        assert torch.equal(model(batch["composite"], batch["mask"])["images"],
                           loaded(batch["composite"], batch["mask"])["images"])


@pytest.mark.parametrize(("size", "low"), [(1024, 256), (2048, 512)])
def test_default_config_sizes_on_meta(size, low):
    info = get_method("hidt")
    with torch.device("meta"):
        model = info.build(info.make_config())
        out = model(torch.empty(1, 3, size, size), torch.empty(1, 1, size, size))
    assert out["images"].shape == (1, 3, size, size) and out["lowres"].shape == (1, 16, 3, low, low)


def test_adam_steps_lower_loss():
    torch.manual_seed(0)
    model = harmbench.create_method("hidt", tiny=True).train()
    discriminator = model.make_discriminator()  # held fixed
    batch = colour_cast_batch(64, 64)
    optimiser = torch.optim.Adam(model.trainable_parameters(), lr=2e-3)
    history = []
    for _ in range(6):
        loss = sum(model.training_losses(batch, model(batch["composite"], batch["mask"]), discriminator).values())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        history.append(loss.item())
    assert history[-1] < 0.95 * history[0], history


def test_vgg_loss_from_local_weights(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "vgg19.pth"
    torch.save({k: v.half() for k, v in VGG19Features().features.state_dict().items()}, path)  # features-only keys
    model = harmbench.create_method("hidt", tiny=True, vgg_weights=str(path)).train()
    assert model.training_notes()[0].startswith("VGG loss: on")
    batch = colour_cast_batch(32, 32)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), model.make_discriminator())
    assert set(losses) == {"lowres_l1", "g_gan", "g_feat", "g_vgg"}


def test_bad_config_and_inputs_raise_method_error():
    with pytest.raises(MethodError, match="train_stage"):
        harmbench.create_method("hidt", tiny=True, train_stage="both")
    model = harmbench.create_method("hidt", tiny=True)
    with pytest.raises(MethodError, match="composite must be"):
        model(torch.rand(3, 32, 32), torch.rand(1, 1, 32, 32))
    batch = colour_cast_batch(32, 32)
    with pytest.raises(MethodError, match="discriminator"):
        model.training_losses(batch, model(batch["composite"], batch["mask"]))


def test_smallest_sizes():
    model = harmbench.create_method("hidt", tiny=True)  # padded to a multiple of 16
    with torch.inference_mode():
        assert model(torch.rand(1, 3, 17, 17), torch.rand(1, 1, 17, 17))["images"].shape == (1, 3, 17, 17)
        with pytest.raises(MethodError, match="too small"):
            model(torch.rand(1, 3, 16, 64), torch.rand(1, 1, 16, 64))


def test_registry_metadata():
    info = get_method("hidt")
    assert info.family == "hidt" and info.trainable and not info.blends and info.official_weights == ""
    assert info.native_size == 1024 and "Anokhin" in info.paper
