-- dataset_stash_tables: in a store opened on a Parquet dataset (ftaudit/store/dataset.py), move the
-- migrated empty tables aside (table -> table_empty) so that views of the same names over the dataset's
-- Parquet files (or over the empty table, where the dataset has no such part) take their place.
-- Views such as calls_named resolve `calls` when queried, so they read the dataset.
alter table calls rename to calls_empty;
alter table rejects rename to rejects_empty;
alter table ingested_files rename to ingested_files_empty;
alter table workload_names rename to workload_names_empty;
