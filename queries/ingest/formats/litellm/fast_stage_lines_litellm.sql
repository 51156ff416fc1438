-- fast_stage_lines_litellm: LiteLLM /spend/logs rows written one JSON object a line, from the text of each
-- staged line (staged_lines) that is JSON, into fast_staged (source_line and the FAST_COLUMNS, by the macro
-- litellm_fast_columns). The fields are read as text and the JSON ones (metadata, request_tags, messages,
-- usage) as JSON, an object or its text as json_cell reads it; a field the careful path would read as a
-- number's text (a number where text is expected) sends the line to the careful path.
create or replace temp table fast_staged as
with lines as (
    select valid_line as source_line,
           json_transform(line, '{"request_id": "VARCHAR", "startTime": "VARCHAR", "endTime": "VARCHAR",
               "request_duration_ms": "VARCHAR", "model": "VARCHAR", "model_group": "VARCHAR",
               "custom_llm_provider": "VARCHAR", "prompt_tokens": "VARCHAR", "completion_tokens": "VARCHAR",
               "spend": "VARCHAR", "status": "VARCHAR", "cache_read_input_tokens": "VARCHAR", "user": "VARCHAR",
               "end_user": "VARCHAR", "team_id": "VARCHAR", "call_type": "VARCHAR", "session_id": "VARCHAR",
               "metadata": "JSON", "request_tags": "JSON", "messages": "JSON", "usage": "JSON",
               "data": "JSON"}') as r
    from (select valid_line, case when valid_line = 1 then ltrim(raw, chr(65279)) else raw end as line from staged_lines)
    where json_valid(line) and json_type(line) = 'OBJECT'
),
cells as (
    select source_line, r,
           json_text_cell(r.metadata) as meta, json_text_cell(r.request_tags) as tags,
           json_text_cell(r.messages) as messages, json_text_cell(r.usage) as usage,
           json_text_cell_broken(r.metadata) or json_text_cell_broken(r.request_tags)
               or json_text_cell_broken(r.messages) or json_text_cell_broken(r.usage)
               -- the careful path reads a number where text is expected as the number's text, which may differ
               or list_bool_or([looks_numeric(r.request_id), looks_numeric(r.model), looks_numeric(r.model_group),
                                looks_numeric(r.custom_llm_provider), looks_numeric(r.status), looks_numeric(r.user),
                                looks_numeric(r.end_user), looks_numeric(r.team_id), looks_numeric(r.call_type),
                                looks_numeric(r.session_id)])
               -- an export page's items are staged as records by the careful path
               or r.data is not null as not_fast
    from lines
)
select source_line,
       unnest(litellm_fast_columns(r, meta, tags, case when json_type(messages) = 'ARRAY' then cast(messages as json[]) end,
                                   json_extract_string(usage, ['$.prompt_tokens', '$.completion_tokens']),
                                   litellm_metadata_fields(meta), not_fast))
from cells
