"""``harmbench report``: the folder stands alone (every referenced file exists and opens), tables carry intervals,
plots and gallery are there, selections pick what they say, and problems with the runs are announced."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from report_helpers import METHODS, make_runs, references
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.figures import OUTLINE_COLOR
from harmbench.report import build_report
from harmbench.report.gallery import THUMB_SIDE, select
from harmbench.report.runs import label_runs
from harmbench.results import load_run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return make_runs(tmp_path_factory.mktemp("report-runs"))


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "site"
    return build_report(runs, out, pairs=["reinhard,composite"], gallery=2, seed=0, resamples=99)


def test_every_referenced_file_is_inside_the_folder_and_opens(report):
    out = report.parent
    refs = references(report)
    assert refs.src and refs.href
    local = [link for link in refs.src + refs.href if not link.startswith("#")]
    for link in local:
        assert not re.match(r"^[a-z]+:|^/", link), f"{link}: not a relative link"  # no http:, file:, absolute
        path = (out / link).resolve()
        assert path.is_relative_to(out.resolve()) and path.is_file(), link
    for link in [*refs.src, *(href for href in refs.href if href.endswith(".png"))]:
        with Image.open(out / link) as image:
            image.verify()


def test_gallery_thumbnails_are_small_jpegs_linking_to_the_full_outputs(report, runs):
    out = report.parent
    links = references(report).image_links
    assert links, "no gallery tiles"
    for thumb, full in links:
        with Image.open(out / thumb) as small, Image.open(out / full) as large:
            assert small.format == "JPEG" and large.format == "PNG"
            assert max(small.size) <= THUMB_SIDE
    # the composite shows the foreground's contour (at full resolution and in the thumbnail); the target does not
    composite, target = (np.asarray(Image.open(out / full).convert("RGB")) for _, full in links[:2])
    assert links[0][1].endswith("composite.png") and links[1][1].endswith("target.png")
    assert np.all(composite == OUTLINE_COLOR, axis=-1).sum() > 20
    assert not np.all(target == OUTLINE_COLOR, axis=-1).any()
    thumb = np.asarray(Image.open(out / links[0][0]).convert("RGB")).astype(int)
    assert ((thumb[..., 0] > 200) & (thumb[..., 1] < 110) & (thumb[..., 2] < 110)).sum() > 10
    # each run's tile links to a byte-for-byte copy of that run's saved output
    html = report.read_text()
    name = re.search(r'data-image="([^"]+)"', html).group(1)
    row = html[html.index(f'data-image="{name}"'):]
    for slot, run in enumerate(sorted(runs)):  # the report orders runs by folder path
        full = re.search(rf'href="(full/img\d+/r{slot}\.png)"', row).group(1)
        assert (out / full).read_bytes() == (run / "images" / f"{name}.png").read_bytes()


def test_tables_have_every_method_with_intervals_and_best_marked(report):
    html = report.read_text()
    table1 = html[html.index("Table 1"):html.index("</table>")]
    for method in METHODS:
        assert f"<td>{method}</td>" in table1 or f"<td><strong>{method}" in table1
    assert table1.count('class="ci"') == len(METHODS) * 4  # MSE, PSNR, fMSE, SSIM of each run
    assert "<strong>" in table1
    assert "Foreground-ratio breakdown" in html


def test_plots_and_context(report, runs):
    html = report.read_text()
    for plot in ("plots/distributions.png", "plots/fg_ratio.png", "plots/pair0.png"):
        assert f'src="{plot}"' in html
    assert html.count("<details>") == len(runs)
    for run in runs:
        summary = load_run(run).summary
        assert summary["data"]["fingerprint"] in html and str(run) in html
    assert 'class="warning"' not in html  # comparable, complete runs: no banner


def test_selections_pick_gains_losses_worst_and_a_seeded_sample(runs):
    labelled = label_runs([load_run(run) for run in runs])
    by_label = {r.label: r for r in labelled}
    a, b = by_label["reinhard"], by_label["composite"]
    gains, losses, worst, sample = select(labelled, [(a, b)], "fmse", 3, seed=0)
    fmse_a, fmse_b = a.values("fmse"), b.values("fmse")
    assert gains.names and all(fmse_a[n] < fmse_b[n] for n in gains.names)
    assert all(fmse_a[n] > fmse_b[n] for n in losses.names)
    margins = [fmse_b[n] - fmse_a[n] for n in gains.names]
    assert margins == sorted(margins, reverse=True)
    better_elsewhere = set(fmse_a) - set(gains.names) - set(losses.names)
    assert all(fmse_b[n] - fmse_a[n] <= min(margins) for n in better_elsewhere)  # no bigger gain left out
    means = {n: sum(r.values("fmse")[n] for r in labelled) / 3 for n in fmse_a}
    assert worst.names == sorted(means, key=means.get, reverse=True)[:3]
    again = select(labelled, [], "fmse", 3, seed=0)[-1]
    other = [select(labelled, [], "fmse", 3, seed=s)[-1].names for s in range(1, 6)]
    assert again.names == sample.names and any(names != sample.names for names in other)


def test_banner_for_incomparable_and_incomplete_runs(runs, tmp_path):
    other, short = make_runs(tmp_path / "other", size=48, n_test=2)[:2]  # another size and data
    summary = json.loads((other / "summary.json").read_text())
    (other / "summary.json").write_text(json.dumps({**summary, "complete": False}))
    summary = json.loads((short / "summary.json").read_text())
    (short / "summary.json").write_text(json.dumps({**summary, "n_listed": 5}))  # says complete, lacks rows
    index = build_report([*runs, other, short], tmp_path / "site", gallery=1, resamples=9)
    html = index.read_text()
    banner = html[html.index('class="warning"'):html.index("</div>")]
    assert "differ in data fingerprint" in banner and "differ in size" in banner
    assert "composite @48" in banner and "incomplete run" in banner
    assert "reinhard @48" in banner and "2 rows, fewer than the 5 images" in banner
    # the gallery keeps the runs on the first run's data and says which it left out
    assert "Not in the gallery" in html and "composite @48" in html[html.index('id="gallery"'):]


def test_runs_without_saved_images_get_a_note_not_a_gallery(tmp_path):
    plain = make_runs(tmp_path / "plain", n_test=2, save_images=False)
    index = build_report(plain, tmp_path / "site", resamples=9)
    assert "none of the runs saved its outputs" in index.read_text()
    assert not (tmp_path / "site" / "thumbs").exists()


def test_data_without_ground_truth_gets_a_random_sample_and_no_target_tile(tmp_path):
    from harmbench.runner import evaluate

    data = tmp_path / "real"
    data.mkdir()
    rng = np.random.default_rng(0)
    mask = np.zeros((40, 48), np.uint8)
    mask[8:24, 10:30] = 255
    for k in range(3):
        Image.fromarray(rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)).save(data / f"{k}.png")
        Image.fromarray(mask).save(data / f"{k}_mask.png")
    runs = [evaluate(method, 48, data=data, save_images=True, out=tmp_path / method, progress=False, workers=0)
            for method in ("composite", "reinhard")]
    index = build_report(runs, tmp_path / "site", pairs=["reinhard,composite"], gallery=2, resamples=9)
    html = index.read_text()
    gallery = html[html.index('id="gallery"'):html.index('id="runs"')]
    assert "Random sample (seed 0)" in gallery and "Worst overall" not in gallery and "Largest gains" not in gallery
    assert gallery.count('class="row"') == 2 and "<b>ground truth</b>" not in gallery and "target.jpg" not in gallery
    assert "Only a random sample" in gallery


def test_efficiency_table_from_profile_records(runs, tmp_path):
    record = {"kind": "profile", "method": "reinhard", "size": 64, "device": "cpu", "device_name": "test cpu",
              "time_ms": {"median": 2.5}, "paper_memory_mb": 3.0, "paper_gflops": 0.01, "gmacs": 0.02,
              "peak_memory_mb": 4.0}
    (tmp_path / "profile").mkdir()
    (tmp_path / "profile" / "summary.json").write_text(json.dumps(record))
    index = build_report(runs, tmp_path / "site", gallery=0, efficiency=[tmp_path / "profile"], resamples=9)
    html = index.read_text()
    assert "Table 3 · efficiency" in html and "test cpu" in html and "2.5" in html


def test_cli_writes_the_report_and_bad_input_is_one_line(runs, tmp_path):
    cli = CliRunner()
    result = cli.invoke(app, ["report", *map(str, runs), "--out", str(tmp_path / "site"), "--pair",
                              "histmatch,composite", "--gallery", "1", "--resamples", "9"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / "plots" / "pair0.png").is_file()
    again = cli.invoke(app, ["report", *map(str, runs), "--out", str(tmp_path / "site"), "--gallery", "0"])
    assert again.exit_code == 0 and not (tmp_path / "site" / "plots" / "pair0.png").exists()  # rebuilt, not mixed

    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    for args, message in [(["--pair", "reinhard,nosuch"], "no run named 'nosuch'"),
                          (["--pair", "reinhard"], "two run names"),
                          (["--metric", "nope"], "unknown metric 'nope'"),
                          (["--gallery", "-1"], "--gallery must be 0"),
                          (["--out", str(tmp_path / "busy")], "not a harmbench report")]:
        out = [] if "--out" in args else ["--out", str(tmp_path / "bad")]
        result = cli.invoke(app, ["report", *map(str, runs), *out, *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    missing = cli.invoke(app, ["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "bad")])
    assert missing.exit_code == 2 and "no such result folder" in missing.output


def test_pair_of_incomparable_runs_is_refused(runs, tmp_path):
    other = make_runs(tmp_path / "other", size=48, n_test=2)[1]
    with pytest.raises(ValueError, match="not comparable: different data fingerprint"):
        build_report([runs[0], other], tmp_path / "site", pairs=[f"reinhard,{runs[0]}"])
    assert Path(runs[0]).is_dir()
