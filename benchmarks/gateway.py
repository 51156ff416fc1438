"""Benchmark: `ftaudit ingest` of the gateway formats vs DuckDB's own `select *` read of the same file.

    python benchmarks/gateway.py litellm_csv langfuse --calls 100000 1000000 [--repeat 2]

For each family and N: writes the file (benchmarks/make_gateway.py), then, in turn and `--repeat` times,
each in a fresh process and a fresh database: `ftaudit ingest FILE --json` and DuckDB's
`create table t as select * from read_csv / read_json(FILE)`. Prints the best wall time and the peak
RSS of each, the ratio (the target of issue 12: at most 2x) and how many calls the fast path stored.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ingest import _timed as timed_child
from benchmarks.make_gateway import INGEST_ARGS, SELECT_STAR, WRITERS, write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="*", default=sorted(WRITERS))
    parser.add_argument("--calls", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    print(f"{'family':14} {'calls':>9} {'MB':>6} {'ftaudit':>8} {'RSS MB':>7} {'select *':>9} {'RSS MB':>7} {'ratio':>6}",
          "fast rows")
    for family in args.families:
        for n in args.calls:
            with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
                data = Path(tmp) / f"{family}.{'csv' if family.endswith('csv') else 'jsonl'}"
                write(family, data, n)
                ours, theirs, fast_rows = [], [], 0
                for round_no in range(args.repeat):
                    db = Path(tmp) / f"{round_no}.duckdb"
                    wall, rss, out = timed_child([sys.executable, "-m", "ftaudit", "ingest", str(data), "--db", str(db),
                                                  "--json", *INGEST_ARGS.get(family, [])])
                    summary = json.loads(out)
                    assert summary["rows_accepted"] == n, summary
                    fast_rows = summary["files"][0]["fast_rows"]
                    ours.append((wall, rss))
                    sql = SELECT_STAR[family].replace("{path}", str(data))
                    base = Path(tmp) / f"{round_no}-base.duckdb"
                    script = f"import duckdb; duckdb.connect({str(base)!r}).execute({sql!r})"
                    theirs.append(timed_child([sys.executable, "-c", script])[:2])
                    db.unlink()
                    base.unlink()
                best, base_best = min(ours), min(theirs)
                print(f"{family:14} {n:>9,} {data.stat().st_size / 1e6:6.0f} {best[0]:7.2f}s {max(r for _, r in ours):7.0f} "
                      f"{base_best[0]:8.2f}s {max(r for _, r in theirs):7.0f} {best[0] / base_best[0]:5.2f}x {fast_rows:,}",
                      flush=True)


if __name__ == "__main__":
    main()
