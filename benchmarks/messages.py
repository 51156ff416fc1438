"""Benchmark: `ftaudit ingest` of the Anthropic, Bedrock and Gemini families vs DuckDB's own `select *`.

    python benchmarks/messages.py --calls 100000 [--family anthropic] [--repeat 2]

For each family, writes N real-shaped lines (benchmarks/make_messages.py), then runs in turn, each in
a fresh process and database: `ftaudit ingest FILE --json` and `create table t as select * from
read_json(FILE)`. Prints the best wall time of each, the ratio, calls/s, peak RSS and whether every
call went the fast way.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest import timed_child
from make_messages import WRITERS

SELECT_STAR = "create table t as select * from read_json('{path}', format = 'newline_delimited')"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--family", choices=sorted(WRITERS), action="append")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()
    print(f"{'family':10} {'calls':>9} {'MB':>6}  {'ftaudit':>8} {'RSS':>7}  {'select *':>8} {'RSS':>7}  ratio  calls/s  fast")
    for family in args.family or sorted(WRITERS):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            data = Path(tmp) / f"{family}.jsonl"
            WRITERS[family](data, args.calls)
            ours: list[tuple[float, float]] = []
            theirs: list[tuple[float, float]] = []
            fast = ""
            for round_no in range(args.repeat):
                db = Path(tmp) / f"{round_no}.duckdb"
                wall, rss, out = timed_child([sys.executable, "-m", "ftaudit", "ingest", str(data), "--db", str(db), "--json"])
                summary = json.loads(out)
                assert summary["rows_accepted"] == args.calls, summary
                fast = f"{summary['files'][0]['fast_rows']:,} ({'whole file' if summary['files'][0]['fast_path'] else 'lines'})"
                ours.append((wall, rss))
                db.unlink()
                script = f"import duckdb; duckdb.connect({str(db)!r}).execute({SELECT_STAR.format(path=data)!r})"
                theirs.append(timed_child([sys.executable, "-c", script])[:2])
                db.unlink()
            best, best_star = min(ours), min(theirs)
            size_mb = data.stat().st_size / 1e6
            print(f"{family:10} {args.calls:9,} {size_mb:6,.0f}  {best[0]:7.2f}s {max(r for _, r in ours):5,.0f}MB"
                  f"  {best_star[0]:7.2f}s {max(r for _, r in theirs):5,.0f}MB  {best[0] / best_star[0]:4.2f}x"
                  f"  {args.calls / best[0]:7,.0f}  {fast}")


if __name__ == "__main__":
    main()
