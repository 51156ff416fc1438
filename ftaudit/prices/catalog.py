"""Prices and where they come from: the package catalog (`catalog.toml`) for what genai-prices lacks,
and a user's `--prices FILE` on top of both (genai-prices itself is read by `ftaudit.prices.genai`).

Owns model-name matching and provenance: every resolved number says where it came from and its date.
It prices no call (`ftaudit.prices.resolver` turns these answers into the table DuckDB joins to the
calls) and never invents a price: a field nobody knows stays missing, and missing is an error upstream.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, time
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ftaudit.errors import ConfigError
from ftaudit.prices.fields import (
    DATE_TERMS,
    RATE_FIELDS,
    TERMS,
    FactValue,
    date_value,
    decimal_value,
    rates,
    sub_table,
    terms,
    unknown_keys,
)
from ftaudit.toml_file import read_toml

SECTIONS = ("inference", "training", "hosting", "lifecycle", "prompt_cache", "target", "reference")
_SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "inference": (*RATE_FIELDS, "batch", "same_as_base", "batch_multiplier", "batch_fields", "batch_from"),
    "training": ("training_mtok", "training_per_hour", "min_job_usd", "max_job_usd", "max_tokens_per_example",
                 "max_params_b"),
    "hosting": ("hosting_required", "per_replica", "hosting_per_hour", "replica_tokens_per_s", "storage_per_month"),
    "lifecycle": DATE_TERMS,
    "prompt_cache": ("cache_min_tokens", "cache_step_tokens"),
    "target": ("serves", "needs", "label"),
    "reference": ("item", "values"),
}
_COMMON = ("provider", "model", "source", "source_date", "read_on", "note", "flags")
_OVERRIDE_FIELDS = (*RATE_FIELDS, *TERMS, "batch", "history", "note")
_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})")
_PARAMS_B = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])")
MIDNIGHT = time(0, tzinfo=UTC)

UNDATED = "undated"


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
    """One resolved number: its value, where it came from, the date it took effect or the date of its
    source (`as_of`), the day the catalog's notes read it (`read_on`), and the context that chose it
    (`context`: "batch" or "service_tier=priority" when a Batch or tier rate replaced the standard one)."""

    value: Rate | FactValue
    source: str
    as_of: date | None = None
    read_on: date | None = None
    context: str = ""


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
    batch_multiplier: Decimal | None = None
    batch_fields: tuple[str, ...] = ()
    batch_from: date | None = None
    max_params_b: Decimal | None = None
    source: str = ""
    source_date: date | None = None  # None: the source is undated
    read_on: date | None = None
    note: str | None = None
    flags: tuple[str, ...] = ()
    item: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    serves: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    label: str | None = None

    @property
    def source_date_text(self) -> str:
        return self.source_date.isoformat() if self.source_date else UNDATED


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


def _override(key: str, table: Any, path: str) -> Entry:
    where = f'{path}: models."{key}"'
    hint = f"fields: {', '.join(_OVERRIDE_FIELDS)}"
    table = sub_table(table, where)
    unknown_keys(table, _OVERRIDE_FIELDS, where, hint)
    batch = sub_table(table.get("batch", {}), f"{where}.batch")
    unknown_keys(batch, RATE_FIELDS, f"{where}.batch", f"fields: {', '.join(RATE_FIELDS)}")
    history: list[tuple[date, Mapping[str, Decimal]]] = []
    raw_history = table.get("history", [])
    if not isinstance(raw_history, list):
        raise ConfigError(f"{where}: `history` must be an array of tables ([[models.\"{key}\".history]])")
    for n, step in enumerate(raw_history, 1):
        step_where = f"{where}.history[{n}]"
        step = sub_table(step, step_where)
        unknown_keys(step, ("from", *RATE_FIELDS), step_where, "fields: from, " + ", ".join(RATE_FIELDS))
        if "from" not in step:
            raise ConfigError(f"{step_where}: missing `from` (the date this price starts)")
        history.append((date_value(step["from"], f"{step_where}: `from`"), rates(step, step_where)))
    history.sort(key=lambda h: h[0])
    return Entry(section="override", provider=None, model=key, rates=rates(table, where), batch=rates(batch, where),
                 terms=terms(table, where), history=tuple(history), source=path, note=table.get("note"))


def _catalog_entry(section: str, n: int, table: Any) -> Entry:
    where = f"catalog.toml: [[{section}]] #{n}"
    table = sub_table(table, where)
    unknown_keys(table, (*_COMMON, *_SECTION_FIELDS[section]), where, "a packaging bug: fix ftaudit/prices/catalog.toml")
    for required in ("provider", "model", "source", "source_date", "read_on"):
        if required not in table:
            raise ConfigError(f"{where}: missing `{required}`")
    batch = sub_table(table.get("batch", {}), f"{where}.batch")
    fields = tuple(str(f) for f in table.get("batch_fields", ()))
    unknown_keys(dict.fromkeys(fields), RATE_FIELDS, f"{where}: batch_fields", "a packaging bug")
    multiplier = table.get("batch_multiplier")
    return Entry(
        section=section, provider=str(table["provider"]), model=str(table["model"]), rates=rates(table, where),
        batch=rates(batch, where), terms=terms(table, where), same_as_base=bool(table.get("same_as_base", False)),
        batch_multiplier=decimal_value(multiplier, where) if multiplier is not None else None,
        batch_fields=fields or RATE_FIELDS[:-1],
        batch_from=date_value(table["batch_from"], where) if "batch_from" in table else None,
        max_params_b=decimal_value(table["max_params_b"], where) if "max_params_b" in table else None,
        source=str(table["source"]), read_on=date_value(table["read_on"], where),
        source_date=None if table["source_date"] == UNDATED else date_value(table["source_date"], where),
        note=table.get("note"), flags=tuple(table.get("flags", ())), item=table.get("item"),
        values={str(k): str(v) for k, v in sub_table(table.get("values", {}), where).items()},
        serves=tuple(str(s) for s in table.get("serves", ())), needs=tuple(str(n) for n in table.get("needs", ())),
        label=table.get("label"),
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
    unknown_keys(data, ("models",), str(path), 'put each model under [models."NAME"]')
    models = sub_table(data.get("models", {}), f"{path}: models")
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
    return Catalog(research_date=date_value(data["catalog"]["research_date"], "catalog"), entries=tuple(entries))
