-- spark_replay_tier_premium: the Spark twin of replay_tier_premium: per logged service tier and base
-- model whose premium (or flex discount) is reported as its own line, calls and what the base side paid
-- at the logged tier minus what the verdict priced it at. Reads replay_call_tokens, replay_prices and
-- replay_tier_prices.
select t.service_tier, t.base_price_model as model, sum(t.requests) as calls,
       sum(leaves_cost_usd(t.base_uncached_tokens, t.base_cache_read_tokens, t.base_cache_write_5m_tokens,
                           t.base_cache_write_1h_tokens, t.output_other_tokens, t.reasoning_tokens, 1, t.requests,
                           l.input_rate, l.cache_read_rate, l.cache_write_rate, l.cache_write_1h_rate, l.output_rate,
                           l.reasoning_rate, l.requests_rate)
           - leaves_cost_usd(t.base_uncached_tokens, t.base_cache_read_tokens, t.base_cache_write_5m_tokens,
                             t.base_cache_write_1h_tokens, t.output_other_tokens, t.reasoning_tokens, 1, t.requests,
                             b.input_rate, b.cache_read_rate, b.cache_write_rate, b.cache_write_1h_rate, b.output_rate,
                             b.reasoning_rate, b.requests_rate)) as premium_usd
from replay_call_tokens t
join replay_prices b on b.price_id = t.base_price_id
join replay_tier_prices l
  on l.provider = t.provider and l.model = t.base_price_model and l.is_batch = t.is_batch
 and l.service_tier = t.service_tier and t.price_ts >= l.valid_from and t.price_ts < l.valid_until
 and t.second_of_day >= l.tod_from_s and t.second_of_day < l.tod_to_s
 and t.base_input_per_request > l.tier_above and t.base_input_per_request <= l.tier_upto
group by all
order by t.service_tier, model
