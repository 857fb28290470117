"""``create_study``: methods run on real composites (or saved run outputs taken), images stored with the composite's
aspect ratio (full PNG + display JPEG), a hint that shows no contestant, catch trials, a study id and fingerprints;
outputs of other pictures and other sizes refused, unreadable composites skipped, bad input one clear error."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.console import Console
from study_helpers import make_real_folder, make_run

from harmbench.figures import OUTLINE_COLOR
from harmbench.registry import MethodError
from harmbench.study.create import create_study, display_size, parse_assignments
from harmbench.study.db import StudyDB, StudyError
from harmbench.study.schedule import Design

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
                         seed=5, display=32)
    assert study.methods == ["reinhard", "histmatch", "composite"]
    assert study.composites == ["1", "2"]
    kinds = [i.kind for i in study.items]
    assert kinds.count("pair") == 2 * 3 and kinds.count("repeat") == 6 and kinds.count("catch") >= 1
    assert study.meta["size"] == 64 and study.meta["seed"] == 5 and study.meta["design"]["catch_share"] == 0.1
    assert study.meta["methods"]["reinhard"] == {"source": "method", "weights": None}
    assert len(study.study_id) == 16 and study.study_id != create_study(
        tmp_path / "t.sqlite", folder, ["reinhard", "histmatch"], size=64).study_id  # random per study
    assert (tmp_path / "s_files").is_dir()
    expected_dims = {0: (64, 48), 1: (43, 64)}
    for (c, _), image_id in study.outputs.items():
        with Image.open(study.image_path(image_id, full=True)) as image:
            assert image.size == expected_dims[c] and image.mode == "RGB" and image.format == "PNG"
        with Image.open(study.image_path(image_id)) as image:
            assert max(image.size) == 32 and image.format == "JPEG"  # display size
    hint = np.asarray(Image.open(study.image_path(study.hint_images[0], full=True)))
    composite = np.asarray(Image.open(study.image_path(study.output_image(0, 2), full=True)))
    harmonized = np.asarray(Image.open(study.image_path(study.output_image(0, 0), full=True)))
    outlined = np.all(hint == OUTLINE_COLOR, axis=-1)
    assert outlined.sum() > 20  # the hint shows the foreground outline ...
    assert set(np.unique(hint[~outlined])) <= {105, 165}  # ... on a grey silhouette, no contestant's pixels
    inside = np.zeros(composite.shape[:2], bool)
    inside[16:32, 20:44] = True  # well inside the foreground
    assert np.abs(harmonized[inside].astype(int) - composite[inside]).mean() > 5  # reinhard changed the object
    assert np.abs(harmonized[:6].astype(int) - composite[:6]).max() <= 2  # and kept the background
    catch = next(i for i in study.items if i.kind == "catch")
    good = np.asarray(Image.open(study.image_path(catch.good_image, full=True))).astype(int)
    bad = np.asarray(Image.open(study.image_path(catch.bad_image, full=True))).astype(int)
    composite = np.asarray(Image.open(study.image_path(study.output_image(catch.composite, 2), full=True)))
    np.testing.assert_array_equal(good, composite)  # no ground truth here: the intact picture is the composite
    assert np.abs(good[inside] - bad[inside]).mean() > 15 and np.abs(good[:6] - bad[:6]).max() <= 1


def test_catch_trials_use_the_ground_truth_when_there_is_one(tmp_path):
    from harmbench.data import open_dataset
    from harmbench.data.io import SampleLoader
    from harmbench.data.resize import prepare
    from harmbench.figures import resize, to_uint8

    study = create_study(tmp_path / "s.sqlite", None, ["reinhard", "composite"], size=32,
                         design=Design(catch_share=0.3))
    dataset = open_dataset(None, split="test")
    catch = next(i for i in study.items if i.kind == "catch")
    sample = SampleLoader().load(next(r for r in dataset.refs if r.name == study.composites[catch.composite]))
    prepared = prepare(sample, 32, "squash")
    dims = display_size(*sample.composite.shape[:2], 32)
    good = np.asarray(Image.open(study.image_path(catch.good_image, full=True))).astype(int)
    assert np.array_equal(good, resize(to_uint8(prepared.target), dims))  # the ground truth, contestants' pipeline
    assert not np.array_equal(good, resize(to_uint8(prepared.composite), dims))


def test_create_from_runs(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    run = make_run(tmp_path / "run", "fancynet", ["1", "2"], 64, folder)
    study = create_study(tmp_path / "s.sqlite", folder, ["composite"], size=64, from_runs=[str(run)])
    assert study.methods == ["composite", "fancynet"]
    assert study.meta["methods"]["fancynet"]["source"] == "run"
    with Image.open(study.image_path(study.output_image(1, 1), full=True)) as image:
        assert image.size == (43, 64)  # the square run output is shown at the composite's aspect
        assert image.getpixel((20, 30)) == (10, 200, 30)
    labelled = create_study(tmp_path / "t.sqlite", folder, [], size=64, from_runs=[f"mine={run}", f"again={run}"])
    assert labelled.methods == ["mine", "again"]


def test_outputs_of_other_pictures_with_the_same_names_are_refused(tmp_path):
    """A run made on another folder whose files have the same names is not a run of these composites."""
    folder = make_real_folder(tmp_path / "real")
    elsewhere = make_real_folder(tmp_path / "other", seed=7)  # same names, other pictures
    run = make_run(tmp_path / "run", "fancynet", ["1", "2"], 64, elsewhere)
    with pytest.raises(StudyError, match=r"1\.png: its background differs .* by \d+ levels"):
        create_study(tmp_path / "s.sqlite", folder, ["composite"], size=64, from_runs=[str(run)])
    assert not (tmp_path / "s.sqlite").exists() and not (tmp_path / "s_files").exists()


def test_runs_of_another_size_need_allow_mixed_sizes(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    run = make_run(tmp_path / "run", "fancynet", ["1", "2"], 48, folder)
    with pytest.raises(StudyError, match="run made at size 48, the study shows 64.*--allow-mixed-sizes"):
        create_study(tmp_path / "s.sqlite", folder, ["composite"], size=64, from_runs=[str(run)])
    study = create_study(tmp_path / "s.sqlite", folder, ["composite"], size=64, from_runs=[str(run)],
                         allow_mixed_sizes=True)
    assert study.meta["allow_mixed_sizes"] is True and study.meta["methods"]["fancynet"]["size"] == 48


def test_unreadable_composite_is_skipped_with_one_line(tmp_path):
    folder = make_real_folder(tmp_path / "real", shapes=((60, 80), (90, 60), (50, 50), (40, 40), (30, 30)))
    (folder / "2.png").write_bytes(b"not a png at all")
    (folder / "4_mask.png").unlink()  # a composite without its mask
    Image.new("L", (30, 30), 0).save(folder / "5_mask.png")  # an empty mask: nothing was pasted
    lines = io.StringIO()
    study = create_study(tmp_path / "s.sqlite", folder, ["reinhard", "composite"], size=32,
                         console=Console(file=lines, width=400))
    assert study.composites == ["1", "3"] and study.meta["composites"]["skipped"] == ["2", "5"]
    output = lines.getvalue().splitlines()
    for name, file in (("2", "2.png"), ("5", "5_mask.png")):
        (line,) = [line for line in output if line.strip().startswith(f"skipped {name}:")]
        assert file in line
    (line,) = [line for line in output if line.strip().startswith("skipped: ") and "4.png" in line]
    assert "Traceback" not in lines.getvalue() and len(study.meta["composites"]["problems"]) == 1


def test_fingerprints_identify_content(tmp_path):
    one = create_study(tmp_path / "a.sqlite", make_real_folder(tmp_path / "r1"), ["reinhard", "composite"], size=32)
    two = create_study(tmp_path / "b.sqlite", make_real_folder(tmp_path / "r2", seed=3), ["reinhard", "composite"],
                       size=32)
    same = create_study(tmp_path / "c.sqlite", make_real_folder(tmp_path / "r3"), ["reinhard", "composite"], size=32)
    prints = [StudyDB(s.path).composite_fingerprints for s in (one, two, same)]
    assert prints[0] == prints[2] and prints[0] != prints[1] and all(len(p) == 2 for p in prints)


def test_create_refuses_bad_input(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    with pytest.raises(ValueError, match="at least 2 methods"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard"], size=64)
    with pytest.raises(MethodError, match="unknown method 'reinhart'"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhart", "histmatch"], size=64)
    with pytest.raises(ValueError, match="not among --methods"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard", "histmatch"], size=64, weights={"dovenet": "x.pt"})
    with pytest.raises(ValueError, match="catch-share"):
        create_study(tmp_path / "a.sqlite", folder, ["reinhard", "histmatch"], size=64, design=Design(catch_share=.7))
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
    study = create_study(tmp_path / "r.sqlite", REAL_COMPOSITE, ["reinhard", "histmatch"], size=128,
                         include_composite=True)
    assert study.composites == ["1"]
    with Image.open(study.image_path(study.hint_images[0], full=True)) as image:
        assert image.size == (128, 85)  # 2048 x 1365 -> long side 128
    assert [i.kind for i in study.items].count("pair") == 3
    assert isinstance(StudyDB(tmp_path / "r.sqlite").meta["created"], str)
