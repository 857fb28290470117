"""``create_study``: methods run on real composites (or saved run outputs taken), images stored at the display
size with the composite's aspect ratio, schedule written, bad input refused with one clear error."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from study_helpers import make_real_folder, make_run

from harmbench.figures import OUTLINE_COLOR
from harmbench.registry import MethodError
from harmbench.study.create import create_study, display_size, parse_assignments
from harmbench.study.db import StudyDB, StudyError

REAL_COMPOSITE = Path(__file__).resolve().parents[2] / "fixtures" / "real_composite"  # tests/fixtures/README.md


def test_display_size_keeps_aspect():
    assert display_size(60, 80, 64) == (64, 48)
    assert display_size(90, 60, 64) == (43, 64)
    assert display_size(1365, 2048, 1024) == (1024, 682)  # 682.5 rounds half to even


def test_parse_assignments():
    assert parse_assignments("a=x, b = y/z.pt", "--weights") == {"a": "x", "b": "y/z.pt"}
    assert parse_assignments(None, "--weights") == {}
    with pytest.raises(ValueError, match="name=value"):
        parse_assignments("a", "--weights")


def test_create_with_methods(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    study = create_study(tmp_path / "s.sqlite", folder, ["reinhard", "histmatch"], size=64, include_composite=True,
                         repeats=2, seed=5)
    assert study.methods == ["reinhard", "histmatch", "composite"]
    assert study.composites == ["1", "2"]
    assert len(study.items) == 2 * 3 + 2 and sum(i.repeat_of is not None for i in study.items) == 2
    assert study.meta["size"] == 64 and study.meta["seed"] == 5 and study.meta["repeats"] == 2
    assert study.meta["methods"]["reinhard"] == {"source": "method", "weights": None}
    assert (tmp_path / "s_files").is_dir()
    expected_dims = {0: (64, 48), 1: (43, 64)}
    for (c, _), image_id in study.outputs.items():
        with Image.open(study.image_path(image_id)) as image:
            assert image.size == expected_dims[c] and image.mode == "RGB"
    reference = np.asarray(Image.open(study.image_path(study.reference_images[0])))
    composite = np.asarray(Image.open(study.image_path(study.output_image(0, 2))))
    harmonized = np.asarray(Image.open(study.image_path(study.output_image(0, 0))))
    outlined = np.all(reference == OUTLINE_COLOR, axis=-1)
    assert outlined.sum() > 20  # the reference shows the foreground outline ...
    assert np.array_equal(reference[~outlined], composite[~outlined])  # ... on the composite itself
    inside = np.zeros(composite.shape[:2], bool)
    inside[16:32, 20:44] = True  # well inside the foreground
    assert np.abs(harmonized[inside].astype(int) - composite[inside]).mean() > 5  # reinhard changed the object
    assert np.abs(harmonized[:6].astype(int) - composite[:6]).max() <= 2  # and kept the background


def test_create_from_runs(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    run = make_run(tmp_path / "run", "fancynet", ["1", "2"], 64, folder)
    study = create_study(tmp_path / "s.sqlite", folder, ["composite"], size=64, from_runs=[str(run)], repeats=0)
    assert study.methods == ["composite", "fancynet"]
    assert study.meta["methods"]["fancynet"]["source"] == "run"
    with Image.open(study.image_path(study.output_image(1, 1))) as image:
        assert image.size == (43, 64)  # the square run output is shown at the composite's aspect
        assert image.getpixel((20, 30)) == (10, 200, 30)
    labelled = create_study(tmp_path / "t.sqlite", folder, [], size=64, repeats=0,
                            from_runs=[f"mine={run}", f"again={run}"])
    assert labelled.methods == ["mine", "again"]


def test_create_refuses_bad_input(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    with pytest.raises(ValueError, match="at least 2 methods"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard"], size=64)
    with pytest.raises(MethodError, match="unknown method 'reinhart'"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhart", "histmatch"], size=64)
    with pytest.raises(ValueError, match="not among --methods"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard", "histmatch"], size=64, weights={"dovenet": "x.pt"})
    with pytest.raises(ValueError, match="repeats"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard", "histmatch"], size=64, repeats=99)
    run = make_run(tmp_path / "run", "composite", ["1"], 64, folder)  # lacks "2"; clashes with a method name
    with pytest.raises(ValueError, match="both called 'composite'"):
        create_study(tmp_path / "a.sqlite", folder, ["composite"], size=64, from_runs=[str(run)])
    with pytest.raises(StudyError, match=r"no saved output for '2'"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard"], size=64, from_runs=[str(run)])
    (tmp_path / "empty_run" / "images").mkdir(parents=True)
    (tmp_path / "empty_run" / "summary.json").write_text(json.dumps({"size": 64, "resize": "squash", "data": {}}))
    with pytest.raises(ValueError, match="no saved images"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard"], size=64, from_runs=[str(tmp_path / "empty_run")])
    assert not (tmp_path / "a.sqlite").exists() and not (tmp_path / "a_files").exists()
    create_study(tmp_path / "b.sqlite", folder, ["reinhard", "histmatch"], size=64)
    with pytest.raises(StudyError, match="already exists"):
        create_study(tmp_path / "b.sqlite", folder, ["reinhard", "histmatch"], size=64)


def test_failure_midway_leaves_nothing_behind(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    run = make_run(tmp_path / "run", "broken", ["1", "2"], 64, folder)
    (run / "images" / "2.png").write_bytes(b"not a png")  # found up front, fails when read
    with pytest.raises(Exception):  # noqa: B017 - whatever PIL raises; the point is the cleanup
        create_study(tmp_path / "c.sqlite", folder, ["reinhard"], size=64, from_runs=[str(run)])
    assert not (tmp_path / "c.sqlite").exists() and not (tmp_path / "c_files").exists()
    assert not (tmp_path / "c.sqlite.partial").exists()


def test_create_on_the_real_high_resolution_composite(tmp_path):
    study = create_study(tmp_path / "r.sqlite", REAL_COMPOSITE, ["reinhard", "histmatch"], size=128, repeats=1,
                         include_composite=True)
    assert study.composites == ["1"]
    with Image.open(study.image_path(study.reference_images[0])) as image:
        assert image.size == (128, 85)  # 2048 x 1365 -> long side 128
    assert len(study.items) == 3 + 1
    assert isinstance(StudyDB(tmp_path / "r.sqlite").meta["created"], str)
