"""Ingestion on Spark: lake paths (JSONL / Parquet / CSV, globs) -> the canonical Parquet dataset.

Takes what `ftaudit ingest --engine spark` is given and gives `DIR/calls/day=.../*.parquet`, rejects and
the file ledger (ftaudit/store/dataset.py). Parsing is Spark SQL (queries/ingest/spark/), never a Python
function per row; pyspark is imported only here, on first use (the `ftaudit[spark]` extra).
"""
