-- dataset_export_counts: one row, what `ftaudit export --parquet` wrote: calls, UTC days (partitions),
-- rejects and ingested files.
select (select count(*) from calls)::bigint as calls,
       (select count(distinct ts::date) from calls)::bigint as days,
       (select count(*) from rejects)::bigint as rejects,
       (select count(*) from ingested_files)::bigint as files
order by all
