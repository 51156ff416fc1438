-- file_outcome_counts: rows read, accepted, rejected, duplicate, bucket rows and superseded snapshots
-- (reason 'superseded': an earlier snapshot of a call the file logs again, neither a call nor a reject)
-- of the staged file.
select
    (select count(*) from malformed) + (select count(*) from validated) as rows_read,
    (select count(*) from classified where outcome = 'accept') as rows_accepted,
    (select count(*) from malformed) + (select count(*) from validated where reason <> 'superseded')
        + (select count(*) from classified where outcome = 'reject') as rows_rejected,
    (select count(*) from classified where outcome = 'duplicate') as rows_duplicate,
    (select count(*) from classified where outcome = 'accept' and is_bucket) as bucket_rows,
    (select count(*) from validated where reason = 'superseded') as rows_superseded
