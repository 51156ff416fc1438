-- sink_outcome_counts: rows read, accepted, rejected and duplicate of a file stored by a sink reader
-- (columns of file_outcome_counts; a sink has no bucket rows nor superseded snapshots).
select
    (select count(*) from malformed) + (select count(*) from sink_outcomes) as rows_read,
    (select count(*) from sink_outcomes where outcome = 'accept') as rows_accepted,
    (select count(*) from malformed) + (select count(*) from sink_outcomes where outcome = 'reject') as rows_rejected,
    (select count(*) from sink_outcomes where outcome = 'duplicate') as rows_duplicate,
    0::bigint as bucket_rows,
    0::bigint as rows_superseded
