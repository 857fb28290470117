"""pix2pixHD: shapes, gradients, discriminator, parameter counts against hand arithmetic, VGG hook, errors."""

import pytest
import torch
from baseline_batches import colour_cast_batch, save_vgg19

import harmbench
from harmbench.checkpoints import save_checkpoint
from harmbench.contract import schedule_factor
from harmbench.layers.gan import feature_matching_loss, lsgan_loss
from harmbench.layers.vgg import VGG19Features, hub_vgg19_path
from harmbench.registry import MethodError, get_method


def count_on_meta(name: str, **overrides) -> tuple[int, int]:
    """(generator, discriminator) parameter counts of a full-size config, built without allocating memory."""
    info = get_method(name)
    with torch.device("meta"):
        model = info.build(info.make_config(**overrides))
        discriminator = model.make_discriminator()
    return sum(p.numel() for p in model.parameters()), sum(p.numel() for p in discriminator.parameters())


@pytest.mark.parametrize("size", [(256, 256), (96, 160), (100, 150)])
def test_output_shape_and_finite(size):
    model = harmbench.create_method("pix2pixhd", tiny=True)
    batch = colour_cast_batch(*size, batch=2)
    with torch.inference_mode():
        images = model(batch["composite"], batch["mask"])["images"]
    assert images.shape == (2, 3, *size)
    assert torch.isfinite(images).all()
    assert images.min() >= 0 and images.max() <= 1  # (tanh + 1) / 2


def test_gradients_reach_every_generator_parameter():
    model = harmbench.create_method("pix2pixhd", tiny=True).train()
    discriminator = model.make_discriminator()
    batch = colour_cast_batch(96, 160)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), discriminator)
    assert set(losses) == {"g_gan", "g_feat"} and model.training_notes()[0].startswith("VGG loss: WARNING stand-in")
    sum(losses.values()).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
        if param.ndim > 1:  # biases right before an InstanceNorm get exactly zero gradient, weights never
            assert param.grad.abs().sum() > 0, name


def test_discriminator_losses_backward_and_leave_generator_alone():
    model = harmbench.create_method("pix2pixhd", tiny=True).train()
    discriminator = model.make_discriminator()
    batch = colour_cast_batch(96, 160)
    losses = model.discriminator_losses(discriminator, batch, model(batch["composite"], batch["mask"]))
    assert set(losses) == {"d_fake", "d_real"}
    sum(losses.values()).backward()
    for name, param in discriminator.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), name
    assert all(p.grad is None for p in model.parameters())  # the fake is detached


def test_gan_loss_pieces():
    ones = [[torch.zeros(1, 2, 3, 3), torch.ones(1, 1, 4, 4)]] * 2
    assert lsgan_loss(ones, True) == 0 and lsgan_loss(ones, False) == 2  # MSE to 0 per scale, summed
    shifted = [[f + 1 for f in scale] for scale in ones]
    # last layer skipped; 2 scales x 1 layer x L1 1, times weight 10 * (4 / (3 + 1)) / 2 scales
    assert feature_matching_loss(shifted, ones, n_layers=3, weight=10.0) == pytest.approx(10.0)


def test_parameter_counts_match_hand_arithmetic():
    # Global generator, ngf g, input 4: conv7 4->g + 4 stride-2 conv3 + 9 resblocks (2 conv3 each) at 16g
    # + 4 convT3 + conv7 g->3, all with bias (InstanceNorm has no affine). For g = 64:
    #   12,608 + (73,856 + 295,168 + 1,180,160 + 4,719,616) + 18 * 9,438,208
    #   + (4,719,104 + 1,179,904 + 295,040 + 73,792) + 9,411 = 182,446,403  (sheet: 182.45M)
    # 1024p local generator (ngf 32, 1 enhancer): the global part without its conv7 head (182,436,992)
    #   + enhancer: conv7 4->32 (6,304) + conv3 32->64 (18,496) + 3 resblocks at 64 (221,568)
    #   + convT 64->32 (18,464) + conv7 32->3 (4,707) = 182,706,531  (sheet: 182.71M)
    # 2048 (ngf 16, 2 enhancers): 182,436,992 + enhancer at 32 without head (264,832)
    #   + enhancer at 16: 3,152 + 4,640 + 55,488 + 4,624 + 2,355 = 182,772,083
    # Discriminator per scale, input 7: 7,232 + 131,200 + 524,544 + 2,097,664 + 8,193 = 2,768,833 (sheet 2.77M)
    local, discriminator = count_on_meta("pix2pixhd")
    assert local == 182_706_531 and discriminator == 3 * 2_768_833
    assert abs(local / 182.71e6 - 1) < 0.01 and abs(discriminator / (3 * 2.77e6) - 1) < 0.01
    global_only, _ = count_on_meta("pix2pixhd", ngf=64, n_local_enhancers=0)
    assert global_only == 182_446_403 and abs(global_only / 182.45e6 - 1) < 0.01
    assert count_on_meta("pix2pixhd-2048")[0] == 182_772_083


@pytest.mark.parametrize(("name", "size", "global_size"), [("pix2pixhd", 1024, 512), ("pix2pixhd-2048", 2048, 512)])
def test_global_generator_runs_at_512(name, size, global_size):
    """The official 1024p recipe runs G1 at half size; our 2048 choice keeps it at 512 (checked on meta)."""
    info = get_method(name)
    seen = []
    with torch.device("meta"):
        model = info.build(info.make_config())
        model.global_generator.register_forward_hook(lambda module, args, out: seen.append(args[0].shape[-2:]))
        images = model(torch.empty(1, 3, size, size), torch.empty(1, 1, size, size))["images"]
    assert images.shape == (1, 3, size, size)
    assert seen == [(global_size, global_size)]


def test_adam_steps_lower_generator_loss():
    torch.manual_seed(0)
    model = harmbench.create_method("pix2pixhd", tiny=True).train()
    discriminator = model.make_discriminator()  # held fixed: the generator loss must fall against it
    batch = colour_cast_batch(48, 48)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for _ in range(5):
        loss = sum(model.training_losses(batch, model(batch["composite"], batch["mask"]), discriminator).values())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        history.append(loss.item())
    assert history[-1] < 0.9 * history[0], history


def test_vgg_loss_from_local_weights(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "vgg19.pth"
    state = {f"features.{k}": v.half() for k, v in VGG19Features().features.state_dict().items()}
    torch.save({**state, "classifier.0.bias": torch.zeros(4)}, path)  # torchvision layout, classifier ignored
    model = harmbench.create_method("pix2pixhd", tiny=True, vgg_weights=str(path)).train()
    assert model.training_notes()[0].startswith("VGG loss: on")
    assert not any("vgg" in key for key in model.state_dict())  # VGG stays out of checkpoints
    batch = colour_cast_batch(32, 32)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), model.make_discriminator())
    assert set(losses) == {"g_gan", "g_feat", "g_vgg"} and losses["g_vgg"] > 0
    sum(losses.values()).backward()
    assert all(p.grad is not None for p in model.parameters())


def test_vgg_loss_is_the_default_with_the_hub_cache_and_recorded_in_checkpoints(tmp_path):
    torch.manual_seed(0)
    save_vgg19(hub_vgg19_path())
    model = harmbench.create_method("pix2pixhd", tiny=True).train()
    batch = colour_cast_batch(32, 32)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), model.make_discriminator())
    assert set(losses) == {"g_gan", "g_feat", "g_vgg"}
    assert model.config.loss_setup == model.training_notes()[0] == f"VGG loss: on ({hub_vgg19_path()})"
    save_checkpoint(tmp_path / "p.pt", model, get_method("pix2pixhd"))
    loaded = harmbench.create_method("pix2pixhd", tiny=True, weights=tmp_path / "p.pt")
    assert loaded.config.loss_setup == model.config.loss_setup
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in loaded.state_dict().items())


def test_vgg_off_on_purpose_is_the_official_no_vgg_loss():
    model = harmbench.create_method("pix2pixhd", tiny=True, vgg_weights="none").train()
    batch = colour_cast_batch(32, 32)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]), model.make_discriminator())
    assert set(losses) == {"g_gan", "g_feat"} and model.config.loss_setup.startswith("VGG loss: off")


def test_bad_inputs_raise_one_line_errors(tmp_path):
    batch = colour_cast_batch(32, 32)
    torch.save({"conv.weight": torch.zeros(1)}, tmp_path / "other.pth")
    for file, problem in (("missing.pth", "weights file not found"), ("other.pth", "not a VGG19 state_dict")):
        # the VGG file is read at the first training step only, so evaluation never needs it
        model = harmbench.create_method("pix2pixhd", tiny=True, vgg_weights=str(tmp_path / file)).train()
        out = model(batch["composite"], batch["mask"])
        with pytest.raises(MethodError, match=problem):
            model.training_losses(batch, out, model.make_discriminator())
    with pytest.raises(MethodError, match="n_layers_d"):
        harmbench.create_method("pix2pixhd", tiny=True, n_layers_d=0)
    model = harmbench.create_method("pix2pixhd", tiny=True)
    with pytest.raises(MethodError, match="mask must be"):
        model(torch.rand(1, 3, 32, 32), torch.rand(1, 3, 32, 32))
    with pytest.raises(MethodError, match="discriminator"):
        model.training_losses(batch, model(batch["composite"], batch["mask"]))


def test_smallest_sizes():
    model = harmbench.create_method("pix2pixhd", tiny=True)  # padded to a multiple of 8
    with torch.inference_mode():
        assert model(torch.rand(1, 3, 9, 9), torch.rand(1, 1, 9, 9))["images"].shape == (1, 3, 9, 9)
        with pytest.raises(MethodError, match="too small"):
            model(torch.rand(1, 3, 8, 40), torch.rand(1, 1, 8, 40))


def test_registry_metadata():
    for name in ("pix2pixhd", "pix2pixhd-2048"):
        info = get_method(name)
        assert info.family == "pix2pixhd" and info.trainable and not info.blends and info.official_weights == ""
    assert get_method("pix2pixhd").native_size == 1024 and get_method("pix2pixhd-2048").native_size == 2048


def test_recipe_decays_by_lr_over_niter_decay_per_epoch():
    """The 1024p script: niter 50 + niter_decay 50; pix2pixHD lowers lr by lr/50 after each decay epoch."""
    recipe = harmbench.create_method("pix2pixhd", tiny=True).train_recipe()
    assert (recipe.lr, recipe.betas, recipe.epochs, recipe.decay_epochs, recipe.batch_size) == (
        2e-4, (0.5, 0.999), 100, 50, 1)
    assert recipe.schedule == "linear-hd" and recipe.discriminator_lr == recipe.lr
    factor = schedule_factor(recipe, recipe.epochs)
    assert [factor(e) for e in (49, 50, 51, 99)] == pytest.approx([1, 1, 1 - 1 / 50, 1 / 50])
