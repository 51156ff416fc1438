"""`replay(..., until=T)` sees exactly what a database holding only the calls before T would."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import ftaudit
from tests.conftest import DATA

SCENARIO = {"fine_tuned_model": "ft:gpt-4o-mini-2024-07-18", "remove_prompt_tokens": 300, "training_cost": "0.01"}


def test_until_equals_a_database_cut_at_that_time(tmp_path: Path) -> None:
    lines = (DATA / "openai" / "chat_responses.jsonl").read_text().splitlines()
    cut = json.loads(lines[12])["created"]  # calls 1..12 are before it
    (tmp_path / "early.jsonl").write_text("\n".join(lines[:12]) + "\n")
    scenario = ftaudit.make_scenario(SCENARIO)
    with ftaudit.open_store(tmp_path / "all.duckdb") as store:
        ftaudit.ingest(store, [DATA / "openai" / "chat_responses.jsonl"])
        until = ftaudit.replay(store, scenario, until=datetime.fromtimestamp(cut, UTC)).summary()
        everything = ftaudit.replay(store, scenario).summary()
    with ftaudit.open_store(tmp_path / "early.duckdb") as store:
        ftaudit.ingest(store, [tmp_path / "early.jsonl"])
        early = ftaudit.replay(store, scenario).summary()
    assert until == early
    assert until["calls"] == 12 and everything["calls"] == 20
