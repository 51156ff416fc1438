-- extract_gemini: Gemini API / Vertex AI GenerateContentResponse objects with usageMetadata, REST camelCase
-- or Python SDK snake_case, bare or in {"request", "response", "ts"} wrappers. See log-formats.md section 5.
-- input = promptTokenCount (cached tokens included: input_is_total) + toolUsePromptTokenCount (tool
-- results fed back, outside the prompt count, billed as input); output = candidates + thoughts (thoughts
-- are billed output outside candidatesTokenCount). Counts that are zero are omitted (proto3): an absent
-- optional count is 0, but a response with neither candidates nor thoughts counts has no output field.
-- Time: Vertex createTime, else the --ts-field value, else the wrapper's ts, else --ts ($ts_default),
-- else bad_timestamp.
-- Streamed chunks of one responseId: the one with the final (largest) usage is the call, the others
-- are counted as superseded.
-- params: $ts_path (JSON path of the --ts-field key), $ts_unit (unit of a numeric --ts-field value),
-- $ts_default TIMESTAMPTZ (--ts, nullable)
-- Returns the EXTRACTED_COLUMNS of ftaudit/formats/__init__.py.
with shaped as (
    select source_line, raw, js,
           case when json_type(js, '$.response') = 'OBJECT' then js -> '$.response' else js end as body,
           case when json_type(js, '$.request') = 'OBJECT' then js -> '$.request' end as request,
           json_extract_string(js, [$ts_path, '$.ts', '$.latency_ms', '$.request.model']) as w
    from records
),
fields as (
    select *,
           json_extract_string(body, ['$.responseId', '$.response_id', '$.createTime', '$.create_time',
               '$.modelVersion', '$.model_version',
               '$.usageMetadata.promptTokenCount', '$.usage_metadata.prompt_token_count',
               '$.usageMetadata.cachedContentTokenCount', '$.usage_metadata.cached_content_token_count',
               '$.usageMetadata.candidatesTokenCount', '$.usage_metadata.candidates_token_count',
               '$.usageMetadata.thoughtsTokenCount', '$.usage_metadata.thoughts_token_count',
               '$.usageMetadata.toolUsePromptTokenCount', '$.usage_metadata.tool_use_prompt_token_count',
               '$.usageMetadata.trafficType', '$.usage_metadata.traffic_type',
               '$.candidates[0].finishReason', '$.candidates[0].finish_reason',
               '$.usageMetadata.totalTokenCount', '$.usage_metadata.total_token_count'
           ]) as f,
           json_type(body, '$.error') = 'OBJECT' as is_error,
           case when json_type(request, '$.contents') = 'ARRAY'
                then list_transform(cast(request -> '$.contents' as json[]),
                                    lambda c: json_object('role', json_extract_string(c, '$.role'),
                                                          'content', json_extract(c, '$.parts'))) end as msgs0,
           coalesce(request -> '$.systemInstruction.parts', request -> '$.system_instruction.parts') as system,
           json_merge_patch(  -- merge_patch drops keys whose value is null
               case when json_type(js, '$.metadata') = 'OBJECT' then js -> '$.metadata' else '{}'::json end,
               case when json_type(request, '$.labels') = 'OBJECT' then request -> '$.labels' else '{}'::json end
           ) as hints
    from shaped
),
picked as (
    select source_line, raw, w, hints, is_error,
           coalesce(f[1], f[2]) as response_id,
           coalesce(f[3], f[4]) as create_time,
           coalesce(f[5], f[6]) as model_version,
           coalesce(f[7], f[8]) as prompt,
           coalesce(f[9], f[10]) as cached,
           coalesce(f[11], f[12]) as candidates,
           coalesce(f[13], f[14]) as thoughts,
           coalesce(f[15], f[16]) as tool_use_prompt,
           coalesce(f[17], f[18]) as traffic_type,
           coalesce(f[19], f[20]) as finish_reason,
           coalesce(f[21], f[22]) as total,
           with_system_message(system, msgs0) as msgs
    from fields
),
streamed as (
    -- a response streamed and logged chunk by chunk: every chunk has the responseId, the usage grows
    -- (early chunks lack candidatesTokenCount). The chunk with the largest usage is the call; the
    -- others are superseded snapshots, not conflicting duplicates nor missing fields.
    select *,
           response_id is not null
           and coalesce(tok(total), tok(prompt) + coalesce(tok(candidates), 0) + coalesce(tok(thoughts), 0), -1)
               < max(coalesce(tok(total), tok(prompt) + coalesce(tok(candidates), 0) + coalesce(tok(thoughts), 0), -1))
                     over (partition by response_id) as superseded
    from picked
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when superseded then 'superseded'
         when is_error then 'api_error'
         when coalesce(create_time, w[1], w[2]) is null and $ts_default is null then 'bad_timestamp'
    end as reader_problem,
    response_id as call_id,
    coalesce(create_time, w[1], w[2]) as ts_text,
    case when create_time is not null then 'iso' when w[1] is not null then $ts_unit else 's' end as ts_unit,
    'google' as provider,
    coalesce(model_version, w[4]) as model,
    false as is_bucket,
    '1' as request_count_text,
    -- a bad count is passed on as found, so the validator names it (bad_type, negative_tokens)
    case when prompt is null then null
         when tok_problem(prompt, false) is not null then prompt
         when tok_problem(tool_use_prompt, false) is not null then tool_use_prompt
         else (tok(prompt) + coalesce(tok(tool_use_prompt), 0))::varchar
    end as input_text,
    true as input_is_total,
    cached as cache_read_text,
    null::varchar as cache_write_text,
    null::varchar as cache_write_1h_text,
    case when candidates is null and thoughts is null then null
         when tok_problem(candidates, false) is not null then candidates
         when tok_problem(thoughts, false) is not null then thoughts
         else (coalesce(tok(candidates), 0) + coalesce(tok(thoughts), 0))::varchar
    end as output_text,
    thoughts as reasoning_text,
    false as is_batch,
    traffic_type as service_tier,
    w[3] as latency_ms_text,
    finish_reason as status,
    null::varchar as billed_cost_text,
    prefix_hash_of(msgs) as prefix_hash,
    prefix_chars_of(msgs) as prefix_chars,
    variable_chars_of(msgs) as variable_chars,
    hints
from streamed
order by source_line
