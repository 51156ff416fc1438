"""A file's common static prefixes, hashed once. The md5 of a 1.5 KB system prompt on every line was
the largest cost of a fast stage (about 2 of 5 s for 1M Anthropic calls, 2 cores), while the calls of
a workload share a handful of prefixes. Before a whole-file fast stage, the same stage reads the
file's first lines with `prefix_md5` (queries/store/macros.sql) giving back the prefix text itself; the
texts seen more than once become the session's map text -> md5(text), which `prefix_md5` looks up
before computing. The stored hash is md5(text) either way: only the time changes, and the map lives
in the connection's memory for the file only. The head passes through a file in a folder only the
current user can read, removed before the file's own stage runs (SECURITY.md)."""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ftaudit.store.connection import Store, create_macros

SAMPLE_BYTES = 1 << 20  # ~500 lines of 2 KB; a file this small is not sampled


@contextmanager
def known_prefixes(store: Store, stage: str, params: dict[str, Any]) -> Iterator[None]:
    """Within the block, `prefix_md5` knows the common prefixes of the file `params["path"]` (plain or
    gzip) as `stage` (a fast stage query filling fast_staged) computes them."""
    texts, hashes = _learn(store, stage, Path(params["path"]), params)
    if texts:
        store.setting("set variable ftaudit_prefix_md5 = map(?::varchar[], ?::varchar[])", texts, hashes)
    try:
        yield
    finally:
        store.setting("reset variable ftaudit_prefix_md5")


def _learn(store: Store, stage: str, path: Path, params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(prefix texts, their md5) seen more than once in the file's head. The stage reads the head on a
    connection of its own (its own transaction and temp tables): a head it cannot read (a CSV cut inside
    a quoted value) fails there, not in the file's transaction."""
    head = _head(path, params["compression"])
    if head is None:
        return [], []
    side = Store(store.con.cursor(), store.path)
    with tempfile.TemporaryDirectory(prefix="ftaudit-head-") as folder:  # only the current user reads it
        sample = Path(folder) / "head"
        sample.write_bytes(head)
        try:
            create_macros(side.con)
            side.setting("set variable ftaudit_prefix_collect = true")
            side.run(stage, **{**params, "path": str(sample), "compression": "none"})
            texts, hashes = side.rows("known_prefixes_of_sample")[0]
        except duckdb.Error:  # the file's own stage says what is wrong with it, if anything
            return [], []
        finally:
            side.con.close()
    return list(texts), list(hashes)


def _head(path: Path, compression: str) -> bytes | None:
    """The file's first whole lines, about SAMPLE_BYTES of text; None for a file smaller than that or
    that has no line end in it."""
    if compression not in ("none", "gzip"):
        return None
    try:
        with (gzip.open(path, "rb") if compression == "gzip" else path.open("rb")) as handle:
            head = handle.read(SAMPLE_BYTES + 1)
    except (OSError, EOFError):  # a broken gzip stream: the stage reports it
        return None
    end = head.rfind(b"\n", 0, SAMPLE_BYTES)
    return head[: end + 1] if len(head) > SAMPLE_BYTES and end > 0 else None
