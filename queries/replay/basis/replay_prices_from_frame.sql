-- replay_prices_from_frame: the price table built by ftaudit/replay_prices.py (registered as
-- replay_prices_frame), one row per price_id: effective USD rates per 1M tokens (per 1K requests) for
-- each provider, model, Batch flag, service tier, [valid_from, valid_until), [tod_from_s, tod_to_s)
-- seconds of the UTC day and (tier_above, tier_upto] input tokens per request; the *_f columns are
-- DOUBLE copies for estimates only.
select row_number() over (order by provider, model, is_batch, service_tier, valid_from, tod_from_s, tier_above)
           as price_id,
       provider, model, is_batch, service_tier, valid_from, valid_until, tod_from_s, tod_to_s, tier_above, tier_upto,
       input_rate::decimal(38, 12) as input_rate,
       cache_read_rate::decimal(38, 12) as cache_read_rate,
       cache_write_rate::decimal(38, 12) as cache_write_rate,
       cache_write_1h_rate::decimal(38, 12) as cache_write_1h_rate,
       output_rate::decimal(38, 12) as output_rate,
       reasoning_rate::decimal(38, 12) as reasoning_rate,
       requests_rate::decimal(38, 12) as requests_rate,
       input_rate::double as input_f, cache_read_rate::double as cache_read_f, cache_write_rate::double as cache_write_f,
       cache_write_1h_rate::double as cache_write_1h_f, output_rate::double as output_f,
       reasoning_rate::double as reasoning_f, requests_rate::double as requests_f
from replay_prices_frame
order by price_id
