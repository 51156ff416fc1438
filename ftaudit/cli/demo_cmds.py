"""CLI: `ftaudit demo` (library: ftaudit.demo.run_demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ftaudit.cli import JsonFlag, app, emit_json, say, user_errors
from ftaudit.ingest.formats.registry import readers

FORWARD_KEYS = ("from_date", "status", "break_even_date", "net_at_end_of_service_usd", "net_after_12_months_usd",
                "never_reason")


def _forward_line(f: dict[str, Any]) -> str:
    head = f"if trained on {f['from_date']}"
    if f["status"] == "pays_back":
        return f"{head}, pays back on {f['break_even_date']} (12 months: ${f['net_after_12_months_usd']} net)"
    if f["status"] == "never":
        return f"{head}, never pays back: {f['never_reason']}"
    return f"{head}: no verdict: {f['never_reason']}"


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo database and report.")] = Path("reports"),
    as_json: JsonFlag = False,
) -> None:
    """Zero configuration: ingest the bundled sample logs (90 days, two workloads) into a fresh database and
    write reports/demo.html (and demo.json) for the bundled scenarios in scenarios/."""
    with user_errors():
        from ftaudit.demo import run_demo  # imported here: `ftaudit --help` stays fast

        result = run_demo(out)
    summary = result.ingest.summary()
    if as_json:
        emit_json(
            {
                "db": str(result.db_path),
                "report": str(result.html_path),
                "report_json": str(result.json_path),
                "workloads_renamed": result.renamed,
                **summary,
                "verdicts": [
                    {"scenario": s["name"], "status": s["status"], "verdict": s["verdict"],
                     "forward": {k: s["forward"][k] for k in FORWARD_KEYS}} for s in result.data["scenarios"]
                ],
            }
        )
        return
    say(f"demo database: {result.db_path}")
    for f in result.ingest.files:
        say(f"  {Path(f.path).name} [{f.format}]: {f.rows_accepted:,} accepted, {f.rows_rejected:,} rejected")
    for old, new in result.renamed.items():
        say(f"  workload {old} named {new} (as in sample_logs/MANIFEST.json)")
    sinks = {r.name for r in readers() if r.sink}
    calls = sum(f.rows_accepted for f in result.ingest.files if f.format not in sinks)
    others = summary["rows_accepted"] - calls
    extra = f" (and {others:,} other records, e.g. Batch requests)" if others else ""
    typer.echo(f"{calls:,} calls{extra} ingested from {len(result.ingest.files)} files into {result.db_path}")
    for block in result.data["scenarios"]:
        typer.echo(f"{block['name']}: {_forward_line(block['forward'])}")
        typer.echo(f"  in the logs: {block['verdict']}")
    typer.echo(f"report: {result.html_path} (open it in a browser; every number is also in {result.json_path})")
