"""CLI: `ftaudit forget`, so a file ingested with the wrong flags can be read again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import ftaudit
from ftaudit.cli import DbOption, JsonFlag, WaitOption, app, emit_json, say, user_errors


@app.command()
def forget(
    paths: Annotated[
        list[Path], typer.Argument(help="Files as ingested (by path or by content), or folders: every file under them.")
    ],
    db: DbOption = None,
    wait: WaitOption = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """Remove files' calls, rejects and ledger rows in one transaction, so they can be ingested again
    with other flags (`ftaudit ingest --replace` does both). A path that matches nothing is an error."""
    with user_errors(), ftaudit.open_store(db, wait_seconds=wait, purpose="forget", create=False) as store:
        result = ftaudit.forget(store, paths)
    if as_json:
        emit_json(result.summary())
    for f in result.files:
        say(f"forgot {f['path']}: {f['calls']:,} calls, {f['rejects']:,} rejects")
    files = len({f["path"] for f in result.files})
    say(f"forgot {len(result.files)} ingest(s) of {files} file(s): {result.calls:,} calls, {result.rejects:,} rejects")
