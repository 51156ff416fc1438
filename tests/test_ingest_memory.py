"""Issue 12: bounded memory. The careful path reads a JSONL file's lines in runs (ingest/paths.py
careful_lines), so `--memory-limit` spills or bounds instead of failing with "Out of Memory", and a
file read in many runs stores what one run stores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ftaudit
from tests.conftest import query

DEMO = Path(__file__).resolve().parent.parent / "sample_logs" / "chat_requests.jsonl.gz"


@pytest.mark.slow
def test_demo_file_ingests_under_a_1gb_memory_limit(tmp_path: Path) -> None:
    """The demo's own 198 MB gateway log (23,991 request/response pairs with long prompts) failed with
    "Out of Memory Error" under --memory-limit 1GB before the careful path read it in runs."""
    db = tmp_path / "limited.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "ftaudit", "ingest", str(DEMO), "--db", str(db), "--memory-limit", "1GB", "--json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_rejected"]) == (23_991, 23_991, 0)
    # every call kept its physical line, and the prompts' static prefixes were hashed
    assert query(db, "select count(distinct source_line), min(source_line), max(source_line) from calls") == [(23_991, 1, 23_991)]
    assert query(db, "select count(*) from calls where prefix_hash is null") == [(0,)]


def test_repeated_lines_without_an_id_count_their_occurrences_across_runs(tmp_path: Path) -> None:
    """A log without call ids names each record by the md5 of its text and its occurrence number in
    the file: three identical lines are three calls (:1, :2, :3), also when every line is a run of its
    own (chunk_bytes=1); read again with --replace, the same four calls replace them."""
    same = json.dumps({"t": "2025-03-01T10:00:00Z", "m": "gpt-4o-mini", "i": 1200, "o": 40})
    other = json.dumps({"t": "2025-03-01T10:00:05Z", "m": "gpt-4o-mini", "i": 900, "o": 12})
    path = tmp_path / "no_ids.jsonl"
    path.write_text("\n".join([same, other, same, same]) + "\n")
    mapping = {"ts": "t", "model": "m", "input_tokens": "i", "output_tokens": "o"}
    stored = []
    for chunk_bytes in (1, 1 << 30):
        db = tmp_path / f"{chunk_bytes}.duckdb"
        with ftaudit.open_store(db) as store:
            first = ftaudit.ingest(store, [path], ftaudit.IngestOptions(mapping=mapping, chunk_bytes=chunk_bytes))
            again = ftaudit.ingest(store, [path], ftaudit.IngestOptions(mapping=mapping, chunk_bytes=chunk_bytes, replace=True))
        assert (first.total("rows_accepted"), again.total("rows_accepted")) == (4, 4)
        rows = query(db, "select split_part(call_id, ':', 3), source_line, input_tokens from calls order by source_line")
        assert rows == [("1", 1, 1200), ("1", 2, 900), ("2", 3, 1200), ("3", 4, 1200)]
        stored.append(query(db, "select call_id, source_line from calls order by all"))
    assert stored[0] == stored[1]


def _memory_limit(store: ftaudit.Store) -> str:
    return str(store.con.execute("select current_setting('memory_limit')").fetchall()[0][0])


def test_fast_paths_keep_to_a_bounded_memory_unless_the_user_chose_a_limit(tmp_path: Path) -> None:
    """Under the default limit (half the RAM) a whole-file fast path kept the pages it wrote: 10M calls
    peaked at 5.8 GB RSS. Its work runs under FAST_PATH_MEMORY_MB (DuckDB spills past it) and the default
    comes back after it; a limit the user passed is the limit everywhere."""
    from ftaudit.store.connection import FAST_PATH_MEMORY_MB, default_memory_limit

    with ftaudit.open_store(tmp_path / "default.duckdb") as store:
        before = _memory_limit(store)
        with store.fast_path_memory():
            inside = _memory_limit(store)
        assert _memory_limit(store) == before
    half_the_ram_mib = int(default_memory_limit().removesuffix("MB"))
    # DuckDB reads MB as 10^6 bytes and shows GiB
    assert inside == (f"{FAST_PATH_MEMORY_MB * 10**6 / 2**30:.1f} GiB" if half_the_ram_mib > FAST_PATH_MEMORY_MB else before)
    with ftaudit.open_store(tmp_path / "chosen.duckdb", memory_limit="3GB") as store:
        chosen = _memory_limit(store)
        with store.fast_path_memory():
            assert _memory_limit(store) == chosen
