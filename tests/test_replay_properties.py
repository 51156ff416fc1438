"""Properties of a replay, on random calls ingested for real (library ingest into a fresh database):
a fine-tune priced like its base with nothing removed saves exactly 0; doubling every rate doubles every
cost; per-workload costs add up to the total."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftaudit
from ftaudit.prices.catalog import load_prices
from ftaudit.prices.genai import genai_lookup
from ftaudit.replay.run import replay
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import Store, open_store

MODEL = "acme-llm-1"  # no price anywhere but the test's --prices FILE
FT = "ft:acme-llm-1"
START = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
MONEY_FIELDS = (
    "base_cost_usd",
    "fine_tuned_inference_cost_usd",
    "training_cost_usd",
    "hosting_cost_usd",
    "storage_cost_usd",
    "fine_tuned_total_cost_usd",
    "net_savings_usd",
)

calls_strategy = st.lists(
    st.tuples(
        st.integers(0, 4000),
        st.integers(0, 100),
        st.integers(0, 1500),
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 9 * 86400),
    ),
    min_size=1,
    max_size=12,
)
rates_strategy = st.tuples(*[st.decimals(min_value=0, max_value=20, places=4) for _ in range(3)])
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def store_with(calls: list[tuple[int, int, int, str, int]]) -> Iterator[tuple[Store, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        pl.DataFrame(
            {
                "ts": [START + c[4] for c in calls],
                "input_tokens": [c[0] for c in calls],
                "cache_read_tokens": [c[0] * c[1] // 100 for c in calls],
                "output_tokens": [c[2] for c in calls],
                "workload": [c[3] for c in calls],
                "call_id": [f"c{i}" for i in range(len(calls))],
            }
        ).write_csv(path / "calls.csv")
        with open_store(path / "db.duckdb") as store:
            mapping = {k: k for k in ("ts", "input_tokens", "cache_read_tokens", "output_tokens", "workload", "call_id")}
            ftaudit.ingest(
                store, [path / "calls.csv"], ftaudit.IngestOptions(mapping=mapping, model=MODEL, workload_from="workload")
            )
            yield store, path


def prices_file(path: Path, base: tuple[Decimal, ...], ft: tuple[Decimal, ...], extra: str = "") -> Path:
    def table(name: str, r: tuple[Decimal, ...]) -> str:
        return f'[models."{name}"]\ninput_mtok = "{r[0]}"\ncache_read_mtok = "{r[1]}"\noutput_mtok = "{r[2]}"\n'

    target = path / f"prices-{len(list(path.iterdir()))}.toml"
    target.write_text(table(MODEL, base) + table(FT, ft) + extra)
    return target


def run(store: Store, prices: Path, **scenario: Any) -> dict[str, Any]:
    chosen = load_scenario(None, fine_tuned_model=FT, **scenario)
    return replay(store, chosen, prices=load_prices(prices)).summary()


def test_the_test_model_is_unknown_to_genai_prices() -> None:
    assert genai_lookup(None, MODEL) is None and genai_lookup("openai", FT) is None


@PROPERTY
@given(calls=calls_strategy, rates=rates_strategy)
def test_base_priced_fine_tune_with_nothing_removed_saves_exactly_zero(calls: list[Any], rates: tuple[Decimal, ...]) -> None:
    with store_with(calls) as (store, path):
        out = run(store, prices_file(path, rates, rates), training_cost="0")
    assert Decimal(out["net_savings_per_call_usd"]) == 0
    assert out["base_cost_usd"] == out["fine_tuned_inference_cost_usd"]
    assert all(d["base_cost_usd"] == d["fine_tuned_cost_usd"] for d in out["daily"])
    assert all(Decimal(w["net_usd"]) == 0 for w in out["workloads"])
    expected = sum(
        (Decimal(c[0] - c[0] * c[1] // 100) * rates[0] + Decimal(c[0] * c[1] // 100) * rates[1] + Decimal(c[2]) * rates[2])
        / 10**6
        for c in calls
    )
    assert Decimal(out["base_cost_usd"]) == expected


@PROPERTY
@given(
    calls=calls_strategy,
    base=rates_strategy,
    ft=rates_strategy,
    removed=st.integers(0, 3000),
    ratio=st.decimals(min_value=0, max_value=3, places=2),
    training=st.decimals(min_value=0, max_value=50, places=4),
    hourly=st.decimals(min_value=0, max_value=3, places=4),
)
def test_doubling_every_rate_doubles_every_cost(
    calls: list[Any],
    base: tuple[Decimal, ...],
    ft: tuple[Decimal, ...],
    removed: int,
    ratio: Decimal,
    training: Decimal,
    hourly: Decimal,
) -> None:
    def terms(k: int) -> str:  # appended to the last table, the fine-tune's
        return f'training_mtok = "{training * k}"\nhosting_per_hour = "{hourly * k}"\nstorage_per_month = "{hourly * k}"\n'

    scenario = {"remove_prompt_tokens": str(removed), "output_ratio": str(ratio), "training_tokens": "123457", "epochs": "3"}
    with store_with(calls) as (store, path):
        once = run(store, prices_file(path, base, ft, terms(1)), **scenario)
        twice = run(store, prices_file(path, tuple(2 * r for r in base), tuple(2 * r for r in ft), terms(2)), **scenario)
    for name in MONEY_FIELDS:
        assert Decimal(twice[name]) == 2 * Decimal(once[name]), name
    for a, b in zip(once["daily"], twice["daily"], strict=True):
        assert Decimal(b["base_cost_usd"]) == 2 * Decimal(a["base_cost_usd"])
        assert Decimal(b["fine_tuned_cost_usd"]) == 2 * Decimal(a["fine_tuned_cost_usd"])
        assert Decimal(b["cumulative_net_usd"]) == 2 * Decimal(a["cumulative_net_usd"])


@PROPERTY
@given(calls=calls_strategy, base=rates_strategy, ft=rates_strategy, removed=st.integers(0, 3000))
def test_per_workload_costs_add_up_to_the_total(
    calls: list[Any], base: tuple[Decimal, ...], ft: tuple[Decimal, ...], removed: int
) -> None:
    with store_with(calls) as (store, path):
        prices = prices_file(path, base, ft)
        total = run(store, prices, training_cost="1", remove_prompt_tokens=str(removed))
        each = [
            run(store, prices, training_cost="1", remove_prompt_tokens=str(removed), workload=w)
            for w in sorted({c[3] for c in calls})
        ]
    for field, column in (("base_cost_usd", "base_cost_usd"), ("fine_tuned_inference_cost_usd", "fine_tuned_cost_usd")):
        assert sum(Decimal(w[column]) for w in total["workloads"]) == Decimal(total[field])
        assert sum(Decimal(e[field]) for e in each) == Decimal(total[field])
    assert sum(e["calls"] for e in each) == total["calls"] == len(calls)
