-- replay_tier_prices_from_frame: the base side's rates at its logged service tier (priority, flex) for
-- the calls whose verdict prices both sides at the standard tier because the fine-tuned model has no
-- rate at that tier (registered as replay_tier_prices_frame by ftaudit/replay/basis.py); the same
-- columns as the price table, read only by replay_tier_premium.
select provider, model, is_batch, service_tier, valid_from, valid_until, tod_from_s, tod_to_s, tier_above, tier_upto,
       input_rate::decimal(38, 12) as input_rate,
       cache_read_rate::decimal(38, 12) as cache_read_rate,
       cache_write_rate::decimal(38, 12) as cache_write_rate,
       cache_write_1h_rate::decimal(38, 12) as cache_write_1h_rate,
       output_rate::decimal(38, 12) as output_rate,
       reasoning_rate::decimal(38, 12) as reasoning_rate,
       requests_rate::decimal(38, 12) as requests_rate
from replay_tier_prices_frame
order by provider, model, is_batch, service_tier, valid_from, tod_from_s, tier_above
