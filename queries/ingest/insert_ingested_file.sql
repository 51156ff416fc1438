-- insert_ingested_file: one ledger row per ingested file, with its counts.
insert into ingested_files (file_id, path, sha256, size_bytes, format, rows_read, rows_accepted, rows_rejected,
                            rows_duplicate, bucket_rows, options, started_at, finished_at, rows_superseded)
values ($file_id, $source_file, $sha256, $size_bytes, $format, $rows_read, $rows_accepted, $rows_rejected,
        $rows_duplicate, $bucket_rows, $options, $started_at, $finished_at, $rows_superseded)
