"""Loads the SQL files of `queries/` by name; the only module that knows where bundled folders are.

From a checkout the folder sits beside the package; an installed wheel carries it inside the
package as `ftaudit/queries` (see pyproject.toml). Names are paths without `.sql`, e.g.
`migrations/0001_calls` or `replay_daily_costs`.
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
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"{name} folder not found beside {Path(__file__).parent}")  # packaging bug


@cache
def queries_dir() -> Path:
    return bundled_dir("queries")


@cache
def sql(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    path = queries_dir() / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {queries_dir()}")
    return path.read_text(encoding="utf-8")


def names(prefix: str = "") -> list[str]:
    """Every query name under `prefix`, sorted (migrations rely on the order)."""
    root = queries_dir()
    found = (p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.sql"))
    return sorted(n for n in found if n.startswith(prefix))
