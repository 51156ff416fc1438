-- insert_calls_from_classified: store accepted records as calls, naming each call's workload.
-- Workload rule: --workload, else the --workload-from hint, else the static prefix hash, else the model.
-- params: $workload, $workload_path (JSON path into hints), $file_id, $source_file, $now
insert into calls
select cid, ts, provider, model, base_model, is_fine_tuned,
       coalesce($workload, json_extract_string(hints, $workload_path),
                'prefix-' || substr(prefix_hash, 1, 6), model) as workload,
       is_bucket, request_count, input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
       output_tokens, reasoning_tokens, is_batch, service_tier, latency_ms, status, billed_cost_usd,
       prefix_hash, prefix_chars, variable_chars, hints, content_hash,
       $file_id, $source_file, source_line, $now
from classified
where outcome = 'accept'
order by source_line
