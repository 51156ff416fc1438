"""Every reader of `ftaudit/ingest/formats/`, collected from each module's `READERS`, and detection.

Adding a format is adding a module with a `READERS` list: nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from functools import cache

import ftaudit.ingest.formats as formats_pkg
from ftaudit.errors import UsageError
from ftaudit.ingest.formats import Reader, Sample


@cache
def readers() -> tuple[Reader, ...]:
    found: list[Reader] = []
    for module in pkgutil.iter_modules(formats_pkg.__path__):
        mod = importlib.import_module(f"ftaudit.ingest.formats.{module.name}")
        found.extend(getattr(mod, "READERS", []))
    return tuple(sorted(found, key=lambda r: (r.priority, r.name)))


def reader_named(name: str) -> Reader:
    for reader in readers():
        if reader.name == name:
            return reader
    known = ", ".join(r.name for r in readers())
    raise UsageError(f"unknown format {name!r}", hint=f"--format takes one of: {known}")


def detect(sample: Sample) -> Reader | None:
    """The first reader (by priority) that recognises the sample, or None."""
    if not sample.records:
        return None
    for reader in readers():
        try:
            recognised = reader.detect(sample)
        except (TypeError, AttributeError, KeyError, ValueError):  # odd values in a sample: not this format
            recognised = False
        if recognised:
            return reader
    return None


def empty_reader() -> Reader:
    """The reader of a file with no record at all (blank lines, arrays): its lines are rejected as the
    chat reader rejects them, and the ledger names the format "empty" (both engines)."""
    return replace(reader_named("openai_chat"), name="empty", fast=None)
