"""CRN: module geometry and widths, shapes, gradients, parameter counts against hand arithmetic, both losses."""

import pytest
import torch
from baseline_batches import colour_cast_batch, save_vgg19
from torch import nn

import harmbench
from harmbench.checkpoints import save_checkpoint
from harmbench.layers.imagenet import IMAGENET_MEAN, IMAGENET_STD
from harmbench.layers.vgg import VGG19Features, hub_vgg19_path
from harmbench.registry import MethodError, get_method


@pytest.mark.parametrize("size", [(256, 256), (96, 160), (100, 150)])
def test_output_shape_and_finite(size):
    model = harmbench.create_method("crn", tiny=True)
    batch = colour_cast_batch(*size, batch=2)
    with torch.inference_mode():
        images = model(batch["composite"], batch["mask"])["images"]
    assert images.shape == (2, 3, *size)
    assert torch.isfinite(images).all()


@pytest.mark.parametrize("name,size", [("crn", 1024), ("crn-2048", 2048)])
def test_modules_run_from_4px_to_full_size(name, size):
    """Checked on the meta device: the default cascade starts at 4 x 4 and doubles up to the output size."""
    info = get_method(name)
    seen = []
    with torch.device("meta"):
        model = info.build(info.make_config())
        for refine in model.refinements:
            refine.register_forward_hook(lambda module, args, out: seen.append((args[0].shape[1], *out.shape[1:])))
        images = model(torch.empty(1, 3, size, size), torch.empty(1, 1, size, size))["images"]
    assert images.shape == (1, 3, size, size)
    widths = [1024] * 5 + [512, 512, 128, 32] + ([16] if size == 2048 else [])
    sides = [4 * 2 ** k for k in range(len(widths))]
    inputs = [4] + [w + 4 for w in widths[:-1]]  # previous features + the 4-channel (composite, mask) input
    assert seen == [(i, w, s, s) for i, w, s in zip(inputs, widths, sides, strict=True)]


def test_gradients_reach_every_parameter():
    model = harmbench.create_method("crn", tiny=True).train()
    batch = colour_cast_batch(96, 160)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]))
    assert set(losses) == {"pyramid_l1"} and model.training_notes()[0].startswith("VGG loss: WARNING stand-in")
    sum(losses.values()).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all() and param.grad.abs().sum() > 0, name


def test_pyramid_loss_is_the_documented_weighted_sum():
    model = harmbench.create_method("crn", tiny=True)
    batch = colour_cast_batch(64, 96)
    offset = 0.1  # a uniform error of 25.5 grey levels is 25.5 at every scale of the pyramid
    loss = model.training_losses(batch, {"images": batch["target"] + offset})["pyramid_l1"]
    weights = 1 + 1 / 2.6 + 1 / 4.8 + 1 / 3.7 + 1 / 5.6 + 10 / 1.5
    assert loss.item() == pytest.approx(255 * offset * weights, rel=1e-5)
    assert model.training_losses(batch, {"images": batch["target"]})["pyramid_l1"] == 0


def test_parameter_counts_match_hand_arithmetic():
    # Module k: conv3 (in_k -> w_k, no bias) + conv3 (w_k -> w_k) + 2 LayerNorms (2 w_k each); in_0 = 4,
    # in_k = w_{k-1} + 4. At 1024: 4 px: 36,864 + 9,437,184 + 4,096 = 9,478,144; 8..64 px: 4 x 18,915,328;
    # 128: 4,737,024 + 2,359,296 + 2,048 = 7,098,368; 256: 2,377,728 + 2,359,296 + 2,048 = 4,739,072;
    # 512: 594,432 + 147,456 + 512 = 742,400; 1024: 38,016 + 9,216 + 128 = 47,360; head 1x1 32->3: 99.
    # Total 97,766,755 (sheet: about 97.8M). At 2048 (16 channels): head 99 -> 51, + 5,184 + 2,304 + 64
    # = 97,774,259.
    counts = {}
    for name in ("crn", "crn-2048"):
        info = get_method(name)
        with torch.device("meta"):
            counts[name] = sum(p.numel() for p in info.build(info.make_config()).parameters())
    assert counts["crn"] == 97_766_755 and abs(counts["crn"] / 97.8e6 - 1) < 0.01
    assert counts["crn-2048"] == 97_774_259


def test_adam_steps_lower_loss():
    torch.manual_seed(0)
    model = harmbench.create_method("crn", tiny=True).train()
    batch = colour_cast_batch(64, 64, batch=2)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for _ in range(5):
        loss = sum(model.training_losses(batch, model(batch["composite"], batch["mask"])).values())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        history.append(loss.item())
    assert history[-1] < 0.9 * history[0], history


def test_perceptual_loss_from_local_weights(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "vgg19.pth"
    state = {f"features.{k}": v.half() for k, v in VGG19Features().features.state_dict().items()}
    torch.save({"state_dict": state}, path)
    model = harmbench.create_method("crn", tiny=True, vgg_weights=str(path)).train()
    assert model.training_notes()[0].startswith("VGG loss: on")
    assert all(isinstance(m, nn.AvgPool2d) for m in model.vgg.frozen.net.features if "Pool" in type(m).__name__)
    batch = colour_cast_batch(32, 32)
    losses = model.training_losses(batch, model(batch["composite"], batch["mask"]))
    assert set(losses) == {"perceptual"} and losses["perceptual"] > 0
    losses["perceptual"].backward()
    assert all(p.grad is not None for p in model.parameters())
    assert not any("vgg" in key for key in model.state_dict())


def test_perceptual_loss_is_the_default_with_crn_layers_and_weights(tmp_path):
    """With the hub cache file: L1 on 0-255 pixels + relu1_2 .. relu5_2 of an average-pooled VGG-19 on
    ImageNet-normalised images, weighted 1, 1/2.6, 1/4.8, 1/3.7, 1/5.6, 10/1.5; recorded in checkpoints."""
    torch.manual_seed(0)
    save_vgg19(hub_vgg19_path())
    model = harmbench.create_method("crn", tiny=True).train()
    batch = colour_cast_batch(32, 32)
    fake = batch["composite"]
    loss = model.training_losses(batch, {"images": fake})["perceptual"]
    assert model.config.loss_setup == f"VGG loss: on ({hub_vgg19_path()})"
    features = model.vgg.frozen.net.features
    taps = (3, 8, 13, 22, 31)  # conv1_2, conv2_2, conv3_2, conv4_2, conv5_2 after ReLU
    assert all(isinstance(features[i], nn.ReLU) for i in taps)
    assert [features[i - 1].out_channels for i in taps] == [64, 128, 256, 512, 512]
    assert all(isinstance(features[i], nn.AvgPool2d) for i in (4, 9, 18, 27))
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)

    def activations(x):
        x, outputs = (x - mean) / std, []
        for layer in features:
            x = layer(x)
            outputs.append(x)
        return outputs

    with torch.no_grad():
        acts_fake, acts_real = activations(fake), activations(batch["target"])
    terms = [(255 * (fake - batch["target"])).abs().mean()] + [(acts_fake[i] - acts_real[i]).abs().mean() for i in taps]
    expected = sum(w * t for w, t in zip((1, 1 / 2.6, 1 / 4.8, 1 / 3.7, 1 / 5.6, 10 / 1.5), terms, strict=True))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    save_checkpoint(tmp_path / "c.pt", model, get_method("crn"))
    loaded = harmbench.create_method("crn", tiny=True, weights=tmp_path / "c.pt")
    assert loaded.config.loss_setup == model.config.loss_setup


def test_stand_in_warning_is_recorded_in_the_config():
    model = harmbench.create_method("crn", tiny=True).train()
    assert model.config.loss_setup == ""  # nothing is looked up before training
    batch = colour_cast_batch(32, 32)
    model.training_losses(batch, model(batch["composite"], batch["mask"]))
    setup = model.config.loss_setup
    assert setup.startswith("VGG loss: WARNING stand-in") and "offline (test)" in setup


def test_bad_config_and_inputs_raise_method_error():
    with pytest.raises(MethodError, match="output_size"):
        harmbench.create_method("crn", tiny=True, output_size=48)
    with pytest.raises(MethodError, match="widths needs 4"):
        harmbench.create_method("crn", tiny=True, widths=(8, 8))
    with pytest.raises(MethodError, match="no width rule"):
        harmbench.create_method("crn", output_size=4096)
    with pytest.raises(MethodError, match="mask must be"):
        harmbench.create_method("crn", tiny=True)(torch.rand(1, 3, 32, 32), torch.rand(1, 1, 16, 16))


def test_registry_metadata():
    for name, native in (("crn", 1024), ("crn-2048", 2048)):
        info = get_method(name)
        assert info.family == "crn" and info.trainable and not info.blends and info.official_weights == ""
        assert info.native_size == native
