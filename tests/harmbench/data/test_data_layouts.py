"""Dataset layouts are registered like methods: open_dataset tries them in order, the catch-all layout last."""

import pytest

from harmbench.data import DataError, Dataset, SampleRef, open_dataset, register_layout, registered_layouts
from harmbench.data import layouts as layouts_module


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry that the test may extend; the real one is restored afterwards."""
    monkeypatch.setattr(layouts_module, "_LAYOUTS", dict(layouts_module._LAYOUTS))


def test_builtin_layouts_in_order():
    assert [(layout.name, layout.fallback) for layout in registered_layouts()] == [("ihd", False), ("real", True)]


def test_a_new_layout_is_one_reader_and_one_registration(registry, tmp_path):
    def read_listing(folder, split, subset):
        names = (folder / "list.txt").read_text().split()
        refs = [SampleRef(name, "listing", folder / f"{name}.jpg", folder / f"{name}.png") for name in names]
        return Dataset(name="listing", root=folder, kind="listing", split=split, refs=refs)

    register_layout("listing", lambda folder: (folder / "list.txt").is_file(), read_listing)
    (tmp_path / "list.txt").write_text("a b\n")
    dataset = open_dataset(tmp_path)  # registered after the catch-all "real", still tried before it
    assert (dataset.kind, [ref.name for ref in dataset.refs]) == ("listing", ["a", "b"])
    assert [layout.name for layout in registered_layouts()] == ["ihd", "listing", "real"]
    with pytest.raises(ValueError, match="already registered"):
        register_layout("listing", bool, read_listing)


def test_no_layout_fits(registry, monkeypatch, tmp_path):
    monkeypatch.setattr(layouts_module, "_LAYOUTS", {})
    with pytest.raises(DataError, match="no dataset layout fits this folder"):
        open_dataset(tmp_path)
