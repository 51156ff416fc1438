"""Tests of the database sources (ftaudit/ingest/sources/) against real servers."""
