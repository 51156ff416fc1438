"""The scheduled monthly audit: config -> ingest the new files -> replay every scenario over the calls
up to the end of the month -> reports/YYYY-MM.html and .json, with a month-over-month section built
from the previous audit's JSON.

Idempotent: a file whose content was ingested before is skipped without touching the ledger, so a
second run for the same month writes the same bytes apart from the generation time. It never prints
or exits; `ftaudit audit` (cli/report_cmds.py) is the adapter and picks the exit code.
"""

from __future__ import annotations

import difflib
import glob
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ftaudit.errors import ConfigError, NoDataError, TooManyRejectsError, UsageError
from ftaudit.ingest.forget import file_sha256
from ftaudit.ingest.options import IngestOptions, IngestResult
from ftaudit.ingest.run import ingest, log_files
from ftaudit.ingest.sources import is_database_url
from ftaudit.replay.scenario import KEYS as SCENARIO_KEYS
from ftaudit.replay.scenario import Scenario, load_scenario, make_scenario
from ftaudit.store.connection import Store, open_store
from ftaudit.store.dataset import open_dataset
from ftaudit.toml_file import read_toml

DEFAULT_CONFIG = Path("ftaudit.toml")
CONFIG_KEYS = ("database", "reports", "title", "max_rejects", "sources", "scenarios")
SOURCE_KEYS = (
    "paths", "format", "map", "model", "provider", "workload", "workload_from", "ts_unit", "ts_field", "start", "table",
)
_HINT = "see ftaudit.example.toml for every key"


@dataclass(frozen=True)
class Source:
    """Log files to ingest with one set of options: explicit files, folders (read recursively), globs, or
    postgresql:// URLs (LiteLLM's database, read from where the last run stopped)."""

    paths: tuple[str, ...]
    options: IngestOptions


@dataclass(frozen=True)
class AuditConfig:
    path: Path
    database: Path
    reports: Path
    title: str
    max_rejects: int | None
    sources: tuple[Source, ...]
    scenarios: tuple[Scenario, ...]


@dataclass
class AuditResult:
    month: str
    html_path: Path
    json_path: Path
    data: dict[str, Any]
    ingest: IngestResult = field(default_factory=IngestResult)
    skipped: list[str] = field(default_factory=list)  # files whose content was ingested before
    empty_sources: list[str] = field(default_factory=list)  # source paths that matched no log file: exit 4
    rejects_over_limit: bool = False


# -- config ----------------------------------------------------------------------------------------
def load_config(path: str | Path = DEFAULT_CONFIG) -> AuditConfig:
    """Read and validate an audit config; every error names the file and the key. Relative paths are
    relative to the config file's folder."""
    path = Path(path)
    raw = read_toml(
        path, what="audit config", missing_hint="pass --config FILE; copy ftaudit.example.toml to start", syntax_hint=_HINT
    )
    _known(raw, CONFIG_KEYS, str(path))
    base = path.parent
    sources = raw.get("sources", [])
    scenarios = raw.get("scenarios", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise ConfigError(f"{path}: `sources` must be an array of tables ([[sources]])", hint=_HINT)
    if not isinstance(scenarios, list) or not scenarios or not all(isinstance(s, dict) for s in scenarios):
        raise ConfigError(f"{path}: `scenarios` must be one or more [[scenarios]] tables", hint=_HINT)
    max_rejects = raw.get("max_rejects")
    if max_rejects is not None and (isinstance(max_rejects, bool) or not isinstance(max_rejects, int) or max_rejects < 0):
        raise ConfigError(f"{path}: `max_rejects` must be a whole number >= 0, got {max_rejects!r}", hint=_HINT)
    return AuditConfig(
        path=path,
        database=base / _text(raw, "database", str(path), "ftaudit.duckdb"),
        reports=base / _text(raw, "reports", str(path), "reports"),
        title=_text(raw, "title", str(path), "Fine-tuning audit"),
        max_rejects=max_rejects,
        sources=tuple(_source(s, f"{path}: sources[{n}]", base) for n, s in enumerate(sources, start=1)),
        scenarios=tuple(_scenario(s, f"{path}: scenarios[{n}]", base) for n, s in enumerate(scenarios, start=1)),
    )


def _known(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            raise ConfigError(f"{where}: unknown key `{key}`{guess}", hint=f"keys here: {', '.join(allowed)}")


def _text(table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: `{key}` must be a non-empty string, got {value!r}", hint=_HINT)
    return value


def _source(table: Mapping[str, Any], where: str, base: Path) -> Source:
    _known(table, SOURCE_KEYS, where)
    paths = table.get("paths")
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
        raise ConfigError(
            f"{where}: `paths` must be a list of file, folder or glob strings", hint='e.g. paths = ["logs/*.jsonl.gz"]'
        )
    mapping = table.get("map", {})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ConfigError(f'{where}: `map` must be a table of FIELD = "COLUMN"', hint='e.g. map = { ts = "TIMESTAMP" }')
    text = {
        k: _text(table, k, where)
        for k in ("format", "model", "provider", "workload", "workload_from", "ts_unit", "ts_field", "table")
        if k in table
    }
    start = table.get("start")
    if start is not None and not isinstance(start, datetime):
        try:
            start = datetime.fromisoformat(str(start))
        except ValueError:
            raise ConfigError(
                f"{where}: `start` must be a timestamp, got {start!r}", hint="e.g. start = 2026-01-05T00:00:00Z"
            ) from None
    if isinstance(start, datetime) and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    try:
        options = IngestOptions(
            format=text.get("format"),
            mapping=dict(mapping),
            model=text.get("model"),
            provider=text.get("provider"),
            workload=text.get("workload"),
            workload_from=text.get("workload_from"),
            ts_unit=text.get("ts_unit", "s"),
            ts_field=text.get("ts_field"),
            start=start,
            table=text.get("table"),
        )
    except UsageError as exc:
        raise ConfigError(f"{where}: {exc.message}", hint=exc.hint) from None
    return Source(
        paths=tuple(p if Path(p).is_absolute() or is_database_url(p) else str(base / p) for p in paths), options=options
    )


def _scenario(table: Mapping[str, Any], where: str, base: Path) -> Scenario:
    values = dict(table)
    file = values.pop("file", None)
    for key in ("training_file", "prices"):
        if isinstance(values.get(key), str) and not Path(values[key]).is_absolute():
            values[key] = str(base / values[key])
    if file is None:
        return make_scenario(values, where)
    if not isinstance(file, str):
        raise ConfigError(
            f"{where}: `file` must be a path to a scenario TOML", hint=f"or give the keys inline: {', '.join(SCENARIO_KEYS)}"
        )
    return load_scenario(base / file, **values)


# -- the run ---------------------------------------------------------------------------------------
def parse_month(text: str) -> date:
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UsageError(f"--month {text!r} is not YYYY-MM", hint="e.g. --month 2026-10") from None
    return first


def last_complete_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def run_audit(
    config: AuditConfig, month: date | None = None, *, today: date | None = None, generated_at: datetime | None = None,
    calls: str | Path | None = None,
) -> AuditResult:
    """Ingest new files, replay every scenario up to the end of `month` (default: the last complete
    month before `today`), write reports/YYYY-MM.html + .json. Raises TooManyRejectsError after
    writing the report when this run rejected more records than `max_rejects`. With `calls` (a Parquet
    dataset, see ftaudit/store/dataset.py) nothing is ingested: the dataset's calls are replayed."""
    from ftaudit import report  # polars and plotly: loaded when an audit runs, not when the CLI starts
    from ftaudit.report import comparison

    first = month or last_complete_month(today or datetime.now(UTC).date())
    label = first.strftime("%Y-%m")
    until = datetime.combine(next_month(first), datetime.min.time(), UTC)
    opened = open_dataset(calls) if calls is not None else open_store(config.database, purpose="audit")
    with opened as store:
        ingested, skipped, empty = _ingest_new(store, config.sources) if calls is None else (IngestResult(), [], [])
        since = datetime.combine(first, datetime.min.time(), UTC)
        if not int(store.scalar("audit_month_calls", since=since, until=until)):
            no_calls = NoDataError(
                f"no calls in {label} in {calls or config.database}: no report written (last month's verdicts would repeat)",
                hint="check that the sources of " + f"{config.path} deliver this month's logs, or pass --month YYYY-MM",
            )
            no_calls.result = AuditResult(month=label, html_path=Path(), json_path=Path(), data={}, ingest=ingested,
                                          skipped=skipped, empty_sources=empty)
            raise no_calls
        data = report.gather(
            store, config.scenarios, title=f"{config.title}: {label}", until=until, database=store.path.name,
            from_date=today,
        )
        data["month"] = report.month_summary(store, data, first, next_month(first))
    previous = config.reports / f"{previous_month(first).strftime('%Y-%m')}.json"
    data["month_over_month"] = comparison.month_over_month(data["month"], previous)
    html_path, json_path = report.write_report(
        data, config.reports / f"{label}.html", generated_at=report.generation_time(generated_at)
    )
    result = AuditResult(
        month=label, html_path=html_path, json_path=json_path, data=data, ingest=ingested, skipped=skipped, empty_sources=empty
    )
    if empty:
        silent = NoDataError(
            f"{len(empty)} source path(s) of {config.path} matched no log file: {empty[0]}",
            hint="a log feed may have stopped; the report was written from the files found",
        )
        silent.result = result
        raise silent
    rejected = ingested.total("rows_rejected")
    if config.max_rejects is not None and rejected > config.max_rejects:
        result.rejects_over_limit = True
        error = TooManyRejectsError(
            f"this audit rejected {rejected:,} records, more than max_rejects = {config.max_rejects} in {config.path}",
            hint="see them with `ftaudit rejects`; everything else was stored and the report was written",
        )
        error.result = result
        raise error
    return result


def _ingest_new(store: Store, sources: tuple[Source, ...]) -> tuple[IngestResult, list[str], list[str]]:
    """Ingest every source file whose content is new; files seen before are skipped before parsing.
    Also gives the source paths (globs, folders) that matched no log file."""
    combined, skipped, empty = IngestResult(), [], []
    for source in sources:
        fresh: list[str | Path] = [p for p in source.paths if is_database_url(p)]  # each reads its new rows only
        nothing = [p for p in source.paths if not is_database_url(p) and _matches_nothing(p)]
        empty += nothing
        for path in _expand(tuple(p for p in source.paths if p not in nothing and not is_database_url(p))):
            if path.is_file() and int(store.scalar("audit_file_seen", sha256=file_sha256(path))) > 0:
                skipped.append(str(path))
            else:
                fresh.append(path)
        if fresh:
            try:
                result = ingest(store, fresh, source.options)
            except NoDataError as exc:  # every file was skipped (not a log): a feed delivering nothing usable
                result = exc.result
                empty += [str(p) for p in fresh]
            combined.files += result.files
            combined.skipped += result.skipped
    return combined, skipped, empty


def _matches_nothing(pattern: str) -> bool:
    """A glob with no match, or a folder holding no log file (a missing plain path is ingest's error)."""
    if glob.has_magic(pattern):
        return not any(Path(m).is_file() for m in glob.glob(pattern, recursive=True))
    if Path(pattern).is_dir():
        try:
            log_files([pattern])
        except NoDataError:
            return True
    return False


def _expand(patterns: tuple[str, ...]) -> list[Path]:
    """Globs (`**` recurses) to sorted paths; plain paths as given (folders are walked by ingest)."""
    out: list[Path] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            out += [Path(m) for m in matches if Path(m).is_file()]
        else:
            out.append(Path(pattern))
    return out

