-- ingested_file_by_sha256: an earlier ingestion of identical content, if any.
select file_id, path, format, rows_read
from ingested_files
where sha256 = $sha256
  and rows_read = rows_accepted + rows_rejected + rows_duplicate + coalesce(rows_superseded, 0)
  and rows_duplicate < rows_read
order by file_id
limit 1
