"""Benchmark: the careful path (record by record in SQL, every reject named) on a whole file.

    python benchmarks/careful_path.py --calls 200000 [--family gemini] [--memory-limit 1GB]

The careful path reads the lines a fast path does not take; here it reads every line (the library's
`IngestOptions(fast=False)`, the reference the fast paths are tested against), so its cost shows at
scale. For each family of benchmarks/families.py (default: pairs, anthropic, gemini, langfuse) it writes
`--calls` calls and ingests them once in a fresh process and database. Prints the wall time, calls/s,
the child's peak RSS (wait4's ru_maxrss) and the text DuckDB holds in its temp tables after the file
(bytes, as a multiple of the file's: issue 12 asks that the careful path not copy the raw text
through several tables).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.families import FAMILIES
from benchmarks.ingest import _timed as timed

_TEXT_COLUMNS = ("select c.table_name, c.column_name from duckdb_columns() c join duckdb_tables() t using (table_oid) "
                 "where t.temporary and (c.data_type in ('VARCHAR', 'JSON') or c.data_type like 'STRUCT%')")


def child(path: Path, db: Path, memory_limit: str | None) -> None:
    """Ingest `path` carefully into `db`; print the counts and the text held in temp tables as JSON."""
    import ftaudit

    with ftaudit.open_store(db, memory_limit=memory_limit) as store:
        result = ftaudit.ingest(store, [path], ftaudit.IngestOptions(fast=False))
        held = 0
        for table, column in store.con.execute(_TEXT_COLUMNS).fetchall():
            value = store.con.execute(f'select sum(strlen("{column}"::varchar)) from "{table}"').fetchall()[0][0]
            held += int(value or 0)
    print(json.dumps({"accepted": result.total("rows_accepted"), "rejected": result.total("rows_rejected"), "held": held}))


def run_family(name: str, calls: int, work: Path, memory_limit: str | None) -> dict[str, object]:
    writer, suffix, _ = FAMILIES[name]
    data = work / f"{name}.{suffix}"
    writer(data, calls)
    os.sync()
    argv = [sys.executable, __file__, "--child", str(data), "--db", str(work / f"{name}.duckdb")]
    if memory_limit:
        argv += ["--memory-limit", memory_limit]
    wall, peak, out = timed(argv)
    done = json.loads(out.strip().splitlines()[-1])
    size = data.stat().st_size  # bytes, as strlen counts the text held
    return {"family": name, "calls": calls, "MB": size / 1e6, "seconds": wall,
            "calls_per_s": calls / wall, "peak_rss_mb": peak, "held_x": done["held"] / size, **done}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append", help="this family only (repeatable)")
    parser.add_argument("--memory-limit", default=None, help="DuckDB's memory limit in the child (e.g. 1GB)")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.memory_limit)
        return
    print(f"{'family':10} {'calls':>8} {'MB':>6} {'careful':>8} {'calls/s':>8} {'peak RSS':>9} {'text held':>9}", flush=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for name in args.family or ["pairs", "anthropic", "gemini", "langfuse"]:
            row = run_family(name, args.calls, Path(tmp), args.memory_limit)
            print(f"{name:10} {row['calls']:>8,} {row['MB']:>6,.0f} {row['seconds']:>7.2f}s {row['calls_per_s']:>8,.0f} "
                  f"{row['peak_rss_mb']:>6,.0f} MB {row['held_x']:>8.2f}x", flush=True)


if __name__ == "__main__":
    main()
