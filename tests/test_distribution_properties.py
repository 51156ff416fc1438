"""Hypothesis properties of token distributions: percentiles are ordered, per-workload counts add up
to the total, and the static-prefix regression recovers a known static part."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftaudit.stats import distributions as dist
from ftaudit.stats.workloads import token_distributions, token_histograms, workloads
from ftaudit.store.connection import open_store
from tests.test_workloads import insert_calls

WORKLOADS = st.sampled_from(["alpha", "beta", "gamma"])
TOKENS = st.integers(min_value=0, max_value=200_000)


@st.composite
def calls(draw: st.DrawFn, max_size: int = 60) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=max_size))):
        input_tokens = draw(TOKENS)
        rows.append({
            "workload": draw(WORKLOADS),
            "model": draw(st.sampled_from(["m1", "m2"])),
            "input_tokens": input_tokens,
            "cache_read_tokens": draw(st.integers(min_value=0, max_value=input_tokens)),
            "output_tokens": draw(TOKENS),
            "is_bucket": draw(st.integers(min_value=0, max_value=9)) == 0,  # about one row in ten
        })
    return rows


def _assert_ordered(row: dict[str, Any]) -> None:
    for kind in dist.TOKEN_KINDS:
        p50, p90, p99, top = (row[f"{kind}_{q}"] for q in ("p50", "p90", "p99", "max"))
        assert p50 <= p90 <= p99 <= top + 1e-9 * max(top, 1), (kind, p50, p90, p99, top)


@given(calls(max_size=200))
def test_polars_percentiles_are_ordered_and_counts_add_up(rows: list[dict[str, Any]]) -> None:
    frame = pl.DataFrame(rows)
    table = dist.token_percentiles(frame)
    for row in table.iter_rows(named=True):
        _assert_ordered(row)
    assert table["calls"].sum() == sum(not r["is_bucket"] for r in rows)


@settings(max_examples=25, deadline=None)
@given(calls())
def test_store_percentiles_are_ordered_and_counts_add_up(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "p.duckdb") as store:
        insert_calls(store, rows)
        table = token_distributions(store)
        listing = workloads(store)
        hist = token_histograms(store)
    per_call = sum(not r["is_bucket"] for r in rows)
    for row in table.iter_rows(named=True):
        _assert_ordered(row)
        assert row["calls_per_day_mean"] * row["calendar_days"] == pytest.approx(row["calls"])
    assert table["calls"].sum() == per_call
    assert listing["calls"].sum() == per_call and listing["bucket_rows"].sum() == len(rows) - per_call
    for kind in dist.TOKEN_KINDS:
        assert hist.filter(pl.col("metric") == kind)["calls"].sum() == per_call


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.integers(min_value=0, max_value=8_000),
    tokens_per_char=st.floats(min_value=0.2, max_value=0.4),
    points=st.lists(
        st.tuples(st.integers(min_value=1, max_value=4_000), st.integers(min_value=-2, max_value=2)),
        min_size=dist.MIN_REGRESSION_CALLS, max_size=300, unique_by=lambda p: p[0],
    ),
)
def test_prefix_regression_recovers_known_static_part(
    prefix: int, tokens_per_char: float, points: list[tuple[int, int]]
) -> None:
    overhead = dist.CHAT_TURN_OVERHEAD_TOKENS
    xs = [x for x, _ in points]
    ys = [prefix + overhead + math.floor(tokens_per_char * x) + noise for x, noise in points]
    samples = pl.DataFrame({"workload": "w", "prefix_hash": "p", "calls": len(xs), "variable_chars": xs,
                            "input_tokens": ys})
    cache = pl.DataFrame({"workload": ["w"], "calls": [len(xs)], "input_tokens": [sum(ys)],
                          "cache_hit_calls": [0], "cache_read_tokens_p50_of_hits": [None]},
                         schema_overrides={"cache_read_tokens_p50_of_hits": pl.Int64})
    row = dist.static_prefix_estimates(samples, cache).row(0, named=True)
    assert row["method"] == "regression"
    # Noise of +-2 tokens and the floor's rounding: a few tokens, never a share of the prefix.
    assert abs(row["regression_prefix_tokens"] - prefix) <= 4 + 0.002 * prefix, row
