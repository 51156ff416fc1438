"""CLI: `ftaudit export --parquet DIR` (library: ftaudit.export): the database as the canonical Parquet
dataset that `--calls DIR` and `--engine spark` read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import ftaudit
from ftaudit.cli import DbOption, JsonFlag, app, emit_json, say, user_errors


@app.command()
def export(
    parquet: Annotated[Path, typer.Option("--parquet", metavar="DIR", help="A new (or empty) folder to write the dataset to.")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the calls (Hive-partitioned by UTC day: DIR/calls/day=YYYY-MM-DD/), the rejects, the file
    ledger and workload renames as Parquet, with DIR/_ftaudit_dataset.json naming the schema. Every read
    command reads it back with --calls DIR; Spark reads it with --engine spark."""
    with user_errors(), ftaudit.open_store(db, read_only=True) as store:
        result = ftaudit.export(store, parquet)
    if as_json:
        emit_json(result.summary())
    say(f"exported {result.calls:,} calls over {result.days:,} days, {result.rejects:,} rejects and "
        f"{result.files:,} files to {result.path}")
