-- replay_removal_overrun: the calls a replay covers, and those whose removed prompt tokens exceed the
-- logged prompt (the fine-tuned call is clipped to an empty prompt): a sign the removal is too large.
-- Reads the temp view replay_call_tokens.
select sum(requests)::bigint as calls,
       coalesce(sum(requests) filter (where removal_overrun), 0)::bigint as overrun_calls
from replay_call_tokens
order by calls
