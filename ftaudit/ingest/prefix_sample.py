"""A file's common static prefixes, hashed once. The md5 of a 1.5 KB system prompt on every line was
the largest cost of a fast stage (about 2 of 5 s for 1M Anthropic calls, 2 cores), while the calls of
a workload share a handful of prefixes. Before a whole-file fast stage, the same stage reads the
file's first lines with `prefix_md5` (queries/store/macros.sql) giving back the prefix text itself; the
texts seen more than once become the session's map text -> md5(text), which `prefix_md5` looks up
before computing. The stored hash is md5(text) either way: only the time changes, and the map lives
in the connection's memory for the file only (no prompt text is written anywhere)."""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ftaudit.store.connection import Store

SAMPLE_BYTES = 4 << 20  # ~2,000 lines of 2 KB; a file this small is not sampled


@contextmanager
def known_prefixes(store: Store, stage: str, params: dict[str, Any]) -> Iterator[None]:
    """Within the block, `prefix_md5` knows the common prefixes of the file `params["path"]` (plain or
    gzip) as `stage` (a fast stage query filling fast_staged) computes them."""
    try:
        _learn(store, stage, Path(params["path"]), params)
        yield
    finally:
        store.con.execute("reset variable ftaudit_prefix_collect")
        store.con.execute("reset variable ftaudit_prefix_md5")


def _learn(store: Store, stage: str, path: Path, params: dict[str, Any]) -> None:
    head = _head(path, params["compression"])
    if head is None:
        return
    with tempfile.NamedTemporaryFile(suffix=path.suffix.removesuffix(".gz") or ".jsonl") as sample:
        sample.write(head)
        sample.flush()
        store.con.execute("set variable ftaudit_prefix_collect = true")
        try:
            store.run(stage, **{**params, "path": sample.name, "compression": "none"})
        except Exception:  # a head the stage cannot read (a cut CSV record): the file is hashed line by line
            return
        finally:
            store.con.execute("reset variable ftaudit_prefix_collect")
        store.run("set_known_prefixes")


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
