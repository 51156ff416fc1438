"""Benchmark: `ftaudit ingest` vs DuckDB's own `select *` read of the same file, per format family.

    python benchmarks/ingest.py --calls 1000000 [--family pairs] [--repeat 2] [--memory-limit 1GB]

For each family of benchmarks/families.py (pairs with messages, Anthropic wrapped, Gemini, LiteLLM
CSV, Langfuse, Bedrock, bare responses) it writes `--calls` calls into a temp folder (flushed to disk
first), then runs, in turn and `--repeat` times, each in a fresh process and a fresh database:

- `ftaudit ingest FILE --json`, as a user runs it (validation, line numbers, dedup, ledger, sha256);
- `create table t as select * from read_json(FILE)` (or `read_csv` for CSV) in plain DuckDB: the file
  loaded as DuckDB's reader detects it, no check at all.

Prints per family the best wall time of each, the ratio (issue 12's target: at most 2x), calls/s,
the peak RSS of each child (wait4's ru_maxrss; target < 2 GB at 1M calls) and how many calls the fast
paths stored. The best of several runs is the figure least disturbed by a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.families import FAMILIES

SELECT_STAR = {
    "read_json": "create table t as select * from read_json('{path}', format = 'newline_delimited')",
    "read_csv": "create table t as select * from read_csv('{path}')",
}


@dataclass
class Runs:
    walls: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    def add(self, wall: float, peak_mb: float) -> None:
        self.walls.append(wall)
        self.peak_mb = max(self.peak_mb, peak_mb)

    @property
    def best(self) -> float:
        return min(self.walls)


def run_family(name: str, calls: int, repeat: int, work: Path, memory_limit: str | None) -> dict[str, object]:
    writer, suffix, reader = FAMILIES[name]
    data = work / f"{name}.{suffix}"
    start = time.perf_counter()
    writer(data, calls)
    os.sync()  # no contender pays for writing the generated file back
    generated = time.perf_counter() - start
    ours, theirs = Runs(), Runs()
    fast_rows = 0
    for round_no in range(repeat):
        for contender in (["duckdb", "ftaudit"] if round_no % 2 == 0 else ["ftaudit", "duckdb"]):
            db = work / f"{name}-{round_no}-{contender}.duckdb"
            if contender == "ftaudit":
                argv = [sys.executable, "-m", "ftaudit", "ingest", str(data), "--db", str(db), "--json"]
                argv += ["--memory-limit", memory_limit] if memory_limit else []
                wall, rss, out = _timed(argv)
                summary = json.loads(out)
                assert summary["rows_accepted"] == calls, (name, summary["rows_accepted"], summary["rejects_by_reason"])
                fast_rows = summary["files"][0]["fast_rows"]
                ours.add(wall, rss)
            else:
                sql = SELECT_STAR[reader].replace("{path}", str(data))
                script = f"import duckdb; duckdb.connect({str(db)!r}).execute({sql!r})"
                wall, rss, _ = _timed([sys.executable, "-c", script])
                theirs.add(wall, rss)
            for leftover in work.glob(f"{db.name}*"):
                leftover.unlink()
    size_mb = data.stat().st_size / 1e6
    data.unlink()
    return {"family": name, "calls": calls, "MB": size_mb, "generated_s": generated, "ftaudit_s": ours.best,
            "duckdb_s": theirs.best, "ratio": ours.best / theirs.best, "calls_per_s": calls / ours.best,
            "ftaudit_rss_mb": ours.peak_mb, "duckdb_rss_mb": theirs.peak_mb, "fast_rows": fast_rows}


def _timed(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child, by wait4 on its pid."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:5])} failed ({child.returncode}): {err.decode(errors='replace').strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append",
                        help="run this family only (repeatable; default: all)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each contender (default 2)")
    parser.add_argument("--memory-limit", default=None, help="passed to ftaudit ingest --memory-limit")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON lines too")
    args = parser.parse_args()
    families = args.family or list(FAMILIES)
    print(f"{'family':12} {'calls':>9} {'MB':>7} {'ftaudit':>8} {'duckdb *':>8} {'ratio':>6} {'calls/s':>9} "
          f"{'RSS ftaudit':>11} {'RSS duckdb':>10} {'fast rows':>9}", flush=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for name in families:
            row = run_family(name, args.calls, args.repeat, Path(tmp), args.memory_limit)
            print(f"{name:12} {args.calls:>9,} {row['MB']:>7,.0f} {row['ftaudit_s']:>7.2f}s {row['duckdb_s']:>7.2f}s "
                  f"{row['ratio']:>5.2f}x {row['calls_per_s']:>9,.0f} {row['ftaudit_rss_mb']:>8,.0f} MB "
                  f"{row['duckdb_rss_mb']:>7,.0f} MB {row['fast_rows']:>9,}", flush=True)
            if args.json:
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
