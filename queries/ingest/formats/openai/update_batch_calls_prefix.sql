-- update_batch_calls_prefix: Batch output ingested before its input file gets its prefix now.
update calls set prefix_hash = b.prefix_hash, prefix_chars = b.prefix_chars, variable_chars = b.variable_chars,
                 hints = json_merge_patch(coalesce(calls.hints, '{}'::json), b.hints),
                 workload = case when calls.workload = calls.model and b.prefix_hash is not null
                                 then 'prefix-' || substr(b.prefix_hash, 1, 6) else calls.workload end
from batch_requests b
where b.file_id = $file_id and calls.is_batch and calls.prefix_hash is null
  and json_extract_string(calls.hints, '$.custom_id') = b.custom_id
