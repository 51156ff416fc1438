-- fast_stage_lines_openai: the columns of fast_stage_openai (macro openai_fast_columns), plus source_line,
-- from the text of each staged line (staged_lines, numbered by stage_jsonl) that is JSON; Batch output lines
-- get the prefix of their request from batch_requests by custom_id, as in extract_openai. Lines that are not
-- JSON (malformed, blank) are left out here; the careful path reads them. Other JSON values than objects
-- give NULL fields, which fast_insert_calls does not take.
create or replace temp table fast_staged as
select p.source_line, unnest(openai_fast_columns(p.j, p.b, p.t, p.msgs, p.parts, p.lup, br))
from (
    -- what the columns use several times, once per record: the last user turn of the messages' parts
    select *, last_user_of_roles(list_transform(parts, lambda p: p[1])) as lup
    from (
        select source_line, j, b, openai_fast_tokens(b.usage) as t, msgs, message_parts_of(msgs) as parts
        from (
            select source_line, j, openai_fast_body(j) as b, openai_fast_messages(j.request) as msgs
            from (
                select valid_line as source_line, json_transform(line, '{
                    "id": "VARCHAR", "object": "VARCHAR", "created": "VARCHAR", "created_at": "VARCHAR", "model": "VARCHAR",
                    "service_tier": "VARCHAR", "status": "VARCHAR",
                    "usage": {"prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR", "total_tokens": "VARCHAR",
                              "cost": "VARCHAR", "input_tokens": "VARCHAR", "output_tokens": "VARCHAR",
                              "prompt_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                              "input_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                              "completion_tokens_details": {"reasoning_tokens": "VARCHAR"},
                              "output_tokens_details": {"reasoning_tokens": "VARCHAR"}},
                    "ts": "VARCHAR", "latency_ms": "VARCHAR", "custom_id": "VARCHAR", "error": "VARCHAR",
                    "request": {"messages": "JSON[]", "input": "JSON", "instructions": "VARCHAR", "metadata": "JSON",
                                "user": "VARCHAR"},
                    "response": {"status_code": "VARCHAR",
                        "body": {"id": "VARCHAR", "object": "VARCHAR", "created": "VARCHAR", "created_at": "VARCHAR",
                                 "model": "VARCHAR", "service_tier": "VARCHAR", "status": "VARCHAR",
                                 "usage": {"prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR", "total_tokens": "VARCHAR",
                                           "cost": "VARCHAR", "input_tokens": "VARCHAR", "output_tokens": "VARCHAR",
                                           "prompt_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                                           "input_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                                           "completion_tokens_details": {"reasoning_tokens": "VARCHAR"},
                                           "output_tokens_details": {"reasoning_tokens": "VARCHAR"}}},
                        "id": "VARCHAR", "object": "VARCHAR", "created": "VARCHAR", "created_at": "VARCHAR", "model": "VARCHAR",
                        "service_tier": "VARCHAR", "status": "VARCHAR",
                        "usage": {"prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR", "total_tokens": "VARCHAR",
                                  "cost": "VARCHAR", "input_tokens": "VARCHAR", "output_tokens": "VARCHAR",
                                  "prompt_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                                  "input_tokens_details": {"cached_tokens": "VARCHAR", "cache_write_tokens": "VARCHAR"},
                                  "completion_tokens_details": {"reasoning_tokens": "VARCHAR"},
                                  "output_tokens_details": {"reasoning_tokens": "VARCHAR"}}}}') as j
                from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
                where json_valid(line)
            )
        )
    )
) p
left join batch_requests br on br.custom_id = p.j.custom_id
