"""The adversarial corpus of tests/data/bad/: each file has an expected outcome in expected.json
(accepted / rejected with reason and line / a clear one-line error), and the counts always add up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import DATA, Cli

BAD = DATA / "bad"
EXPECTED: dict[str, dict[str, Any]] = json.loads((BAD / "expected.json").read_text())


def test_corpus_is_large_enough() -> None:
    assert len(EXPECTED) >= 30
    assert {p.name for p in BAD.iterdir()} >= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_adversarial_file(cli: Cli, db: Path, name: str) -> None:
    case = EXPECTED[name]
    result = cli("ingest", BAD / name, "--db", db, "--json", *case.get("args", []))
    assert "Traceback" not in result.stderr
    if "error" in case:
        assert result.exit_code == case["exit"] if "exit" in case else result.exit_code in (1, 2), result.stdout
        # what was skipped and the summary of what was stored may come first; then the error and its hint
        lines = [x for x in result.stderr.strip().splitlines() if not x.startswith(("skipped ", "ingested "))]
        assert lines[0].startswith("ftaudit: error: ") and case["error"] in lines[0], lines
        assert len(lines) <= 2
        if db.exists():  # nothing of the failed file is stored
            with duckdb.connect(str(db), read_only=True) as con:
                assert con.execute("select count(*) from calls").fetchall()[0][0] == 0
        return
    assert result.exit_code == 0, result.stderr
    if "hint" in case:
        assert case["hint"] in result.stderr and "--replace" in result.stderr, result.stderr
    summary = json.loads(result.stdout)
    if "format" in case:
        assert [f["format"] for f in summary["files"]] == [case["format"]]
    expected_rejects = case.get("rejected", {})
    n_rejected = sum(len(lines) for lines in expected_rejects.values())
    assert summary["rows_accepted"] == case.get("accepted", 0)
    assert summary["rows_duplicate"] == case.get("duplicate", 0)
    assert summary["rows_rejected"] == n_rejected
    assert summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"] + summary["rows_duplicate"]
    rejects = cli.json("rejects", "--db", db)["rejects"]
    got: dict[str, list[int]] = {}
    for r in rejects:
        got.setdefault(r["reason"], []).append(r["source_line"])
    assert got == expected_rejects
    with duckdb.connect(str(db), read_only=True) as con:
        if "ts_utc" in case:
            got_ts = [str(row[0]) for row in con.execute("select ts from calls order by source_line").fetchall()]
            assert got_ts == case["ts_utc"]
        if "workload" in case:
            assert con.execute("select workload from calls").fetchall() == [(case["workload"],)]


def test_twenty_megabyte_single_line(cli: Cli, db: Path, tmp_path: Path) -> None:
    record = json.loads((BAD / "unknown_extra_fields.jsonl").read_text())
    record["choices"][0]["message"]["content"] = "x" * 20_000_000
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(record) + "\n")
    summary = cli.json("ingest", path, "--db", db)
    assert (summary["rows_read"], summary["rows_accepted"]) == (1, 1)


def test_mapped_timestamp_units_agree(cli: Cli, tmp_path: Path) -> None:
    stamps = []
    for name in ("mapped_seconds.csv", "mapped_milliseconds.csv", "mapped_microseconds.csv"):
        db = tmp_path / f"{name}.duckdb"
        cli.json("ingest", BAD / name, "--db", db, *EXPECTED[name]["args"])
        with duckdb.connect(str(db), read_only=True) as con:
            stamps.append(con.execute("select list(ts order by ts) from calls").fetchall()[0][0])
    assert stamps[0] == stamps[1] == stamps[2]
    assert str(stamps[0][0]) == "2026-03-01 08:00:00+00:00"
