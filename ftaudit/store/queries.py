"""Loads the SQL files of `queries/` by name; the only module that knows where bundled folders are.

`queries/` has one folder per stage (`ingest/`, `stats/`, `replay/`, `report/`, ...); a query is named
by its file name without `.sql` (`replay_daily`), which is unique across folders. Migrations keep the
names they are recorded under in `schema_migrations` (`migrations/0001_store`). From a checkout the
folder sits beside the package; an installed wheel carries it inside the package as `ftaudit/queries`
(see pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """A top-level folder of the checkout (`queries`, `sample_logs`), or its copy inside the wheel."""
    packaged = Path(str(resources.files("ftaudit"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"{name} folder not found beside {Path(__file__).parent}")  # packaging bug


@cache
def queries_dir() -> Path:
    return bundled_dir("queries")


@cache
def paths() -> dict[str, Path]:
    """Every query name -> its file. Two files with one name are a packaging bug."""
    found: dict[str, Path] = {}
    for path in sorted(queries_dir().rglob("*.sql")):
        name = f"migrations/{path.stem}" if path.parent.name == "migrations" else path.stem
        if name in found:
            raise RuntimeError(f"two queries named {name!r}: {found[name]} and {path}")
        found[name] = path
    return found


@cache
def sql(name: str) -> str:
    """The text of the query file named `name` (`replay_daily` -> queries/replay/replay_daily.sql)."""
    path = paths().get(name)
    if path is None:
        raise KeyError(f"no query named {name!r} in {queries_dir()}")
    return path.read_text(encoding="utf-8")


def names(prefix: str = "") -> list[str]:
    """Every query name under `prefix`, sorted (migrations rely on the order)."""
    return sorted(n for n in paths() if n.startswith(prefix))
