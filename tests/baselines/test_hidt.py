"""HiDT high-resolution scheme: shift/merge steps against a literal NumPy re-telling, shapes, training stages,
gradients, parameter counts against hand arithmetic, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from baseline_batches import colour_cast_batch

import harmbench
from baselines.hidt import realign, shifted_copies
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
    # Harmonizer (dim 48, 2 downsamplings, 4 + 5 resblocks, 5-channel skips): stem conv7 4->48 (9,456)
    #   + conv4 48->96 (73,824) + conv4 96->192 (295,104) + 9 resblocks x 2 x 331,968 + skips 1x1 (245 + 485)
    #   + up at 192: skip conv7 5->5 (1,230) + conv7 197->96 (926,784) + norm (192)
    #   + up at 96: 1,230 + conv7 101->48 (237,600) + norm (96) + head conv9 48->3 (11,667) = 7,533,337
    # Discriminator: pix2pixHD's, 3 scales x 2,768,833.
    info = get_method("hidt")
    with torch.device("meta"):
        model = info.build(info.make_config())
        discriminator = model.make_discriminator()
    enhancer = sum(p.numel() for p in model.enhancer.parameters())
    assert enhancer == 3_995_843 and abs(enhancer / 4.00e6 - 1) < 0.01
    assert sum(p.numel() for p in model.harmonizer.parameters()) == 7_533_337
    assert sum(p.numel() for p in model.parameters()) == 3_995_843 + 7_533_337
    assert sum(p.numel() for p in discriminator.parameters()) == 3 * 2_768_833


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
