"""Store: the one DuckDB file (open, migrate, lock) and the named queries of `queries/`.
Takes SQL names and bound values; gives polars frames and rows. The only stage that opens DuckDB."""
