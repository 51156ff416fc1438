"""Prices and where they come from: the package catalog (`catalog.toml`) for what genai-prices lacks,
and a user's `--prices FILE` on top of both (genai-prices itself is read by `ftaudit.prices.genai`).

Owns model-name matching and provenance: every resolved number says where it came from and its date.
It prices no call (`ftaudit.prices.resolver` turns these answers into the table DuckDB joins to the
calls) and never invents a price: a field nobody knows stays missing, and missing is an error upstream.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # genai-prices is imported when a price is first needed, not at CLI start-up
    pass

from ftaudit.errors import ConfigError
from ftaudit.toml_file import read_toml

# Per-token rates a call can use, in genai-prices' vocabulary (USD per 1M tokens; requests per 1K).
RATE_FIELDS = ("input_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "output_mtok",
               "output_reasoning_mtok", "requests_kcount")
MONEY_TERMS = ("training_mtok", "training_per_hour", "min_job_usd", "max_job_usd", "hosting_per_hour",
               "storage_per_month")
INT_TERMS = ("max_tokens_per_example", "cache_min_tokens", "cache_step_tokens")
DATE_TERMS = ("no_new_training_after", "serving_until")
TERMS = MONEY_TERMS + INT_TERMS + DATE_TERMS
SECTIONS = ("inference", "training", "hosting", "lifecycle", "prompt_cache", "reference")
_SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "inference": (*RATE_FIELDS, "batch", "same_as_base"),
    "training": ("training_mtok", "training_per_hour", "min_job_usd", "max_job_usd", "max_tokens_per_example",
                 "max_params_b"),
    "hosting": ("hosting_per_hour", "storage_per_month"),
    "lifecycle": DATE_TERMS,
    "prompt_cache": ("cache_min_tokens", "cache_step_tokens"),
    "reference": ("item", "values"),
}
_COMMON = ("provider", "model", "source", "read_on", "note", "flags")
_OVERRIDE_FIELDS = (*RATE_FIELDS, *TERMS, "batch", "history", "note")
_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})")
_PARAMS_B = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])")
MIDNIGHT = time(0, tzinfo=UTC)

FactValue = Decimal | int | date


@dataclass(frozen=True)
class Tiered:
    """genai-prices' threshold pricing: `price` applies to every token once input tokens > `start`."""

    base: Decimal
    tiers: tuple[tuple[int, Decimal], ...]

    def at(self, input_tokens_above: int) -> Decimal:
        """The rate for a call whose input tokens exceed `input_tokens_above` (and no tier start between)."""
        rate = self.base
        for start, price in self.tiers:
            if input_tokens_above >= start:
                rate = price
        return rate


Rate = Decimal | Tiered


@dataclass(frozen=True)
class Priced:
    """One resolved number: its value, where it came from, and the date it took effect or was read."""

    value: Rate | FactValue
    source: str
    as_of: date | None = None


@dataclass(frozen=True)
class Entry:
    """One catalog entry, or one `[models."KEY"]` section of a --prices FILE (section 'override')."""

    section: str
    provider: str | None
    model: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    batch: Mapping[str, Decimal] = field(default_factory=dict)
    terms: Mapping[str, FactValue] = field(default_factory=dict)
    history: tuple[tuple[date, Mapping[str, Decimal]], ...] = ()
    same_as_base: bool = False
    max_params_b: Decimal | None = None
    source: str = ""
    read_on: date | None = None
    note: str | None = None
    flags: tuple[str, ...] = ()
    item: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)


# -- model names -------------------------------------------------------------------------------

def split_fine_tune(model: str) -> tuple[bool, str]:
    """(is a fine-tune, base model): ft:gpt-4o-mini-2024-07-18:org::id and gpt-4o-mini-2024-07-18.ft-x
    both give (True, 'gpt-4o-mini-2024-07-18')."""
    m = model.strip().lower()
    if m.startswith("ft:"):
        return True, m[3:].split(":", 1)[0]
    if ".ft-" in m:
        return True, m.split(".ft-", 1)[0]
    return False, m


def _is_snapshot(name: str, family: str) -> bool:
    return name.startswith(family) and _DATED.fullmatch(name[len(family):]) is not None


def match_score(key: str, model: str, *, alias_ok: bool = False) -> int | None:
    """How well `key` names `model`: exact 1000, same base 900, `model` is a dated snapshot of the key's
    family 800, (alias_ok) the key is a dated snapshot of `model` 700, glob 100 + its length; None: no.
    A fine-tune key (ft:...) only names fine-tunes and a plain key only plain models."""
    k, m = key.strip().lower(), model.strip().lower()
    if k == m:
        return 1000
    m_ft, m_base = split_fine_tune(m)
    if any(ch in k for ch in "*?["):
        canonical = f"ft:{m_base}" if m_ft else m
        return 100 + len(k) if fnmatch.fnmatchcase(canonical, k) else None
    k_ft, k_base = (True, k[3:]) if k.startswith("ft:") else (False, k)
    if k_ft != m_ft:
        return None
    if k_base == m_base:
        return 900
    if _is_snapshot(m_base, k_base):
        return 800
    if alias_ok and _is_snapshot(k_base, m_base):
        return 700
    return None


def params_billions(model: str) -> Decimal | None:
    """Parameter count written in a model name (llama-3.1-8b-instruct -> 8), used for size brackets."""
    found = _PARAMS_B.findall(model.lower())
    return Decimal(found[-1]) if found else None


# -- parsing -----------------------------------------------------------------------------------

def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{where} must be a number or a decimal string, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"{where} must be a number or a decimal string, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ConfigError(f"{where} must be a non-negative number, got {value!r}")
    if number != number.quantize(Decimal("1e-12")):
        raise ConfigError(f"{where} has more than 12 decimal places: {value!r}")
    return number


def parse_date(value: Any) -> date:
    """A TOML date, datetime or ISO text as a date; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _date(value: Any, where: str) -> date:
    try:
        return parse_date(value)
    except ValueError:
        raise ConfigError(f"{where} must be a date YYYY-MM-DD, got {value!r}") from None


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"{where} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{where} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{where} must be at least {minimum}, got {value!r}")
    return number


def _unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], where: str, hint: str) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            raise ConfigError(f"{where}: unknown key `{key}`{guess}", hint=hint)


def _rates(table: Mapping[str, Any], where: str) -> dict[str, Decimal]:
    return {k: _decimal(v, f"{where}: `{k}`") for k, v in table.items() if k in RATE_FIELDS}


def _terms(table: Mapping[str, Any], where: str) -> dict[str, FactValue]:
    out: dict[str, FactValue] = {}
    for key, value in table.items():
        if key in MONEY_TERMS:
            out[key] = _decimal(value, f"{where}: `{key}`")
        elif key in INT_TERMS:
            out[key] = _int(value, f"{where}: `{key}`", 1)
        elif key in DATE_TERMS:
            out[key] = _date(value, f"{where}: `{key}`")
    return out


def _sub_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table")
    return value


def _override(key: str, table: Any, path: str) -> Entry:
    where = f'{path}: models."{key}"'
    hint = f"fields: {', '.join(_OVERRIDE_FIELDS)}"
    table = _sub_table(table, where)
    _unknown_keys(table, _OVERRIDE_FIELDS, where, hint)
    batch = _sub_table(table.get("batch", {}), f"{where}.batch")
    _unknown_keys(batch, RATE_FIELDS, f"{where}.batch", f"fields: {', '.join(RATE_FIELDS)}")
    history: list[tuple[date, Mapping[str, Decimal]]] = []
    raw_history = table.get("history", [])
    if not isinstance(raw_history, list):
        raise ConfigError(f"{where}: `history` must be an array of tables ([[models.\"{key}\".history]])")
    for n, step in enumerate(raw_history, 1):
        step_where = f"{where}.history[{n}]"
        step = _sub_table(step, step_where)
        _unknown_keys(step, ("from", *RATE_FIELDS), step_where, "fields: from, " + ", ".join(RATE_FIELDS))
        if "from" not in step:
            raise ConfigError(f"{step_where}: missing `from` (the date this price starts)")
        history.append((_date(step["from"], f"{step_where}: `from`"), _rates(step, step_where)))
    history.sort(key=lambda h: h[0])
    return Entry(section="override", provider=None, model=key, rates=_rates(table, where), batch=_rates(batch, where),
                 terms=_terms(table, where), history=tuple(history), source=path, note=table.get("note"))


def _catalog_entry(section: str, n: int, table: Any) -> Entry:
    where = f"catalog.toml: [[{section}]] #{n}"
    table = _sub_table(table, where)
    _unknown_keys(table, (*_COMMON, *_SECTION_FIELDS[section]), where, "a packaging bug: fix ftaudit/prices/catalog.toml")
    for required in ("provider", "model", "source", "read_on"):
        if required not in table:
            raise ConfigError(f"{where}: missing `{required}`")
    batch = _sub_table(table.get("batch", {}), f"{where}.batch")
    return Entry(
        section=section, provider=str(table["provider"]), model=str(table["model"]), rates=_rates(table, where),
        batch=_rates(batch, where), terms=_terms(table, where), same_as_base=bool(table.get("same_as_base", False)),
        max_params_b=_decimal(table["max_params_b"], where) if "max_params_b" in table else None,
        source=str(table["source"]), read_on=_date(table["read_on"], where), note=table.get("note"),
        flags=tuple(table.get("flags", ())), item=table.get("item"),
        values={str(k): str(v) for k, v in _sub_table(table.get("values", {}), where).items()},
    )


@dataclass(frozen=True)
class PriceFile:
    """A --prices FILE: `[models."KEY"]` overrides (see the README for the form)."""

    path: str
    models: tuple[Entry, ...]


def load_prices(path: str | Path) -> PriceFile:
    """Read and validate a --prices FILE; errors name the file, the model key and the bad field."""
    path = Path(path)
    data = read_toml(
        path,
        what="prices file",
        missing_hint="check the path given to --prices",
        syntax_hint="see the --prices FILE form in the README",
    )
    _unknown_keys(data, ("models",), str(path), 'put each model under [models."NAME"]')
    models = _sub_table(data.get("models", {}), f"{path}: models")
    return PriceFile(path=str(path), models=tuple(_override(k, v, str(path)) for k, v in models.items()))


@dataclass(frozen=True)
class Catalog:
    research_date: date
    entries: tuple[Entry, ...]

    def best(self, section: str, provider: str | None, model: str) -> Entry | None:
        """The entry of `section` that names `model` best, for `provider` (size brackets: the smallest
        bracket that holds the model's parameter count)."""
        size = params_billions(model)
        ranked: list[tuple[int, Decimal, int, Entry]] = []
        for n, entry in enumerate(self.entries):
            if entry.section != section or entry.provider != provider:
                continue
            score = match_score(entry.model, model, alias_ok=True)
            if score is None:
                continue
            if entry.max_params_b is not None and (size is None or size > entry.max_params_b):
                continue
            ranked.append((-score, entry.max_params_b or Decimal(0), n, entry))
        return min(ranked, key=lambda r: r[:3])[3] if ranked else None

    def matching(self, section: str, provider: str | None, model: str) -> list[Entry]:
        return [e for e in self.entries if e.section == section and (provider is None or e.provider == provider)
                and match_score(e.model, model, alias_ok=True) is not None]


@cache
def load_catalog() -> Catalog:
    """The package catalog (ftaudit/prices/catalog.toml), validated once."""
    data = tomllib.loads((resources.files("ftaudit.prices") / "catalog.toml").read_text(encoding="utf-8"))
    entries = [_catalog_entry(s, n, t) for s in SECTIONS for n, t in enumerate(data.get(s, []), 1)]
    return Catalog(research_date=_date(data["catalog"]["research_date"], "catalog"), entries=tuple(entries))
