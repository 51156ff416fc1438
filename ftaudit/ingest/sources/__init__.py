"""Database sources: logs read where they live instead of from an exported file.

`postgres.py` reads LiteLLM's `LiteLLM_SpendLogs` table from a `postgresql://` URL, incrementally.
This module only tells a source URL from a file path, so `ingest` can route it without importing
the driver.
"""

from __future__ import annotations

_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(text: str) -> bool:
    """True for a `postgresql://` or `postgres://` URL (what libpq takes)."""
    return text.lower().startswith(_SCHEMES)
