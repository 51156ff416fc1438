-- spark_replay_call_tokens: the Spark twin of replay_call_tokens (read its header for what every column
-- means): the temp view of every replayed call as token counts per price leaf, base and fine-tuned,
-- with the replay_prices rows that price each. Reads the temp views replay_params, replay_removal and
-- replay_prices that ftaudit/replay/spark.py copies from DuckDB. Where the engines differ, the Spark
-- definition of the column (tests/test_spark_replay.py checks both give the same rows):
--   second_of_day   DuckDB (epoch_ms(ts) % 86400000) // 1000   Spark pmod(unix_millis(ts), 86400000) div 1000
--   price_ts        DuckDB price_day::timestamptz + to_milliseconds(ms of day)
--                   Spark  timestamp_millis(unix_millis(cast(price_day as timestamp)) + ms of day)
--   integer a // b  Spark a div b (every operand here is >= 0, where both truncate alike)
--   hugeint         Spark decimal(38, 0)
-- It also passes on `day`, the dataset's partition (the UTC date of ts), so a filter on it prunes files.
create or replace temporary view replay_call_tokens as
with scoped as (
    select c.call_id, c.ts, c.day, c.file_id, c.source_line, c.provider, c.model, c.workload, c.is_batch,
           coalesce(c.service_tier, '') as service_tier,
           coalesce(nullif(c.request_count, 0), 1) as requests,
           c.input_tokens, c.cache_read_tokens, c.cache_write_tokens, c.cache_write_1h_tokens,
           c.output_tokens, c.reasoning_tokens, c.billed_cost_usd,
           pmod(unix_millis(c.ts), 86400000) div 1000 as second_of_day,
           -- the instant whose prices apply: the call's own, or its time of day on replay_params.price_day
           case when p.price_day is null then c.ts
                else timestamp_millis(unix_millis(cast(p.price_day as timestamp)) + pmod(unix_millis(c.ts), 86400000)) end as price_ts,
           coalesce(p.base_model, c.model) as base_price_model,
           p.ft_provider, p.ft_model, cast(p.output_ratio as double) as output_ratio_f,
           p.cache_min_tokens * coalesce(nullif(c.request_count, 0), 1) as cache_min_total,
           p.cache_step_tokens * coalesce(nullif(c.request_count, 0), 1) as cache_step_total,
           coalesce(r.remove_tokens, p.remove_tokens) * coalesce(nullif(c.request_count, 0), 1) as removed_tokens,
           (coalesce(r.remove_tokens, p.remove_tokens) - p.add_tokens) * coalesce(nullif(c.request_count, 0), 1)
               > c.input_tokens as removal_overrun,
           greatest(c.input_tokens - (coalesce(r.remove_tokens, p.remove_tokens) - p.add_tokens)
                    * coalesce(nullif(c.request_count, 0), 1), 0) as ft_input_tokens
    from calls_named c
    cross join replay_params p
    left join replay_removal r on r.workload = c.workload
    where c.ts >= p.start_ts
      and (p.until_ts is null or c.ts < p.until_ts)
      and (p.workload is null or c.workload = p.workload)
),
shortened as (
    select *,
           case when ft_input_tokens < cache_min_total then 0
                else least(greatest(cache_read_tokens - removed_tokens, 0), ft_input_tokens)
                     div cache_step_total * cache_step_total
           end as ft_cache_read_stepped,
           case when ft_input_tokens >= input_tokens then cache_read_tokens
                when ft_cache_read_stepped < cache_min_total then 0
                else ft_cache_read_stepped
           end as ft_cache_read_tokens,
           case when ft_input_tokens >= input_tokens then cache_write_tokens
                when ft_input_tokens < cache_min_total or cache_write_tokens = 0 then 0
                else least(greatest(least(cache_write_tokens, cache_read_tokens + cache_write_tokens - removed_tokens), 0),
                           ft_input_tokens - ft_cache_read_tokens)
           end as ft_cache_write_tokens,
           case when ft_input_tokens >= input_tokens then cache_write_1h_tokens
                when cache_write_1h_tokens = 0 then 0
                else cast(cast(ft_cache_write_tokens as decimal(38, 0)) * cache_write_1h_tokens div cache_write_tokens as bigint)
           end as ft_cache_write_1h_tokens
    from scoped
),
leaves as (
    select s.call_id, s.ts, s.day, s.file_id, s.source_line, s.model, s.workload, s.requests, s.billed_cost_usd,
           s.provider, s.is_batch, s.service_tier, s.price_ts, s.second_of_day, s.base_price_model, s.removal_overrun,
           s.input_tokens div s.requests as base_input_per_request,
           b.price_id as base_price_id, f.price_id as ft_price_id,
           s.input_tokens - s.cache_read_tokens - s.cache_write_tokens as base_uncached_tokens,
           s.cache_read_tokens as base_cache_read_tokens,
           s.cache_write_tokens - s.cache_write_1h_tokens as base_cache_write_5m_tokens,
           s.cache_write_1h_tokens as base_cache_write_1h_tokens,
           s.output_tokens - s.reasoning_tokens as output_other_tokens,
           s.reasoning_tokens,
           s.ft_input_tokens - s.ft_cache_read_tokens - s.ft_cache_write_tokens as ft_uncached_tokens,
           s.ft_cache_read_tokens,
           s.ft_cache_write_tokens - s.ft_cache_write_1h_tokens as ft_cache_write_5m_tokens,
           s.ft_cache_write_1h_tokens,
           s.output_ratio_f,
           b.input_f as b_input_f, b.cache_read_f as b_cache_read_f, b.cache_write_f as b_cache_write_f,
           b.cache_write_1h_f as b_cache_write_1h_f, b.output_f as b_output_f, b.reasoning_f as b_reasoning_f,
           f.input_f as f_input_f, f.cache_read_f as f_cache_read_f, f.cache_write_f as f_cache_write_f,
           f.cache_write_1h_f as f_cache_write_1h_f, f.output_f as f_output_f, f.reasoning_f as f_reasoning_f,
           b.requests_f - f.requests_f as requests_net_f
    from shortened s
    join replay_prices b
      on b.provider = s.provider and b.model = s.base_price_model and b.is_batch = s.is_batch
     and b.service_tier = s.service_tier and s.price_ts >= b.valid_from and s.price_ts < b.valid_until
     and s.second_of_day >= b.tod_from_s and s.second_of_day < b.tod_to_s
     and s.input_tokens div s.requests > b.tier_above and s.input_tokens div s.requests <= b.tier_upto
    join replay_prices f
      on f.provider = s.ft_provider and f.model = s.ft_model and f.is_batch = s.is_batch
     and f.service_tier = s.service_tier and s.price_ts >= f.valid_from and s.price_ts < f.valid_until
     and s.second_of_day >= f.tod_from_s and s.second_of_day < f.tod_to_s
     and s.ft_input_tokens div s.requests > f.tier_above and s.ft_input_tokens div s.requests <= f.tier_upto
)
select call_id, ts, day, file_id, source_line, model, workload, requests, billed_cost_usd, base_price_id, ft_price_id,
       provider, is_batch, service_tier, price_ts, second_of_day, base_price_model, removal_overrun, base_input_per_request,
       base_uncached_tokens, base_cache_read_tokens, base_cache_write_5m_tokens, base_cache_write_1h_tokens,
       output_other_tokens, reasoning_tokens,
       ft_uncached_tokens, ft_cache_read_tokens, ft_cache_write_5m_tokens, ft_cache_write_1h_tokens,
       (base_uncached_tokens * b_input_f + base_cache_read_tokens * b_cache_read_f
        + base_cache_write_5m_tokens * b_cache_write_f + base_cache_write_1h_tokens * b_cache_write_1h_f
        + output_other_tokens * b_output_f + reasoning_tokens * b_reasoning_f
        - ft_uncached_tokens * f_input_f - ft_cache_read_tokens * f_cache_read_f
        - ft_cache_write_5m_tokens * f_cache_write_f - ft_cache_write_1h_tokens * f_cache_write_1h_f
        - (output_other_tokens * f_output_f + reasoning_tokens * f_reasoning_f) * output_ratio_f) * 1e-6
       + requests * requests_net_f * 1e-3 as net_estimate_usd
from leaves
