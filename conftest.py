"""Settings for every test and benchmark run (a conftest at the repository root: one in tests/ would put tests/
on sys.path, where tests/harmbench, tests/cdtnet and tests/baselines would shadow the packages)."""

import harmbench  # noqa: F401, I001 (first: it sets torch's allocator options, as the CLI gets them)
import pytest
import torch


@pytest.fixture(autouse=True)
def offline_torch_hub(tmp_path, monkeypatch):
    """Tests never read the user's torch hub cache and never download: an empty temporary hub and a download that
    fails as it does offline (the VGG-19 losses then fall back to their stand-ins unless a test provides weights)."""
    def offline(url, *args, **kwargs):
        raise OSError("offline (test)")

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", offline)
