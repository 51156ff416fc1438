-- spark_replay_crossing_call: the Spark twin of replay_crossing_call (read its header for the fixed
-- costs at a call's time): the break-even call, if it lies in [:from_ts, :to_ts), with its id, time and
-- 1-based position among the range's calls; 0 or 1 row. Reads only the range's day partitions.
-- Differs in spelling: whole seconds since the start are unix_seconds(ts) - unix_seconds(start), what
-- DuckDB's date_diff('second', start, ts) counts (second boundaries crossed); a // b is a div b.
with running as (
    select call_id, ts, file_id, source_line,
           sum(requests) over ordered as calls_in_range,
           sum(base_cost_usd - fine_tuned_cost_usd) over ordered as savings_in_range
    from replay_call_costs
    where day >= to_date(cast(:from_ts as timestamp)) and day < to_date(cast(:to_ts as timestamp))
      and ts >= cast(:from_ts as timestamp) and ts < cast(:to_ts as timestamp)
    window ordered as (order by ts, call_id, file_id, source_line rows between unbounded preceding and current row)
),
timed as (
    select *, unix_seconds(ts) - unix_seconds(cast(:start_ts as timestamp)) as s
    from running
)
select call_id, ts, calls_in_range, savings_in_range
from timed
where :savings_before + savings_in_range
      >= :training_at_start
         + :retrain_usd * (case when :retrain_seconds > 0 then s div :retrain_seconds else 0 end)
         + :hosting_per_hour * (s div 3600 + 1)
         + :storage_per_month * (s div 2592000 + 1)
order by ts, call_id, file_id, source_line
limit 1
