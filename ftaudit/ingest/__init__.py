"""Ingest: log files of many formats (planning, containers, the fast and careful paths, `formats/`)
-> canonical rows in the store's `calls`, `rejects` and `ingested_files`. Reads files; writes the store."""
