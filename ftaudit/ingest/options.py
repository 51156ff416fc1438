"""What an ingest is asked (`IngestOptions`, the CLI's flags) and what it answers (`IngestResult`,
one `FileResult` per file: rows read = accepted + rejected + duplicate). Plain data, no database."""

from __future__ import annotations

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
    keep_text: bool = False
    max_rejects: int | None = None
    table: str | None = None  # a postgresql:// source's table (default LiteLLM_SpendLogs)
    fast: bool = True  # False: every record the careful way (the reference the fast paths are tested against)

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
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    already_ingested: bool = False
    fast_path: bool = False  # the whole file was stored by the fast path
    fast_rows: int = 0  # calls stored by a fast path (whole file, or clean lines of a file with bad ones)


@dataclass
class IngestResult:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

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
            "rows_read": self.total("rows_read"),
            "rows_accepted": self.total("rows_accepted"),
            "rows_rejected": self.total("rows_rejected"),
            "rows_duplicate": self.total("rows_duplicate"),
            "bucket_rows": self.total("bucket_rows"),
            "rejects_by_reason": self.rejects_by_reason(),
        }


Progress = Callable[[int, int, str], None]  # (files done, files total, current path)
