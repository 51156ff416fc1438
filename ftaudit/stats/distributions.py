"""Token distributions from frames: percentiles, calls per day, histogram bin edges, the stats table.

Polars only: it takes frames (from the named queries `ftaudit.stats.workloads` runs, or a notebook user's
own) and never opens the database. Every percentile here and in the queries behind it is linear
interpolation between the two nearest ranks: numpy's default method 'linear', DuckDB's
`quantile_cont`, polars' `interpolation="linear"` (position (n - 1) * q, 0-based).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from ftaudit.stats.prefix import (
    CHAT_TURN_OVERHEAD_TOKENS,
    MIN_REGRESSION_CALLS,
    PREFIX_METHODS,
    static_prefix_estimates,
    theil_sen,
)

PERCENTILE_METHOD: Final = "linear"  # numpy.percentile(method='linear') == DuckDB quantile_cont
PERCENTILE_DESCRIPTION = "linear interpolation between the two nearest ranks (DuckDB quantile_cont, numpy 'linear')"
PERCENTILES = {"p50": 0.5, "p90": 0.9, "p99": 0.99}
TOKEN_KINDS = ("input_tokens", "cache_read_tokens", "output_tokens")
STATS_KEYS = ("period", "workload", "model")

__all__ = [
    "CHAT_TURN_OVERHEAD_TOKENS",
    "MIN_REGRESSION_CALLS",
    "PERCENTILES",
    "PERCENTILE_DESCRIPTION",
    "PERCENTILE_METHOD",
    "PREFIX_METHODS",
    "TOKEN_KINDS",
    "calls_per_day",
    "histogram_edges",
    "static_prefix_estimates",
    "stats_table",
    "theil_sen",
    "token_percentiles",
]


def token_percentiles(calls: pl.DataFrame, by: Sequence[str] = ("workload", "model")) -> pl.DataFrame:
    """p50/p90/p99/max of input, cache-read and output tokens per group of a per-call frame.

    The same numbers `ftaudit stats` computes in DuckDB, for frames a caller already holds. Rows with
    `is_bucket` true (aggregates, not calls) are left out when the column is present. Percentiles are
    linear interpolation between the two nearest ranks (numpy 'linear', DuckDB quantile_cont).
    """
    if "is_bucket" in calls.columns:
        calls = calls.filter(~pl.col("is_bucket"))
    aggs: list[pl.Expr] = [pl.len().cast(pl.Int64).alias("calls")]
    for kind in TOKEN_KINDS:
        aggs += [
            pl.col(kind).cast(pl.Float64).quantile(q, interpolation=PERCENTILE_METHOD).alias(f"{kind}_{name}")
            for name, q in PERCENTILES.items()
        ]
        aggs.append(pl.col(kind).max().alias(f"{kind}_max"))
    return calls.group_by(list(by)).agg(aggs).sort(list(by), nulls_last=False)


def calls_per_day(daily: pl.DataFrame, keys: Sequence[str] = STATS_KEYS) -> pl.DataFrame:
    """Mean and p90 of calls per calendar day, per group of a (keys..., day, calls) frame.

    A group's days run from its first to its last active day, inclusive; idle days in between count
    as 0 calls. Its size follows days x groups, never calls.
    """
    keys = list(keys)
    if daily.is_empty():
        return pl.DataFrame(
            schema={**{k: daily.schema[k] for k in keys}, "calendar_days": pl.Int64,
                    "calls_per_day_mean": pl.Float64, "calls_per_day_p90": pl.Float64}
        )
    spans = daily.group_by(keys).agg(pl.col("day").min().alias("first"), pl.col("day").max().alias("last"))
    every_day = (
        spans.with_columns(pl.date_ranges("first", "last").alias("day")).explode("day").drop("first", "last")
    )
    filled = every_day.join(daily.select(*keys, "day", "calls"), on=[*keys, "day"], how="left", nulls_equal=True)
    return (
        filled.with_columns(pl.col("calls").fill_null(0))
        .group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("calendar_days"),
            pl.col("calls").mean().alias("calls_per_day_mean"),
            pl.col("calls").cast(pl.Float64).quantile(0.9, interpolation=PERCENTILE_METHOD).alias("calls_per_day_p90"),
        )
        .sort(keys, nulls_last=False)
    )


def histogram_edges(bins: pl.DataFrame, bins_per_decade: int) -> pl.DataFrame:
    """Add `lower_tokens` and `upper_tokens` to a frame with a log-spaced `bin` column.

    Bin k >= 0 holds token counts in [10^(k/b), 10^((k+1)/b)), b = bins_per_decade; bin -1 holds 0.
    """
    k = pl.col("bin").cast(pl.Float64)
    zero = pl.col("bin") < 0
    return bins.with_columns(
        pl.when(zero).then(0.0).otherwise(pl.lit(10.0).pow(k / bins_per_decade)).alias("lower_tokens"),
        pl.when(zero).then(1.0).otherwise(pl.lit(10.0).pow((k + 1) / bins_per_decade)).alias("upper_tokens"),
    )


def stats_table(percentiles: pl.DataFrame, per_day: pl.DataFrame, prefixes: pl.DataFrame) -> pl.DataFrame:
    """One row per (period, workload, model): the percentile rows joined with calls per day and the
    workload's static prefix estimate, plus the rates derived from them."""
    keys = list(STATS_KEYS)
    prefix_cols = prefixes.select(
        "workload",
        pl.col("prefix_tokens"),
        pl.col("method").alias("prefix_method"),
    )
    table = percentiles.join(per_day, on=keys, how="left", nulls_equal=True).join(
        prefix_cols, on="workload", how="left"
    )
    table = table.with_columns(
        (pl.col("cache_hit_calls") / pl.col("calls")).alias("cache_hit_rate"),
        _ratio("cache_read_tokens", "input_tokens").alias("cached_share_of_input"),
        (pl.col("prefix_tokens") / pl.col("input_tokens_mean")).alias("prefix_share_of_input"),
        pl.col("prefix_method").fill_null("none"),
    )
    first = [*keys, "calls", "active_days", "calendar_days", "first_day", "last_day",
             "calls_per_day_mean", "calls_per_day_p90"]
    return table.select(*first, pl.exclude(first)).sort(keys, nulls_last=False)


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    return pl.when(pl.col(denominator) > 0).then(pl.col(numerator) / pl.col(denominator)).otherwise(None)
