"""CLI: `ftaudit demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftaudit.cli import JsonFlag, app, emit_json, say, user_errors
from ftaudit.demo import run_demo


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo database and report.")] = Path("reports"),
    as_json: JsonFlag = False,
) -> None:
    """Zero configuration: ingest the bundled sample logs (90 days, two workloads) into a fresh database."""
    with user_errors():
        result = run_demo(out)
    summary = result.ingest.summary()
    if as_json:
        emit_json({"db": str(result.db_path), **summary})
        return
    say(f"demo database: {result.db_path}")
    for f in result.ingest.files:
        say(f"  {Path(f.path).name} [{f.format}]: {f.rows_accepted:,} accepted, {f.rows_rejected:,} rejected")
    typer.echo(
        f"{summary['rows_accepted']:,} calls ingested from {len(result.ingest.files)} files into {result.db_path}; "
        f"next: ftaudit stats --db {result.db_path}"
    )
