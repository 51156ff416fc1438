"""What a forward replay ("if we start on D") is asked: the start date and how the recorded window is
replayed forward. Light (no polars, no database) so the CLI can parse `--from` at start-up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from ftaudit.errors import UsageError

TODAY_ENV = "FTAUDIT_TODAY"  # YYYY-MM-DD: what `--from today` means (tests, demos, reruns of a past run)
TWELVE_MONTHS_DAYS = 365
Growth = Literal["none", "trend"]


@dataclass(frozen=True)
class ForwardOptions:
    """Trained on `from_date`, the tuned model serves from `from_date + lead_days`; the last
    `window_days` days of the workload's calls are its traffic, replayed forward again and again."""

    from_date: date
    lead_days: int = 1
    window_days: int = 28
    volume_factor: Decimal = Decimal(1)
    growth: Growth = "none"
    horizon_days: int = TWELVE_MONTHS_DAYS

    def __post_init__(self) -> None:
        if self.lead_days < 0:
            raise UsageError(f"--lead-days must be 0 or more, got {self.lead_days}")
        if self.window_days < 7 or self.window_days % 7:
            raise UsageError(f"--window-days must be a whole number of weeks (7, 14, 28, ...), got {self.window_days}",
                             hint="the window is replayed with each call on its own day of the week")
        if not self.volume_factor.is_finite() or self.volume_factor < 0:
            raise UsageError(f"--volume-factor must be a non-negative number, got {self.volume_factor}")
        if self.growth not in ("none", "trend"):
            raise UsageError(f"--growth must be `none` or `trend`, got {self.growth!r}")
        if self.horizon_days < 1:
            raise UsageError(f"the horizon must be at least 1 day, got {self.horizon_days}")


def today() -> date:
    """The real UTC date, or $FTAUDIT_TODAY when set."""
    given = os.environ.get(TODAY_ENV)
    if given:
        try:
            return date.fromisoformat(given.strip())
        except ValueError:
            raise UsageError(f"{TODAY_ENV}={given!r} is not a date YYYY-MM-DD", hint=f"unset {TODAY_ENV} or fix it") from None
    return datetime.now(UTC).date()


def parse_from_date(text: str) -> date:
    """`today` or YYYY-MM-DD (the value of --from)."""
    if text.strip().lower() == "today":
        return today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--from {text!r} is not `today` or a date YYYY-MM-DD") from None


def parse_volume_factor(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        raise UsageError(f"--volume-factor {text!r} is not a number") from None
    return value
