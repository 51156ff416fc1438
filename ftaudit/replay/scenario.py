"""Scenarios: what a fine-tune would change, from a scenario TOML (`--scenario FILE`) and/or flags.

Keys are the `ftaudit replay` flag names with underscores (`remove_prompt_tokens = "auto"`), plus
`name`, `fine_tuned_provider` and `storage_per_month`. Flags override the file. The result is a frozen,
validated `Scenario`; every error names the bad key and where it came from. No prices, no database.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ftaudit.errors import ConfigError
from ftaudit.prices.fields import parse_date
from ftaudit.toml_file import read_toml

Auto = Literal["auto"]
DEFAULT_HORIZON_DAYS = 730
ANY_TARGET = "(each target)"  # the fine-tuned model of a scenario made for `ftaudit compare` alone

# TOML key / flag name -> attribute (attributes carry units where the flag name does not).
KEYS: dict[str, str] = {
    "name": "name",
    "fine_tuned_model": "fine_tuned_model",
    "fine_tuned_provider": "fine_tuned_provider",
    "base_model": "base_model",
    "workload": "workload",
    "remove_prompt_tokens": "remove_prompt_tokens",
    "add_prompt_tokens": "add_prompt_tokens",
    "output_ratio": "output_ratio",
    "training_tokens": "training_tokens",
    "training_file": "training_file",
    "epochs": "epochs",
    "runs": "runs",
    "training_cost": "training_cost_usd",
    "retrain_every": "retrain_every_days",
    "hosting_per_hour": "hosting_per_hour_usd",
    "storage_per_month": "storage_per_month_usd",
    "start": "start",
    "horizon_days": "horizon_days",
    "prices": "prices",
}


@dataclass(frozen=True)
class Scenario:
    """A fine-tuning what-if. None means "from the catalog / the data" (see `ftaudit replay --help`)."""

    fine_tuned_model: str
    name: str = "fine-tune"
    fine_tuned_provider: str | None = None
    base_model: str | None = None
    workload: str | None = None
    remove_prompt_tokens: int | Auto = 0
    add_prompt_tokens: int = 0
    output_ratio: Decimal = Decimal(1)
    training_tokens: int | None = None
    training_file: Path | None = None
    epochs: int | Auto = "auto"
    runs: int = 1
    training_cost_usd: Decimal | None = None
    retrain_every_days: int | None = None
    hosting_per_hour_usd: Decimal | None = None
    storage_per_month_usd: Decimal | None = None
    start: date | None = None
    horizon_days: int = DEFAULT_HORIZON_DAYS
    prices: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """The scenario under its TOML key names (JSON-ready apart from Decimal, date and Path)."""
        values = asdict(self)
        return {key: values[attr] for key, attr in KEYS.items()}

    def with_changes(self, **changes: Any) -> Scenario:
        return replace(self, **changes)


def load_scenario(path: str | Path | None = None, **overrides: Any) -> Scenario:
    """A scenario from a TOML file (relative paths in it are relative to the file), with `overrides`
    (TOML key names; None values ignored) taking precedence, as flags do."""
    values: dict[str, Any] = {}
    origin = "command line"
    if path is not None:
        path = Path(path)
        origin = str(path)
        values = read_toml(
            path,
            what="scenario file",
            missing_hint="check the path given to --scenario",
            syntax_hint="see `ftaudit replay --help` for the keys",
        )
        values = {k.replace("-", "_"): v for k, v in values.items()}
        for key in ("training_file", "prices"):
            if isinstance(values.get(key), str) and not Path(values[key]).is_absolute():
                values[key] = str(path.parent / values[key])
    flags = {k.replace("-", "_"): v for k, v in overrides.items() if v is not None}
    return make_scenario({**values, **flags}, origin if not flags else f"{origin} and flags")


def make_scenario(values: Mapping[str, Any], origin: str = "scenario") -> Scenario:
    """Validate a mapping of TOML keys into a Scenario; errors name the key."""
    for key in values:
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            raise ConfigError(f"{origin}: unknown scenario key `{key}`{guess}", hint=f"keys: {', '.join(KEYS)}")
    v = _Validator(values, origin)
    model = v.text("fine_tuned_model")
    if model is None:
        raise ConfigError(f"{origin}: missing `fine_tuned_model`",
                          hint="pass --fine-tuned-model MODEL or set fine_tuned_model in the scenario file")
    scenario = Scenario(
        fine_tuned_model=model,
        name=v.text("name") or "fine-tune",
        fine_tuned_provider=v.text("fine_tuned_provider"),
        base_model=v.text("base_model"),
        workload=v.text("workload"),
        remove_prompt_tokens=v.integer_or_auto("remove_prompt_tokens", 0, 0),
        add_prompt_tokens=v.integer("add_prompt_tokens", 0, 0) or 0,
        output_ratio=v.decimal("output_ratio", Decimal(1), places=6) or Decimal(1),
        training_tokens=v.integer("training_tokens", None, 0),
        training_file=v.path("training_file"),
        epochs=v.integer_or_auto("epochs", "auto", 1),
        runs=v.integer("runs", 1, 1) or 1,
        training_cost_usd=v.decimal("training_cost", None),
        retrain_every_days=v.integer("retrain_every", None, 1),
        hosting_per_hour_usd=v.decimal("hosting_per_hour", None),
        storage_per_month_usd=v.decimal("storage_per_month", None),
        start=v.day("start"),
        horizon_days=v.integer("horizon_days", DEFAULT_HORIZON_DAYS, 1) or DEFAULT_HORIZON_DAYS,
        prices=v.path("prices"),
    )
    if scenario.training_file is not None and not scenario.training_file.is_file():
        raise ConfigError(f"{origin}: `training_file` {scenario.training_file} does not exist",
                          hint="give an OpenAI chat fine-tuning JSONL file")
    return scenario


class _Validator:
    def __init__(self, values: Mapping[str, Any], origin: str) -> None:
        self.values = values
        self.origin = origin

    def _bad(self, key: str, expected: str) -> ConfigError:
        flag = "--" + key.replace("_", "-")
        return ConfigError(f"{self.origin}: `{key}` must be {expected}, got {self.values[key]!r}",
                           hint=f"fix `{key}` in the scenario file or pass {flag}")

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._bad(key, "a non-empty string")
        return value.strip()

    def integer(self, key: str, default: int | None, minimum: int) -> int | None:
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            raise self._bad(key, f"a whole number >= {minimum}")
        try:
            number = int(value) if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()) else None
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise self._bad(key, f"a whole number >= {minimum}")
        return number

    def integer_or_auto(self, key: str, default: int | Auto, minimum: int) -> int | Auto:
        value = self.values.get(key)
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        if value is None:
            return default
        number = self.integer(key, None, minimum)
        if number is None:
            raise self._bad(key, f"a whole number >= {minimum} or \"auto\"")
        return number

    def decimal(self, key: str, default: Decimal | None, places: int = 12) -> Decimal | None:
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise self._bad(key, "a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise self._bad(key, "a number") from None
        if not number.is_finite() or number < 0:
            raise self._bad(key, "a non-negative number")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise self._bad(key, f"a number with at most {places} decimal places")
        return number

    def path(self, key: str) -> Path | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str | Path):
            raise self._bad(key, "a file path")
        return Path(value)

    def day(self, key: str) -> date | None:
        value = self.values.get(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise self._bad(key, "a date YYYY-MM-DD") from None
