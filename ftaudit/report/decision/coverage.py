"""What the report's numbers stand on, in one line under the title ("90 days of logs, 2 workloads,
29,208 calls"), and file names a reader can use (relative to the folder the logs were ingested from,
never a server's absolute path).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import PurePath
from typing import Any

import polars as pl


def coverage(window: dict[str, Any], stats: pl.DataFrame, totals: dict[str, Any]) -> dict[str, Any]:
    """Days from the first to the last logged day, workloads and calls in the report period, and the
    accepted records that are not calls (e.g. Batch requests, usage buckets) in the whole database."""
    first, last = window["first_day"], window["last_day"]
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1 if first and last else 0
    workloads = stats.get_column("workload").n_unique() if not stats.is_empty() else 0
    calls = int(window["calls"])
    others = max(int(totals["rows_accepted"]) - calls, 0) if window["since"] is None and window["until"] is None else None
    text = f"{_plural(days, 'day')} of logs, {_plural(workloads, 'workload')}, {_plural(calls, 'call')}"
    if others:
        text += f" (and {others:,} other accepted records: Batch requests, usage buckets or cost lines)"
    return {"days": days, "workloads": workloads, "calls": calls, "other_records": others, "text": text}


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def relative_paths(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each file's path relative to the parent of the folder all of them share (`sample_logs/a.jsonl`)."""
    if not files:
        return files
    paths = [PurePath(f["path"]) for f in files]
    try:
        shared = PurePath(os.path.commonpath([str(p.parent) for p in paths]))
    except ValueError:  # different drives: leave the paths as they are
        return files
    root = shared.parent if shared.parent != shared else shared
    return [{**f, "path": p.relative_to(root).as_posix()} for f, p in zip(files, paths, strict=True)]
