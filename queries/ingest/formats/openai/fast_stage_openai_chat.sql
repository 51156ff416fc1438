-- fast_stage_openai_chat: a plain JSONL file of Chat Completion objects, typed by a strict read_json,
-- into the temp table fast_staged (FAST_COLUMNS, by the macro chat_fast_columns) in file order: DuckDB keeps
-- insertion order, so the rowid counts lines when the file has no blank line (the caller checks the
-- row count against the file's lines). fast_stage_lines_openai_chat reads the same fields.
create or replace temp table fast_staged as
select unnest(chat_fast_columns(j))
from read_json($path, format = 'newline_delimited', compression = $compression,
               columns = {id: 'VARCHAR', object: 'VARCHAR', created: 'DOUBLE', model: 'VARCHAR',
                          service_tier: 'VARCHAR',
                          usage: 'STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR, total_tokens VARCHAR, cost VARCHAR,
                                         prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                         completion_tokens_details STRUCT(reasoning_tokens VARCHAR))',
                          ts: 'VARCHAR', latency_ms: 'VARCHAR', status: 'VARCHAR', custom_id: 'VARCHAR',
                          error: 'VARCHAR', request: 'VARCHAR', response: 'VARCHAR'}) j
