-- spark_calls: the accepted records as rows of `calls` (every column of ftaudit/store/dataset.py's
-- CALLS_COLUMNS, in order) plus `day`, the UTC date of ts (the Hive partition). Same workload rule as
-- insert_calls_from_classified: --workload, else the --workload-from hint, else the prefix hash, else the model.
-- params: :workload STRING, :workload_path STRING (JSON path into hints), :now TIMESTAMP
select c.cid as call_id, c.ts, c.provider, c.model, c.base_model, c.is_fine_tuned,
       coalesce(:workload, get_json_object(c.hints, :workload_path), 'prefix-' || substr(c.prefix_hash, 1, 6), c.model)
           as workload,
       c.is_bucket, c.request_count, c.input_tokens, c.cache_read_tokens, c.cache_write_tokens, c.cache_write_1h_tokens,
       c.output_tokens, c.reasoning_tokens, c.is_batch, c.service_tier, c.latency_ms, c.status, c.billed_cost_usd,
       c.prefix_hash, c.prefix_chars, c.variable_chars, c.hints, c.content_hash,
       c.file_id, f.source_file, c.source_line, :now as ingested_at,
       to_date(c.ts) as day
from spark_classified c
join spark_files f on f.file_id = c.file_id
where c.outcome = 'accept'
