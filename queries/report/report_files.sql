-- report_files: the ingestion ledger for the report's data-quality section, one row per distinct file
-- content in ingestion order (a later ingestion of identical content, all duplicates by construction,
-- is left out so re-running an ingest or an audit does not change the report).
-- rows_read = rows_accepted + rows_rejected + rows_duplicate + rows_superseded on every row.
select path, format,
       rows_read::bigint as rows_read,
       rows_accepted::bigint as rows_accepted,
       rows_rejected::bigint as rows_rejected,
       rows_duplicate::bigint as rows_duplicate,
       coalesce(rows_superseded, 0)::bigint as rows_superseded,
       bucket_rows::bigint as bucket_rows
from ingested_files
qualify row_number() over (partition by sha256 order by file_id) = 1
order by file_id
