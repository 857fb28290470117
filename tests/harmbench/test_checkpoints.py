"""Weights: harmbench checkpoints round-trip with their trained config; wrong files fail with one clear line."""

import dataclasses

import pytest
import torch

import harmbench
from harmbench.checkpoints import save_checkpoint
from harmbench.registry import MethodError


def test_round_trip_carries_trained_fields_to_a_sibling_variant(tmp_path):
    torch.manual_seed(0)
    model = harmbench.create_method("cdtnet-256", tiny=True, lr_size=24)
    save_checkpoint(tmp_path / "c.pt", model, harmbench.get_method("cdtnet-256"))
    again = harmbench.create_method("cdtnet-256", weights=tmp_path / "c.pt")
    assert again.config == model.config
    for key, value in model.state_dict().items():
        assert torch.equal(again.state_dict()[key], value), key
    sim = harmbench.create_method("cdtnet-256-sim", weights=tmp_path / "c.pt")
    assert sim.config.lr_size == 24 and sim.config.mode == "sim"  # trained field kept, the name's own default too
    composite, mask = torch.rand(1, 3, 48, 40), (torch.rand(1, 1, 48, 40) > 0.5).float()
    with torch.inference_mode():
        full, lut_only = model.eval()(composite, mask), sim(composite, mask)
    assert torch.allclose(lut_only["images"], full["lut_images"], atol=1e-6)


def test_checkpoint_of_another_family_is_refused(tmp_path):
    model = harmbench.create_method("iss2am", tiny=True)
    save_checkpoint(tmp_path / "i.pt", model, harmbench.get_method("iss2am"))
    with pytest.raises(MethodError, match=r"i\.pt: checkpoint is for method 'iss2am'.*not for 'cdtnet-256'"):
        harmbench.create_method("cdtnet-256", weights=tmp_path / "i.pt")


def test_raw_state_dict_with_wrong_keys_lists_them(tmp_path):
    torch.save({"conv.weight": torch.zeros(3, 3, 1, 1)}, tmp_path / "raw.pth")
    with pytest.raises(MethodError, match=r"raw\.pth: does not fit method 'iss2am' \(missing keys: .*unexpected "
                                          r"keys: conv\.weight"):
        harmbench.create_method("iss2am", weights=tmp_path / "raw.pth")


@pytest.mark.parametrize("content, problem", [(None, "weights file not found"),
                                              (b"garbage", "not a readable PyTorch checkpoint")])
def test_missing_or_corrupt_file(tmp_path, content, problem):
    path = tmp_path / "w.pth"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MethodError, match=f"w.pth: {problem}"):
        harmbench.create_method("iss2am", weights=path)


class RunsCode:
    """A pickle that would create a file when unpickled without the safe loader."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_random_bytes_and_code_carrying_pickles_are_one_line_and_never_run(tmp_path):
    import pickle

    marker = tmp_path / "ran"
    (tmp_path / "evil.pth").write_bytes(pickle.dumps({"w": RunsCode(marker)}, protocol=4))
    (tmp_path / "random.pth").write_bytes(bytes(range(256)) * 4)
    for name in ("evil.pth", "random.pth"):
        with pytest.raises(MethodError) as error:
            harmbench.create_method("iss2am", weights=tmp_path / name)
        message = str(error.value)
        assert message.startswith(f"{tmp_path / name}: not a readable PyTorch checkpoint of tensors (refused by the "
                                  "safe loader: ")
        assert "\n" not in message and "weights_only" not in message
    assert not marker.exists()


def perturbed_state(name: str) -> dict[str, torch.Tensor]:
    """A tiny model's state_dict with every float tensor moved off its initial value."""
    state = harmbench.create_method(name, tiny=True).state_dict()
    return {k: v + 0.25 if v.is_floating_point() else v for k, v in state.items()}


@pytest.mark.parametrize("wrapper", ["state_dict", "model", "netG", "net", None])
@pytest.mark.parametrize("prefix", ["", "module.", "module.module."])
def test_raw_state_dicts_load_from_training_script_wrappers_and_parallel_prefixes(tmp_path, wrapper, prefix):
    state = perturbed_state("iss2am")
    raw = {prefix + k: v for k, v in state.items()}
    torch.save(raw if wrapper is None else {"epoch": 7, "optimizer": {"lr": 0.1}, wrapper: raw}, tmp_path / "w.pth")
    loaded = harmbench.create_method("iss2am", tiny=True, weights=tmp_path / "w.pth").state_dict()
    assert all(torch.equal(loaded[k], v) for k, v in state.items())


def test_harmbench_checkpoint_of_a_parallel_wrapped_model_loads(tmp_path):
    state = perturbed_state("iss2am")
    info = harmbench.get_method("iss2am")
    model = harmbench.create_method("iss2am", tiny=True)
    torch.save({"harmbench": 1, "method": "iss2am", "family": info.family, "config": dataclasses.asdict(model.config),
                "state_dict": {"module." + k: v for k, v in state.items()}}, tmp_path / "ddp.pt")
    loaded = harmbench.create_method("iss2am", weights=tmp_path / "ddp.pt").state_dict()
    assert all(torch.equal(loaded[k], v) for k, v in state.items())


def test_checkpoints_without_batch_norm_counters_load(tmp_path):
    """PyTorch < 0.4.1 (the era of the S²AM and DoveNet releases) wrote no ``num_batches_tracked``."""
    state = perturbed_state("s2am")
    old = {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}
    assert len(old) < len(state)
    torch.save({"state_dict": old}, tmp_path / "old.pth.tar")
    loaded = harmbench.create_method("s2am", tiny=True, weights=tmp_path / "old.pth.tar").state_dict()
    assert all(torch.equal(loaded[k], v) for k, v in old.items())


def test_wrapped_checkpoint_of_another_architecture_lists_the_keys(tmp_path):
    foreign = {"module.model.1.weight": torch.zeros(4, 4, 7, 7), "module.model1_1.1.weight": torch.zeros(2, 4, 7, 7)}
    torch.save({"netG": foreign}, tmp_path / "g.pth")
    with pytest.raises(MethodError, match=r"g\.pth: does not fit method 's2am' \(missing keys: model\.down\.0\.weight"
                                          r".* unexpected keys: model\.1\.weight, model1_1\.1\.weight\)"):
        harmbench.create_method("s2am", tiny=True, weights=tmp_path / "g.pth")
    # into the architecture they come from (a smaller config) they are renamed, and the error says what differs
    with pytest.raises(MethodError, match=r"g\.pth: does not fit method 'pix2pixhd' \(missing keys: .*; shape "
                                          r"mismatch: enhancers\.0\.down\.1\.weight \(2, 4, 7, 7\) vs \(4, 4, 7, 7\)"):
        harmbench.create_method("pix2pixhd", tiny=True, weights=tmp_path / "g.pth")
