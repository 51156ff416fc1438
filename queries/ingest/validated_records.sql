-- validated_records: type and check what a reader extracted; `reason` is NULL for a good record.
-- (run as `create temp table validated as ...`)
-- params: $ts_floor TIMESTAMPTZ, $ts_ceiling TIMESTAMPTZ (plausible time range), $ts_default TIMESTAMPTZ
-- (--ts, or a batch's end time beside the file: the time of every record that has none; nullable)
with typed as (
    select e.*,
           tok(input_text) as input_n,
           coalesce(tok(cache_read_text), 0) as cache_read_n,
           coalesce(tok(cache_write_text), 0) as cache_write_n,
           coalesce(tok(cache_write_1h_text), 0) as cache_write_1h_n,
           tok(output_text) as output_n,
           coalesce(tok(reasoning_text), 0) as reasoning_n,
           tok(request_count_text) as request_count_n,
           coalesce(parse_ts(ts_text, ts_unit), case when ts_text is null then $ts_default::timestamptz end) as ts_parsed,
           try_cast(billed_cost_text as decimal(38, 12)) as billed_cost,
           try_cast(latency_ms_text as double) as latency
    from extracted e
),
checked as (
    select *,
           list_filter([
               {'reason': reader_problem, 'detail': null},
               {'reason': case when model is null or trim(model) = '' then 'missing_field' end, 'detail': 'model'},
               {'reason': case when ts_text is null then (case when $ts_default is null then 'missing_field' end)
                               when ts_problem(ts_text, ts_parsed, $ts_floor, $ts_ceiling) is not null
                               then 'bad_timestamp' end,
                'detail': 'timestamp ' || left(coalesce(ts_text, ''), 40) || coalesce(': '
                          || ts_problem(ts_text, ts_parsed, $ts_floor, $ts_ceiling), '')},
               {'reason': tok_problem(input_text, true), 'detail': 'input tokens'},
               {'reason': tok_problem(output_text, true), 'detail': 'output tokens'},
               {'reason': tok_problem(cache_read_text, false), 'detail': 'cache read tokens'},
               {'reason': tok_problem(cache_write_text, false), 'detail': 'cache write tokens'},
               {'reason': tok_problem(cache_write_1h_text, false), 'detail': 'cache write 1h tokens'},
               {'reason': tok_problem(reasoning_text, false), 'detail': 'reasoning tokens'},
               {'reason': case when not is_bucket then tok_problem(request_count_text, true)
                               else tok_problem(request_count_text, false) end, 'detail': 'request count'},
               {'reason': case when input_is_total and cache_read_n + cache_write_n > input_n
                               then 'cached_exceeds_input' end,
                'detail': 'cache ' || (cache_read_n + cache_write_n) || ' > input ' || input_n},
               {'reason': case when cache_write_1h_n > cache_write_n then 'cached_exceeds_input' end,
                'detail': 'cache write 1h > cache write'},
               {'reason': case when reasoning_n > output_n then 'reasoning_exceeds_output' end,
                'detail': 'reasoning ' || reasoning_n || ' > output ' || output_n},
               {'reason': case when billed_cost_text is not null and billed_cost is null then 'bad_type'
                               when billed_cost < 0 then 'negative_cost' end, 'detail': 'cost ' || billed_cost_text},
               {'reason': case when latency_ms_text is not null and (latency is null or latency < 0) then 'bad_type' end,
                'detail': 'latency'}
           ], lambda c: c.reason is not null)[1] as problem
    from typed
)
select
    source_line, raw_ref, problem.reason as reason, problem.detail as detail,
    call_id, ts_parsed as ts, provider, model,
    base_model_of(model) as base_model,
    is_fine_tuned_model(model) as is_fine_tuned,
    is_bucket,
    case when is_bucket then request_count_n else 1 end as request_count,
    case when input_is_total then input_n else input_n + cache_read_n + cache_write_n end as input_tokens,
    cache_read_n as cache_read_tokens,
    cache_write_n as cache_write_tokens,
    cache_write_1h_n as cache_write_1h_tokens,
    output_n as output_tokens,
    reasoning_n as reasoning_tokens,
    coalesce(is_batch, false) as is_batch,
    service_tier, latency as latency_ms, status, billed_cost as billed_cost_usd,
    prefix_hash, prefix_chars, variable_chars, hints
from checked
