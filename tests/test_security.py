"""Privacy and injection: prompt text is stored only with --keep-text; values from logs and from the
command line are bound, never spliced into SQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from tests.conftest import DATA, Cli

PAIRS = DATA / "openai" / "chat_pairs.jsonl"
CANARY = b"CANARY-7f3e9"


def test_prompt_text_is_not_stored_by_default(cli: Cli, db: Path) -> None:
    assert CANARY in PAIRS.read_bytes()
    cli.json("ingest", PAIRS, "--db", db)
    assert CANARY not in db.read_bytes()
    wal = db.with_suffix(".duckdb.wal")
    assert not wal.exists() or CANARY not in wal.read_bytes()


def test_keep_text_stores_the_records(cli: Cli, db: Path) -> None:
    cli.json("ingest", PAIRS, "--db", db, "--keep-text")
    with duckdb.connect(str(db), read_only=True) as con:
        texts = [row[0] for row in con.execute("select record::varchar from call_texts order by source_line").fetchall()]
    assert len(texts) == 5
    assert any(CANARY.decode() in t for t in texts)


def test_hostile_workload_name_and_path_are_data(cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "it's; drop table calls; --\"x"
    hostile.mkdir()
    log = hostile / "log'; delete from calls; --.jsonl"
    shutil.copy(DATA / "openai" / "chat_responses.jsonl", log)
    db = hostile / "db'; --.duckdb"
    name = "w'); drop table calls; --"
    summary = cli.json("ingest", log, "--db", db, "--workload", name)
    assert summary["rows_accepted"] == 20
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select distinct workload, source_file from calls").fetchall() == [(name, str(log))]
    rejects = cli.json("rejects", "--db", db, "--file", "'; delete from rejects; --")
    assert rejects == {"rejects": []}


def test_ingest_summary_json_escapes_nothing_it_should_not(cli: Cli, db: Path) -> None:
    summary = cli.json("ingest", DATA / "bad" / "html_in_model.jsonl", "--db", db)
    assert json.dumps(summary)  # machine output stays valid JSON whatever the log held
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select model from calls").fetchall() == [("<script>alert(1)</script>",)]
