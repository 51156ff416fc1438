-- compare_peak_load: one row, the load a dedicated deployment must carry, from a workload's last
-- $window_days days of calls (UTC minutes): the busiest minute and its tokens (input + output), and, where
-- latency is logged, the most calls in flight in any minute (sum of latencies / 60 s, Little's law) with
-- the number of calls whose latency is logged.
-- params: $workload VARCHAR (nullable: every call), $window_days INTEGER
with scoped as (
    select ts, input_tokens + output_tokens as tokens, latency_ms
    from calls_named
    where $workload::varchar is null or workload = $workload::varchar
),
bounds as (
    select max(ts)::date - ($window_days::integer - 1) as since
    from scoped
),
minutes as (
    select date_trunc('minute', s.ts) as minute, sum(s.tokens) as tokens, sum(s.latency_ms) as latency_ms,
           count(s.latency_ms) as timed_calls
    from scoped s
    cross join bounds b
    where s.ts >= b.since
    group by all
)
select arg_max(minute, tokens) as peak_minute,
       max(tokens)::bigint as peak_minute_tokens,
       max(latency_ms) / 60000.0 as peak_calls_in_flight,
       coalesce(sum(timed_calls), 0)::bigint as timed_calls
from minutes
order by peak_minute
