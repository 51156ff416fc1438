-- fast_stage_openai_chat: a plain JSONL file of Chat Completion objects, typed by a strict read_json,
-- into the temp table fast_staged in file order (DuckDB keeps insertion order, so the rowid counts
-- lines when the file has no blank line; the caller checks the row count against the file's lines).
-- Token fields are read as text so that 12.5 or true is not silently cast to an integer, and turned
-- into integers here, while parsing. `plain` is false when the line carries a field the careful
-- reader (extract_openai) would use and this one does not. Keep in step with
-- fast_stage_lines_openai_chat, which stages the same columns from each line's text.
create or replace temp table fast_staged as
select id, object = 'chat.completion' as is_chat_completion, to_timestamp(created) as ts, model, service_tier,
       tok_int(usage.prompt_tokens) as input_n,
       tok_int(usage.prompt_tokens_details.cached_tokens) as cache_read_n,
       tok_int(usage.prompt_tokens_details.cache_write_tokens) as cache_write_n,
       tok_int(usage.completion_tokens) as output_n,
       tok_int(usage.completion_tokens_details.reasoning_tokens) as reasoning_n,
       usage.prompt_tokens_details.cached_tokens is null as no_cache_read,
       usage.prompt_tokens_details.cache_write_tokens is null as no_cache_write,
       usage.completion_tokens_details.reasoning_tokens is null as no_reasoning,
       coalesce(ts, latency_ms, status, custom_id, error, request, response) is null as plain
from read_json($path, format = 'newline_delimited', compression = $compression,
               columns = {id: 'VARCHAR', object: 'VARCHAR', created: 'DOUBLE', model: 'VARCHAR',
                          service_tier: 'VARCHAR',
                          usage: 'STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR,
                                         prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                         completion_tokens_details STRUCT(reasoning_tokens VARCHAR))',
                          ts: 'VARCHAR', latency_ms: 'VARCHAR', status: 'VARCHAR', custom_id: 'VARCHAR',
                          error: 'VARCHAR', request: 'VARCHAR', response: 'VARCHAR'})
