-- replay_crossing_call: the break-even call, if it lies in [$from_ts, $to_ts): the first call, in time
-- order, at which $savings_before + the running (base - fine-tuned) saving >= the fixed costs at its
-- time; 0 or 1 row with its id, time and 1-based position among the range's calls (requests). Exact:
-- it reads replay_call_costs.
-- Fixed costs at t, s = whole seconds since $start_ts: $training_at_start
--   + $retrain_usd x (s // $retrain_seconds) (0 when $retrain_seconds is 0)
--   + $hosting_per_hour x (s // 3600 + 1) + $storage_per_month x (s // 2592000 + 1)
-- (each started hour and each started 30-day month from the start is charged).
with running as (
    select call_id, ts, file_id, source_line,
           sum(requests) over ordered as calls_in_range,
           sum(base_cost_usd - fine_tuned_cost_usd) over ordered as savings_in_range
    from replay_call_costs
    where ts >= $from_ts::timestamptz and ts < $to_ts::timestamptz
    window ordered as (order by ts, call_id, file_id, source_line rows between unbounded preceding and current row)
),
timed as (
    select *, date_diff('second', $start_ts::timestamptz, ts) as s
    from running
)
select call_id, ts, calls_in_range::bigint as calls_in_range, savings_in_range
from timed
where $savings_before + savings_in_range
      >= $training_at_start
         + $retrain_usd * (case when $retrain_seconds::bigint > 0 then s // $retrain_seconds::bigint else 0 end)
         + $hosting_per_hour * (s // 3600 + 1)
         + $storage_per_month * (s // 2592000 + 1)
order by ts, call_id, file_id, source_line
limit 1
