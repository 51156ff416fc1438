"""CLI: `ftaudit stats`, `ftaudit workloads`, `ftaudit workloads rename` (library: `ftaudit.workloads`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

import ftaudit
from ftaudit.cli import CallsOption, DbOption, JsonFlag, app, emit_json, open_for_reading, parse_time, say, user_errors
from ftaudit.errors import UsageError
from ftaudit.store.connection import Store, open_store

if TYPE_CHECKING:
    from ftaudit.stats.workloads import UsageStats

workloads_app = typer.Typer(
    help="List workloads, or rename one (`ftaudit workloads rename OLD NEW`).",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(workloads_app, name="workloads")

WorkloadOption = Annotated[str | None, typer.Option("--workload", help="Only this workload (see `ftaudit workloads`).")]
ModelOption = Annotated[str | None, typer.Option("--model", help="Only calls of this model.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only calls at or after this UTC date or time (ISO).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only calls before this UTC date or time (ISO), exclusive.")]
ByOption = Annotated[str | None, typer.Option("--by", help="One row per UTC day, week (from Monday) or month.")]
PrefixOption = Annotated[
    list[str] | None,
    typer.Option("--prefix-tokens", help="Static prefix tokens you know: N (with --workload) or WORKLOAD=N; repeatable."),
]


@app.command()
def stats(
    db: DbOption = None,
    workload: WorkloadOption = None,
    model: ModelOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    by: ByOption = None,
    prefix_tokens: PrefixOption = None,
    calls: CallsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Per workload and model: calls, calls per day, p50/p90/p99/max of input, cache-read and output
    tokens, cache-hit rate, static prefix estimate and latency. Percentiles interpolate linearly between
    the two nearest ranks (numpy 'linear'). In Python: `ftaudit.token_distributions(store, ...)`."""
    with user_errors():
        filters = ftaudit.Filters(workload=workload, model=model, since=parse_time("--since", since),
                          until=parse_time("--until", until))
        user = _parse_prefix_tokens(prefix_tokens or [], workload)
        with _open_for_reading(db, calls) as store:
            result = ftaudit.usage_stats(store, filters, by=by, user_prefix_tokens=user)
    if as_json:
        emit_json(result.summary())
        return
    _render_stats(result)


@workloads_app.callback()
def list_workloads(ctx: typer.Context, db: DbOption = None, calls: CallsOption = None, as_json: JsonFlag = False) -> None:
    """List workloads, busiest first: calls, and how each was named (ingest --workload, a metadata
    field, the static prefix hash or the model). In Python: `ftaudit.workloads(store)`."""
    if ctx.invoked_subcommand is not None:
        return
    with user_errors(), _open_for_reading(db, calls) as store:
        frame = ftaudit.workloads(store)
    if as_json:
        emit_json({"workloads": frame.to_dicts()})
        return
    if frame.is_empty():
        say("no workloads: ingest some logs first (`ftaudit ingest PATH`)")
        return
    typer.echo(f"{'WORKLOAD':<28} {'CALLS':>10} {'BUCKETS':>8}  {'NAMED BY':<24} MODELS")
    for row in frame.iter_rows(named=True):
        renamed = [a for a in row["auto_workloads"] if a != row["workload"]]
        was = f"  (renamed from {', '.join(renamed)})" if renamed else ""
        typer.echo(f"{row['workload']:<28} {row['calls']:>10,} {row['bucket_rows']:>8,}  "
                   f"{', '.join(row['named_by']):<24} {', '.join(row['models'])}{was}")


@workloads_app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="The workload's current name.")],
    new: Annotated[str, typer.Argument(help="Its new name (must not be in use).")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Rename a workload in the database; calls ingested later under the old name get the new one."""
    with user_errors(), open_store(db, purpose="workloads rename") as store:
        renamed = ftaudit.rename_workload(store, old, new)
    if as_json:
        emit_json({"workload": new.strip(), "auto_workloads": renamed})
    say(f"renamed {old} to {new.strip()}")


def _open_for_reading(db: Path | None, calls: str | None = None) -> Store:
    """Read-only, unless the file predates the workload-names migration: then open it once to migrate.
    With --calls: the Parquet dataset."""
    if calls is not None:
        return open_for_reading(db, calls)
    store = open_store(db, read_only=True)
    from ftaudit.stats.workloads import has_workload_names  # polars: loaded for this command only

    if has_workload_names(store):
        return store
    store.close()
    return open_store(db)


def _parse_prefix_tokens(items: list[str], workload: str | None) -> dict[str, int]:
    given: dict[str, int] = {}
    for item in items:
        name, sep, number = item.rpartition("=")
        if not sep:
            if workload is None:
                raise UsageError(f"--prefix-tokens {item} names no workload",
                                 hint="add --workload NAME, or write --prefix-tokens NAME=N")
            name = workload
        if not number.strip().isdigit():
            raise UsageError(f"--prefix-tokens {item!r} is not N or WORKLOAD=N", hint="e.g. --prefix-tokens support-bot=1800")
        given[name] = int(number)
    return given


def _render_stats(result: UsageStats) -> None:
    if result.distributions.is_empty() and result.buckets.is_empty():
        say("no calls match: see `ftaudit workloads`, or widen --since/--until")
        return
    for row in result.distributions.iter_rows(named=True):
        period = f"{row['period']} · " if row["period"] is not None else ""
        typer.echo(f"{period}{row['workload']} · {row['model']}")
        typer.echo(f"  calls {row['calls']:,} on {row['active_days']:,} of {row['calendar_days']:,} days "
                   f"({row['first_day']} to {row['last_day']}); per day mean {row['calls_per_day_mean']:,.1f}, "
                   f"p90 day {row['calls_per_day_p90']:,.1f}" + (f"; {row['batch_calls']:,} batch" if row["batch_calls"] else ""))
        typer.echo(f"  {'tokens':<12}{'p50':>12}{'p90':>12}{'p99':>12}{'max':>12}")
        for kind, label in (("input_tokens", "input"), ("cache_read_tokens", "cache read"), ("output_tokens", "output")):
            cells = "".join(f"{_num(row[f'{kind}_{q}']):>12}" for q in ("p50", "p90", "p99", "max"))
            typer.echo(f"  {label:<12}{cells}")
        typer.echo(f"  cache hits {_pct(row['cache_hit_rate'])} of calls, {_pct(row['cached_share_of_input'])} of input tokens")
        typer.echo(f"  static prefix {_prefix(row)}")
        latency = (f"p50 {_num(row['latency_ms_p50'])} ms, p90 {_num(row['latency_ms_p90'])} ms"
                   if row["latency_logged_calls"] else "not logged")
        typer.echo(f"  latency {latency}")
    for row in result.buckets.iter_rows(named=True):
        period = f"{row['period']} · " if row["period"] is not None else ""
        requests = f"{row['requests']:,} requests" if row["requests"] is not None else "requests not counted"
        typer.echo(f"{period}{row['workload']} · {row['model']} (bucket rows: aggregates, not single calls)")
        typer.echo(f"  {row['bucket_rows']:,} rows, {requests}; tokens: input {row['input_tokens']:,}, "
                   f"cache read {row['cache_read_tokens']:,}, output {row['output_tokens']:,}")


def _prefix(row: dict[str, Any]) -> str:
    if row["prefix_tokens"] is None:
        return "unknown (no message text, no cache hits; give --prefix-tokens)"
    share = f" ({_pct(row['prefix_share_of_input'])} of input)" if row["prefix_share_of_input"] is not None else ""
    bound = ", a lower bound" if row["prefix_method"] == "cache_read" else ""
    return f"{row['prefix_tokens']:,} tokens{share} by {row['prefix_method']}{bound}"


def _num(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
