"""Static prefix estimates: how many prompt tokens of each call are the workload's fixed system prompt
and few-shot turns, i.e. what a fine-tune could remove. Polars only; takes frames, never opens the
database (`ftaudit.stats.workloads.static_prefix_estimates` reads them). Needs no tokenizer and no network:
prompt text is not stored, so the "tokenize the variable part" method is never available here.

Methods, in the order one is chosen:
  user        `--prefix-tokens N`, as given.
  regression  Theil-Sen regression of billed input_tokens on the variable part's characters (the last
              user turn onward), per static prefix, on a deterministic sample of at most `sample_size`
              calls: slope = median of pairwise slopes, intercept = median(y - slope * x). The intercept
              is every token that does not grow with the variable text, in billed tokens (no tokenizer
              error); minus CHAT_TURN_OVERHEAD_TOKENS it is the static prefix. A workload with several
              prefixes gets the call-weighted mean of their intercepts.
  cache_read  the median cache_read_tokens of cache hits: a lower bound (OpenAI caches from 1,024
              tokens in 128-token steps, so up to 127 tokens of the prefix are never counted).
  none        no data allows an estimate; prefix_tokens is null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

# OpenAI chat accounting: 3 tokens frame each message and 3 prime the reply. The last user turn's
# frame and the reply priming stay in a fine-tuned call, so they are not part of what it removes.
CHAT_TURN_OVERHEAD_TOKENS = 6
MIN_REGRESSION_CALLS = 20  # sample points a prefix needs for a regression
MIN_REGRESSION_DISTINCT_CHARS = 3  # distinct variable lengths, or the slope is not identified
MIN_CACHE_HITS = 5
PREFIX_METHODS = ("user", "regression", "cache_read", "none")

_FIT_SCHEMA = pl.Schema({"slope": pl.Float64, "intercept": pl.Float64, "points": pl.Int64})


def theil_sen(
    points: pl.DataFrame, by: Sequence[str], x: str = "variable_chars", y: str = "input_tokens"
) -> pl.DataFrame:
    """Theil-Sen line per group: `by` columns, slope, intercept, points (null slope when fewer than
    MIN_REGRESSION_CALLS points or MIN_REGRESSION_DISTINCT_CHARS distinct x). Pairs with equal x are
    skipped. Memory grows with the square of a group's points: bound them (the queries sample)."""
    by = list(by)
    rows: list[dict[str, object]] = []
    for part in points.partition_by(by, maintain_order=True) if not points.is_empty() else []:
        fit = _fit_one(part.get_column(x).cast(pl.Float64), part.get_column(y).cast(pl.Float64))
        rows.append({**{k: part.get_column(k)[0] for k in by}, **fit})
    schema = pl.Schema([*((k, points.schema[k]) for k in by), *_FIT_SCHEMA.items()])
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _fit_one(xs: pl.Series, ys: pl.Series) -> dict[str, object]:
    n = xs.len()
    if n < MIN_REGRESSION_CALLS or xs.n_unique() < MIN_REGRESSION_DISTINCT_CHARS:
        return {"slope": None, "intercept": None, "points": n}
    p = pl.DataFrame({"x": xs, "y": ys}).with_row_index("i")
    slope = (
        p.lazy()
        .join(p.lazy(), how="cross", suffix="_b")
        .filter(pl.col("i") < pl.col("i_b"), pl.col("x") != pl.col("x_b"))
        .select(((pl.col("y_b") - pl.col("y")) / (pl.col("x_b") - pl.col("x"))).median())
        .collect()
        .item()
    )
    intercept = p.select((pl.col("y") - slope * pl.col("x")).median()).item()
    return {"slope": slope, "intercept": intercept, "points": n}


def static_prefix_estimates(
    samples: pl.DataFrame,
    cache_reads: pl.DataFrame,
    user_prefix_tokens: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """One row per workload of `cache_reads`: every estimate the data allows and the one used.

    samples: workload, prefix_hash, calls (the prefix's per-call rows), variable_chars, input_tokens
      (one row per sampled call; query `workload_prefix_samples`).
    cache_reads: workload, calls, input_tokens, cache_hit_calls, cache_read_tokens_p50_of_hits
      (query `workload_cache_reads`).
    user_prefix_tokens: workload -> tokens given by the user; wins over any estimate.

    Columns: workload, calls, prefix_tokens (Int64, null when method is 'none'), method (see
    PREFIX_METHODS), note (why that method), share_of_input (prefix_tokens x calls / input tokens), regression_prefix_tokens,
    regression_tokens_per_char, regression_calls, prefix_variants, cache_read_prefix_tokens,
    cache_hit_calls, user_prefix_tokens, input_tokens_mean.
    """
    regression = _regression_by_workload(samples)
    user = pl.DataFrame(
        {"workload": list((user_prefix_tokens or {}).keys()),
         "user_prefix_tokens": list((user_prefix_tokens or {}).values())},
        schema={"workload": pl.String, "user_prefix_tokens": pl.Int64},
    )
    cache_lower = (
        pl.when(pl.col("cache_hit_calls") >= MIN_CACHE_HITS)
        .then(pl.col("cache_read_tokens_p50_of_hits"))
        .cast(pl.Int64)
    )
    table = (
        cache_reads.select(
            "workload", "calls", "cache_hit_calls",
            cache_lower.alias("cache_read_prefix_tokens"),
            (pl.col("input_tokens") / pl.col("calls")).alias("input_tokens_mean"),
        )
        .join(regression, on="workload", how="left")
        .join(user, on="workload", how="left")
    )
    method = (
        pl.when(pl.col("user_prefix_tokens").is_not_null()).then(pl.lit("user"))
        .when(pl.col("regression_prefix_tokens").is_not_null()).then(pl.lit("regression"))
        .when(pl.col("cache_read_prefix_tokens").is_not_null()).then(pl.lit("cache_read"))
        .otherwise(pl.lit("none"))
    )
    prefix = pl.coalesce(
        pl.col("user_prefix_tokens"),
        pl.col("regression_prefix_tokens").round(0).cast(pl.Int64),
        pl.col("cache_read_prefix_tokens"),
    )
    return (
        table.with_columns(method.alias("method"), prefix.alias("prefix_tokens"))
        .with_columns((pl.col("prefix_tokens") / pl.col("input_tokens_mean")).alias("share_of_input"))
        .with_columns(pl.col("regression_calls").fill_null(0), pl.col("prefix_variants").fill_null(0))
        .with_columns(_note().alias("note"))
        .select(
            "workload", "calls", "prefix_tokens", "method", "note", "share_of_input",
            "regression_prefix_tokens", "regression_tokens_per_char", "regression_calls", "prefix_variants",
            "cache_read_prefix_tokens", "cache_hit_calls", "user_prefix_tokens", "input_tokens_mean",
        )
        .sort("workload")
    )


def _note() -> pl.Expr:
    """Why this method: the ones before it in the order were not possible."""
    no_tokenizer = "no prompt text or offline tokenizer to count the variable part"
    return (
        pl.when(pl.col("method") == "user").then(pl.lit("given with --prefix-tokens"))
        .when(pl.col("method") == "regression").then(pl.format(
            f"{no_tokenizer}: Theil-Sen intercept of billed input tokens on variable characters, "
            "covering {} calls in {} prefix(es), each fitted on a bounded sample, less "
            + str(CHAT_TURN_OVERHEAD_TOKENS) + " chat-turn tokens",
            "regression_calls", "prefix_variants"))
        .when(pl.col("method") == "cache_read").then(pl.format(
            f"{no_tokenizer} and no message lengths to regress on: median cached tokens of {{}} cache hits, "
            "a lower bound (cached in 128-token steps)", "cache_hit_calls"))
        .otherwise(pl.lit(f"{no_tokenizer}, no message lengths and under {MIN_CACHE_HITS} cache hits: "
                          "give --prefix-tokens"))
    )


def _regression_by_workload(samples: pl.DataFrame) -> pl.DataFrame:
    """Per workload: the call-weighted mean over its prefixes of the Theil-Sen intercept, less the
    chat turn overhead and floored at 0; null when no prefix has enough points."""
    by = ["workload", "prefix_hash"]
    fits = theil_sen(samples, by)
    calls = samples.group_by(by).agg(pl.col("calls").first())
    fitted = fits.join(calls, on=by, how="left", nulls_equal=True)
    weight = pl.when(pl.col("intercept").is_not_null()).then(pl.col("calls")).otherwise(0)
    return (
        fitted.group_by("workload")
        .agg(
            ((pl.col("intercept") * pl.col("calls")).sum() / weight.sum()).alias("intercept"),
            ((pl.col("slope") * pl.col("calls")).sum() / weight.sum()).alias("regression_tokens_per_char"),
            weight.sum().cast(pl.Int64).alias("regression_calls"),
            pl.len().cast(pl.Int64).alias("prefix_variants"),
        )
        .with_columns(
            pl.when(pl.col("regression_calls") > 0)
            .then((pl.col("intercept") - CHAT_TURN_OVERHEAD_TOKENS).clip(lower_bound=0))
            .alias("regression_prefix_tokens"),
            pl.when(pl.col("regression_calls") > 0).then(pl.col("regression_tokens_per_char")),
        )
        .drop("intercept")
    )
