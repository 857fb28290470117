"""Weights: harmbench checkpoints round-trip with their trained config; wrong files fail with one clear line."""

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
