"""ftaudit.stats.distributions: the polars side (frames in, frames out, no database). Expected numbers come
from numpy or from arithmetic written out in the test."""

from __future__ import annotations

import csv
from datetime import date

import numpy as np
import polars as pl
import pytest

from ftaudit.stats import distributions as dist
from tests.conftest import REAL_TRACES, needs_real_traces


def _points(workload: str, prefix: str | None, xs: list[int], ys: list[float], calls: int | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {"workload": workload, "prefix_hash": prefix, "calls": calls or len(xs), "variable_chars": xs, "input_tokens": ys},
        schema={"workload": pl.String, "prefix_hash": pl.String, "calls": pl.Int64,
                "variable_chars": pl.Int64, "input_tokens": pl.Float64},
    )


def _cache(rows: list[tuple[str, int, int, int, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, orient="row",
        schema={"workload": pl.String, "calls": pl.Int64, "input_tokens": pl.Int64, "cache_hit_calls": pl.Int64,
                "cache_read_tokens_p50_of_hits": pl.Int64},
    )


def test_token_percentiles_equal_numpy_linear_and_skip_buckets() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    calls = pl.DataFrame({
        "workload": "w", "model": "m", "is_bucket": [False] * len(values) + [True],
        "input_tokens": [*values, 10**9], "cache_read_tokens": 0, "output_tokens": [*values, 10**9],
    })
    row = dist.token_percentiles(calls).row(0, named=True)
    assert row["calls"] == len(values)
    for label, q in (("p50", 50), ("p90", 90), ("p99", 99)):
        assert row[f"input_tokens_{label}"] == pytest.approx(np.percentile(values, q, method="linear"))
    assert row["input_tokens_max"] == 9 and row["cache_read_tokens_p99"] == 0


@needs_real_traces()
def test_polars_percentiles_on_azure_trace_equal_numpy() -> None:
    with (REAL_TRACES / "AzureLLMInferenceTrace_conv.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    context = np.array([int(r["ContextTokens"]) for r in rows])
    calls = pl.DataFrame({"workload": "conv", "model": "m", "input_tokens": context, "cache_read_tokens": 0,
                          "output_tokens": [int(r["GeneratedTokens"]) for r in rows]})
    row = dist.token_percentiles(calls).row(0, named=True)
    assert row["input_tokens_p90"] == pytest.approx(np.percentile(context, 90, method="linear"), rel=1e-12)
    assert row["input_tokens_p99"] == pytest.approx(np.percentile(context, 99, method="linear"), rel=1e-12)


def test_calls_per_day_counts_idle_days_as_zero() -> None:
    daily = pl.DataFrame({"period": [None, None], "workload": "w", "model": "m",
                          "day": [date(2026, 3, 1), date(2026, 3, 3)], "calls": [10, 2]},
                         schema_overrides={"period": pl.Date})
    row = dist.calls_per_day(daily).row(0, named=True)
    assert row["calendar_days"] == 3  # 1st to 3rd inclusive; the 2nd had no calls
    assert row["calls_per_day_mean"] == pytest.approx(12 / 3)
    assert row["calls_per_day_p90"] == pytest.approx(np.percentile([10, 0, 2], 90, method="linear"))


def test_histogram_edges_are_log_spaced() -> None:
    edges = dist.histogram_edges(pl.DataFrame({"bin": [-1, 0, 10, 25]}), bins_per_decade=10)
    assert edges["lower_tokens"].to_list() == pytest.approx([0, 1, 10, 10**2.5])
    assert edges["upper_tokens"].to_list() == pytest.approx([1, 10**0.1, 10**1.1, 10**2.6])


def test_theil_sen_ignores_outliers() -> None:
    xs = list(range(10, 410, 10))
    ys = [500 + 0.25 * x for x in xs]
    ys[3], ys[17], ys[30] = 9000, 0, 4000  # a few wild points do not move the median slope
    fit = dist.theil_sen(_points("w", "p", xs, ys), ["workload", "prefix_hash"]).row(0, named=True)
    assert fit["slope"] == pytest.approx(0.25)
    assert fit["intercept"] == pytest.approx(500)
    too_few = dist.theil_sen(_points("w", "p", xs[:5], ys[:5]), ["workload"]).row(0, named=True)
    assert too_few["slope"] is None and too_few["points"] == 5


def test_method_order_user_regression_cache_none() -> None:
    xs = list(range(20, 20 + 40 * 7, 7))
    samples = pl.concat([
        _points("regressed", "a", xs, [1000 + dist.CHAT_TURN_OVERHEAD_TOKENS + x / 4 for x in xs]),
        _points("given", "b", xs, [50 + x / 4 for x in xs]),
    ])
    cache = _cache([("regressed", 40, 60_000, 30, 896), ("given", 40, 9_000, 0, None),
                    ("cached", 100, 200_000, 80, 1920), ("unknown", 10, 5_000, 2, 1024)])
    est = {r["workload"]: r for r in dist.static_prefix_estimates(samples, cache, {"given": 77}).to_dicts()}
    assert (est["regressed"]["method"], est["regressed"]["prefix_tokens"]) == ("regression", 1000)
    assert est["regressed"]["cache_read_prefix_tokens"] == 896  # every method the data allows is kept
    assert est["regressed"]["share_of_input"] == pytest.approx(1000 / (60_000 / 40))
    assert (est["given"]["method"], est["given"]["prefix_tokens"]) == ("user", 77)
    assert est["given"]["regression_prefix_tokens"] == pytest.approx(50 - dist.CHAT_TURN_OVERHEAD_TOKENS)
    assert (est["cached"]["method"], est["cached"]["prefix_tokens"]) == ("cache_read", 1920)
    assert (est["unknown"]["method"], est["unknown"]["prefix_tokens"]) == ("none", None)  # 2 hits < MIN_CACHE_HITS
    # Each estimate says what it fell back from: no tokenizer is ever available offline.
    assert est["regressed"]["note"].startswith("no prompt text or offline tokenizer")
    assert "lower bound" in est["cached"]["note"] and "--prefix-tokens" in est["unknown"]["note"]


def test_several_prefixes_weighted_by_calls() -> None:
    xs = list(range(100, 100 + 30 * 11, 11))
    overhead = dist.CHAT_TURN_OVERHEAD_TOKENS
    samples = pl.concat([
        _points("w", "a", xs, [1000 + overhead + x / 4 for x in xs], calls=300),
        _points("w", "b", xs, [2000 + overhead + x / 4 for x in xs], calls=100),
        _points("w", None, xs[:3], [overhead + x / 4 for x in xs[:3]], calls=3),  # too few points: left out
    ])
    row = dist.static_prefix_estimates(samples, _cache([("w", 403, 600_000, 0, None)])).row(0, named=True)
    assert row["regression_prefix_tokens"] == pytest.approx((1000 * 300 + 2000 * 100) / 400)
    assert row["regression_calls"] == 400 and row["prefix_variants"] == 3


def test_stats_table_joins_and_derives_rates() -> None:
    keys = {"period": [None], "workload": ["w"], "model": ["m"]}
    percentiles = pl.DataFrame({**keys, "calls": [10], "active_days": [2], "first_day": [date(2026, 3, 1)],
                                "last_day": [date(2026, 3, 3)], "input_tokens_mean": [200.0], "input_tokens": [2000],
                                "cache_read_tokens": [500], "cache_hit_calls": [4]}, schema_overrides={"period": pl.Date})
    per_day = pl.DataFrame({**keys, "calendar_days": [3], "calls_per_day_mean": [10 / 3], "calls_per_day_p90": [5.0]},
                           schema_overrides={"period": pl.Date})
    prefixes = pl.DataFrame({"workload": ["w"], "prefix_tokens": [150], "method": ["regression"]})
    row = dist.stats_table(percentiles, per_day, prefixes).row(0, named=True)
    assert row["calendar_days"] == 3 and row["cache_hit_rate"] == 0.4 and row["cached_share_of_input"] == 0.25
    assert row["prefix_share_of_input"] == 0.75 and row["prefix_method"] == "regression"
