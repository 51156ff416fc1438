"""The stakeholder report: `gather` reads the store into plain data (the JSON twin), `render_report`
turns that data into one self-contained HTML page, `write_report` writes both files side by side.

    data = ftaudit.report.gather(store, [ftaudit.load_scenario("scenarios/classify.toml")])
    ftaudit.report.write_report(data, "reports/classify.html", generated_at=datetime.now(UTC))
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.report.data import gather, month_summary
from ftaudit.report.page import render_report

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/
MAX_REPORT_BYTES = 6 * 1024 * 1024  # the page is mailed: it stays under this whatever the number of calls


def generation_time(given: datetime | None = None) -> datetime:
    """The time a report says it was generated: `given` (--generated-at), else $SOURCE_DATE_EPOCH
    (seconds since 1970, UTC), else now. The first two make the same input give the same bytes."""
    if given is not None:
        return given if given.tzinfo is not None else given.replace(tzinfo=UTC)
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"{SOURCE_DATE_EPOCH}={epoch!r} is not a whole number of seconds since 1970",
                             hint=f"unset {SOURCE_DATE_EPOCH} or set it to e.g. $(git log -1 --format=%ct)") from None
    return datetime.now(UTC).replace(microsecond=0)


def twin_json(data: dict[str, Any], generated_at: datetime) -> str:
    """The JSON twin: the report data plus the generation time, with a stable key order."""
    return json.dumps({"generated_at": generated_at.isoformat(timespec="seconds"), **data}, indent=2, ensure_ascii=False) + "\n"


def write_report(data: dict[str, Any], html_path: str | Path, *, generated_at: datetime) -> tuple[Path, Path]:
    """Write the page to `html_path` and its JSON twin beside it (same name, .json); each file is
    written to a temporary name first and renamed, so a reader never sees half a report."""
    html_path = Path(html_path)
    json_path = html_path.with_suffix(".json")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    for path, text in ((json_path, twin_json(data, generated_at)), (html_path, render_report(data, generated_at=generated_at))):
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return html_path, json_path


__all__ = ["MAX_REPORT_BYTES", "gather", "generation_time", "month_summary", "render_report", "twin_json", "write_report"]
