-- extract_openai: OpenAI Chat Completions and Responses objects, bare, as {"request", "response"}
-- pairs, or as Batch output lines (custom_id, response.body). See log-formats.md sections 1 and 2.
-- Also: streamed chat.completion.chunk lines (the one with usage is the call, the others superseded),
-- Responses polled in the background (queued / in_progress snapshots superseded), OpenRouter's
-- usage.cost (billed cost), and output = total - prompt when total_tokens exceeds prompt + completion
-- (reasoning counted only in the total, e.g. Gemini's OpenAI-compatible endpoint).
-- Returns the EXTRACTED_COLUMNS of ftaudit/formats/__init__.py.
with shaped as (
    select r.source_line, r.raw, r.js,
           coalesce(r.js -> '$.response.body', r.js -> '$.response', r.js) as body,
           r.js -> '$.request' as request,
           b.prefix_hash as batch_prefix_hash, b.prefix_chars as batch_prefix_chars,
           b.variable_chars as batch_variable_chars, b.hints as batch_hints,
           r.js ->> '$.custom_id' as custom_id,
           coalesce(json_type(r.js, '$.error'), 'NULL') <> 'NULL'
               and coalesce(json_type(r.js, '$.response'), 'NULL') = 'NULL' as failed
    from records r
    left join batch_requests b on b.custom_id = (r.js ->> '$.custom_id')
),
fields as (
    select *,
           json_extract_string(body, ['$.id', '$.created', '$.created_at', '$.model', '$.service_tier', '$.status',
               '$.usage.prompt_tokens', '$.usage.input_tokens',
               '$.usage.prompt_tokens_details.cached_tokens', '$.usage.input_tokens_details.cached_tokens',
               '$.usage.prompt_tokens_details.cache_write_tokens', '$.usage.input_tokens_details.cache_write_tokens',
               '$.usage.completion_tokens', '$.usage.output_tokens',
               '$.usage.completion_tokens_details.reasoning_tokens', '$.usage.output_tokens_details.reasoning_tokens',
               '$.object', '$.usage.total_tokens', '$.usage.cost'
           ]) as f,
           coalesce(json_type(body, '$.usage') = 'OBJECT', false) as has_usage,
           case when json_type(request, '$.messages') = 'ARRAY' then cast(request -> '$.messages' as json[])
                when json_type(request, '$.input') = 'ARRAY' then cast(request -> '$.input' as json[])
                when json_type(request, '$.input') = 'VARCHAR'
                    then [json_object('role', 'user', 'content', request ->> '$.input')] end as msgs0,
           request ->> '$.instructions' as instructions
    from shaped
),
counts as (
    select *,
           coalesce(f[7], f[8]) as prompt, coalesce(f[13], f[14]) as completion,
           coalesce(f[15], f[16]) as reasoning, f[18] as total,
           -- OpenAI-compatible endpoints of other providers (Gemini's) may count reasoning only in total_tokens
           case when tok(coalesce(f[7], f[8])) >= 0 and tok(coalesce(f[13], f[14])) >= 0
                then tok(f[18]) - tok(coalesce(f[7], f[8])) - tok(coalesce(f[13], f[14])) end as hidden_output
    from fields
),
snapshots as (
    -- a snapshot is an earlier state of a call that the log holds again later: stream chunks without
    -- usage (or with a smaller usage than a later chunk of the same id), and Responses polled while
    -- queued / in progress. Counted as 'superseded', neither a call nor a reject.
    select *,
           (f[17] = 'chat.completion.chunk' and not has_usage)
           or (f[17] = 'response' and f[6] in ('queued', 'in_progress'))
           or (f[17] = 'chat.completion.chunk' and f[1] is not null
               and coalesce(tok(total), tok(prompt) + tok(completion), -1)
                   < max(coalesce(tok(total), tok(prompt) + tok(completion), -1)) over (partition by f[17], f[1]))
               as superseded
    from counts
),
msgs as (
    select *,
           with_system_message(instructions, msgs0) as msgs
    from snapshots
)
select
    source_line,
    record_ref(raw) as raw_ref,
    case when superseded then 'superseded' when failed then 'api_error' end as reader_problem,
    coalesce(f[1], 'batch:' || custom_id) as call_id,
    coalesce(js ->> '$.ts', f[2], f[3]) as ts_text,
    's' as ts_unit,
    -- OpenRouter answers in OpenAI's shapes; its usage accounting adds usage.cost, ids are gen-...
    if(f[19] is not null or f[1] like 'gen-%', 'openrouter', 'openai') as provider,
    f[4] as model,
    false as is_bucket,
    '1' as request_count_text,
    prompt as input_text,
    true as input_is_total,
    coalesce(f[9], f[10]) as cache_read_text,
    coalesce(f[11], f[12]) as cache_write_text,
    null::varchar as cache_write_1h_text,
    case when hidden_output > 0 then (tok(completion) + hidden_output)::varchar else completion end as output_text,
    case when hidden_output > 0 and reasoning is null then hidden_output::varchar else reasoning end as reasoning_text,
    custom_id is not null as is_batch,
    f[5] as service_tier,
    js ->> '$.latency_ms' as latency_ms_text,
    coalesce(f[6], js ->> '$.response.status_code', 'completed') as status,
    f[19] as billed_cost_text,  -- OpenRouter: the amount charged for the call (USD)
    coalesce(prefix_hash_of(msgs), batch_prefix_hash) as prefix_hash,
    coalesce(prefix_chars_of(msgs), batch_prefix_chars) as prefix_chars,
    coalesce(variable_chars_of(msgs), batch_variable_chars) as variable_chars,
    json_merge_patch(coalesce(batch_hints, '{}'::json), json_merge_patch(
        case when json_type(request, '$.metadata') = 'OBJECT' then request -> '$.metadata' else '{}'::json end,
        json_object('user', request ->> '$.user', 'custom_id', custom_id)
    )) as hints
from msgs
order by source_line
