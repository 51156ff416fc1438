"""The replay's price table: each (provider, model, Batch, service tier) a replay needs, resolved through
genai-prices, then the catalog, then the --prices FILE, once per date range (and time-of-day window and
input-size tier) in which its rates are constant. DuckDB joins the table to the calls; nothing here
prices a call. A model left without an input or an output rate is unpriced: an error, never $0.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from ftaudit.prices.catalog import Catalog, Entry, Priced, PriceFile, Rate, Tiered, load_catalog, match_score, split_fine_tune
from ftaudit.prices.genai import GenaiModel, canonical_provider, genai_lookup, price_context

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
TOKENS_MAX = 2**63 - 1
DAY_SECONDS = 86_400
MONEY = pl.Decimal(38, 12)
# Effective per-leaf rates: what genai-prices bills each token kind at when a finer rate is missing
# (cache reads at the input rate, 1h writes at the write rate, reasoning at the output rate).
RATE_COLUMNS = ("input_rate", "cache_read_rate", "cache_write_rate", "cache_write_1h_rate", "output_rate",
                "reasoning_rate", "requests_rate")
PRICE_SCHEMA: dict[str, Any] = {
    "provider": pl.String, "model": pl.String, "is_batch": pl.Boolean, "service_tier": pl.String,
    "valid_from": pl.Datetime("us", "UTC"), "valid_until": pl.Datetime("us", "UTC"),
    "tod_from_s": pl.Int64, "tod_to_s": pl.Int64, "tier_above": pl.Int64, "tier_upto": pl.Int64,
    **dict.fromkeys(RATE_COLUMNS, MONEY),
}


class Resolver:
    """Answers "what does MODEL cost at PROVIDER on DATE in CONTEXT, and says who?" for one set of
    overrides. Layers, each replacing only the fields it gives: genai-prices (or, for catalog
    `same_as_base` fine-tunes, the base model's resolved rates) -> catalog -> --prices FILE ->
    its dated `history` -> its `batch` table (Batch calls)."""

    def __init__(self, overrides: PriceFile | None = None, catalog: Catalog | None = None) -> None:
        self.overrides = overrides
        self.catalog = catalog or load_catalog()

    def override_for(self, model: str) -> Entry | None:
        if self.overrides is None:
            return None
        ranked = [(s, -len(e.model), n, e) for n, e in enumerate(self.overrides.models)
                  if (s := match_score(e.model, model)) is not None]
        return max(ranked, key=lambda r: r[:3])[3] if ranked else None

    def provider_of(self, provider: str | None, model: str) -> str | None:
        """The provider whose catalog entries apply: the logged one, or the one genai-prices finds by
        the model name when the log's provider is unknown (a mapped CSV says 'custom')."""
        canonical = canonical_provider(provider)
        if canonical in {e.provider for e in self.catalog.entries}:
            return canonical
        found = genai_lookup(canonical, model)
        return found.provider.id if found else canonical

    def genai(self, provider: str | None, model: str) -> GenaiModel | None:
        found = genai_lookup(provider, model)
        if found is not None and split_fine_tune(model)[0] and "ft" not in found.model.id.lower():
            found = None  # genai-prices matched a fine-tune's name to its base model: never a fine-tune's price
        if found is None and split_fine_tune(model)[0]:
            # `ft:gpt-4o-mini` names the family; genai-prices matches dated fine-tunes only.
            for entry in self.catalog.matching("inference", provider, model) + self.catalog.matching("training", provider, model):
                if match_score(entry.model, model, alias_ok=True) == 700:
                    return genai_lookup(provider, entry.model)
        return found

    def _same_as_base(self, provider: str | None, model: str) -> tuple[Entry | None, str | None]:
        entry = self.catalog.best("inference", provider, model)
        is_ft, base = split_fine_tune(model)
        return entry, (base if entry is not None and entry.same_as_base and is_ft else None)

    def rates(self, provider: str | None, model: str, at: datetime, is_batch: bool, tier: str) -> dict[str, Priced]:
        prov = self.provider_of(provider, model)
        entry, base = self._same_as_base(prov, model)
        out: dict[str, Priced] = {}
        if base is not None and entry is not None:
            for key, p in self.rates(prov, base, at, is_batch, tier).items():
                out[key] = Priced(p.value, f"{_label(entry)}: the base model's rate ({p.source})", p.as_of, p.read_on,
                                  p.context)
        elif (found := self.genai(prov, model)) is not None:
            out = found.rates(at, price_context(is_batch, tier))
        if entry is not None:
            _overlay(out, entry.rates, _label(entry), entry.source_date, entry.read_on)
            if is_batch and entry.batch_multiplier is not None and (entry.batch_from is None or at.date() >= entry.batch_from):
                standard = self.rates(provider, model, at, False, tier)
                share = entry.batch_multiplier
                _overlay(out, {k: _scaled(standard[k].value, share) for k in entry.batch_fields if k in standard},
                         f"{_label(entry)} (Batch: {share} x the standard rate)", entry.source_date, entry.read_on, "batch")
            if is_batch:
                _overlay(out, entry.batch, f"{_label(entry)} (Batch)", entry.source_date, entry.read_on, "batch")
        override = self.override_for(model)
        if override is not None:
            _overlay(out, override.rates, f"{override.source} [models.\"{override.model}\"]", None)
            steps = [h for h in override.history if h[0] <= at.date()]
            if steps:
                since, step_rates = steps[-1]
                _overlay(out, step_rates, f"{override.source} [models.\"{override.model}\".history]", since)
            if is_batch:
                _overlay(out, override.batch, f"{override.source} [models.\"{override.model}\".batch]", None,
                         context="batch")
        return out

    def batch_known(self, provider: str | None, model: str, at: datetime, tier: str = "") -> bool:
        """Whether a source gives MODEL's Batch input and output rates at `at` (not the standard ones)."""
        rates = self.rates(provider, model, at, True, tier)
        return all(k in rates and "batch" in rates[k].context for k in ("input_mtok", "output_mtok"))

    def tier_offered(self, provider: str | None, model: str, at: datetime, tier: str) -> bool:
        """Whether MODEL has its own rates at service tier `tier` (a priority or flex price) at `at`."""
        rates = self.rates(provider, model, at, False, tier)
        return any(f"service_tier={tier}" in p.context for p in rates.values())

    def breakpoints(self, provider: str | None, model: str) -> set[date]:
        """Dates on which any layer's rates for the model may change."""
        prov = self.provider_of(provider, model)
        _, base = self._same_as_base(prov, model)
        found = self.breakpoints(prov, base) if base else set()
        if base is None and (g := self.genai(prov, model)) is not None:
            found |= g.start_dates()
        if (override := self.override_for(model)) is not None:
            found |= {h[0] for h in override.history}
        if (entry := self.catalog.best("inference", prov, model)) is not None and entry.batch_from is not None:
            found.add(entry.batch_from)
        return found

    def seconds_of_day_bounds(self, provider: str | None, model: str) -> set[int]:
        prov = self.provider_of(provider, model)
        _, base = self._same_as_base(prov, model)
        if base:
            return self.seconds_of_day_bounds(prov, base)
        g = self.genai(prov, model)
        return g.seconds_of_day_bounds() if g else set()

    def terms(self, provider: str | None, model: str) -> dict[str, Priced]:
        """Training, hosting, storage, lifecycle and prompt-cache terms of a (fine-tuned) model."""
        prov = self.provider_of(provider, model)
        out: dict[str, Priced] = {}
        for section in ("training", "hosting", "lifecycle", "prompt_cache"):
            entry = self.catalog.best(section, prov, model)
            if entry is not None:
                for key, value in entry.terms.items():
                    out[key] = Priced(value, _label(entry), entry.source_date, entry.read_on)
        if (override := self.override_for(model)) is not None:
            for key, value in override.terms.items():
                out[key] = Priced(value, f"{override.source} [models.\"{override.model}\"]", None)
        return out


def _label(entry: Entry) -> str:
    flags = f" [flag {', '.join(entry.flags)}]" if entry.flags else ""
    return f"catalog [[{entry.section}]] {entry.provider}/{entry.model}: {entry.source}{flags}"


def _overlay(out: dict[str, Priced], rates: Mapping[str, Rate], source: str, as_of: date | None,
             read_on: date | None = None, context: str = "") -> None:
    for key, value in rates.items():
        out[key] = Priced(value, source, as_of, read_on, context)


def _scaled(value: Rate | object, share: Decimal) -> Rate:
    if isinstance(value, Tiered):
        return Tiered(value.base * share, tuple((start, price * share) for start, price in value.tiers))
    assert isinstance(value, Decimal)
    return value * share


# -- the table -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceNeed:
    """One key of the price table: `provider` and `model` as the join spells them."""

    provider: str
    model: str
    is_batch: bool
    service_tier: str


@dataclass(frozen=True)
class Segment:
    """Rates constant over [valid_from, valid_until) x [tod_from_s, tod_to_s) seconds of the UTC day."""

    valid_from: datetime
    valid_until: datetime
    tod_from_s: int
    tod_to_s: int
    rates: dict[str, Priced]


def segments(resolver: Resolver, need: PriceNeed, lookup_provider: str | None) -> list[Segment]:
    dates = sorted(resolver.breakpoints(lookup_provider, need.model))
    starts = [EPOCH, *(datetime.combine(d, time(0), UTC) for d in dates if d > EPOCH.date())]
    ends = [*starts[1:], FAR_FUTURE]
    bounds = sorted({0, DAY_SECONDS, *resolver.seconds_of_day_bounds(lookup_provider, need.model)})
    out = []
    for start, end in zip(starts, ends, strict=True):
        for lo, hi in itertools.pairwise(bounds):
            at = start + timedelta(seconds=lo)
            rates = resolver.rates(lookup_provider, need.model, at, need.is_batch, need.service_tier)
            out.append(Segment(start, end, lo, hi, rates))
    return out


def missing_rates(rates: Mapping[str, Priced]) -> list[str]:
    return [key for key in ("input_mtok", "output_mtok") if key not in rates]


def _value_at(rates: Mapping[str, Priced], key: str, tier_above: int) -> Decimal | None:
    priced = rates.get(key)
    if priced is None:
        return None
    value = priced.value
    if isinstance(value, Tiered):
        return value.at(tier_above)
    assert isinstance(value, Decimal)
    return value


def effective_rates(rates: Mapping[str, Priced], tier_above: int) -> dict[str, Decimal]:
    def at(key: str) -> Decimal | None:
        return _value_at(rates, key, tier_above)

    input_rate, output_rate = at("input_mtok"), at("output_mtok")
    assert input_rate is not None and output_rate is not None
    write = at("cache_write_mtok")
    write = input_rate if write is None else write
    return {
        "input_rate": input_rate,
        "cache_read_rate": r if (r := at("cache_read_mtok")) is not None else input_rate,
        "cache_write_rate": write,
        "cache_write_1h_rate": r if (r := at("cache_write_1h_mtok")) is not None else write,
        "output_rate": output_rate,
        "reasoning_rate": r if (r := at("output_reasoning_mtok")) is not None else output_rate,
        "requests_rate": r if (r := at("requests_kcount")) is not None else Decimal(0),
    }


def tier_bounds(rates: Mapping[str, Priced]) -> list[tuple[int, int]]:
    """(tier_above, tier_upto] input-token ranges in which no tiered rate changes."""
    starts = sorted({s for p in rates.values() if isinstance(p.value, Tiered) for s, _ in p.value.tiers})
    lows = [-1, *starts]
    return list(zip(lows, [*starts, TOKENS_MAX], strict=True))


def price_table(
    resolver: Resolver, needs: Iterable[tuple[PriceNeed, str | None]], basis: Mapping[PriceNeed, PriceNeed] | None = None
) -> tuple[pl.DataFrame, dict[PriceNeed, list[str]]]:
    """The price table for `needs` ((key, provider to look the model up at)), and the keys left
    unpriced with the fields they lack. `basis`: a key whose rows hold another context's rates (a
    Batch or tier call priced on the standard basis of the other side)."""
    rows: list[dict[str, Any]] = []
    unpriced: dict[PriceNeed, list[str]] = {}
    for need, lookup_provider in needs:
        for seg in segments(resolver, (basis or {}).get(need, need), lookup_provider):
            if missing := missing_rates(seg.rates):
                unpriced[need] = sorted(set(unpriced.get(need, [])) | set(missing))
                continue
            for above, upto in tier_bounds(seg.rates):
                rows.append({
                    "provider": need.provider, "model": need.model, "is_batch": need.is_batch,
                    "service_tier": need.service_tier, "valid_from": seg.valid_from, "valid_until": seg.valid_until,
                    "tod_from_s": seg.tod_from_s, "tod_to_s": seg.tod_to_s, "tier_above": above, "tier_upto": upto,
                    **effective_rates(seg.rates, above),
                })
    return pl.DataFrame(rows, schema=PRICE_SCHEMA), unpriced


def rate_text(value: Rate | object) -> str:
    if isinstance(value, Tiered):
        tiers = ", ".join(f"{price} above {start:,} input tokens" for start, price in value.tiers)
        return f"{value.base} ({tiers})"
    return str(value)
