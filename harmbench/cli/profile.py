"""``harmbench profile``: parameters, GMACs, the paper's FLOPs/memory estimate, measured time and peak memory."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from harmbench.cli.app import app
from harmbench.cli.common import Format, make_console, parse_overrides, print_table, user_errors, write_json


def _show(record: dict, path: Path) -> None:
    table = Table(title="profile", show_header=False)
    table.add_column("measure")
    table.add_column("value", no_wrap=True)  # the method name and the figures stay whole; the labels give way
    time = record["time_ms"]
    rows = [
        ("method", record["method"]),
        ("size", f"{record['size']} × {record['size']}"),
        ("device", record["device_name"]),
        ("parameters", f"{record['params']:,}"),
        ("GMACs", f"{record['gmacs']:.2f}"),
        ("paper FLOPs (G, torchstat rule)", f"{record['paper_gflops']:.2f}"),
        ("paper memory (MB, torchstat rule)", f"{record['paper_memory_mb']:.0f}"),
        ("time (ms, median ± IQR)", f"{time['median']:.1f} ± {time['iqr']:.1f} (n={time['n']})" if time else "–"),
        ("peak memory (MB, measured)", "–" if record["peak_memory_mb"] is None else f"{record['peak_memory_mb']:.0f}"),
        ("threads", str(record["threads"])),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console = make_console()
    print_table(table, console)
    console.print(f"written: {path}", highlight=False)


@app.command("profile")
def profile_command(
    method: str = typer.Option(..., "--method", "-m", help="registered method name (see `harmbench list`)"),
    size: int = typer.Option(1024, "--size", "-s", help="square input side in pixels"),
    device: str = typer.Option("auto", help="auto (CUDA when present), cpu, cuda or cuda:N"),
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich (terminal) or json (the record written)"),
    as_json: bool = typer.Option(False, "--json", hidden=True, help="the same as --format json"),
    no_measure: bool = typer.Option(False, "--no-measure",
                                    help="counts only (shapes, no real forward where possible); no timing or memory"),
    amp: bool = typer.Option(False, "--amp", help="autocast (CUDA float16, CPU bfloat16): a separate result"),
    channels_last: bool = typer.Option(False, "--channels-last", help="channels-last memory format"),
    compile_model: bool = typer.Option(False, "--compile", help="torch.compile the model (compile time excluded)"),
    repeats: int | None = typer.Option(None, help="timed forwards (default: CUDA 50, CPU 5)"),
    warmup: int | None = typer.Option(None, help="warm-up forwards (default: CUDA 10, CPU 1)"),
    threads: int | None = typer.Option(None, help="CPU threads (default: torch's)"),
    config: list[str] = typer.Option(None, "--config", help="config override key=value (repeatable)"),
    tiny: bool = typer.Option(False, "--tiny", help="the method's tiny test configuration"),
    out: Path | None = typer.Option(None, help="result folder (default results/profile/<method>-<size>-<device>"
                                               "[-amp][-cl][-compile])"),
) -> None:
    """Profile one method at one size: batch 1, fp32 unless --amp, inference mode; writes <out>/summary.json."""
    from harmbench.devices import resolve_device
    from harmbench.efficiency.measure import MeasureError, Variant
    from harmbench.efficiency.record import default_out, profile, write_profile

    variant = Variant(amp=amp, channels_last=channels_last, compile=compile_model)
    with user_errors():
        resolved = str(resolve_device(device))
        try:
            record = profile(method, size, resolved, variant, measured=not no_measure, repeats=repeats,
                             warmup=warmup, threads=threads, tiny=tiny, overrides=parse_overrides(config))
        except MeasureError as exc:
            raise ValueError(str(exc)) from None
        path = write_profile(record, out or default_out(method, size, resolved, variant))
    if as_json or fmt is Format.json:
        write_json(record)
    else:
        _show(record, path)
