-- replay_params: one row, the scenario's numbers that the replay_call_costs view reads (all bound).
-- params: $start_ts, $until_ts (nullable), $workload (nullable), $base_model (nullable: each call's own),
-- $ft_provider, $ft_model (the price-table key of the fine-tuned model), $remove_tokens, $add_tokens
-- (per call), $output_ratio, $cache_min_tokens, $cache_step_tokens (the fine-tuned model's cache rule).
-- price_day starts NULL (each call priced on its own date); the forward replay sets it (forward_retime_params)
-- to price every call as if made on that day, at its own time of day.
select $start_ts::timestamptz as start_ts,
       $until_ts::timestamptz as until_ts,
       $workload::varchar as workload,
       $base_model::varchar as base_model,
       $ft_provider::varchar as ft_provider,
       $ft_model::varchar as ft_model,
       $remove_tokens::bigint as remove_tokens,
       $add_tokens::bigint as add_tokens,
       $output_ratio::decimal(18, 6) as output_ratio,
       $cache_min_tokens::bigint as cache_min_tokens,
       $cache_step_tokens::bigint as cache_step_tokens,
       null::date as price_day
order by start_ts
