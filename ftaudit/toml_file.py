"""Reading the TOML files a user hands ftaudit (--prices, --scenario, the audit config): one error
line naming the file when it is missing or is not TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ftaudit.errors import ConfigError


def read_toml(path: Path, *, what: str, missing_hint: str, syntax_hint: str) -> dict[str, Any]:
    """The parsed file; ConfigError "PATH: no such WHAT" or "PATH: not valid TOML: ..." otherwise."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what}", hint=missing_hint) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", hint=syntax_hint) from None
