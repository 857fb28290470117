"""Result files survive crashes: partial last lines are dropped, appends restart on a fresh line, JSON is atomic."""

import json

import pytest

from harmbench.results import ResultError, RowWriter, find_runs, load_run, read_rows, write_json_atomic


def test_rows_round_trip_and_duplicates_keep_the_first(tmp_path):
    path = tmp_path / "per_image.jsonl"
    with RowWriter(path) as writer:
        writer.append({"name": "a", "mse": 1.0})
        writer.append({"name": "b", "mse": 2.0})
        writer.append({"name": "a", "mse": 9.0})
    assert read_rows(path) == [{"name": "a", "mse": 1.0}, {"name": "b", "mse": 2.0}]


def test_partial_last_line_is_ignored_then_cut_before_the_next_append(tmp_path):
    path = tmp_path / "per_image.jsonl"
    path.write_bytes(b'{"name": "a", "mse": 1.0}\n{"name": "b", "ms')  # killed mid-write
    assert [r["name"] for r in read_rows(path)] == ["a"]
    with RowWriter(path) as writer:
        writer.append({"name": "b", "mse": 2.0})
    assert path.read_bytes().count(b"\n") == 2
    assert [r["name"] for r in read_rows(path)] == ["a", "b"]


def test_a_corrupt_middle_line_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "per_image.jsonl"
    path.write_text('{"name": "a"}\nnot json\n{"name": "b"}\n')
    with pytest.raises(ResultError, match="per_image.jsonl: line 2"):
        read_rows(path)


def test_atomic_json_replaces_whole_file(tmp_path):
    path = tmp_path / "summary.json"
    write_json_atomic(path, {"x": 1})
    write_json_atomic(path, {"x": 2})
    assert json.loads(path.read_text()) == {"x": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]  # no temp files left


def test_find_runs_searches_recursively_and_rejects_missing(tmp_path):
    for name in ("r1", "nested/r2"):
        write_json_atomic(tmp_path / name / "summary.json", {"method": name})
    assert [r.summary["method"] for r in find_runs([tmp_path])] == ["nested/r2", "r1"]
    with pytest.raises(ResultError, match="no such result folder"):
        find_runs([tmp_path / "absent"])


def test_one_environment_record_for_runs_and_profiles():
    import torch

    from harmbench.results import environment

    env = environment("cpu")
    assert {"harmbench", "git", "torch", "cuda", "python", "device", "threads", "cpu"} <= set(env)
    assert env["torch"] == torch.__version__ and env["device"] == "cpu" and env["cuda"] == torch.version.cuda


def test_load_run_gives_rows_by_name_and_the_images_folder(tmp_path):
    write_json_atomic(tmp_path / "summary.json", {"kind": "quality"})
    with RowWriter(tmp_path / "per_image.jsonl") as writer:
        writer.append({"name": "a", "mse": 1.0})
    run = load_run(tmp_path)
    assert run.rows_by_name() == {"a": {"name": "a", "mse": 1.0}}
    assert run.images_dir == tmp_path / "images"


@pytest.mark.parametrize("line", [b"[1, 2]", b'"text"', b'{"no_name": 1}', b'{"name": 3}'])
def test_a_line_that_is_not_a_row_is_an_error_naming_the_file(tmp_path, line):
    path = tmp_path / "per_image.jsonl"
    path.write_bytes(b'{"name": "a"}\n' + line + b"\n")
    with pytest.raises(ResultError, match=r"per_image.jsonl: line 2 is not a result row"):
        read_rows(path)


def test_a_summary_that_is_not_an_object_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "summary.json").write_text("[1, 2]")
    with pytest.raises(ResultError, match=r"summary.json: not a run summary \(expected a JSON object, found list\)"):
        load_run(tmp_path)


def test_result_files_that_are_not_utf8_are_an_error_naming_the_file(tmp_path):
    (tmp_path / "summary.json").write_bytes(b'{"method": "\xff"}')
    with pytest.raises(ResultError, match=r"summary.json: not valid JSON"):
        load_run(tmp_path)
    (tmp_path / "per_image.jsonl").write_bytes(b'{"name": "a"}\n{"name": "\xff"}\n')
    with pytest.raises(ResultError, match=r"per_image.jsonl: line 2 is not valid JSON"):
        read_rows(tmp_path / "per_image.jsonl")
