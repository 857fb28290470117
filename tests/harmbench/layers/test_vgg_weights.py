"""Where the VGG-19 ImageNet weights of the perceptual losses come from, and the losses' layer picks and weights,
checked with random VGG weights in torchvision's key layout. The network is never reached: the hub directory is a
temporary folder and the download is replaced."""

import urllib.error

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from harmbench.layers.vgg import (
    TORCHVISION_VGG19_URL,
    VGG19_OFF,
    FrozenVGG19,
    PerceptualVGG19,
    VGG19Features,
    hub_vgg19_path,
    pix2pixhd_vgg_loss,
    resolve_vgg19_weights,
)
from harmbench.registry import MethodError


def save_random_vgg19(path, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random VGG-19 feature weights saved as torchvision's state_dict (``features.N.*`` plus a classifier key)."""
    torch.manual_seed(seed)
    state = {f"features.{k}": v for k, v in VGG19Features().features.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({**state, "classifier.6.bias": torch.zeros(1000)}, path)
    return state


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub directory; downloads fail as offline and are counted."""
    calls = []

    def offline(url, *args, **kwargs):
        calls.append(url)
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", offline)
    return calls


def test_explicit_path_wins_and_missing_path_is_an_error(tmp_path, hub):
    path = tmp_path / "mine.pth"
    save_random_vgg19(path)
    save_random_vgg19(hub_vgg19_path())
    source = resolve_vgg19_weights(str(path), "x")
    assert source.path == str(path) and source.note == f"VGG loss: on ({path})" and hub == []
    with pytest.raises(MethodError, match="nowhere.pth: VGG19 weights file not found"):
        resolve_vgg19_weights(str(tmp_path / "nowhere.pth"), "x")


def test_hub_cache_file_is_used_without_download(hub, tmp_path):
    assert hub_vgg19_path() == tmp_path / "hub" / "checkpoints" / "vgg19-dcbb9e9d.pth"
    save_random_vgg19(hub_vgg19_path())
    source = resolve_vgg19_weights(None, "x")
    assert source.path == str(hub_vgg19_path()) and "WARNING" not in source.note and hub == []


def test_download_when_online_lands_in_the_hub_cache(hub, monkeypatch):
    def download(url, *args, **kwargs):  # what torch.hub does: save under <hub>/checkpoints/<file name>
        hub.append(url)
        return save_random_vgg19(hub_vgg19_path())

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", download)
    source = resolve_vgg19_weights(None, "x")
    assert hub == [TORCHVISION_VGG19_URL] and source.path == str(hub_vgg19_path())


def test_offline_falls_back_to_the_stand_in_with_a_warning(hub):
    source = resolve_vgg19_weights(None, "pixel L1 instead")
    assert source.path is None and hub == [TORCHVISION_VGG19_URL]
    assert source.note.startswith("VGG loss: WARNING stand-in") and "pixel L1 instead" in source.note
    assert "Name or service not known" in source.note and "\n" not in source.note


def test_off_on_purpose_neither_downloads_nor_warns(hub):
    source = resolve_vgg19_weights(VGG19_OFF, "the official --no_vgg_loss")
    assert source.path is None and hub == [] and "WARNING" not in source.note


def test_perceptual_vgg_resolves_once_and_records_loss_setup(hub):
    class Config:
        vgg_weights, loss_setup = None, ""

    config = Config()
    choice = PerceptualVGG19(config, "stand-in", pool="avg")
    assert hub == [] and config.loss_setup == ""  # nothing happens at build time
    assert choice.frozen is None and choice.frozen is None and hub == [TORCHVISION_VGG19_URL]
    assert config.loss_setup == choice.resolve().note and "WARNING" in config.loss_setup
    save_random_vgg19(hub_vgg19_path())
    config = Config()
    choice = PerceptualVGG19(config, "stand-in", pool="avg")
    assert isinstance(choice.frozen, FrozenVGG19) and choice.frozen.pool == "avg"
    assert config.loss_setup == f"VGG loss: on ({hub_vgg19_path()})"


def activations(features: nn.Sequential, x: torch.Tensor) -> list[torch.Tensor]:
    outputs = []
    for layer in features:
        x = layer(x)
        outputs.append(x)
    return outputs


def test_pix2pixhd_loss_taps_relu_x_1_with_weights_1_32_to_1(tmp_path):
    path = tmp_path / "vgg19.pth"
    save_random_vgg19(path, seed=3)
    frozen = FrozenVGG19(str(path))
    features = frozen.net.features
    taps = (1, 6, 11, 20, 29)  # relu1_1, relu2_1, relu3_1, relu4_1, relu5_1
    assert all(isinstance(features[i], nn.ReLU) and isinstance(features[i - 1], nn.Conv2d) for i in taps)
    assert [features[i - 1].in_channels for i in taps] == [3, 64, 128, 256, 512]  # first conv of each block
    assert all(isinstance(features[i], nn.MaxPool2d) for i in (4, 9, 18, 27))
    generator = torch.Generator().manual_seed(0)
    fake, real = (torch.rand(2, 3, 32, 32, generator=generator) * 2 - 1 for _ in range(2))
    with torch.no_grad():
        acts_fake, acts_real = activations(features, fake), activations(features, real)
    weights = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1)
    expected = sum(w * F.l1_loss(acts_fake[i], acts_real[i]) for w, i in zip(weights, taps, strict=True))
    assert pix2pixhd_vgg_loss(frozen, fake, real).item() == pytest.approx(expected.item(), rel=1e-5)


def test_weights_are_read_in_torchvision_layout_with_pooling_choice(tmp_path):
    path = tmp_path / "vgg19.pth"
    state = save_random_vgg19(path, seed=5)
    net = FrozenVGG19(str(path), pool="avg").net
    assert all(torch.equal(net.state_dict()[k], v) for k, v in state.items())
    assert [type(m) for m in net.features if not isinstance(m, (nn.Conv2d, nn.ReLU))] == [nn.AvgPool2d] * 5
    assert not any(p.requires_grad for p in net.parameters()) and not net.training
