"""``harmbench study``: create, serve, score, simulate, export and import a pairwise user study."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from harmbench.cli.app import CommandGroup, app
from harmbench.cli.common import err_console, user_errors

study_app = typer.Typer(cls=CommandGroup, help="Pairwise user study on real composites (Bradley–Terry scores).",
                        no_args_is_help=True)
app.add_typer(study_app, name="study")


class ScoreFormat(str, Enum):
    rich = "rich"
    md = "md"
    latex = "latex"
    csv = "csv"
    json = "json"


def _names(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _open(db: Path):
    from harmbench.study.db import StudyDB

    return StudyDB(db)


@study_app.command("create")
def create_command(
    composites: Path | None = typer.Option(None, help="real-composite folder (composite + mask pairs) or an "
                                                      "iHarmony4-layout dataset (its test split is used); "
                                                      "default: the built-in synthetic set"),
    out: Path = typer.Option(..., help="study database to write, e.g. study.sqlite (images go to study_files/)"),
    methods: str | None = typer.Option(None, help="comma-separated methods to run here, e.g. reinhard,histmatch"),
    size: int = typer.Option(1024, help="methods run at size x size; images are shown with long side = size"),
    include_composite: bool = typer.Option(False, "--include-composite",
                                           help="also compare against the unharmonized composite"),
    weights: str | None = typer.Option(None, help="checkpoints per method: name=PATH,name=PATH"),
    from_runs: str | None = typer.Option(None, help="comma-separated `harmbench run --save-images` folders to take "
                                                    "outputs from ([LABEL=]RUN_DIR)"),
    per_rater: int | None = typer.Option(None, help="pairs per rater, drawn from a balanced incomplete design "
                                                    "(every pair gets about the same number of votes); default: all"),
    repeat_share: float = typer.Option(0.1, help="share of a rater's pairs shown again with sides swapped"),
    repeat_gap: int = typer.Option(5, help="at least this many other screens between a pair and its repeat"),
    catch_share: float = typer.Option(0.1, help="share of a rater's screens that are catch trials (known answer)"),
    display_size: int = typer.Option(1280, help="long side of the display JPEGs (full PNG kept for the zoom view)"),
    allow_mixed_sizes: bool = typer.Option(False, "--allow-mixed-sizes",
                                           help="accept --from-runs made at another --size (they are resized)"),
    seed: int = typer.Option(0, help="seed of the schedule (sides, repeats, quotas, per-rater order)"),
    device: str = typer.Option("auto", help="auto (CUDA when present), cpu or cuda[:i] for the methods run here"),
    random_init: bool = typer.Option(False, "--random-init", help="learned methods without weights run untrained"),
) -> None:
    """Harmonize each composite with each method and write a balanced pairwise schedule."""
    from harmbench.study.create import create_study, parse_assignments
    from harmbench.study.schedule import Design

    with user_errors():
        design = Design(per_rater=per_rater, repeat_share=repeat_share, repeat_gap=repeat_gap,
                        catch_share=catch_share)
        create_study(out, composites, _names(methods), size=size, include_composite=include_composite,
                     weights=parse_assignments(weights, "--weights"), from_runs=_names(from_runs), design=design,
                     seed=seed, device=device, console=err_console, random_init=random_init,
                     display=display_size, allow_mixed_sizes=allow_mixed_sizes)


@study_app.command("serve")
def serve_command(
    db: Path = typer.Option(..., help="study database"),
    host: str = typer.Option("127.0.0.1", help="address to bind; 0.0.0.0 exposes the study to your network"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    pid_param: str = typer.Option("PROLIFIC_PID", help="URL parameter carrying a platform's participant id"),
    consent: Path | None = typer.Option(None, help="HTML fragment to show as the information/consent text"),
    completion_code: str | None = typer.Option(None, help="code shown on the done page (default: the study's)"),
    completion_url: str | None = typer.Option(None, help="link on the done page; {code} is replaced, e.g. "
                                                         "https://app.prolific.com/submissions/complete?cc={code}"),
) -> None:
    """Run the voting web app (open the printed address in a browser; give raters from a platform the address with
    ?PROLIFIC_PID=... or your --pid-param; MTurk ExternalQuestion HITs need no parameter: docs/study.md)."""
    from harmbench.study.server import read_consent, serve

    with user_errors():
        study = _open(db)
        read_consent(consent)  # a missing or unreadable consent file is one line now, not an error per visitor
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach this machine can open the "
                          "study and vote (there are no passwords)")
    quota = study.design.per_rater
    err_console.print(f"study {study.study_id}: {len(study.composites)} composites, {len(study.methods)} methods, "
                      f"{'all' if quota is None else quota} pairs per rater; open http://{host}:{port}/ "
                      f"(platforms: http://{host}:{port}/?{pid_param}=...; an MTurk ExternalQuestion HIT: the "
                      "address itself, over HTTPS) "
                      "(Ctrl+C stops; votes are saved as they come)")
    serve(db, host=host, port=port, pid_param=pid_param, consent=consent, completion_code=completion_code,
          completion_url=completion_url)


@study_app.command("score")
def score_command(
    db: Path = typer.Option(..., help="study database"),
    format: ScoreFormat = typer.Option(ScoreFormat.rich, "--format", help="output format"),
    alpha: float = typer.Option(0.01, help="choix regularisation (> 0; reported with the scores)"),
    bootstrap: int = typer.Option(1000, help="rater-bootstrap resamples for the 95 % interval (0: none)"),
    seed: int = typer.Option(0, help="bootstrap seed"),
    human_only: bool = typer.Option(False, "--human-only", help="ignore simulated raters"),
    exclude: str | None = typer.Option(None, help="leave raters out: 'flagged' or comma-separated rater ids"),
    min_catch: float = typer.Option(0.8, help="flag raters whose catch-trial accuracy is below this "
                                              "(once they missed 2)"),
    min_median_ms: float = typer.Option(500, help="flag raters whose median time per vote is below this"),
    max_side_share: float = typer.Option(0.8, help="flag raters who pick one side more often than this"),
    min_consistency: float = typer.Option(0.0, help="flag raters who repeat their answer less often than this "
                                                    "(off by default: on close pairs honest raters repeat "
                                                    "only about half the time)"),
    plot: Path | None = typer.Option(None, help="also draw the scores with intervals and the win-rate matrix "
                                                "(.png, .pdf or .svg)"),
) -> None:
    """Bradley–Terry scores, win-rate matrix, vote counts and rater screening."""
    from harmbench.study import scoring

    with user_errors():
        rules = scoring.Screening(min_catch_accuracy=min_catch, min_median_ms=min_median_ms,
                                  max_side_share=max_side_share, min_consistency=min_consistency)
        excluded = exclude if exclude == "flagged" else _names(exclude)
        scores = scoring.score_study(_open(db), alpha=alpha, bootstrap=bootstrap, seed=seed,
                                     include_simulated=not human_only, screening=rules, exclude=excluded)
        if plot is not None:
            from harmbench.study.plot import plot_scores

            plot_scores(scores, plot)
            err_console.print(f"figure -> {plot}")
    if format is ScoreFormat.rich:
        scoring.render_rich(scores, err_console)
        return
    render = {ScoreFormat.md: scoring.render_markdown, ScoreFormat.latex: scoring.render_latex,
              ScoreFormat.csv: scoring.render_csv, ScoreFormat.json: scoring.render_json}[format]
    typer.echo(render(scores), nl=False)
    for warning in scores.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@study_app.command("simulate")
def simulate_command(
    db: Path = typer.Option(..., help="study database (use a copy of a real study)"),
    strengths: str = typer.Option(..., help="true log-strength per method: a=1.0,b=0.5,..."),
    raters: int = typer.Option(10, help="number of simulated raters"),
    votes_per_rater: int = typer.Option(50, help="screens each simulated rater answers (at most their session)"),
    careless: int = typer.Option(0, help="extra simulated raters who always click left, fast"),
    seed: int = typer.Option(0, help="seed (also part of the simulated raters' names)"),
) -> None:
    """Add votes from synthetic raters who follow the Bradley–Terry model."""
    from harmbench.study.simulate import parse_strengths, simulate_votes

    with user_errors():
        study = _open(db)
        added = simulate_votes(study, parse_strengths(strengths, study.methods), raters, votes_per_rater, seed,
                               careless=careless)
    err_console.print(f"{added} simulated votes added ({raters} + {careless} careless raters, "
                      f"up to {votes_per_rater} screens each)")


@study_app.command("export")
def export_command(
    db: Path = typer.Option(..., help="study database"),
    out: Path = typer.Option(..., help="votes.csv or votes.jsonl"),
) -> None:
    """Write every vote to CSV or JSON Lines."""
    from harmbench.study.exchange import export_votes

    with user_errors():
        count = export_votes(_open(db), out)
    err_console.print(f"{count} votes -> {out}")


@study_app.command("import")
def import_command(
    db: Path = typer.Option(..., help="study database"),
    file: Path = typer.Option(..., "--file", help="votes.csv or votes.jsonl exported from this study"),
) -> None:
    """Add votes exported from this study (or a copy of it); votes already stored are kept."""
    from harmbench.study.exchange import import_votes

    with user_errors():
        new, present = import_votes(_open(db), file)
    err_console.print(f"{new} votes imported, {present} already present")
