"""Replay: calls in the store + a scenario + prices -> the base and fine-tuned costs day by day, the
break-even date (or a projection, or "never") and its provenance (`ReplayResult`).

`replay` below is the library entry point; it loads the replay machinery (polars) on first call, so
that importing a light module of this package (`scenario`) costs nothing at CLI start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from ftaudit.prices.catalog import PriceFile
    from ftaudit.replay.result import ReplayResult
    from ftaudit.replay.scenario import Scenario
    from ftaudit.store.connection import Store


def replay(store: Store, scenario: Scenario, *, prices: PriceFile | None = None, until: datetime | None = None) -> ReplayResult:
    """Replay the calls of `store` under `scenario`; see `ftaudit.replay.run.replay`."""
    from ftaudit.replay.run import replay as run

    return run(store, scenario, prices=prices, until=until)
