"""The database file itself: what `--db` may name, how a new one comes into being, what is left of a
run killed while DuckDB was creating one.

A new database is created and migrated under a temporary name beside the target and linked into
place only once its first migrations are committed: a kill at any moment leaves either no file or a
whole database, never a 0- or 4,096-byte shell, and of two first runs on one path one wins the link
and the other opens the winner's file (waiting for its lock like any second writer). Shells left by
older versions are recognised and replaced. It refuses in-memory and remote (MotherDuck) databases:
ftaudit stores to a local file and never uses the network.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from pathlib import Path

import duckdb

from ftaudit.errors import FtauditError, UsageError
from ftaudit.store import schema

# A DuckDB file starts with a 4,096-byte main header and two 4,096-byte database headers; anything
# shorter is not a database. The magic bytes sit at offset 8 of the main header.
_MIN_DATABASE_BYTES = 3 * 4096
_MAGIC = b"DUCK"
_CREATING = ".creating-"
_DB_HINT = "pass --db PATH to a local file, e.g. --db ftaudit.duckdb"


def check_target(path: Path) -> None:
    """Refuse what is not a local database file: `:memory:` stores nothing, `md:` / `motherduck:`
    and other `scheme:` names reach the network."""
    text = str(path)
    if text == ":memory:" or text.startswith(":memory:"):
        raise UsageError(f"--db {text}: an in-memory database would store nothing", hint=_DB_HINT)
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]+):", text)  # one letter is a Windows drive
    if scheme:
        raise UsageError(
            f"--db {text}: `{scheme.group(1)}:` is a remote or special database; ftaudit stores to a local file "
            "and never uses the network",
            hint=_DB_HINT,
        )
    if path.is_dir():
        raise UsageError(f"--db {text} is a folder", hint=_DB_HINT)


def is_shell(path: Path) -> bool:
    """A file DuckDB began and never finished (a kill while it was created by an older ftaudit): too
    short to be a database, and zeros or a bare DuckDB header. Any other short file is not ours to remove."""
    try:
        size = path.stat().st_size
        if size >= _MIN_DATABASE_BYTES:
            return False
        head = path.read_bytes()
    except OSError:
        return False
    return not head.strip(b"\x00") or head[8:12] == _MAGIC


def remove_shell(path: Path) -> bool:
    """Remove `path` (and its WAL) when it is a shell; True when it was one."""
    if not is_shell(path):
        return False
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    return True


def create(path: Path, config: dict[str, str | bool | int | float | list[str]]) -> None:
    """A new migrated database at `path`, unless another process put one there first (then it is left as is)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(path)
    temporary = path.parent / f".{path.name}{_CREATING}{os.getpid()}"
    _remove_database(temporary)
    try:
        con = duckdb.connect(str(temporary), config=config)
        try:
            schema.migrate(con)
            con.execute("checkpoint")
        finally:
            con.close()
        _link_into_place(temporary, path)
    except duckdb.Error as exc:
        raise FtauditError(f"cannot create database {path}: {first_line(exc)}", hint=space_hint(exc)) from exc
    except OSError as exc:  # a folder we may not write in, a file system without links or renames
        raise FtauditError(f"cannot create database {path}: {exc.strerror or exc}", hint="pass --db PATH in a folder you "
                           "can write to") from exc
    finally:
        _remove_database(temporary)


def _link_into_place(temporary: Path, path: Path) -> None:
    """Atomically: a hard link fails when `path` exists, so a second first run never replaces the first's file."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        return  # another first run won: it is the database, ours is dropped
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if not path.exists():  # a file system without hard links: a rename, which a race could overwrite
            os.replace(temporary, path)


def _sweep_abandoned(path: Path) -> None:
    """Temporary databases of runs killed while creating this one (their process is gone)."""
    for leftover in path.parent.glob(f".{glob_escape(path.name)}{_CREATING}*"):
        pid = leftover.name.rsplit(_CREATING, 1)[1].removesuffix(".wal")
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_database(path: Path) -> None:
    for part in (path, Path(f"{path}.wal")):
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def out_of_space(exc: BaseException) -> bool:
    """DuckDB's own error, or the one it gives when a rollback follows a failed write on a full disk."""
    text = str(exc).lower()
    return "no space left on device" in text or "file too large" in text


def space_hint(exc: BaseException) -> str | None:
    return "free some disk space (or pass --db PATH on another disk) and run it again" if out_of_space(exc) else None
