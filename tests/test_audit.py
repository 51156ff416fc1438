"""The monthly audit job: idempotent (second run ingests nothing and writes the same bytes apart from the
generation time), replays up to the end of the month only, compares with the previous audit, exits 3
over the reject limit, and names the bad key of a config.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ftaudit.audit import last_complete_month, load_config, parse_month
from ftaudit.errors import UsageError
from tests.conftest import DATA, ROOT, Cli
from tests.test_report import two_workload_lines, write_log, write_scenario

PER_DAY = 6  # calls per workload per day in the generated logs
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")  # the injected generation time


def _setup(tmp_path: Path, *, max_rejects: int | None = None, extra_source: str = "") -> Path:
    """Logs for September and October 2026 in two files, one scenario file and one inline scenario."""
    logs = tmp_path / "logs"
    logs.mkdir()
    write_log(logs / "2026-09.jsonl", two_workload_lines(datetime(2026, 9, 1, tzinfo=UTC), 30, PER_DAY))
    write_log(logs / "2026-10.jsonl", two_workload_lines(datetime(2026, 10, 1, tzinfo=UTC), 31, PER_DAY, start_n=10_000))
    (tmp_path / "scenarios").mkdir()
    write_scenario(
        tmp_path / "scenarios" / "classify.toml",
        name="classify",
        workload="classify",
        fine_tuned_model="ft:gpt-4o-mini-2024-07-18",
        remove_prompt_tokens=1000,
        training_cost="0.20",
    )
    limit = f"max_rejects = {max_rejects}\n" if max_rejects is not None else ""
    config = tmp_path / "ftaudit.toml"
    config.write_text(
        f'database = "audit.duckdb"\nreports = "reports"\ntitle = "Monthly audit"\n{limit}'
        '[[sources]]\npaths = ["logs/*.jsonl"]\nworkload_from = "feature"\n'
        f"{extra_source}"
        '[[scenarios]]\nfile = "scenarios/classify.toml"\n'
        '[[scenarios]]\nname = "draft distilled"\nworkload = "draft"\nfine_tuned_model = "ft:gpt-4o-mini-2024-07-18"\n'
        'remove_prompt_tokens = 100\ntraining_cost = "25"\n',
        encoding="utf-8",
    )
    return config


def _without_time(text: str) -> str:
    return STAMP.sub("<generated>", text)


def test_second_run_ingests_nothing_and_writes_the_same_bytes(cli: Cli, tmp_path: Path) -> None:
    config = _setup(tmp_path)
    first = cli("audit", "--config", config, "--month", "2026-10")
    assert first.exit_code == 0, first.stderr
    html_path, json_path = tmp_path / "reports" / "2026-10.html", tmp_path / "reports" / "2026-10.json"
    page, twin = html_path.read_bytes(), json_path.read_text(encoding="utf-8")
    assert "ingested 2 new file(s)" in first.stderr

    second = cli("audit", "--config", config, "--month", "2026-10")
    assert second.exit_code == 0, second.stderr
    assert "ingested 0 new file(s), 0 calls" in second.stderr
    assert second.stderr.count("already ingested") == 2
    assert _without_time(html_path.read_text(encoding="utf-8")) == _without_time(page.decode("utf-8"))
    assert _without_time(json_path.read_text(encoding="utf-8")) == _without_time(twin)
    assert second.stdout == first.stdout  # the verdicts


def test_replays_up_to_the_end_of_the_month_and_compares_with_the_previous_audit(cli: Cli, tmp_path: Path) -> None:
    config = _setup(tmp_path)
    assert cli("audit", "--config", config, "--month", "2026-09").exit_code == 0
    september = json.loads((tmp_path / "reports" / "2026-09.json").read_text(encoding="utf-8"))
    for block in september["scenarios"]:  # October's calls are already in the database, but not in September's audit
        assert block["replay"]["end_date"] == "2026-09-30"
    assert september["window"]["last_day"] == "2026-09-30"
    assert september["month_over_month"]["previous_found"] is False

    assert cli("audit", "--config", config, "--month", "2026-10").exit_code == 0
    october = json.loads((tmp_path / "reports" / "2026-10.json").read_text(encoding="utf-8"))
    mom = october["month_over_month"]
    assert mom["previous_found"] is True and mom["previous_month"] == "2026-09"
    volume = {r["workload"]: (r["previous_calls"], r["calls"]) for r in mom["volume"]}
    assert volume == {"classify": (30 * PER_DAY, 31 * PER_DAY), "draft": (30 * PER_DAY, 31 * PER_DAY)}
    assert {r["scenario"] for r in mom["break_even"]} == {"classify", "draft distilled"}
    assert all(r["previous"] != "—" for r in mom["break_even"])
    page = (tmp_path / "reports" / "2026-10.html").read_text(encoding="utf-8")
    assert '<section id="month-over-month">' in page and 'href="#month-over-month"' in page


def test_exit_code_3_when_rejects_exceed_the_limit_and_the_report_is_still_written(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(DATA / "openai" / "malformed.jsonl", bad / "malformed.jsonl")
    config = _setup(tmp_path, max_rejects=0, extra_source='[[sources]]\npaths = ["bad/malformed.jsonl"]\n')
    result = cli("audit", "--config", config, "--month", "2026-10", "--quiet")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("ftaudit: error: this audit rejected ")
    assert "max_rejects = 0" in result.stderr
    twin = json.loads((tmp_path / "reports" / "2026-10.json").read_text(encoding="utf-8"))
    assert twin["data_quality"]["totals"]["rows_rejected"] > 0


def test_quiet_prints_nothing_on_success(cli: Cli, tmp_path: Path) -> None:
    result = cli("audit", "--config", _setup(tmp_path), "--month", "2026-10", "--quiet")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            'databse = "x.duckdb"\n[[scenarios]]\nfine_tuned_model = "ft:gpt-4o-mini"\n',
            "unknown key `databse`; did you mean `database`?",
        ),
        (
            '[[sources]]\npaths = ["logs"]\nformt = "openai_chat"\n[[scenarios]]\nfine_tuned_model = "ft:gpt-4o-mini"\n',
            "sources[1]: unknown key `formt`; did you mean `format`?",
        ),
        ('[[scenarios]]\nfine_tuned_modle = "ft:gpt-4o-mini"\n', "scenarios[1]: unknown scenario key `fine_tuned_modle`"),
        ('max_rejects = "ten"\n[[scenarios]]\nfine_tuned_model = "ft:gpt-4o-mini"\n', "`max_rejects` must be a whole number"),
        (
            '[[sources]]\npaths = ["x.csv"]\nmap = { ts = "T", tokens = "N" }\n[[scenarios]]\nfine_tuned_model = "ft:m"\n',
            "sources[1]: --map names unknown field(s): tokens",
        ),
        ('title = "no scenarios"\n', "`scenarios` must be one or more [[scenarios]] tables"),
    ],
)
def test_a_bad_config_names_the_key(cli: Cli, tmp_path: Path, text: str, named: str) -> None:
    config = tmp_path / "ftaudit.toml"
    config.write_text(text, encoding="utf-8")
    result = cli("audit", "--config", config)
    assert result.exit_code == 1
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(f"ftaudit: error: {config}: ")
    assert named in first_line
    assert "Traceback" not in result.stderr


def test_the_example_config_is_valid() -> None:
    config = load_config(ROOT / "ftaudit.example.toml")
    assert [s.name for s in config.scenarios] == ["classify: fine-tuned gpt-4o-mini", "draft: distil gpt-4o into gpt-4o-mini"]
    assert config.database == ROOT / "ftaudit.duckdb"
    assert len(config.sources) == 3
    assert config.sources[2].paths == ("postgresql://ftaudit_reader@litellm-db.internal/litellm",)  # a URL stays a URL


def test_default_month_is_the_last_complete_one() -> None:
    assert last_complete_month(date(2026, 11, 29)) == date(2026, 10, 1)
    assert last_complete_month(date(2027, 1, 1)) == date(2026, 12, 1)
    assert parse_month("2026-02") == date(2026, 2, 1)
    with pytest.raises(UsageError, match="is not YYYY-MM"):
        parse_month("2026-13")
