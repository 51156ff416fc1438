-- fast_stage_openai_chat: a plain JSONL file of Chat Completion objects, typed by a strict read_json,
-- into a temp table in file order (DuckDB keeps insertion order, so the rowid counts lines when the
-- file has no blank line; the caller checks the row count against the file's lines).
-- Token fields are read as text so that 12.5 or true is not silently cast to an integer.
create or replace temp table fast_staged as
select *
from read_json($path, format = 'newline_delimited', compression = $compression,
               columns = {id: 'VARCHAR', object: 'VARCHAR', created: 'DOUBLE', model: 'VARCHAR',
                          service_tier: 'VARCHAR',
                          usage: 'STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR,
                                         prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                         completion_tokens_details STRUCT(reasoning_tokens VARCHAR))'})
