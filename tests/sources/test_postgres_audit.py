"""The monthly audit with LiteLLM's database as its source (`paths = ["postgresql://..."]` in the config):
each run reads only the rows added since the last one, and the report counts every call once."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli, query
from tests.sources.conftest import SpendLogs, spend_rows


def _config(tmp_path: Path, url: str) -> Path:
    config = tmp_path / "ftaudit.toml"
    config.write_text(
        'database = "audit.duckdb"\nreports = "reports"\n'
        f'[[sources]]\npaths = ["{url}"]\nworkload = "classify"\n'
        '[[scenarios]]\nname = "classify"\nworkload = "classify"\nfine_tuned_model = "ft:gpt-4o-mini-2024-07-18"\n'
        'remove_prompt_tokens = 500\ntraining_cost = "1"\n',
        encoding="utf-8",
    )
    return config


def _read_line(stderr: str, label: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith(f"{label} [litellm_spend_logs]: ")]
    return line.split(": ", 1)[1]


def test_second_audit_reads_only_new_rows(cli: Cli, tmp_path: Path, spend_logs: SpendLogs) -> None:
    config = _config(tmp_path, spend_logs.url)
    label = f"{spend_logs.url}?table=LiteLLM_SpendLogs"
    spend_logs.insert(spend_rows(1, 40))  # 38 calls (one failed, one without a model)

    first = cli("audit", "--config", config, "--month", "2026-11")
    assert first.exit_code == 0, first.stderr
    assert _read_line(first.stderr, label) == "40 read, 38 accepted, 2 rejected, 0 duplicate"

    spend_logs.insert(spend_rows(41, 15))
    second = cli("audit", "--config", config, "--month", "2026-11")
    assert second.exit_code == 0, second.stderr
    assert _read_line(second.stderr, label) == "15 read, 15 accepted, 0 rejected, 0 duplicate"
    db = tmp_path / "audit.duckdb"
    assert query(db, "select count(*), count(distinct call_id) from calls") == [(53, 53)]
    month = json.loads((tmp_path / "reports" / "2026-11.json").read_text(encoding="utf-8"))["month"]
    assert month["calls"] == [{"workload": "classify", "calls": 53}]

    third = cli("audit", "--config", config, "--month", "2026-11")
    assert third.exit_code == 0, third.stderr
    assert _read_line(third.stderr, label) == "0 read, 0 accepted, 0 rejected, 0 duplicate"
    assert query(db, "select rows_read from source_marks") == [(55,)]
