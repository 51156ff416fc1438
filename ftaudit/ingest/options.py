"""What an ingest is asked (`IngestOptions`, the CLI's flags) and what it answers (`IngestResult`,
one `FileResult` per file: rows read = accepted + rejected + duplicate + superseded). Plain data, no database."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.ingest.formats import mapped


@dataclass(frozen=True)
class IngestOptions:
    format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    provider: str | None = None
    workload: str | None = None
    workload_from: str | None = None
    ts_unit: str = "s"
    ts_field: str | None = None  # a top-level field holding the call time, for bodies without one
    start: datetime | None = None
    ts: datetime | None = None  # --ts: the time of every record that has none (e.g. Message Batches results)
    keep_text: bool = False
    max_rejects: int | None = None
    replace: bool = False  # forget earlier ingests of each file (by path or content) before reading it again
    table: str | None = None  # a postgresql:// source's table (default LiteLLM_SpendLogs)
    fast: bool = True  # False: every record the careful way (the reference the fast paths are tested against)
    # the careful path reads a JSONL file's lines in runs of about this many characters (None: from the
    # memory limit, see ingest.paths.chunk_bytes_for)
    chunk_bytes: int | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.mapping) - set(mapped.MAPPABLE_FIELDS))
        if unknown:
            raise UsageError(
                f"--map names unknown field(s): {', '.join(unknown)}",
                hint=f"map one of: {', '.join(mapped.MAPPABLE_FIELDS)}",
            )
        if self.ts_unit not in ("s", "ms", "us"):
            raise UsageError(f"--ts-unit {self.ts_unit!r} is not s, ms or us")
        if self.mapping:
            missing = [f for f in mapped.REQUIRED_FIELDS if f not in self.mapping]
            if missing:
                raise UsageError(
                    f"--map lacks {', '.join(missing)}", hint="e.g. --map ts=TIMESTAMP --map input_tokens=ContextTokens"
                )
            if "model" not in self.mapping and not self.model:
                raise UsageError("the mapped file has no model column", hint="pass --model NAME or --map model=COLUMN")


@dataclass
class FileResult:
    path: str
    format: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    bucket_rows: int = 0
    rows_superseded: int = 0  # earlier snapshots of a call logged again (stream chunks, polled Responses)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    already_ingested: bool = False
    fast_path: bool = False  # the whole file was stored by the fast path
    fast_rows: int = 0  # calls stored by a fast path (whole file, or clean lines of a file with bad ones)
    replaced_file_ids: list[int] = field(default_factory=list)  # earlier ingests forgotten by --replace
    hint: str | None = None  # every record rejected: the flag that likely fixes it

    def set_counts(self, counts: tuple[int, ...]) -> None:
        """(rows read, accepted, rejected, duplicate, bucket rows, superseded), as the paths count them."""
        (self.rows_read, self.rows_accepted, self.rows_rejected, self.rows_duplicate, self.bucket_rows,
         self.rows_superseded) = counts


@dataclass
class IngestResult:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files of a folder that could not be read: an error

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)

    def rejects_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            for reason, n in f.rejects_by_reason.items():
                out[reason] = out.get(reason, 0) + n
        return dict(sorted(out.items()))

    def summary(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) for f in self.files],
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "rows_read": self.total("rows_read"),
            "rows_accepted": self.total("rows_accepted"),
            "rows_rejected": self.total("rows_rejected"),
            "rows_duplicate": self.total("rows_duplicate"),
            "bucket_rows": self.total("bucket_rows"),
            "rows_superseded": self.total("rows_superseded"),
            "rejects_by_reason": self.rejects_by_reason(),
        }


# The closed vocabulary of reject reasons (README "Nothing is lost"); tests/test_operator.py checks
# that every reason a query in queries/ingest writes is here.
REJECT_REASONS = (
    "malformed_json", "invalid_utf8", "unreadable_line", "not_an_object", "not_a_call", "missing_field", "bad_type",
    "negative_tokens", "negative_cost", "cached_exceeds_input", "reasoning_exceeds_output", "bad_timestamp",
    "api_error", "conflicting_duplicate",
)


def check_reason(reason: str, stored: list[str]) -> None:
    """`rejects --reason` must name a reason: a misspelled one would list nothing, silently."""
    known = sorted(set(REJECT_REASONS) | set(stored))
    if reason not in known:
        close = difflib.get_close_matches(reason, known, n=1, cutoff=0.5)
        raise UsageError(
            f"--reason {reason!r} is not a reject reason" + (f"; did you mean {close[0]!r}?" if close else ""),
            hint=f"reasons: {', '.join(known)}",
        )


# The flags that most often fix a file whose every record was rejected for this reason.
_FIX_BY_REASON = {
    "bad_timestamp": "--ts-unit s|ms|us, --start TIMESTAMP or --ts-field FIELD",
    "missing_field": "--map FIELD=COLUMN, --model NAME or --ts-field FIELD",
    "bad_type": "--map FIELD=COLUMN (a column of whole token counts)",
    "not_a_call": "--format NAME (see `ftaudit formats`)",
    "not_an_object": "--format NAME, or --map FIELD=COLUMN for a CSV",
}


def fix_hint(file: FileResult) -> str | None:
    """For a file whose every record was rejected: which flag to fix, and how to read it again."""
    if not file.rows_read or file.rows_rejected < file.rows_read:
        return None
    reason = max(file.rejects_by_reason.items(), key=lambda item: item[1])[0] if file.rejects_by_reason else ""
    flags = _FIX_BY_REASON.get(reason, "--format NAME or --map FIELD=COLUMN")
    return (f"every record of {file.path} was rejected ({reason or 'see `ftaudit rejects`'}): fix {flags}, then "
            f"`ftaudit ingest --replace {file.path} ...` reads it again")


Progress = Callable[[int, int, str], None]  # (files done, files total, current path)
