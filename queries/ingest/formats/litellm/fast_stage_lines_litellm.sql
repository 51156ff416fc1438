-- fast_stage_lines_litellm: LiteLLM /spend/logs rows written one JSON object a line, from the text of each
-- staged line (staged_lines) that is a JSON object, into fast_staged (source_line and the FAST_COLUMNS, by
-- the macro litellm_fast_columns). Each line is parsed once; every field is read as JSON and its text
-- taken by ->> '$' (the text json_extract_string gives the careful path, numbers included), the JSON
-- fields (metadata, request_tags, messages, usage) an object or its text, as json_cell reads them.
create or replace temp table fast_staged as
with lines as (
    select valid_line as source_line,
           json_transform(line, '{"request_id": "JSON", "startTime": "JSON", "endTime": "JSON",
               "request_duration_ms": "JSON", "model": "JSON", "model_group": "JSON", "custom_llm_provider": "JSON",
               "prompt_tokens": "JSON", "completion_tokens": "JSON", "spend": "JSON", "status": "JSON",
               "cache_read_input_tokens": "JSON", "user": "JSON", "end_user": "JSON", "team_id": "JSON",
               "call_type": "JSON", "session_id": "JSON", "metadata": "JSON", "request_tags": "JSON",
               "messages": "JSON", "usage": "JSON", "data": "JSON"}') as j
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and starts_with(ltrim(line, ' ' || chr(9) || chr(10) || chr(13)), '{')
),
cells as (
    select source_line,
           {'request_id': j.request_id ->> '$', 'startTime': j.startTime ->> '$', 'endTime': j.endTime ->> '$',
            'request_duration_ms': j.request_duration_ms ->> '$', 'model': j.model ->> '$',
            'model_group': j.model_group ->> '$', 'custom_llm_provider': j.custom_llm_provider ->> '$',
            'prompt_tokens': j.prompt_tokens ->> '$', 'completion_tokens': j.completion_tokens ->> '$',
            'spend': j.spend ->> '$', 'status': j.status ->> '$',
            'cache_read_input_tokens': j.cache_read_input_tokens ->> '$', 'user': j.user ->> '$',
            'end_user': j.end_user ->> '$', 'team_id': j.team_id ->> '$', 'call_type': j.call_type ->> '$',
            'session_id': j.session_id ->> '$'} as r,
           json_text_cell(j.metadata) as meta, json_text_cell(j.request_tags) as tags,
           json_text_cell(j.messages) as messages, json_text_cell(j.usage) as usage,
           json_text_cell_broken(j.metadata) or json_text_cell_broken(j.request_tags)
               or json_text_cell_broken(j.messages) or json_text_cell_broken(j.usage)
               -- an export page's items are staged as records by the careful path
               or j.data is not null as not_fast
    from lines
),
messages as (  -- each message parsed once: its [role, content] (parts) and the last user turn (lup)
    select *, last_user_of_roles(list_transform(parts, lambda p: p[1])) as lup
    from (select *, message_parts_of(msgs) as parts
          from (select *, case when json_type(messages) = 'ARRAY' then cast(messages as json[]) end as msgs from cells))
)
select source_line,
       unnest(litellm_fast_columns(r, meta, tags, msgs, parts, lup,
                                   json_extract_string(usage, ['$.prompt_tokens', '$.completion_tokens']),
                                   litellm_metadata_fields(meta), not_fast))
from messages
