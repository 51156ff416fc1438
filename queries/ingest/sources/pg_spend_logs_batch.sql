-- pg_spend_logs_batch: PostgreSQL, not DuckDB. The next batch of LiteLLM_SpendLogs rows after the
-- high-water mark, in mark order, as the CSV that `\copy ... csv header` writes (so the LiteLLM CSV
-- reader maps it). Rows that started less than settle_seconds ago are left for the next run: LiteLLM
-- writes spend logs in batches, and a call still in flight must not be skipped by the mark.
-- Composed by psycopg: the column list and table are quoted identifiers, the values bound client-side.
copy (
    select {columns}
    from {table}
    where ("startTime", request_id) > (%(after_start_time)s, %(after_request_id)s)
      and "startTime" < localtimestamp - make_interval(secs => %(settle_seconds)s)
    order by "startTime", request_id
    limit %(batch_rows)s
) to stdout (format csv, header true)
