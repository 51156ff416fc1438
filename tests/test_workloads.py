"""ftaudit.stats.workloads: workloads, renames, per-workload distributions and prefix estimates, read from a
real database. Expected numbers come from the files themselves (csv/json + numpy), never from ftaudit."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

import ftaudit
from ftaudit.errors import UsageError
from ftaudit.stats.workloads import (
    Filters,
    bucket_totals,
    daily_usage,
    rename_workload,
    static_prefix_estimates,
    token_distributions,
    token_histograms,
    workloads,
)
from ftaudit.store.connection import Store, open_store
from tests.conftest import DATA, REAL_TRACES, SAMPLE_LOGS, needs_real_traces

TWO_PROMPTS = DATA / "distributions" / "two_prompts.jsonl.gz"
AZURE_CONV = REAL_TRACES / "AzureLLMInferenceTrace_conv.csv"
AZURE_MAP = ["ts=TIMESTAMP", "input_tokens=ContextTokens", "output_tokens=GeneratedTokens"]

_CALL_DEFAULTS: dict[str, Any] = {
    "provider": "openai", "model": "gpt-4o-mini-2024-07-18", "base_model": "gpt-4o-mini-2024-07-18",
    "is_fine_tuned": False, "workload": "w", "is_bucket": False, "request_count": 1, "input_tokens": 100,
    "cache_read_tokens": 0, "cache_write_tokens": 0, "cache_write_1h_tokens": 0, "output_tokens": 10,
    "reasoning_tokens": 0, "is_batch": False, "latency_ms": None, "prefix_hash": None, "prefix_chars": None,
    "variable_chars": None, "content_hash": 0, "file_id": 0, "source_file": "test", "source_line": 0,
}


def insert_calls(store: Store, rows: list[dict[str, Any]]) -> None:
    """Put calls straight into the table (for shapes no reader produces yet, such as bucket rows)."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    full = [
        {**_CALL_DEFAULTS, "call_id": f"t-{i}", "ts": start + timedelta(hours=i), "source_line": i,
         "ingested_at": start, **row}
        for i, row in enumerate(rows)
    ]
    frame = pl.DataFrame(full, infer_schema_length=None)
    store.con.register("new_calls", frame)
    store.con.execute("insert into calls by name select * from new_calls")
    store.con.unregister("new_calls")


def ingest(db: Path, *paths: Path, **options: Any) -> None:
    with open_store(db) as store:
        ftaudit.ingest(store, list(paths), ftaudit.IngestOptions(**options))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    ingest(db, SAMPLE_LOGS)
    return db


@pytest.fixture
def two_prompts(db: Path) -> Iterator[Store]:
    ingest(db, TWO_PROMPTS, workload_from="feature")
    with open_store(db) as store:
        yield store


@pytest.mark.slow
def test_sample_logs_prefix_estimates_within_3_percent_of_generator(sample_db: Path) -> None:
    manifest = json.loads((SAMPLE_LOGS / "MANIFEST.json").read_text())
    by_model = {w["model"]: w for w in manifest["workloads"]}
    with open_store(sample_db, read_only=True) as store:
        listing = workloads(store)
        estimates = static_prefix_estimates(store)
    auto = listing.filter(pl.col("named_by").list.contains("prefix hash"))
    assert auto.height == len(manifest["workloads"])  # one auto-detected workload per generator prompt
    for row in auto.iter_rows(named=True):
        (model,) = row["models"]
        expected = by_model[model]["prefix_tokens"]
        estimate = estimates.row(by_predicate=pl.col("workload") == row["workload"], named=True)
        assert estimate["method"] == "regression"
        assert abs(estimate["prefix_tokens"] - expected) <= 0.03 * expected, (row["workload"], estimate, expected)


@pytest.mark.slow
def test_sample_logs_call_counts_match_manifest(sample_db: Path) -> None:
    manifest = json.loads((SAMPLE_LOGS / "MANIFEST.json").read_text())
    expected_calls = sum(f["calls"] for w in manifest["workloads"] for f in w["files"].values())
    with open_store(sample_db, read_only=True) as store:
        assert workloads(store)["calls"].sum() == expected_calls
        assert token_distributions(store)["calls"].sum() == expected_calls


def _azure_conv_columns() -> tuple[np.ndarray, np.ndarray]:
    with AZURE_CONV.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return (np.array([int(r["ContextTokens"]) for r in rows]), np.array([int(r["GeneratedTokens"]) for r in rows]))


@needs_real_traces()
def test_azure_conversation_percentiles_equal_numpy_linear(db: Path) -> None:
    ingest(db, AZURE_CONV, mapping=dict(m.split("=") for m in AZURE_MAP), model="gpt-4o-2024-08-06")
    context, generated = _azure_conv_columns()
    with open_store(db, read_only=True) as store:
        (row,) = token_distributions(store).to_dicts()
        hist_input = token_histograms(store, bins_per_decade=10).filter(pl.col("metric") == "input_tokens")
    assert row["calls"] == len(context) == 19366
    for name, values in (("input_tokens", context), ("output_tokens", generated)):
        for label, q in (("p50", 50), ("p90", 90), ("p99", 99)):
            assert row[f"{name}_{label}"] == pytest.approx(np.percentile(values, q, method="linear"), rel=1e-12)
        assert row[f"{name}_max"] == values.max()
    assert row["cache_read_tokens_p99"] == 0 and row["cache_hit_rate"] == 0
    assert row["prefix_method"] == "none" and row["prefix_tokens"] is None  # no text, no cache: no estimate
    # Histogram: the same log-spaced bins computed independently.
    bins, counts = np.unique(np.floor(np.log10(context) * 10).astype(int), return_counts=True)
    assert hist_input["bin"].to_list() == bins.tolist()
    assert hist_input["calls"].to_list() == counts.tolist()


def test_prefix_estimates_on_known_prompts(two_prompts: Store) -> None:
    est = {r["workload"]: r for r in static_prefix_estimates(two_prompts).to_dicts()}
    assert set(est) == {"support-bot", "summarizer"}
    assert est["support-bot"]["method"] == "regression"
    assert est["support-bot"]["prefix_tokens"] == 1169  # built exactly, see make_two_prompts.py
    assert est["support-bot"]["cache_read_prefix_tokens"] == 1152  # the 128-step lower bound
    assert est["summarizer"]["prefix_tokens"] == 303
    assert est["summarizer"]["cache_read_prefix_tokens"] is None  # never cached
    given = static_prefix_estimates(two_prompts, user_prefix_tokens={"summarizer": 250})
    assert given.filter(pl.col("workload") == "summarizer")[["prefix_tokens", "method"]].row(0) == (250, "user")
    with pytest.raises(UsageError, match="no workload"):
        static_prefix_estimates(two_prompts, user_prefix_tokens={"nope": 1})


def test_share_of_input_is_prefix_over_mean_input(two_prompts: Store) -> None:
    dist = token_distributions(two_prompts).filter(pl.col("workload") == "support-bot").row(0, named=True)
    assert dist["prefix_share_of_input"] == pytest.approx(1169 / (dist["input_tokens"] / dist["calls"]))


def test_named_by_reports_the_rule(db: Path) -> None:
    ingest(db, TWO_PROMPTS)  # no options: auto-named by the prefix hash
    ingest(db, DATA / "openai" / "chat_responses.jsonl", workload="responses")
    with open_store(db, read_only=True) as store:
        listing = {r["workload"]: r for r in workloads(store).to_dicts()}
    assert listing["responses"]["named_by"] == ["ingest --workload"]
    prefixed = [r for name, r in listing.items() if name.startswith("prefix-")]
    assert len(prefixed) == 2 and all(r["named_by"] == ["prefix hash"] for r in prefixed)


def test_rename_persists_applies_to_later_ingests_and_refuses_merges(db: Path) -> None:
    ingest(db, TWO_PROMPTS)
    with open_store(db) as store:
        auto = workloads(store).sort("calls", descending=True)["workload"].to_list()
        assert rename_workload(store, auto[0], "support") == [auto[0]]
        with pytest.raises(UsageError, match="no workload named"):
            rename_workload(store, "nope", "x")
        with pytest.raises(UsageError, match="already exists"):
            rename_workload(store, "support", auto[1])
    with open_store(db, read_only=True) as store:  # a new connection: the rename is in the file
        assert set(workloads(store)["workload"]) == {"support", auto[1]}
        assert "support" in token_distributions(store)["workload"].to_list()
        assert token_distributions(store, Filters(workload="support"))["calls"].sum() == 40
    # A later ingest of calls with the same ingest-time name shows the new name.
    with open_store(db) as store:
        insert_calls(store, [{"workload": auto[0], "call_id": "later-1"}])
        assert workloads(store).filter(pl.col("workload") == "support")["calls"].item() == 41
        rename_workload(store, "support", auto[0])  # back to the original: no rename left
        assert store.con.execute("select count(*) from workload_names").fetchall() == [(0,)]


def test_bucket_rows_are_kept_out_of_distributions(db: Path) -> None:
    with open_store(db) as store:
        insert_calls(store, [{"input_tokens": 100 + i} for i in range(10)]
                     + [{"is_bucket": True, "request_count": 500, "input_tokens": 10**7, "output_tokens": 10**6}])
        dist = token_distributions(store).row(0, named=True)
        buckets = bucket_totals(store).row(0, named=True)
        daily = daily_usage(store)
    assert dist["calls"] == 10 and dist["input_tokens_max"] == 109
    assert buckets["bucket_rows"] == 1 and buckets["requests"] == 500 and buckets["input_tokens"] == 10**7
    assert daily["calls"].sum() == 10 and daily["bucket_requests"].sum() == 500
    assert daily["input_tokens"].sum() == sum(100 + i for i in range(10)) + 10**7


def test_filters_and_periods(two_prompts: Store) -> None:
    since, until = datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC)
    daily = daily_usage(two_prompts)
    window = daily.filter((pl.col("day") >= since.date()) & (pl.col("day") < until.date()))
    filtered = token_distributions(two_prompts, Filters(since=since, until=until))
    assert filtered["calls"].sum() == window["calls"].sum()
    by_day = token_distributions(two_prompts, by="day")
    assert by_day["calls"].sum() == 70 and by_day["period"].null_count() == 0
    assert (by_day["calendar_days"] == 1).all()
    only = token_distributions(two_prompts, Filters(model="gpt-4o-2024-08-06"))
    assert only["workload"].to_list() == ["summarizer"]
    for bad, by in ((Filters(model="gpt-9"), None), (Filters(workload="nope"), None), (Filters(), "year"),
                    (Filters(since=until, until=since), None)):
        with pytest.raises(UsageError):
            token_distributions(two_prompts, bad, by=by)


def test_histogram_size_follows_bins_not_calls(two_prompts: Store) -> None:
    hist = token_histograms(two_prompts, bins_per_decade=5)
    assert hist.group_by("workload", "metric").agg(pl.col("calls").sum())["calls"].to_list().count(40) == 3
    assert hist.height <= 2 * 3 * (5 * 4 + 1)  # workloads x kinds x (bins over 4 decades + zero)
    ratios = hist.filter(pl.col("bin") >= 0).select(pl.col("upper_tokens") / pl.col("lower_tokens")).to_series()
    assert ratios.to_list() == pytest.approx([10 ** (1 / 5)] * len(ratios))
    assert hist.filter(pl.col("bin") == -1)[["lower_tokens", "upper_tokens"]].unique().rows() == [(0.0, 1.0)]
