-- extract_litellm: LiteLLM_SpendLogs rows (CSV export: JSON columns arrive as JSON text; or the JSON
-- list of /spend/logs?summarize=false). See log-formats.md section 6. Returns the EXTRACTED_COLUMNS.
-- The 2024 /spend/logs schema is read too: metadata / request_tags null, messages and response as JSON
-- text, no model_group / custom_llm_provider / status, and (v1.2x, January 2024) the token counts in one
-- `usage` JSON column beside `modelParameters` instead of prompt_tokens / completion_tokens columns.
-- prompt_tokens includes cache reads and writes; the split comes from metadata.usage_object (either
-- spelling of cache reads, the larger wins), else metadata.additional_usage_values, else a top-level
-- cache_read_input_tokens column. Older LiteLLM added only cache reads to prompt_tokens: a row whose
-- prompt_tokens is below reads + writes (but not below reads) can only be that, so writes are added.
with parsed as (
    select source_line, raw, js,
           json_cell(js, '$.metadata') as meta,
           json_cell(js, '$.request_tags') as tags,
           json_cell(js, '$.messages') as messages,
           json_cell(js, '$.usage') as usage,  -- LiteLLM v1.2x (January 2024): tokens in one usage column
           -- a CSV JSON cell that does not parse (cut off by the export) hides the cache split
           list_bool_or(list_transform(['$.metadata', '$.request_tags', '$.messages', '$.usage'],
                                       lambda p: json_cell_broken(js, p))) as bad_json_cell
    from records
),
fields as (
    select *,
           json_extract_string(js, ['$.request_id', '$.startTime', '$.endTime', '$.request_duration_ms', '$.model',
               '$.model_group', '$.custom_llm_provider', '$.prompt_tokens', '$.completion_tokens', '$.spend',
               '$.status', '$.cache_read_input_tokens', '$.user', '$.end_user', '$.team_id', '$.call_type',
               '$.session_id']) as f,
           json_extract_string(usage, ['$.prompt_tokens', '$.completion_tokens']) as u,
           json_extract_string(meta, ['$.usage_object.prompt_tokens_details.cached_tokens',
               '$.usage_object.cache_read_input_tokens', '$.usage_object.cache_creation_input_tokens',
               '$.usage_object.completion_tokens_details.reasoning_tokens',
               '$.additional_usage_values.cache_read_input_tokens',
               '$.additional_usage_values.cache_creation_input_tokens',
               '$.status', '$.user_api_key_alias', '$.user_api_key_team_alias', '$.user_api_key_team_id']) as m
    from parsed
),
cache as (
    select *,
           case when try_cast(m[2] as double) > coalesce(try_cast(m[1] as double), -1) then m[2]
                else coalesce(m[1], m[2], m[5], f[12]) end as cache_read,
           coalesce(m[3], m[6]) as cache_write,
           coalesce(f[8], u[1]) as prompt,
           coalesce(f[11], m[7]) as status,
           case when json_type(messages) = 'ARRAY' then cast(messages as json[]) end as msgs
    from fields
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when bad_json_cell then 'malformed_json'
         when lower(status) = 'failure' then 'api_error' end as reader_problem,
    'litellm:' || f[1] as call_id,
    f[2] as ts_text,
    'iso' as ts_unit,
    coalesce(nullif(f[7], ''), 'litellm') as provider,
    coalesce(nullif(f[5], ''), nullif(f[6], '')) as model,
    false as is_bucket,
    '1' as request_count_text,
    case when tok(prompt) >= coalesce(tok(cache_read), 0)
              and tok(prompt) < coalesce(tok(cache_read), 0) + coalesce(tok(cache_write), 0)
         then (tok(prompt) + tok(cache_write))::varchar
         else prompt end as input_text,
    true as input_is_total,
    cache_read as cache_read_text,
    cache_write as cache_write_text,
    null::varchar as cache_write_1h_text,
    coalesce(f[9], u[2]) as output_text,
    m[4] as reasoning_text,
    false as is_batch,
    null::varchar as service_tier,
    coalesce(f[4], (epoch_ms(try_cast(f[3] as timestamptz)) - epoch_ms(try_cast(f[2] as timestamptz)))::varchar)
        as latency_ms_text,
    status,
    f[10] as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    json_merge_patch(
        case when json_type(meta, '$.spend_logs_metadata') = 'OBJECT' then meta -> '$.spend_logs_metadata'
             else '{}'::json end,
        json_object('tags', case when json_type(tags) = 'ARRAY' and json_array_length(tags) > 0 then tags end,
                    'user_api_key_alias', m[8], 'team', coalesce(m[9], nullif(f[15], ''), m[10]),
                    'user', nullif(f[13], ''), 'end_user', nullif(f[14], ''), 'model_group', nullif(f[6], ''),
                    'call_type', f[16], 'session_id', f[17])
    ) as hints
from cache
order by source_line
