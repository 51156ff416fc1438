"""Benchmark: `ftaudit ingest` of OpenAI-family logs vs DuckDB's own `select *` read of the same file.

    python benchmarks/openai_fast.py [--calls 1000000] [--kind pairs|responses|batch] [--demo] [--repeat 2]

Files: the demo's own gateway log (sample_logs/chat_requests.jsonl.gz, gzip and unzipped) with --demo, and
N generated {request, response} pairs (benchmarks/make_openai.py) with --calls. Each contender runs in a fresh
process and a fresh database, alternately, `--repeat` times: `ftaudit ingest FILE --json` as a user runs it,
and `create table t as select * from read_json(FILE)`. Prints the best wall time, the ratio (issue 12: at
most 2x), peak RSS (issue 12: under 2 GB at 1M calls) and whether every call went the fast way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_openai import write_openai

ROOT = Path(__file__).resolve().parent.parent
SELECT_STAR = "create table t as select * from read_json({path!r}, format = 'newline_delimited')"


def timed_child(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of this child alone, stdout."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:4]} failed")
    return wall, usage.ru_maxrss / 1024, out


def bench(path: Path, work: Path, repeat: int) -> None:
    best: dict[str, tuple[float, float]] = {}
    everything_fast = True
    for round_no in range(repeat):
        for name in ("ftaudit", "select *") if round_no % 2 == 0 else ("select *", "ftaudit"):
            db = work / f"{name.replace(' ', '').replace('*', 'star')}.duckdb"
            if name == "ftaudit":
                wall, rss, out = timed_child([sys.executable, "-m", "ftaudit", "ingest", str(path), "--db", str(db), "--json"])
                file = json.loads(out)["files"][0]
                # Batch output has no whole-file stage (its lines are joined to batch_requests): fast line by line
                whole = bool(file["fast_path"]) or file["format"] == "openai_batch_output"
                everything_fast &= whole and file["fast_rows"] == file["rows_accepted"] == file["rows_read"]
            else:
                script = f"import duckdb; duckdb.connect({str(db)!r}).execute({SELECT_STAR.format(path=str(path))!r})"
                wall, rss, _ = timed_child([sys.executable, "-c", script])
            db.unlink()
            old = best.get(name, (float("inf"), 0.0))
            best[name] = (min(old[0], wall), max(old[1], rss))
    (ours, our_rss), (theirs, their_rss) = best["ftaudit"], best["select *"]
    print(f"{path.name:28} {path.stat().st_size / 1e6:8,.0f} MB  ftaudit {ours:6.2f} s {our_rss:6,.0f} MB   "
          f"select * {theirs:6.2f} s {their_rss:6,.0f} MB   {ours / theirs:4.2f}x   all fast: {everything_fast}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=0, help="generated pairs (0: none)")
    parser.add_argument("--kind", choices=["pairs", "responses", "batch"], default="pairs")
    parser.add_argument("--demo", action="store_true", help="the demo's own file, gzip and plain")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        files = []
        if args.demo:
            packed = work / "chat_requests.jsonl.gz"
            shutil.copyfile(ROOT / "sample_logs" / "chat_requests.jsonl.gz", packed)
            plain = work / "chat_requests.jsonl"
            subprocess.run(["gzip", "-dkf", str(packed)], check=True)
            files += [plain, packed]
        if args.calls:
            generated = work / f"{args.kind}_{args.calls}.jsonl"
            write_openai(generated, args.calls, args.kind)
            files.append(generated)
        os.sync()  # no contender pays for writing the files back
        for path in files:
            bench(path, work, args.repeat)


if __name__ == "__main__":
    main()
