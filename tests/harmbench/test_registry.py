"""The registry: names, config overrides, errors, entry points, and the model contract for every method."""

import ast
import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

import harmbench
from harmbench import paper, registry
from harmbench.contract import HarmonizationMethod
from harmbench.registry import MethodError

EXPECTED = {
    "composite", "reinhard", "histmatch",
    "iss2am", "dovenet", "s2am", "rainnet", "pix2pixhd", "pix2pixhd-2048", "hidt", "crn", "crn-2048", "guo",
    "cdtnet-256", "cdtnet-512", "cdtnet-256-sim", "cdtnet-512-sim",
}


def test_every_builtin_method_is_registered():
    names = set(harmbench.list_methods())
    ablations = set(harmbench.list_methods("cdtnet-256-ablate-*"))
    assert names == EXPECTED | ablations  # a forgotten import fails here, not as "unknown method" for a user
    assert ablations == {name for name, _, _ in paper.TABLE4.values()} - {"cdtnet-256"}


def test_pattern_filters():
    assert harmbench.list_methods("cdtnet-512*") == ["cdtnet-512", "cdtnet-512-sim"]
    assert harmbench.list_methods("nothing*") == []


def test_unknown_method_suggests_close_names():
    with pytest.raises(MethodError, match=r"unknown method 'reinhart'.*Did you mean 'reinhard'"):
        harmbench.create_method("reinhart")


def test_unknown_config_field_lists_valid_fields():
    with pytest.raises(MethodError, match=r"unknown config field 'min_pixel' \(did you mean 'min_pixels'\?\)"):
        harmbench.create_method("reinhard", min_pixel=3)


def test_overrides_reach_the_config():
    model = harmbench.create_method("reinhard", min_pixels=3)
    assert model.config.min_pixels == 3
    assert isinstance(model, HarmonizationMethod)
    assert not model.training


@pytest.mark.parametrize("field,value,said", [
    ("lr_size", "abc", "config field lr_size='abc' must be an integer (default 256)"),
    ("lr_size", True, "config field lr_size=True must be an integer (default 256)"),
    ("refine_blending", 1, "config field refine_blending=1 must be True or False (default True)"),
    ("min_area", "big", "config field min_area='big' must be a number (default 100.0)"),
    ("lut_pooling", 3, "config field lut_pooling=3 must be text (default 'fg-bg')"),
])
def test_an_override_of_the_wrong_kind_is_one_clear_error(field, value, said):
    with pytest.raises(MethodError, match="^" + re.escape(f"cdtnet-256: {said}") + "$"):
        harmbench.get_method("cdtnet-256").make_config(**{field: value})


def test_overrides_of_the_right_kind_pass():
    config = harmbench.get_method("cdtnet-256").make_config(lr_size=128, min_area=50, base_weights=Path("x.pth"),
                                                            refine_inputs="base,lut")
    assert (config.lr_size, config.min_area, config.refine_inputs) == (128, 50, ("base", "lut"))


def test_duplicate_registration_is_an_error(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    info = harmbench.get_method("composite")
    with pytest.raises(MethodError, match="registered twice"):
        harmbench.register_method("composite", config=info.config, build=info.build)


def test_entry_point_methods_are_loaded(monkeypatch):
    @dataclasses.dataclass
    class PluginConfig:
        gain: float = 1.0

    class Identity(HarmonizationMethod):
        def forward(self, composite, mask):
            return {"images": composite}

    def load():
        harmbench.register_method("plugin-identity", config=PluginConfig, build=Identity, family="plugin")

    monkeypatch.setattr(registry, "_REGISTRY", {})
    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(registry, "BUILTIN_MODULES", ())
    monkeypatch.setattr(registry, "entry_points", lambda group: [SimpleNamespace(load=load)])
    assert harmbench.list_methods() == ["plugin-identity"]
    assert harmbench.create_method("plugin-identity", gain=2.0).config == PluginConfig(gain=2.0)


@pytest.mark.parametrize(("module", "allowed"), [("registry", set()), ("checkpoints", {"harmbench.registry"})])
def test_lower_modules_do_not_import_the_factory_or_jobs(module, allowed):
    """The registry imports no harmbench module and checkpoints only the registry, at module level or inside
    functions: the factory may use both without an import cycle."""
    tree = ast.parse(Path(registry.__file__).with_name(f"{module}.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert {name for name in imported if name.split(".")[0] == "harmbench"} == allowed


@pytest.mark.parametrize("name", harmbench.list_methods())
def test_tiny_forward_contract(name):
    """Every method: (B,3,H,W) in, finite (B,3,H,W) 'images' out, at a non-square size; background kept if it blends."""
    torch.manual_seed(0)
    model = harmbench.create_method(name, tiny=True)
    composite = torch.rand(2, 3, 64, 96)
    mask = torch.zeros(2, 1, 64, 96)
    mask[:, :, 16:48, 24:60] = 1
    with torch.inference_mode():
        images = model(composite, mask)["images"]
    assert images.shape == composite.shape
    assert torch.isfinite(images).all()
    if harmbench.get_method(name).blends:
        background = mask.expand_as(composite) == 0
        assert torch.allclose(images[background], composite[background], atol=1e-6)
