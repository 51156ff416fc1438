"""genai-prices access: find a model's entry, read its rates at a date and in a context (Batch,
service tier), name providers as genai-prices does, and suggest close model names. genai-prices is
imported on first use (not at CLI start-up); the catalog and --prices overrides live in `ftaudit.prices.catalog`.
"""

from __future__ import annotations

import difflib
import importlib.metadata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from ftaudit.prices.catalog import Priced, Rate, Tiered, load_catalog
from ftaudit.prices.fields import RATE_FIELDS

if TYPE_CHECKING:
    from genai_prices import data_snapshot
    from genai_prices import types as gp

GENAI_SOURCE = f"genai-prices {importlib.metadata.version('genai-prices')}"
_PROVIDER_ALIASES = {"bedrock": "aws", "vertex": "google", "vertex_ai": "google", "gemini": "google",
                     "azure_openai": "azure", "azure-openai": "azure"}


def canonical_provider(name: str | None) -> str | None:
    """genai-prices' provider id for a logged provider name (bedrock -> aws); unknown names lowercased."""
    from genai_prices import data_snapshot
    if not name:
        return None
    n = _PROVIDER_ALIASES.get(name.strip().lower(), name.strip().lower())
    found = data_snapshot.find_provider_by_id(_snapshot().providers, n)
    return found.id if found else n


# -- genai-prices --------------------------------------------------------------------------------

def _snapshot() -> data_snapshot.DataSnapshot:
    from genai_prices import data_snapshot
    return data_snapshot.get_snapshot()


def _rate(value: Any) -> Rate:
    from genai_prices import types as gp
    if isinstance(value, gp.TieredPrices):
        return Tiered(Decimal(value.base), tuple((int(t.start), Decimal(t.price)) for t in value.tiers))
    return Decimal(value)


@dataclass(frozen=True)
class GenaiModel:
    provider: gp.Provider
    model: gp.ModelInfo

    @property
    def own(self) -> bool:
        """Whether the provider lists the model itself (variants apply only then, as in calc_price)."""
        return any(m is self.model for m in self.provider.models)

    def source(self) -> str:
        return f"{GENAI_SOURCE}: {self.provider.id}/{self.model.id}"

    def rates(self, at: datetime, context: Mapping[str, str]) -> dict[str, Priced]:
        """The rates genai-prices applies at `at` in `context`, as ModelInfo.get_prices picks them."""
        from genai_prices import types as gp
        prices, since = self._standard(at)
        out = {k: Priced(_rate(v), self.source(), since) for k in RATE_FIELDS if (v := prices.__dict__.get(k)) is not None}
        if not context or not self.own:
            return out
        taken: set[str] = set()
        for variant in self.model.price_variants or ():
            if variant.constraint is not None and not variant.constraint.active(at):
                continue
            if not all(context.get(k) == v for k, v in variant.when.items()):
                continue
            started = variant.constraint.start_date if isinstance(variant.constraint, gp.StartDateConstraint) else None
            label = ", ".join(f"{k}={v}" for k, v in variant.when.items())
            for key in RATE_FIELDS:
                value = variant.prices.__dict__.get(key)
                if value is not None and key not in taken:
                    taken.add(key)
                    out[key] = Priced(_rate(value), f"{self.source()} ({label})", started,
                                      context="batch" if variant.when.get("processing") == "batch" else label)
        return out

    def _standard(self, at: datetime) -> tuple[gp.ModelPrice, date | None]:
        from genai_prices import types as gp
        if isinstance(self.model.prices, gp.ModelPrice):
            return self.model.prices, None
        for conditional in reversed(self.model.prices):
            if conditional.constraint is None or conditional.constraint.active(at):
                c = conditional.constraint
                return conditional.prices, c.start_date if isinstance(c, gp.StartDateConstraint) else None
        return self.model.prices[0].prices, None

    def start_dates(self) -> set[date]:
        from genai_prices import types as gp
        found = set()
        constraints = [] if isinstance(self.model.prices, gp.ModelPrice) else [c.constraint for c in self.model.prices]
        constraints += [v.constraint for v in self.model.price_variants or ()]
        for c in constraints:
            if isinstance(c, gp.StartDateConstraint):
                found.add(c.start_date)
        return found

    def seconds_of_day_bounds(self) -> set[int]:
        """Boundaries (seconds after UTC midnight) of time-of-day prices (e.g. DeepSeek off-peak)."""
        from genai_prices import types as gp
        found: set[int] = set()
        for c in [] if isinstance(self.model.prices, gp.ModelPrice) else [c.constraint for c in self.model.prices]:
            if isinstance(c, gp.TimeOfDateConstraint):
                for t in (c.start_time, c.end_time):
                    utc = datetime.combine(date(2000, 1, 3), t, t.tzinfo or UTC).astimezone(UTC)
                    found.add(utc.hour * 3600 + utc.minute * 60 + utc.second)
        return found


def genai_lookup(provider: str | None, model: str) -> GenaiModel | None:
    """genai-prices' entry for `model` (at `provider` when genai-prices knows that provider, else found
    by the model name), or None."""
    from genai_prices import data_snapshot
    snapshot = _snapshot()
    known = provider is not None and data_snapshot.find_provider_by_id(snapshot.providers, provider) is not None
    try:
        p, m = snapshot.find_provider_model(model, None, provider if known else None, None)
    except LookupError:
        return None
    return GenaiModel(p, m)


@cache
def known_model_names() -> tuple[str, ...]:
    """Every model name genai-prices or the catalog can price, for 'did you mean' hints."""
    names: set[str] = set()

    def collect(clause: Any) -> None:
        for attr in ("equals", "starts_with"):
            if isinstance(getattr(clause, attr, None), str):
                names.add(getattr(clause, attr).rstrip("-"))
        for sub in getattr(clause, "or_", None) or getattr(clause, "and_", None) or ():
            collect(sub)

    for provider in _snapshot().providers:
        for m in provider.models:
            names.add(m.id)
            collect(m.match)
    names.update(e.model for e in load_catalog().entries if not any(ch in e.model for ch in "*?["))
    return tuple(sorted(names))


def did_you_mean(model: str, extra: Iterable[str] = ()) -> str | None:
    close = difflib.get_close_matches(model.lower(), [*known_model_names(), *extra], n=1, cutoff=0.75)
    return close[0] if close else None


def price_context(is_batch: bool, service_tier: str | None) -> dict[str, str]:
    context = {"processing": "batch"} if is_batch else {}
    if service_tier:
        context["service_tier"] = service_tier
    return context
