-- spark_replay_daily: the Spark twin of replay_daily (read its header): the per-call -> per-day
-- reduction of the replay in one pass over replay_call_tokens, token leaves summed per (day, workload,
-- base price row, fine-tuned price row) then priced once per group (leaves_cost_usd of spark_macros).
-- Rows 'day' and 'workload' as there. Differs only in spelling: to_date(ts) for ts::date (the session
-- time zone is UTC) and no casts to bigint (Spark's sum of bigint is a bigint).
with groups as (
    select to_date(ts) as day, workload, base_price_id, ft_price_id,
           sum(requests) as calls, count(*) as rows,
           sum(base_uncached_tokens) as base_uncached, sum(base_cache_read_tokens) as base_cache_read,
           sum(base_cache_write_5m_tokens) as base_cache_write_5m, sum(base_cache_write_1h_tokens) as base_cache_write_1h,
           sum(output_other_tokens) as output_other, sum(reasoning_tokens) as reasoning,
           sum(ft_uncached_tokens) as ft_uncached, sum(ft_cache_read_tokens) as ft_cache_read,
           sum(ft_cache_write_5m_tokens) as ft_cache_write_5m, sum(ft_cache_write_1h_tokens) as ft_cache_write_1h,
           sum(greatest(net_estimate_usd, 0)) as positive_net_estimate_usd,
           min(ts) as first_ts,
           max(ts) as last_ts
    from replay_call_tokens
    group by all
),
priced as (
    select g.day, g.workload, g.calls, g.rows, g.positive_net_estimate_usd, g.first_ts, g.last_ts,
           leaves_cost_usd(g.base_uncached, g.base_cache_read, g.base_cache_write_5m, g.base_cache_write_1h,
                           g.output_other, g.reasoning, 1, g.calls, b.input_rate, b.cache_read_rate, b.cache_write_rate,
                           b.cache_write_1h_rate, b.output_rate, b.reasoning_rate, b.requests_rate) as base_cost_usd,
           leaves_cost_usd(g.ft_uncached, g.ft_cache_read, g.ft_cache_write_5m, g.ft_cache_write_1h,
                           g.output_other, g.reasoning, p.output_ratio, g.calls, f.input_rate, f.cache_read_rate,
                           f.cache_write_rate, f.cache_write_1h_rate, f.output_rate, f.reasoning_rate, f.requests_rate)
               as fine_tuned_cost_usd
    from groups g
    join replay_prices b on b.price_id = g.base_price_id
    join replay_prices f on f.price_id = g.ft_price_id
    cross join replay_params p
),
by_day_workload as (
    select day, workload, sum(calls) as calls, sum(rows) as rows,
           sum(base_cost_usd) as base_cost_usd, sum(fine_tuned_cost_usd) as fine_tuned_cost_usd,
           sum(positive_net_estimate_usd) as positive_net_estimate_usd, min(first_ts) as first_ts, max(last_ts) as last_ts
    from priced
    group by day, workload
),
by_day as (
    select day, sum(calls) as calls, sum(rows) as rows, sum(base_cost_usd) as base_cost_usd,
           sum(fine_tuned_cost_usd) as fine_tuned_cost_usd, sum(positive_net_estimate_usd) as positive_net_estimate_usd,
           min(first_ts) as first_ts, max(last_ts) as last_ts
    from by_day_workload
    group by day
)
select 'day' as grain, day, cast(null as string) as workload, calls, rows, base_cost_usd, fine_tuned_cost_usd,
       base_cost_usd - fine_tuned_cost_usd as net_usd, positive_net_estimate_usd, first_ts, last_ts,
       sum(calls) over running as cumulative_calls,
       sum(base_cost_usd - fine_tuned_cost_usd) over running as cumulative_savings_usd
from by_day
window running as (order by day rows between unbounded preceding and current row)
union all
select 'workload' as grain, cast(null as date) as day, workload, sum(calls), sum(rows),
       sum(base_cost_usd), sum(fine_tuned_cost_usd), sum(base_cost_usd) - sum(fine_tuned_cost_usd),
       sum(positive_net_estimate_usd), min(first_ts), max(last_ts), cast(null as bigint), null
from by_day_workload
group by workload
order by grain, day, workload
