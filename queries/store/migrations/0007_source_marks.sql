-- 0007_source_marks: the high-water mark of each database source (a Postgres URL and table), so the
-- next ingest of it reads only rows after the last one stored: startTime, then request_id for ties.
-- The start time is kept as the server printed it, so the next query compares it exactly.
create table if not exists source_marks (
    source           varchar primary key,  -- URL (never with a password) and table, as in calls.source_file
    last_start_time  varchar not null,
    last_request_id  varchar not null,
    rows_read        bigint not null,      -- every row read from this source so far
    updated_at       timestamptz not null
);
