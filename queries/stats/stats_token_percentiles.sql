-- stats_token_percentiles: one row per period, workload and model over per-call rows (buckets excluded):
-- calls, active UTC days, and p50/p90/p99 of input, cache-read and output tokens and p50/p90 of latency,
-- all by quantile_cont (linear interpolation between the two nearest ranks, as numpy's 'linear').
-- params: $workload, $model, $since, $until (nullable filters; $until exclusive), $by ('day' | 'week' | 'month' | NULL: one period)
select period, workload, model, calls, active_days, first_day, last_day,
       input_q[1] as input_tokens_p50, input_q[2] as input_tokens_p90, input_q[3] as input_tokens_p99,
       input_tokens_max, input_tokens_mean, input_tokens,
       cache_q[1] as cache_read_tokens_p50, cache_q[2] as cache_read_tokens_p90, cache_q[3] as cache_read_tokens_p99,
       cache_read_tokens_max, cache_read_tokens, cache_hit_calls,
       output_q[1] as output_tokens_p50, output_q[2] as output_tokens_p90, output_q[3] as output_tokens_p99,
       output_tokens_max, output_tokens,
       latency_logged_calls, latency_q[1] as latency_ms_p50, latency_q[2] as latency_ms_p90,
       batch_calls
from (
    select date_trunc($by, ts)::date as period, workload, model,
           count(*)::bigint as calls,
           count(distinct ts::date)::bigint as active_days,
           min(ts)::date as first_day,
           max(ts)::date as last_day,
           quantile_cont(input_tokens, [0.5, 0.9, 0.99]) as input_q,
           max(input_tokens) as input_tokens_max,
           avg(input_tokens) as input_tokens_mean,
           sum(input_tokens::hugeint) as input_tokens,
           quantile_cont(cache_read_tokens, [0.5, 0.9, 0.99]) as cache_q,
           max(cache_read_tokens) as cache_read_tokens_max,
           sum(cache_read_tokens::hugeint) as cache_read_tokens,
           count_if(cache_read_tokens > 0)::bigint as cache_hit_calls,
           quantile_cont(output_tokens, [0.5, 0.9, 0.99]) as output_q,
           max(output_tokens) as output_tokens_max,
           sum(output_tokens::hugeint) as output_tokens,
           count(latency_ms)::bigint as latency_logged_calls,
           quantile_cont(latency_ms, [0.5, 0.9]) as latency_q,
           count_if(is_batch)::bigint as batch_calls
    from calls_named
    where not is_bucket
      and matches_filters(workload, model, ts, $workload, $model, $since, $until)
    group by all
)
order by period nulls first, workload, model
