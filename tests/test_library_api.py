"""The notebook path: everything the README's library example does works through `import ftaudit`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ftaudit
from tests.conftest import DATA, Cli


def test_notebook_flow_matches_the_cli(cli: Cli, db: Path) -> None:
    with ftaudit.open_store(db) as store:
        result = ftaudit.ingest(store, [DATA / "openai" / "chat_pairs.jsonl"], ftaudit.IngestOptions(workload_from="feature"))
        assert result.summary()["rows_accepted"] == 5
        names = ftaudit.workloads(store)
        assert sorted(names["workload"].to_list()) == ["reply-drafter", "ticket-classifier"]
        distributions = ftaudit.token_distributions(store)
        assert int(distributions["calls"].sum()) == 5
        summary = ftaudit.replay(store, ftaudit.make_scenario({"fine_tuned_model": "ft:gpt-4o-mini-2024-07-18",
                                                               "workload": "ticket-classifier", "training_cost": "5"})).summary()
    assert summary == cli.json("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18",
                               "--workload", "ticket-classifier", "--training-cost", "5")
    assert summary["calls"] == 4


def test_the_command_line_and_ingestion_start_without_polars(tmp_path: Path) -> None:
    """`ftaudit --help` and `ftaudit ingest` are the commands a cron job runs most: they must not pay
    for loading polars, the replay or the report (0.1 s of every start)."""
    script = (
        "import sys, ftaudit, ftaudit.cli\n"
        f"with ftaudit.open_store({str(tmp_path / 'x.duckdb')!r}) as store:\n"
        f"    ftaudit.ingest(store, [{str(DATA / 'openai' / 'chat_responses.jsonl')!r}])\n"
        "print(sorted(m for m in ('polars', 'plotly', 'ftaudit.replay.run', 'ftaudit.report') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_lazy_exports_stay_the_functions_after_their_modules_are_imported() -> None:
    import ftaudit.replay.run
    import ftaudit.stats.workloads

    assert callable(ftaudit.replay) and ftaudit.replay.__module__ == "ftaudit.replay"  # not the package
    assert ftaudit.workloads is ftaudit.stats.workloads.workloads
    assert set(ftaudit.__all__) <= set(dir(ftaudit)) | set(ftaudit._LAZY)
