"""Table 3 builder: reductions against the reference within (size, device, variant), paper rows, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmbench.efficiency import PAPER_TABLE3, efficiency_table
from harmbench.tables import render, to_rich


def record(method, size=1024, time=10.0, memory=100.0, flops=50.0, device="NVIDIA H200", amp=False):
    return {"kind": "profile", "method": method, "size": size, "device": "cuda", "device_name": device,
            "variant": {"amp": amp, "channels_last": False, "compile": False}, "params": 1, "gmacs": flops * 0.9,
            "paper_gflops": flops, "paper_memory_mb": memory, "time_ms": {"median": time, "iqr": 0.1, "n": 50},
            "peak_memory_mb": memory / 3, "threads": 8}


def rows_by_method(table, group_part=""):
    return {r["method"]: r for r in table.rows if group_part in r["_group"] and r["_source"] == "ours"}


def test_reductions_against_the_reference_of_the_same_section():
    table = efficiency_table([
        record("cdtnet-256", time=3.5, memory=144, flops=3.49),
        record("iss2am", time=14.7, memory=5148, flops=239.36),
        record("iss2am", size=2048, time=31.1, memory=20592, flops=957.43),
        record("cdtnet-256", size=2048, time=10.9, memory=6723, flops=267.10),
    ])
    small, large = rows_by_method(table, "1024 ×"), rows_by_method(table, "2048 ×")
    assert small["cdtnet-256"]["time_reduction"] == pytest.approx(100 * (1 - 3.5 / 14.7))
    assert small["cdtnet-256"]["memory_reduction"] == pytest.approx(100 * (1 - 144 / 5148))
    assert large["cdtnet-256"]["flops_reduction"] == pytest.approx(72.10, abs=0.005)  # as the paper prints
    assert large["cdtnet-256"]["memory_reduction"] == pytest.approx(67.35, abs=0.005)
    assert small["iss2am"]["time_reduction"] is None  # the reference row has none
    assert [r["method"] for r in table.rows][:2] == ["iss2am", "cdtnet-256"]  # reference first
    assert small["cdtnet-256"]["gmacs"] == pytest.approx(3.49 * 0.9)


def test_other_devices_and_variants_are_separate_sections():
    table = efficiency_table([record("iss2am", time=10.0), record("cdtnet-256", time=5.0),
                              record("cdtnet-256", time=1.0, amp=True), record("iss2am", time=99.0, device="CPU")])
    groups = {r["_group"] for r in table.rows}
    assert len(groups) == 3
    amp = next(r for r in table.rows if "AMP" in r["_group"])
    assert amp["time_reduction"] is None  # no fp16 iss2am to compare with
    assert any("no iss2am record" in n for n in table.notes)
    fp32 = next(r for r in table.rows if r["method"] == "cdtnet-256" and "fp32" in r["_group"])
    assert fp32["time_reduction"] == pytest.approx(50.0)


def test_non_profile_records_are_ignored_and_unmeasured_time_is_empty():
    unmeasured = record("cdtnet-256") | {"time_ms": None, "peak_memory_mb": None}
    table = efficiency_table([{"kind": "quality", "method": "x"}, record("iss2am"), unmeasured])
    row = rows_by_method(table)["cdtnet-256"]
    assert row["time"] is None and row["time_reduction"] is None and row["memory_reduction"] is not None


def test_paper_rows_beside_ours_and_alone():
    table = efficiency_table([record("iss2am")], paper=True)
    paper = [r for r in table.rows if r["_source"] == "paper"]
    assert {r["method"] for r in paper if r["_group"].startswith("1024")} == set(PAPER_TABLE3[1024])
    assert {r["method"] for r in paper if r["_group"].startswith("2048")} == set(PAPER_TABLE3[2048])
    sim = next(r for r in paper if r["method"] == "cdtnet-256-sim" and r["_group"].startswith("1024"))
    assert (sim["time"], sim["time_reduction"], sim["memory"], sim["flops"]) == (3.5, 76.20, 144, 3.49)
    only_paper = efficiency_table([], paper=True)
    assert len(only_paper.rows) == 8 and all(r["_source"] == "paper" for r in only_paper.rows)


def test_renders_as_markdown_and_csv():
    table = efficiency_table([record("iss2am", time=14.7), record("cdtnet-256", time=3.5)], paper=True)
    markdown = render(table, "md")
    assert "76.19%" in markdown and "76.20%" in markdown and "(paper)" in markdown
    assert "Time↓ (ms)" in render(table, "csv")


def test_terminal_table_leaves_out_a_device_every_section_names():
    """The device column says nothing under sections labelled with the device; beside the paper's GTX 1080 Ti rows
    in an H200 section it does. Exports keep it either way."""
    def terminal_headers(table):
        return [column.header for column in to_rich(table).columns]

    ours = efficiency_table([record("iss2am"), record("cdtnet-256")])
    assert "Device" not in terminal_headers(ours) and "Device" not in terminal_headers(efficiency_table([], paper=True))
    assert "Device" in render(ours, "csv") and "NVIDIA H200" in render(ours, "md")
    mixed = efficiency_table([record("iss2am")], paper=True)
    assert "Device" in terminal_headers(mixed)
    shown = to_rich(mixed)
    devices = list(shown.columns[terminal_headers(mixed).index("Device")].cells)
    assert "[dim]GTX 1080 Ti[/]" in devices and "NVIDIA H200" in devices  # paper rows dimmed


PAPER_TEXT = Path(__file__).resolve().parents[3] / ".." / "shared" / "paper" / "cdtnet-cvpr2022.txt"
PAPER_NAMES = {"iS ² AM": "iss2am", "CDTNet-256 (sim)": "cdtnet-256-sim", "CDTNet-256": "cdtnet-256",
               "CDTNet-512 (sim)": "cdtnet-512-sim", "CDTNet-512": "cdtnet-512"}


def test_paper_table3_constant_matches_the_paper_text():
    if not PAPER_TEXT.exists():
        pytest.skip(f"paper text not available at {PAPER_TEXT}")
    lines = PAPER_TEXT.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Image Size\tMethod\tTime"))
    parsed, size = {}, None
    for line in lines[start + 1:]:
        if not line.strip():
            break
        fields = line.split("\t")
        if fields[0]:
            size = int(fields[0].split("×")[0])
        values = tuple(None if v == "-" else float(v.rstrip("%")) for v in fields[2:])
        parsed.setdefault(size, {})[PAPER_NAMES[fields[1].strip()]] = values
    assert parsed == PAPER_TABLE3
