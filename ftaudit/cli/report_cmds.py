"""CLI: `ftaudit report` and `ftaudit audit` (library: ftaudit.report.gather / write_report and
ftaudit.audit.run_audit). Verdict sentences go to stdout; where the files went goes to stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ftaudit import audit as audit_job
from ftaudit.cli import CallsOption, DbOption, app, open_for_reading, parse_time, say, user_errors
from ftaudit.errors import NoDataError, TooManyRejectsError, UsageError
from ftaudit.prices.catalog import load_prices
from ftaudit.replay.forward_options import parse_from_date
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import default_db_path


@app.command()
def report(
    scenario: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario",
            metavar="FILE",
            help="Scenario TOML (see scenarios/); repeat for several. Without one: traffic and data quality only.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only calls at or after this UTC date or time (ISO).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Only calls before this UTC date or time (ISO), exclusive.")
    ] = None,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Heading of the page.")] = "Fine-tuning audit",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="HTML file to write; the JSON twin goes beside it (default reports/<database name>.html).",
            show_default=False,
        ),
    ] = None,
    prices_file: Annotated[
        Path | None, typer.Option("--prices", metavar="FILE", help="TOML of price overrides (as for ftaudit replay).")
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option("--from", metavar="D", help="The recommendation: train on D (`today` or YYYY-MM-DD; default: "
                     "today, or $FTAUDIT_TODAY) and replay the last 28 days of calls forward, as `ftaudit replay --from D`."),
    ] = None,
    generated_at: Annotated[
        str | None,
        typer.Option("--generated-at", metavar="TIME", help="The generation time the page shows (ISO; default: "
                     "$SOURCE_DATE_EPOCH, else now). With it (and --from), the same input gives the same bytes."),
    ] = None,
    db: DbOption = None,
    calls: CallsOption = None,
) -> None:
    """Write a self-contained HTML report (the recommendation if trained on --from D, the targets ranked
    as by `ftaudit compare`, an in-page what-if; then the evidence: cumulative cost, traffic, token
    histograms, sensitivity, volume threshold, latency, workloads, data quality, appendix) and its JSON twin.
    In Python: `ftaudit.report.gather(store, scenarios)` then `ftaudit.report.write_report(data, path)`."""
    with user_errors():
        db_path = db or default_db_path()
        from ftaudit import report as report_stage  # polars and plotly: loaded for this command only

        scenarios = [load_scenario(path) for path in scenario or []]
        overrides = load_prices(prices_file) if prices_file else None
        window = (parse_time("--since", since), parse_time("--until", until))
        if window[0] and window[1] and window[0] >= window[1]:
            raise UsageError("--since is not before --until", hint="--until is exclusive: --since 2026-10-01 --until 2026-11-01")
        with open_for_reading(db_path, calls) as store:
            data = report_stage.gather(store, scenarios, title=title, since=window[0], until=window[1], prices=overrides,
                                       from_date=parse_from_date(from_date) if from_date else None)
            target = out or Path("reports") / f"{store.path.stem}.html"
        stamp = report_stage.generation_time(parse_time("--generated-at", generated_at) if generated_at else None)
        html_path, json_path = report_stage.write_report(data, target, generated_at=stamp)
    _echo_verdicts(data)
    say(f"report written to {html_path} ({html_path.stat().st_size:,} bytes) and {json_path}")


@app.command()
def audit(
    config: Annotated[
        Path, typer.Option("--config", metavar="FILE", help="Audit config TOML (see ftaudit.example.toml).")
    ] = audit_job.DEFAULT_CONFIG,
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM to audit (default: the last complete month, UTC).", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
    calls: CallsOption = None,
) -> None:
    """The scheduled monthly job: ingest new files from the configured sources, replay every scenario
    with the data up to the end of the month, write reports/YYYY-MM.html and .json with a month-over-month
    section (with --calls: no ingest, the calls of that Parquet dataset). Exit 0 on success, 1 on error, 3 when
    this run rejected more records than max_rejects, 4 when a source matched no log file or the month has no
    calls (no report is written then)."""
    with user_errors():
        settings = audit_job.load_config(config)
        first = audit_job.parse_month(month) if month else None
        try:
            result = audit_job.run_audit(settings, first, calls=calls)
            over_limit = None
        except (TooManyRejectsError, NoDataError) as exc:
            result, over_limit = exc.result, exc
        for source in result.empty_sources:
            say(f"warning: source path {source} matched no log file")
        if not quiet:
            _echo_audit(result)
        if over_limit is not None:
            raise over_limit


def _echo_verdicts(data: dict[str, Any]) -> None:
    """The recommendation of each scenario first (the forward replay), then its historical verdict."""
    for block in data["scenarios"]:
        recommendation = block.get("recommendation")
        if recommendation:
            typer.echo(f"{block['name']}: {recommendation['text']}")
            typer.echo(f"  in the logs: {block['verdict']}")
        else:
            typer.echo(f"{block['name']}: {block['verdict']}")


def _echo_audit(result: audit_job.AuditResult) -> None:
    summary = result.ingest.summary()
    for path in result.skipped:
        say(f"skipped {path}: already ingested")
    for f in result.ingest.files:
        say(
            f"{f.path} [{f.format}]: {f.rows_read:,} read, {f.rows_accepted:,} accepted, {f.rows_rejected:,} rejected, "
            f"{f.rows_duplicate:,} duplicate" + (f", {f.rows_superseded:,} superseded" if f.rows_superseded else "")
        )
    if not result.data:  # no calls in the month: no report
        return
    say(
        f"audit {result.month}: ingested {len(result.ingest.files)} new file(s), {summary['rows_accepted']:,} calls; "
        f"report written to {result.html_path} and {result.json_path}"
    )
    _echo_verdicts(result.data)
