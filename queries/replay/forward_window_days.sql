-- forward_window_days: the forward replay's traffic, one row per UTC day of the window and workload:
-- calls, rows, the base and fine-tuned inference cost of the day's calls (USD, exact) at the rates in
-- effect on replay_params.price_day (each call keeps its tokens and its time of day), and the prompt
-- tokens the fine-tune removes from them (logged input - fine-tuned input). Token leaves are summed
-- per price row, then priced once per group, as in replay_daily.
with groups as (
    select ts::date as day, workload, base_price_id, ft_price_id,
           sum(requests) as calls, count(*) as rows,
           sum(base_uncached_tokens) as base_uncached, sum(base_cache_read_tokens) as base_cache_read,
           sum(base_cache_write_5m_tokens) as base_cache_write_5m, sum(base_cache_write_1h_tokens) as base_cache_write_1h,
           sum(output_other_tokens) as output_other, sum(reasoning_tokens) as reasoning,
           sum(ft_uncached_tokens) as ft_uncached, sum(ft_cache_read_tokens) as ft_cache_read,
           sum(ft_cache_write_5m_tokens) as ft_cache_write_5m, sum(ft_cache_write_1h_tokens) as ft_cache_write_1h
    from replay_call_tokens
    group by all
),
priced as (
    select g.day, g.workload, g.calls, g.rows,
           g.base_uncached + g.base_cache_read + g.base_cache_write_5m + g.base_cache_write_1h
               - g.ft_uncached - g.ft_cache_read - g.ft_cache_write_5m - g.ft_cache_write_1h as removed_input_tokens,
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
)
select day, workload,
       sum(calls)::bigint as calls,
       sum(rows)::bigint as rows,
       sum(base_cost_usd)::decimal(38, 12) as base_usd,
       sum(fine_tuned_cost_usd)::decimal(38, 12) as tuned_usd,
       sum(removed_input_tokens)::bigint as removed_input_tokens
from priced
group by day, workload
order by day, workload
