"""Log format readers: one module per source family, each a `Reader` registered in `READERS`.

A reader never loops over rows in Python. It owns:
- `detect(sample)`: looks at the first few records of a file (already parsed) and says whether
  the file is its format. Detection is by content, never by file name.
- `extract_query`: the name of a query in `queries/` that reads
  `records(source_line BIGINT, raw VARCHAR, js JSON)` (a view of the staged text: raw is js's text,
  or a `{"data": {...}}` wrapper's line) and
  returns the columns of `EXTRACTED_COLUMNS` below, one row per call or bucket. The shared query
  `validated_records` then types, checks and rejects; readers do not duplicate those checks.
- or, for a `sink` reader (records that are not calls, e.g. Batch input files, billed costs), a
  query that stores them in its own table and fills the temp table `sink_outcomes`.
- optionally `fast`: a `FastPath`, the queries that store the common, clean records of a JSONL file at
  DuckDB's own speed; whatever they do not take goes to the careful `extract_query` path.

EXTRACTED_COLUMNS (text columns hold the value as found in the log; typing happens later):
  source_line BIGINT, raw_ref STRUCT(md5, head) (macro record_ref(raw): what later steps keep of
  the record's text, not the text), reader_problem VARCHAR (a reject reason the reader alone can
  tell, e.g. 'malformed_json', 'not_a_call'; NULL when fine), call_id VARCHAR (NULL: a content hash
  is used), ts_text VARCHAR, ts_unit VARCHAR ('s'|'ms'|'us'|'iso'), provider VARCHAR, model VARCHAR,
  is_bucket BOOLEAN, request_count_text VARCHAR (NULL for a bucket with no count; '1' per call),
  input_text VARCHAR, input_is_total BOOLEAN (true: OpenAI semantics, cache included in input;
  false: cache reads/writes are added to it), cache_read_text, cache_write_text, cache_write_1h_text,
  output_text, reasoning_text VARCHAR, is_batch BOOLEAN, service_tier VARCHAR, latency_ms_text
  VARCHAR, status VARCHAR, billed_cost_text VARCHAR (USD), prefix_hash VARCHAR, prefix_chars BIGINT,
  variable_chars BIGINT, hints JSON (workload hints: metadata, user, tags, names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Sample:
    """The first records of a file, parsed, and the container they came from."""

    container: str  # 'jsonl' | 'json' | 'csv' | 'parquet'
    records: list[Record]

    def keys(self) -> set[str]:
        return set().union(*(r.keys() for r in self.records)) if self.records else set()

    def first_keys(self, most: int = 8) -> str:
        """The first keys, sorted, for a one-line message: each as JSON text (a key may hold a newline)."""
        return ", ".join(json.dumps(key, ensure_ascii=False) for key in sorted(self.keys())[:most])


@dataclass(frozen=True)
class FastPath:
    """A reader's fast path (driven by ftaudit/ingest/paths.py): queries that fill the temp table
    `fast_staged` with the FAST_COLUMNS below, one row per record, typed while parsing (a strict
    `read_json` / `read_csv` with declared columns, or `json_transform` of a line: each record parsed
    once). The shared `insert` (fast_insert_calls) stores the rows of the view `fast_rows` that pass
    every check the careful path makes and returns their count; the other records go the careful way.

    - `stage_file`: a strict typed read of a whole plain file, in file order (None: the format has no
      whole-file read). Used first, and not into fast_staged: fast_insert_file_calls reads its select
      (Store.insert_from_stage) and stores every line of the file, or raises and leaves the file to
      `stage_lines`. The prefix sample runs it into fast_staged on the file's head.
    - `stage_lines`: the same from the text of each staged line (`staged_lines(valid_line, raw)`), with
      `source_line`. Used for compressed files and after the whole-file attempt failed: the lines it does
      not store are read by the careful path, so a file with a few bad lines is not parsed record by record.

    FAST_COLUMNS (what the careful path would store for the record, already typed):
      fast_ok BOOLEAN (false: leave the record to the careful path: a shape the fast reader does not
      read exactly as the careful one, e.g. a stream chunk, a foreign field, a present optional field
      that is not valid), call_id VARCHAR (never NULL when fast_ok), ts TIMESTAMPTZ, provider VARCHAR,
      model VARCHAR, input_tokens BIGINT (cache reads and writes included), cache_read_tokens,
      cache_write_tokens, cache_write_1h_tokens, output_tokens (reasoning included), reasoning_tokens
      BIGINT (an absent optional count is 0; NULL means "not a whole number": not taken), is_batch BOOLEAN,
      service_tier VARCHAR, latency_ms DOUBLE, status VARCHAR, billed_cost_usd DECIMAL(38, 12),
      prefix_hash VARCHAR, prefix_chars BIGINT, variable_chars BIGINT, hints JSON (NULL: '{}').
    """

    stage_file: str | None
    stage_lines: str
    insert: str = "fast_insert_calls"
    # A CSV file's stage (ftaudit/ingest/csv_fast.py): the whole file read once with the careful path's
    # CSV options, into fast_staged with source_line (the careful path's numbers) and FAST_COLUMNS.
    stage_csv: str | None = None
    # A pattern of bytes without which a file's head holds no static prefix (None: any head may): the whole-file
    # path skips the prefix sample of ftaudit/ingest/prefix_sample.py then (0.1-0.2 s for nothing).
    prefix_marker: re.Pattern[bytes] | None = None


@dataclass(frozen=True)
class Reader:
    """One log format: how to recognise it and which queries turn its records into calls."""

    name: str
    provider: str
    description: str
    detect: Callable[[Sample], bool]
    extract_query: str | None
    fast: FastPath | None = None
    # A sink reader's queries (run in order, instead of extract_query) store its records in a table
    # of its own, not `calls`; the first fills `sink_outcomes(source_line, raw, outcome, reason)`.
    # Sinks are ingested before other files.
    sink_queries: tuple[str, ...] = ()
    priority: int = 100  # detection order: lower is tried first
    # A query over `extracted` giving a row (message, hint) when the file cannot be ingested as it is
    # (one clear error for the whole file instead of the same reject on every line).
    refuse: str | None = None
    # The time of records that have none, found beside the file (e.g. a batch object's end time).
    time_beside: Callable[[Path], datetime | None] | None = None

    @property
    def sink(self) -> bool:
        return bool(self.sink_queries)


def dig(record: Any, *path: str) -> Any:
    """record[path[0]][path[1]]... or None when any step is missing (detection helper)."""
    for key in path:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record
