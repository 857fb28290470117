"""The factory: what create_method promises about the model it returns, and its errors for a wrong build()."""

import dataclasses

import pytest
import torch
from torch import nn

import harmbench
from harmbench import registry
from harmbench.checkpoints import save_checkpoint
from harmbench.contract import HarmonizationMethod
from harmbench.factory import create_method
from harmbench.registry import MethodError, MethodInfo


@dataclasses.dataclass
class GainConfig:
    gain: float = 1.0


class Gain(HarmonizationMethod):
    def __init__(self, config: GainConfig):
        super().__init__(config)
        self.scale = nn.Parameter(torch.tensor(config.gain))

    def forward(self, composite, mask):
        return {"images": composite * self.scale}


class CopiesItsConfig(Gain):
    def __init__(self, config: GainConfig):
        super().__init__(dataclasses.replace(config))


@pytest.fixture
def register(monkeypatch):
    registry.list_methods()  # the built-in methods first

    def add(name, build):
        monkeypatch.setitem(registry._REGISTRY, name, MethodInfo(name=name, config=GainConfig, build=build,
                                                                 family=name))
    return add


def test_model_carries_the_config_it_was_built_from_and_is_in_eval_mode(register):
    register("gain", Gain)
    model = create_method("gain", gain=2.0)
    assert isinstance(model, HarmonizationMethod) and model.config == GainConfig(gain=2.0)
    assert not model.training and model.scale.item() == 2.0
    assert harmbench.create_method is create_method


@pytest.mark.parametrize(("build", "message"), [
    (CopiesItsConfig, r"'bad': the built model's .config is not the config it was built from"),
    (lambda config: "not a model", r"'bad': build\(\) returned str, not a HarmonizationMethod"),
])
def test_a_build_that_breaks_the_contract_is_named(register, build, message):
    register("bad", build)
    with pytest.raises(MethodError, match=message):
        create_method("bad")


def test_weights_of_a_trained_checkpoint_and_its_config_carry_over(register, tmp_path):
    register("gain", Gain)
    trained = create_method("gain", gain=3.0)
    with torch.no_grad():
        trained.scale.mul_(2)
    save_checkpoint(tmp_path / "gain.pt", trained, registry.get_method("gain"))
    loaded = create_method("gain", weights=tmp_path / "gain.pt")
    assert loaded.config.gain == 3.0 and loaded.scale.item() == 6.0


def test_every_builtin_method_gets_the_contract_and_its_config():
    for name in harmbench.list_methods():
        model = create_method(name, tiny=True, device="meta")
        assert isinstance(model, HarmonizationMethod), name
        assert model.config == harmbench.get_method(name).make_config(tiny=True), name
