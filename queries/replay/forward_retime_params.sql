-- forward_retime_params: points the replay views (replay_call_tokens) at the forward replay's window
-- [$start_ts, $until_ts) and prices its calls as if made on $price_day, each at its own time of day.
-- params: $start_ts TIMESTAMPTZ, $until_ts TIMESTAMPTZ, $price_day DATE
update replay_params
set start_ts = $start_ts::timestamptz, until_ts = $until_ts::timestamptz, price_day = $price_day::date
