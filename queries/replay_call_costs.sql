-- replay_call_costs: (re)creates the temp view of every replayed call with its exact base and
-- fine-tuned inference cost in USD (DECIMAL, no rounding), from replay_call_tokens and the rates of
-- the replay_prices rows it names: each leaf's tokens x its rate per 1M tokens, requests x the rate per
-- 1K requests; the fine-tuned output leaves x output_ratio. A view has no order: its readers
-- (replay_crossing_call, reconcile_billed) end in their own `order by`.
create or replace temp view replay_call_costs as
select t.call_id, t.ts, t.file_id, t.source_line, t.model, t.workload, t.requests, t.billed_cost_usd,
       (t.base_uncached_tokens * b.input_rate + t.base_cache_read_tokens * b.cache_read_rate
        + t.base_cache_write_5m_tokens * b.cache_write_rate + t.base_cache_write_1h_tokens * b.cache_write_1h_rate
        + t.output_other_tokens * b.output_rate + t.reasoning_tokens * b.reasoning_rate) * 0.000001
       + t.requests * b.requests_rate * 0.001 as base_cost_usd,
       (t.ft_uncached_tokens * f.input_rate + t.ft_cache_read_tokens * f.cache_read_rate
        + t.ft_cache_write_5m_tokens * f.cache_write_rate + t.ft_cache_write_1h_tokens * f.cache_write_1h_rate
        + (t.output_other_tokens * f.output_rate + t.reasoning_tokens * f.reasoning_rate) * p.output_ratio) * 0.000001
       + t.requests * f.requests_rate * 0.001 as fine_tuned_cost_usd
from replay_call_tokens t
join replay_prices b on b.price_id = t.base_price_id
join replay_prices f on f.price_id = t.ft_price_id
cross join replay_params p
