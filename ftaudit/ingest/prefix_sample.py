"""A file's common static prefixes, hashed once. The md5 of a 1.5 KB system prompt on every line was
the largest cost of a fast stage (about 2 of 5 s for 1M Anthropic calls, 2 cores), while the calls of
a workload share a handful of prefixes. Before a whole-file fast stage, the same stage reads the
file's first lines with `prefix_md5` (queries/store/macros.sql) giving back the prefix text itself; the
texts seen more than once become the session's map text -> md5(text), which `prefix_md5` looks up
before computing; a prefix of one message is looked up by that message's text (or a system prompt's
content) in two maps derived from the first, so that its text is not built per record. The stored hash
is md5(text) either way: only the time changes, and the maps live in the connection's memory for the
file only. The head passes through a file in a folder only the
current user can read, removed before the file's own stage runs (SECURITY.md)."""

from __future__ import annotations

import gzip
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ftaudit.store.connection import Store

SAMPLE_BYTES = 1 << 20  # ~500 lines of 2 KB; a file this small is not sampled
# The maps of the common prefixes by the text inside them (prefix_md5_of_one / prefix_md5_of_system in
# queries/ingest/formats/macros_fast_common.sql build a prefix as opening || key || closing): a key stands
# for exactly that text, whatever the prefix it was cut from, so a hit is the md5 the careful path computes.
# The one-message map is looked up by a JSON message too (prefix_hash_of_json): its keys are those whose
# one-element JSON list prints as the same text (the query that keeps them, else None: every key).
_AROUND = (("ftaudit_prefix_one_md5", "[", "]", "one_message_keys_printed_as_lists"),
           ("ftaudit_prefix_system_md5", '[{"role":"system","content":', "}]", None))


@contextmanager
def known_prefixes(store: Store, stage: str, params: dict[str, Any],
                   marker: re.Pattern[bytes] | None = None) -> Iterator[None]:
    """Within the block, `prefix_md5` knows the common prefixes of the file `params["path"]` (plain or
    gzip) as `stage` (a fast stage query filling fast_staged) computes them; none when the file's head
    does not match `marker` (FastPath.prefix_marker: e.g. bare responses have no request)."""
    texts, hashes = _learn(store, stage, Path(params["path"]), params, marker)
    if texts:
        store.setting("set variable ftaudit_prefix_md5 = map(?::varchar[], ?::varchar[])", texts, hashes)
        for variable, opening, closing, keep in _AROUND:
            inner = {t[len(opening) : -len(closing)]: h for t, h in zip(texts, hashes, strict=True)
                     if t.startswith(opening) and t.endswith(closing) and len(t) >= len(opening) + len(closing)}
            if keep:
                kept = set(store.rows(keep, keys=list(inner))[0][0])
                inner = {key: md5 for key, md5 in inner.items() if key in kept}
            store.setting(f"set variable {variable} = map(?::varchar[], ?::varchar[])", list(inner), list(inner.values()))
    try:
        yield
    finally:  # after a failed query, at the caller's rollback (Store.setting)
        for variable in ("ftaudit_prefix_md5", *(around[0] for around in _AROUND)):
            store.setting(f"reset variable {variable}")


def _learn(store: Store, stage: str, path: Path, params: dict[str, Any],
           marker: re.Pattern[bytes] | None) -> tuple[list[str], list[str]]:
    """(prefix texts, their md5) seen more than once in the file's head, read by the stage on the store's
    own connection (a cursor or a second database lost a Ctrl-C arriving during the file's stage after).
    A head the stage cannot read fails as the file itself would, and the fast path falls back."""
    head = _head(path, params["compression"], csv=params["container"] == "csv")
    if head is None or (marker is not None and not marker.search(head)):
        return [], []
    with tempfile.TemporaryDirectory(prefix="ftaudit-head-") as folder:  # only the current user reads it
        sample = Path(folder) / "head"
        sample.write_bytes(head)
        store.setting("set variable ftaudit_prefix_collect = true")
        try:
            store.run(stage, **{**params, "path": str(sample), "compression": "none"})
        finally:  # a head that fails aborts the transaction: the reset runs at the caller's rollback
            store.setting("reset variable ftaudit_prefix_collect")
    texts, hashes = store.rows("known_prefixes_of_sample")[0]
    store.run("drop_sampled_prefixes")
    return list(texts), list(hashes)


def _head(path: Path, compression: str, *, csv: bool = False) -> bytes | None:
    """The file's first whole lines, about SAMPLE_BYTES of text; None for a file smaller than that or
    that has no line end in it. A CSV head ends outside quoted values (an even count of quotes before
    its last line end: RFC 4180 doubles a quote inside a value), so that it reads as the file does."""
    if compression not in ("none", "gzip"):
        return None
    try:
        with (gzip.open(path, "rb") if compression == "gzip" else path.open("rb")) as handle:
            head = handle.read(SAMPLE_BYTES + 1)
    except (OSError, EOFError):  # a broken gzip stream: the stage reports it
        return None
    if len(head) <= SAMPLE_BYTES:
        return None
    end = head.rfind(b"\n", 0, SAMPLE_BYTES)
    while csv and end > 0 and head.count(b'"', 0, end) % 2:
        end = head.rfind(b"\n", 0, end)
    return head[: end + 1] if end > 0 else None
