"""Formats per line: a file's format is detected from its first records, but one foreign line must not
decide it (6 OpenAI lines and 1 Bedrock line were 6 `not_a_call` rejects). On the careful path the
staged records are grouped by shape in SQL (macro `record_shape`: keys, kind fields, which fields are
objects); one record of each shape goes through format detection, and when some shapes are another
reader's, each reader extracts its own records. Python work grows with the shapes, not the records.

Not for a forced format (--format, --map) nor sink readers (Batch input, billed costs): there every
record is the file's reader's, as before.
"""

from __future__ import annotations

import json
from typing import Any

from ftaudit.ingest.formats import Reader, Sample
from ftaudit.ingest.formats.registry import detect, reader_named
from ftaudit.store.connection import Store

# Shapes looked at per file; records of later shapes (a file with more distinct shapes than this is
# noise, not a log of a few formats) stay with the file's reader.
MAX_SHAPES = 256


def readers_by_shape(store: Store, reader: Reader, container: str) -> dict[str, list[str]]:
    """{reader name: its shapes} for the shapes detected as another (call) reader than `reader`; empty
    when every shape is the file's reader's or unrecognised (the common case)."""
    others: dict[str, list[str]] = {}
    for shape, example in store.rows("record_shapes", limit=MAX_SHAPES):
        found = detect(Sample(container, [_loads(str(example))]))
        if found is not None and found.name != reader.name and found.extract_query and not found.sink:
            others.setdefault(found.name, []).append(str(shape))
    return others


def extract_by_reader(store: Store, reader: Reader, others: dict[str, list[str]], params: dict[str, Any]) -> None:
    """`extracted` for a mixed file: the file's reader on its records, each other reader on its shapes."""
    assert reader.extract_query
    store.run("records_stash")
    routed = [shape for shapes in others.values() for shape in shapes]
    store.run("records_of_shapes", shapes=routed, inside=False)
    store.create_temp_table("extracted", reader.extract_query, **params)
    for name, shapes in sorted(others.items()):
        query = reader_named(name).extract_query
        assert query
        store.run("records_of_shapes", shapes=shapes, inside=True)
        store.create_temp_table("extracted_part", query, **params)
        store.run("extracted_append")
    store.run("records_unstash_drop")
    store.run("records_unstash")


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than Python parses: no shape to read
        return {}
    return value if isinstance(value, dict) else {}
