-- fast_stage_openai: a plain or gzip JSONL file of OpenAI records (bare Chat Completion / Responses objects or
-- {request, response} pairs), typed by a strict read_json, into the temp table fast_staged (FAST_COLUMNS, by
-- the macro openai_fast_columns) in file order. The whole-file path reads this select straight into calls
-- (Store.insert_from_stage, fast_insert_file_calls): nothing reorders the rows, so fast_number_file_lines numbers
-- them, once the caller has checked the row count against the file's lines. The same body fields are
-- declared at the three levels extract_openai looks at (see openai_fast_body). Batch output lines (custom_id) are
-- left to fast_stage_lines_openai, which joins them to batch_requests (a join here would not keep file order).
-- fast_stage_lines_openai reads the same fields.
create or replace temp table fast_staged as
select * replace (fast_ok and not is_batch as fast_ok)
from (
    select unnest(openai_fast_columns(j, b, t, msgs, parts, lup,
                                      null::struct(prefix_hash varchar, prefix_chars bigint, variable_chars bigint, hints json)))
    from (
        -- what the columns use several times, once per record: the last user turn of the messages' parts
        select *, last_user_of_roles(list_transform(parts, lambda p: p[1])) as lup
        from (
            select j, b, openai_fast_tokens(b.usage) as t, msgs, message_parts_of(msgs) as parts
            from (
                select j, openai_fast_body(j) as b, openai_fast_messages(j.request) as msgs
                from read_json($path, format = 'newline_delimited', compression = $compression, columns = {
                    id: 'VARCHAR', object: 'VARCHAR', created: 'VARCHAR', created_at: 'VARCHAR', model: 'VARCHAR',
                    service_tier: 'VARCHAR', status: 'VARCHAR',
                    usage: 'STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR, total_tokens VARCHAR, cost VARCHAR,
                                   input_tokens VARCHAR, output_tokens VARCHAR,
                                   prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                   input_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                   completion_tokens_details STRUCT(reasoning_tokens VARCHAR),
                                   output_tokens_details STRUCT(reasoning_tokens VARCHAR))',
                    ts: 'VARCHAR', latency_ms: 'VARCHAR', custom_id: 'VARCHAR', error: 'VARCHAR',
                    request: 'STRUCT(messages JSON[], input JSON, instructions VARCHAR, metadata JSON, "user" VARCHAR)',
                    response: 'STRUCT(status_code VARCHAR,
                        body STRUCT(id VARCHAR, object VARCHAR, created VARCHAR, created_at VARCHAR, model VARCHAR,
                                    service_tier VARCHAR, status VARCHAR,
                                    usage STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR, total_tokens VARCHAR,
                                                 cost VARCHAR, input_tokens VARCHAR, output_tokens VARCHAR,
                                                 prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                                 input_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                                 completion_tokens_details STRUCT(reasoning_tokens VARCHAR),
                                                 output_tokens_details STRUCT(reasoning_tokens VARCHAR))),
                        id VARCHAR, object VARCHAR, created VARCHAR, created_at VARCHAR, model VARCHAR,
                        service_tier VARCHAR, status VARCHAR,
                        usage STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR, total_tokens VARCHAR, cost VARCHAR,
                                     input_tokens VARCHAR, output_tokens VARCHAR,
                                     prompt_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                     input_tokens_details STRUCT(cached_tokens VARCHAR, cache_write_tokens VARCHAR),
                                     completion_tokens_details STRUCT(reasoning_tokens VARCHAR),
                                     output_tokens_details STRUCT(reasoning_tokens VARCHAR)))'}) j
            )
        )
    )
)
