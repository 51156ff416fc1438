-- spark_replay_removal_overrun: the Spark twin of replay_removal_overrun: the calls a replay covers, and
-- those whose removed prompt tokens exceed the logged prompt. Reads the temp view replay_call_tokens.
select coalesce(sum(requests), 0) as calls,
       coalesce(sum(requests) filter (where removal_overrun), 0) as overrun_calls
from replay_call_tokens
order by calls
