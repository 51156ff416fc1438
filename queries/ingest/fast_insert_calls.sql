-- fast_insert_calls: the fast path's one insert, shared by every format's fast stage. A fast stage
-- (FastPath in ftaudit/ingest/formats/__init__.py) fills the temp table fast_staged with the columns of
-- FAST_COLUMNS, one row per record, typed while parsing; this stores the rows of the view fast_rows
-- that pass every check of validated_records and classified_records, and returns their count. Every
-- other row is left to the careful path (the reader's extract query), so no record is dropped here:
-- the whole-file fast path falls back when the count differs from the file's lines, the line path
-- reads the rest. A stage sets fast_ok false for whatever the careful path would read differently.
-- params: $workload, $workload_path, $ts_floor, $ts_ceiling, $file_id, $source_file, $now
insert into calls
select call_id, ts, provider, model, base_model_of(model), is_fine_tuned_model(model),
       coalesce($workload, json_extract_string(hints, $workload_path), 'prefix-' || substr(prefix_hash, 1, 6), model),
       false, 1,
       input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
       is_batch, service_tier, latency_ms, status, billed_cost_usd, prefix_hash, prefix_chars, variable_chars,
       coalesce(hints, '{}'),
       call_content_hash(ts, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, billed_cost_usd),
       $file_id, $source_file, source_line, $now
from fast_rows
where fast_ok
  and call_id is not null and provider is not null and model is not null and trim(model) <> ''
  and ts >= $ts_floor and ts <= $ts_ceiling
  and input_tokens >= 0 and output_tokens >= 0 and cache_read_tokens >= 0 and cache_write_tokens >= 0
  and cache_write_1h_tokens >= 0 and reasoning_tokens >= 0
  and cache_read_tokens + cache_write_tokens <= input_tokens
  and cache_write_1h_tokens <= cache_write_tokens
  and reasoning_tokens <= output_tokens
  and (billed_cost_usd is null or billed_cost_usd >= 0)
  and (latency_ms is null or latency_ms >= 0)
  and not exists (select 1 from calls c where c.call_id = fast_rows.call_id)
  -- ids seen twice in the file (by hash: a collision only sends both lines to the careful path)
  and hash(call_id) not in (select hash(call_id) from fast_rows group by hash(call_id) having count(*) > 1)
order by source_line
