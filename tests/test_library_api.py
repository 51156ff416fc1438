"""The notebook path: everything the README's library example does works through `import ftaudit`."""

from __future__ import annotations

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
