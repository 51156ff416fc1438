-- spark_replay_call_costs: the Spark twin of replay_call_costs: every replayed call with its exact base
-- and fine-tuned inference cost in USD (DECIMAL, no rounding), from spark_replay_call_tokens and the
-- rates of the replay_prices rows it names (function leaves_cost_usd of spark_macros).
create or replace temporary view replay_call_costs as
select t.call_id, t.ts, t.day, t.file_id, t.source_line, t.model, t.workload, t.requests, t.billed_cost_usd,
       leaves_cost_usd(t.base_uncached_tokens, t.base_cache_read_tokens, t.base_cache_write_5m_tokens,
                       t.base_cache_write_1h_tokens, t.output_other_tokens, t.reasoning_tokens, 1, t.requests,
                       b.input_rate, b.cache_read_rate, b.cache_write_rate, b.cache_write_1h_rate, b.output_rate,
                       b.reasoning_rate, b.requests_rate) as base_cost_usd,
       leaves_cost_usd(t.ft_uncached_tokens, t.ft_cache_read_tokens, t.ft_cache_write_5m_tokens,
                       t.ft_cache_write_1h_tokens, t.output_other_tokens, t.reasoning_tokens, p.output_ratio, t.requests,
                       f.input_rate, f.cache_read_rate, f.cache_write_rate, f.cache_write_1h_rate, f.output_rate,
                       f.reasoning_rate, f.requests_rate) as fine_tuned_cost_usd
from replay_call_tokens t
join replay_prices b on b.price_id = t.base_price_id
join replay_prices f on f.price_id = t.ft_price_id
cross join replay_params p
