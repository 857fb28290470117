"""Table 3 (efficiency) from profile records, optionally beside the paper's own Table 3.

Columns as the paper's: time, memory and FLOPs with their reduction against a reference method (iS²AM), where
memory and FLOPs are the paper's torchstat estimate; then our GMACs (fvcore's conventions) and the measured peak
memory. Reductions compare records of the same size, device and variant only.
"""

from __future__ import annotations

from collections import defaultdict

from harmbench.tables import Column, TableData

#: Cong et al., "High-Resolution Image Harmonization via Collaborative Dual Transformations", CVPR 2022, Table 3
#: (../shared/paper/cdtnet-cvpr2022.txt): {size: {method: (time ms, time reduction %, memory MB, memory reduction %,
#: FLOPs G, FLOPs reduction %)}}, reductions as printed (None: the reference row). Time on one GTX 1080 Ti; memory
#: and FLOPs estimated with torchstat (§4.2).
PAPER_TABLE3 = {
    1024: {
        "iss2am": (14.7, None, 5148, None, 239.36, None),
        "cdtnet-256-sim": (3.5, 76.20, 144, 97.20, 3.49, 98.54),
        "cdtnet-256": (10.8, 26.53, 1923, 62.65, 78.05, 67.40),
    },
    2048: {
        "iss2am": (31.1, None, 20592, None, 957.43, None),
        "cdtnet-256-sim": (3.5, 88.74, 288, 98.60, 3.49, 99.64),
        "cdtnet-256": (10.9, 64.95, 6723, 67.35, 267.10, 72.10),
        "cdtnet-512-sim": (3.7, 88.10, 574, 97.21, 13.95, 98.54),
        "cdtnet-512": (11.5, 63.02, 7691, 62.65, 312.19, 67.40),
    },
}
PAPER_DEVICE = "GTX 1080 Ti"

COLUMNS = [
    Column("method", "Method"),
    Column("device", "Device", named_by_section=True),
    Column("time", "Time↓ (ms)", False, "{:.1f}"),
    Column("time_reduction", "Reduction", True, "{:.2f}%"),
    Column("memory", "Memory↓ (MB)", False, "{:.0f}"),
    Column("memory_reduction", "Reduction", True, "{:.2f}%"),
    Column("flops", "FLOPs↓ (G)", False, "{:.2f}"),
    Column("flops_reduction", "Reduction", True, "{:.2f}%"),
    Column("gmacs", "GMACs↓", False, "{:.2f}"),
    Column("peak_memory", "Peak mem.↓ (MB)", False, "{:.0f}"),
]

NOTES = [
    "Memory and FLOPs follow the paper's rule (torchstat: sum of leaf-module outputs as float32; MACs plus bias, "
    "BatchNorm, activation, pooling and upsampling element operations); they depend on the architecture only.",
    "GMACs: operator-level count in fvcore's conventions, one multiply-add = 1 (grid_sample trilinear = 8 per "
    "output element).",
    "Peak mem.: measured; on CUDA max_memory_allocated (weights + inputs + activations), on CPU the peak RSS growth "
    "of one forward (activations only).",
    "Reductions: 1 - value / reference value, within a section (same size, device and variant).",
]


def _reduction(value, reference) -> float | None:
    if value is None or reference in (None, 0):
        return None
    return 100.0 * (1.0 - value / reference)


def _variant_label(summary: dict) -> str:
    variant = summary.get("variant") or {}
    parts = [label for key, label in (("amp", "AMP"), ("channels_last", "channels-last"), ("compile", "compiled"))
             if variant.get(key)]
    return " + ".join(parts) if parts else "fp32"


def _paper_rows(size: int, group: str) -> list[dict]:
    rows = []
    for method, (time, time_red, memory, memory_red, flops, flops_red) in PAPER_TABLE3.get(size, {}).items():
        rows.append({"_group": group, "_source": "paper", "method": method, "device": PAPER_DEVICE,
                     "time": time, "time_reduction": time_red, "memory": memory, "memory_reduction": memory_red,
                     "flops": flops, "flops_reduction": flops_red, "gmacs": None, "peak_memory": None})
    return rows


def efficiency_table(summaries: list[dict], reference: str = "iss2am", paper: bool = False) -> TableData:
    """Table 3 from profile records (``summary.json`` dicts of kind "profile"): one section per size, device and
    variant, the reference method first; ``paper=True`` adds the paper's rows of that size to each section (and
    sections of their own for sizes we have no records of)."""
    table = TableData(f"Table 3 · efficiency (reductions vs {reference})", list(COLUMNS), [], list(NOTES))
    sections = defaultdict(list)
    for summary in summaries:
        if summary.get("kind") != "profile":
            continue
        device = summary.get("device_name") or summary.get("device", "?")
        sections[(summary["size"], device, _variant_label(summary))].append(summary)
    covered = set()
    for (size, device, variant), group_summaries in sorted(sections.items()):
        group = f"{size} × {size} · {device} · {variant}"
        ref = next((s for s in group_summaries if s["method"] == reference), None)
        ref_time = (ref.get("time_ms") or {}).get("median") if ref else None
        ordered = sorted(group_summaries, key=lambda s: (s["method"] != reference, s["method"]))
        for s in ordered:
            time = (s.get("time_ms") or {}).get("median")
            table.rows.append({
                "_group": group, "_source": "ours", "method": s["method"], "device": device,
                "time": time, "time_reduction": None if s is ref else _reduction(time, ref_time),
                "memory": s.get("paper_memory_mb"),
                "memory_reduction": None if ref is None or s is ref else _reduction(s.get("paper_memory_mb"),
                                                                                     ref.get("paper_memory_mb")),
                "flops": s.get("paper_gflops"),
                "flops_reduction": None if ref is None or s is ref else _reduction(s.get("paper_gflops"),
                                                                                   ref.get("paper_gflops")),
                "gmacs": s.get("gmacs"), "peak_memory": s.get("peak_memory_mb"),
            })
        if paper and size in PAPER_TABLE3:
            table.rows.extend(_paper_rows(size, group))
            covered.add(size)
        if ref is None:
            table.notes.append(f"{group}: no {reference} record, so no reductions.")
    if paper:
        for size in sorted(set(PAPER_TABLE3) - covered):
            table.rows.extend(_paper_rows(size, f"{size} × {size} · {PAPER_DEVICE} (paper)"))
        table.notes.append(f"Paper rows: Cong et al., CVPR 2022, Table 3; time on one {PAPER_DEVICE}, memory and "
                           "FLOPs estimated with torchstat; reductions as printed there.")
    return table
