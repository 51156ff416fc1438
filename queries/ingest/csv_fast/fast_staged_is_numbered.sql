-- fast_staged_is_numbered: whether the CSV fast stage numbered its rows itself (a source_line column, as
-- a stage that needs the numbers does, e.g. for content-hash call ids); else fast_rows_csv_by_rowid does.
select count(*) > 0 from duckdb_columns() where table_name = 'fast_staged' and column_name = 'source_line'
