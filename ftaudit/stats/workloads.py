"""Workloads and their token distributions, read from the store: the database side of `ftaudit stats`
and `ftaudit workloads`. Every read goes through a named query over `calls_named` (calls with user
renames applied) and returns polars frames; the arithmetic on them lives in `ftaudit.stats.distributions`.
Renames are the only thing written here. Workloads themselves are assigned at ingest.

Percentiles are linear interpolation between the two nearest ranks (DuckDB `quantile_cont`, numpy's
'linear'), over per-call rows only: bucket rows (aggregates) are totalled apart (`bucket_totals`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from ftaudit.errors import UsageError
from ftaudit.stats import distributions as dist
from ftaudit.store.connection import Store

PERIODS = ("day", "week", "month")
DEFAULT_SAMPLE_SIZE = 1000  # calls per static prefix fed to the Theil-Sen regression
MIN_SAMPLE = dist.MIN_REGRESSION_CALLS
DEFAULT_BINS_PER_DECADE = 10
_LIST_HINT = "see `ftaudit workloads` for the names"


@dataclass(frozen=True)
class Filters:
    """Which per-call rows a statistic covers; `until` is exclusive, times are UTC."""

    workload: str | None = None
    model: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def params(self) -> dict[str, Any]:
        return {"workload": self.workload, "model": self.model, "since": _utc(self.since), "until": _utc(self.until)}


def has_workload_names(store: Store) -> bool:
    """Whether the database has migration 0004 (a read-only store opened on an older file has not)."""
    return bool(store.scalar("workload_names_present"))


def workloads(store: Store) -> pl.DataFrame:
    """Every workload (renames applied), busiest first: workload, auto_workloads (names given at
    ingest), named_by (how: 'ingest --workload', 'metadata field F', 'prefix hash', 'model'),
    calls, bucket_rows, models, prefixes, first_ts, last_ts."""
    return store.frame("workload_list")


def rename_workload(store: Store, old: str, new: str) -> list[str]:
    """Show workload `old` as `new` from now on, for stored calls and later ingests alike.

    Returns the ingest-time names now shown as `new`. Refuses an unknown `old` and a `new` already in
    use (that would merge two workloads)."""
    new = new.strip()
    if not new:
        raise UsageError("the new workload name is empty", hint="e.g. ftaudit workloads rename prefix-3fa2c1 support-bot")
    auto = [row[0] for row in store.rows("workload_auto_names", workload=old)]
    if not auto:
        raise UsageError(f"no workload named {old!r}", hint=_LIST_HINT)
    if new != old and store.rows("workload_auto_names", workload=new):
        raise UsageError(
            f"workload {new!r} already exists; renaming {old!r} to it would merge the two",
            hint="pick a name not listed by `ftaudit workloads`",
        )
    now = datetime.now(UTC)
    with store.transaction():
        for name in auto:
            store.run("workload_rename", auto_workload=name, workload=new, now=now)
        store.run("workload_names_tidy")
    return auto


def token_distributions(
    store: Store,
    filters: Filters | None = None,
    *,
    by: str | None = None,
    user_prefix_tokens: Mapping[str, int] | None = None,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> pl.DataFrame:
    """Per (period, workload, model), over per-call rows: calls, active and calendar days, calls per
    day (mean and p90 day, idle days counting 0), p50/p90/p99/max of input, cache-read and output
    tokens, cache-hit rate, cached share of input, static prefix (tokens, share of input, method) and
    latency p50/p90 where logged. `by` ('day', 'week' or 'month') splits rows by UTC period (weeks
    start on Monday); without it `period` is null. Percentiles: linear interpolation between the two
    nearest ranks (DuckDB quantile_cont = numpy 'linear'). The prefix estimate of a workload covers
    all filtered periods (see `static_prefix_estimates`).
    """
    return usage_stats(store, filters, by=by, user_prefix_tokens=user_prefix_tokens, sample_size=sample_size).distributions


@dataclass(frozen=True)
class UsageStats:
    """What `ftaudit stats` shows: per-call distributions, bucket totals apart, prefix estimates."""

    filters: Filters
    by: str | None
    distributions: pl.DataFrame
    buckets: pl.DataFrame
    prefixes: pl.DataFrame

    def summary(self) -> dict[str, Any]:
        """Plain data for JSON: the same numbers as the frames."""
        return {
            "filters": {**self.filters.params(), "by": self.by},
            "percentile_method": dist.PERCENTILE_DESCRIPTION,
            "workloads": self.distributions.to_dicts(),
            "buckets": self.buckets.to_dicts(),
            "prefix_estimates": self.prefixes.to_dicts(),
        }


def usage_stats(
    store: Store,
    filters: Filters | None = None,
    *,
    by: str | None = None,
    user_prefix_tokens: Mapping[str, int] | None = None,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> UsageStats:
    """`token_distributions`, `bucket_totals` and `static_prefix_estimates` in one read (`ftaudit stats`)."""
    filters = filters or Filters()
    params = _checked(store, filters, by)
    percentiles = _whole(store.frame("stats_token_percentiles", **params))
    per_day = dist.calls_per_day(store.frame("stats_daily_calls", **params))
    prefixes = _estimate_prefixes(store, params, user_prefix_tokens, sample_size)
    return UsageStats(
        filters=filters,
        by=by,
        distributions=dist.stats_table(percentiles, per_day, prefixes),
        buckets=_whole(store.frame("stats_bucket_totals", **params)),
        prefixes=prefixes,
    )


def bucket_totals(store: Store, filters: Filters | None = None, *, by: str | None = None) -> pl.DataFrame:
    """Bucket (aggregate) rows per (period, workload, model): rows, requests they stand for and token
    totals. They are usage, but not calls, so they are kept out of every per-call distribution."""
    return _whole(store.frame("stats_bucket_totals", **_checked(store, filters or Filters(), by)))


def static_prefix_estimates(
    store: Store,
    filters: Filters | None = None,
    *,
    user_prefix_tokens: Mapping[str, int] | None = None,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> pl.DataFrame:
    """Static prefix estimate per workload with every method the data allows and the one used
    (user > regression > cache_read > none); see `ftaudit.stats.distributions.static_prefix_estimates`
    for the columns and methods. Columns include workload, prefix_tokens, method, share_of_input."""
    return _estimate_prefixes(store, _checked(store, filters or Filters(), None), user_prefix_tokens, sample_size)


def _estimate_prefixes(
    store: Store, params: dict[str, Any], user_prefix_tokens: Mapping[str, int] | None, sample_size: int
) -> pl.DataFrame:
    if sample_size < MIN_SAMPLE:
        raise UsageError(f"sample size {sample_size} is too small", hint=f"use at least {MIN_SAMPLE}")
    cache_reads = _whole(store.frame("workload_cache_reads", **params))
    unknown = sorted(set(user_prefix_tokens or {}) - set(cache_reads.get_column("workload").to_list()))
    if unknown:
        raise UsageError(f"--prefix-tokens names no workload in the data: {', '.join(unknown)}", hint=_LIST_HINT)
    samples = store.frame("workload_prefix_samples", sample_size=sample_size, **params)
    return dist.static_prefix_estimates(samples, cache_reads, user_prefix_tokens)


def token_histograms(
    store: Store, filters: Filters | None = None, *, bins_per_decade: int = DEFAULT_BINS_PER_DECADE
) -> pl.DataFrame:
    """Calls per workload, token kind (metric: input_tokens, cache_read_tokens, output_tokens) and
    log-spaced bin, with lower_tokens/upper_tokens edges: bin k covers [10^(k/b), 10^((k+1)/b)) for
    b = bins_per_decade, bin -1 is zero tokens. Size: workloads x 3 x bins, whatever the calls."""
    if not 1 <= bins_per_decade <= 100:
        raise UsageError(f"bins per decade must be 1..100, not {bins_per_decade}")
    params = _checked(store, filters or Filters(), None)
    bins = store.frame("histogram_token_bins", bins_per_decade=bins_per_decade, **params)
    return dist.histogram_edges(bins, bins_per_decade)


def daily_usage(store: Store, filters: Filters | None = None) -> pl.DataFrame:
    """One row per UTC day, workload and model: calls, bucket_rows, bucket_requests, batch_calls and
    token totals (input, cache read, cache write, output, reasoning) over calls and buckets."""
    return _whole(store.frame("daily_usage", **_checked(store, filters or Filters(), None)))


def _whole(frame: pl.DataFrame) -> pl.DataFrame:
    """Token and request totals are summed as HUGEINT (a sum of counts below 1e15 cannot overflow it;
    BIGINT overflows past 9.2e18), which polars reads as Decimal(38, 0): whole numbers, as Int128."""
    whole = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Decimal) and dtype.scale == 0]
    return frame.with_columns(pl.col(whole).cast(pl.Int128)) if whole else frame


def _checked(store: Store, filters: Filters, by: str | None) -> dict[str, Any]:
    if by is not None and by not in PERIODS:
        raise UsageError(f"--by {by!r} is not one of {', '.join(PERIODS)}", hint="e.g. --by week")
    params = {**filters.params(), "by": by}
    if params["since"] is not None and params["until"] is not None and params["since"] >= params["until"]:
        raise UsageError("--since is not before --until", hint="--until is exclusive: --since 2026-01-01 --until 2026-02-01")
    if filters.workload is not None and not store.rows("workload_auto_names", workload=filters.workload):
        raise UsageError(f"no workload named {filters.workload!r}", hint=_LIST_HINT)
    if filters.model is not None:
        models = store.frame("stats_models").get_column("model").to_list()
        if filters.model not in models:
            known = ", ".join(models) or "none"
            raise UsageError(f"no calls of model {filters.model!r}", hint=f"models in the database: {known}")
    return params


def _utc(moment: datetime | None) -> datetime | None:
    """Naive times are UTC, like everywhere in ftaudit."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
