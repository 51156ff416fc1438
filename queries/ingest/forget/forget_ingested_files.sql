-- forget_ingested_files: the ingested_files rows of forgotten files ($file_ids), inside the caller's transaction.
delete from ingested_files
where list_contains($file_ids, file_id)
