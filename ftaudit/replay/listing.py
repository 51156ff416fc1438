"""What `ftaudit prices` shows: every price a replay would use, where it came from and its date, plus
the training, hosting, lifecycle and prompt-cache terms and the catalog's reference numbers.
Listing only: a model without a price is listed as unpriced here (a replay refuses it).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ftaudit.prices.catalog import UNDATED, Priced, PriceFile, split_fine_tune
from ftaudit.prices.fields import RATE_FIELDS
from ftaudit.prices.genai import canonical_provider
from ftaudit.prices.resolver import EPOCH, FAR_FUTURE, PriceNeed, Resolver, missing_rates, rate_text, segments
from ftaudit.replay.training import TrainingCost, run_cost
from ftaudit.store.connection import Store


def default_provider(model: str, provider: str | None) -> str | None:
    """The provider a model name implies when none is given: Azure for `base.ft-id`, OpenAI for `ft:`."""
    if provider:
        return canonical_provider(provider)
    if ".ft-" in model.lower():
        return "azure"
    return "openai" if split_fine_tune(model)[0] else None


def list_prices(store: Store | None = None, model: str | None = None, *, prices: PriceFile | None = None,
                provider: str | None = None) -> dict[str, Any]:
    """Prices of `model` (every dated change, standard and Batch), or of every model logged in `store`
    (over the dates of its calls), with sources; JSON-ready."""
    resolver = Resolver(prices)
    wanted: list[tuple[PriceNeed, str | None, datetime, datetime]] = []
    if model is not None:
        prov = default_provider(model, provider)
        for batch in (False, True):
            wanted.append((PriceNeed(prov or "", model, batch, ""), prov, EPOCH, FAR_FUTURE))
    else:
        assert store is not None
        for r in store.frame("replay_contexts", start_ts=None, until_ts=None, workload=None).iter_rows(named=True):
            wanted.append((PriceNeed(r["provider"], r["model"], r["is_batch"], r["service_tier"]), r["provider"],
                           r["first_ts"], r["last_ts"]))
    rates: list[dict[str, Any]] = []
    unpriced: list[str] = []
    for need, lookup, since, until in wanted:
        found = _rate_rows(resolver, need, lookup, since, until)
        if not found and need.model not in unpriced:
            unpriced.append(need.model)
        rates.extend(found)
    models = sorted({(need.model, lookup) for need, lookup, _, _ in wanted}, key=lambda m: (m[0], m[1] or ""))
    terms = [_term_row(m, resolver.provider_of(p, m), k, v) for m, p in models for k, v in sorted(resolver.terms(p, m).items())]
    reference = [{"model": m, "provider": e.provider, "item": e.item, "values": dict(e.values), "note": e.note,
                  "source": e.source, "as_of": e.source_date.isoformat() if e.source_date else None,
                  "source_date": e.source_date_text, "read_on": e.read_on.isoformat() if e.read_on else None}
                 for m, p in models for e in resolver.catalog.matching("reference", resolver.provider_of(p, m), m)]
    return {"rates": rates, "terms": terms, "reference": reference, "unpriced": unpriced,
            "overrides": prices.path if prices else None}


def _context(need: PriceNeed) -> str:
    parts = ["batch" if need.is_batch else "standard"] + ([f"service_tier={need.service_tier}"] if need.service_tier else [])
    return ", ".join(parts)


def _rate_rows(resolver: Resolver, need: PriceNeed, lookup: str | None, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """One row per field and run of segments in which it does not change, within [since, until]."""
    segs = [s for s in segments(resolver, need, lookup) if s.valid_until > since and s.valid_from <= until]
    if not segs or any(missing_rates(s.rates) for s in segs):
        return []
    rows: list[dict[str, Any]] = []
    windows = len({(s.tod_from_s, s.tod_to_s) for s in segs}) > 1
    for field in RATE_FIELDS:
        runs: list[list[Any]] = []  # [from, until, Priced, window]
        for seg in segs:
            priced = seg.rates.get(field)
            if priced is None:
                continue
            window = f"{seg.tod_from_s // 3600:02d}:{seg.tod_from_s % 3600 // 60:02d}-" \
                     f"{seg.tod_to_s // 3600:02d}:{seg.tod_to_s % 3600 // 60:02d} UTC" if windows else None
            same = [r for r in runs if r[3] == window]
            if same and same[-1][2] == priced and same[-1][1] == seg.valid_from:
                same[-1][1] = seg.valid_until
            else:
                runs.append([seg.valid_from, seg.valid_until, priced, window])
        for start, end, priced, window in runs:
            rows.append({
                "model": need.model, "provider": lookup, "context": _context(need) + (f", {window}" if window else ""),
                "field": field, "rate": rate_text(priced.value),
                "unit": "USD per 1K requests" if field == "requests_kcount" else "USD per 1M tokens",
                "from": None if start == EPOCH else start.date().isoformat(),
                "until": None if end == FAR_FUTURE else end.date().isoformat(),
                "source": priced.source, "as_of": priced.as_of.isoformat() if priced.as_of else None,
                **source_dates(priced),
            })
    return rows


def _term_row(model: str, provider: str | None, name: str, term: Priced) -> dict[str, Any]:
    value = term.value
    return {"model": model, "provider": provider, "term": name,
            "value": value.isoformat() if hasattr(value, "isoformat") else str(value).lower() if isinstance(value, bool)
            else rate_text(value),
            "source": term.source, "as_of": term.as_of.isoformat() if term.as_of else None, **source_dates(term)}


def source_dates(priced: Priced) -> dict[str, str | None]:
    """A catalog number's source date ("undated" when its source has none) and the day it was read;
    None for genai-prices and --prices FILE numbers (their `as_of` is the date a price starts)."""
    if priced.read_on is None:
        return {"source_date": None, "read_on": None}
    return {"source_date": priced.as_of.isoformat() if priced.as_of else UNDATED, "read_on": priced.read_on.isoformat()}


def training_cost(path: str | Path, model: str, *, epochs: int | str = "auto", provider: str | None = None,
                  prices: PriceFile | None = None) -> TrainingCost:
    """Tokens per example, default epochs, billed tokens and cost of fine-tuning `model` on the OpenAI
    chat fine-tuning JSONL file at `path` (like OpenAI's data-preparation notebook)."""
    name = model if split_fine_tune(model)[0] else f"ft:{model}"
    terms = Resolver(prices).terms(default_provider(name, provider), name)
    return run_cost(name, terms, training_file=Path(path), epochs=epochs)

