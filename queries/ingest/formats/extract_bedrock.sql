-- extract_bedrock: AWS Bedrock model invocation log records (schemaType ModelInvocationLog), see
-- log-formats.md section 10. input.inputTokenCount excludes the cache for Claude: cache read/write
-- counts are added by the validator (input_is_total false). The 1h cache-write share comes from the
-- provider's own usage in output.outputBodyJson when it is there (InvokeModel on Claude).
-- The prompt prefix is read from input.inputBodyJson (Claude Messages or Converse: system + messages).
-- Returns the EXTRACTED_COLUMNS of ftaudit/formats/__init__.py.
with fields as (
    select source_line, raw, js,
           json_extract_string(js, ['$.schemaType', '$.requestId', '$.timestamp', '$.modelId', '$.operation',
               '$.input.inputTokenCount', '$.input.cacheReadInputTokenCount', '$.input.cacheWriteInputTokenCount',
               '$.output.outputTokenCount', '$.output.outputBodyJson.usage.cache_creation.ephemeral_1h_input_tokens',
               '$.output.outputBodyJson.metrics.latencyMs', '$.identity.arn']) as f,
           js -> '$.input.inputBodyJson' as request,
           case when json_type(js, '$.requestMetadata') = 'OBJECT' then js -> '$.requestMetadata' else '{}'::json end
               as request_metadata
    from records
),
shaped as (
    select *,
           case when json_type(request, '$.messages') = 'ARRAY' then cast(request -> '$.messages' as json[]) end
               as msgs0,
           case when json_type(request, '$.system') in ('VARCHAR', 'ARRAY') then request -> '$.system' end as system
    from fields
),
msgs as (
    select *,
           with_system_message(system, msgs0) as msgs
    from shaped
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when f[1] is distinct from 'ModelInvocationLog' then 'not_a_call' end as reader_problem,
    f[2] as call_id,
    f[3] as ts_text,
    'iso' as ts_unit,
    'bedrock' as provider,
    f[4] as model,
    false as is_bucket,
    '1' as request_count_text,
    f[6] as input_text,
    false as input_is_total,
    f[7] as cache_read_text,
    f[8] as cache_write_text,
    f[10] as cache_write_1h_text,
    f[9] as output_text,
    null::varchar as reasoning_text,
    false as is_batch,
    null::varchar as service_tier,
    f[11] as latency_ms_text,
    null::varchar as status,
    null::varchar as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    -- caller tags win over the two hints the log itself names
    json_merge_patch(json_object('operation', f[5], 'identity_arn', f[12]), request_metadata) as hints
from msgs
order by source_line
