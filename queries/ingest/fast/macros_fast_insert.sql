-- macros_fast_insert: what the fast path's two inserts share (created with queries/store/macros.sql on every
-- connection: ftaudit.store.connection.create_macros). `r` is a row of FAST_COLUMNS
-- (ftaudit/ingest/formats/__init__.py): fast_insert_calls reads it from the view fast_rows, fast_insert_file_calls
-- from a fast stage's read.

-- Whether the careful path would store the record as it is: every check of validated_records and
-- classified_records but the two about other rows (an id seen before, an id seen twice in the file), which each
-- insert makes its own way.
create or replace temp macro fast_takes(r, ts_floor, ts_ceiling) as
    coalesce(r.fast_ok
             and r.call_id is not null and r.provider is not null and r.model is not null and trim(r.model) <> ''
             and r.ts >= ts_floor and r.ts <= ts_ceiling
             and r.input_tokens >= 0 and r.output_tokens >= 0 and r.cache_read_tokens >= 0 and r.cache_write_tokens >= 0
             and r.cache_write_1h_tokens >= 0 and r.reasoning_tokens >= 0
             and r.cache_read_tokens + r.cache_write_tokens <= r.input_tokens
             and r.cache_write_1h_tokens <= r.cache_write_tokens
             and r.reasoning_tokens <= r.output_tokens
             and (r.billed_cost_usd is null or r.billed_cost_usd >= 0)
             and (r.latency_ms is null or r.latency_ms >= 0), false);

-- The calls row of a record the fast path takes, in the column order of `calls` (for `select unnest(...)`):
-- the workload named by --workload, else the log's hint at --workload-field, else the prefix, else the model.
create or replace temp macro fast_call_row(r, call_id, workload, workload_path, file_id, source_file, source_line, now) as {
    'call_id': call_id, 'ts': r.ts, 'provider': r.provider, 'model': r.model, 'base_model': base_model_of(r.model),
    'is_fine_tuned': is_fine_tuned_model(r.model),
    'workload': coalesce(workload, json_extract_string(r.hints, workload_path), 'prefix-' || substr(r.prefix_hash, 1, 6),
                         r.model),
    'is_bucket': false, 'request_count': 1::bigint,
    'input_tokens': r.input_tokens, 'cache_read_tokens': r.cache_read_tokens, 'cache_write_tokens': r.cache_write_tokens,
    'cache_write_1h_tokens': r.cache_write_1h_tokens, 'output_tokens': r.output_tokens,
    'reasoning_tokens': r.reasoning_tokens, 'is_batch': r.is_batch, 'service_tier': r.service_tier,
    'latency_ms': r.latency_ms, 'status': r.status, 'billed_cost_usd': r.billed_cost_usd, 'prefix_hash': r.prefix_hash,
    'prefix_chars': r.prefix_chars, 'variable_chars': r.variable_chars, 'hints': coalesce(r.hints, '{}'),
    'content_hash': call_content_hash(r.ts, r.model, r.input_tokens, r.cache_read_tokens, r.cache_write_tokens,
                                      r.output_tokens, r.billed_cost_usd),
    'file_id': file_id, 'source_file': source_file, 'source_line': source_line, 'ingested_at': now
};
