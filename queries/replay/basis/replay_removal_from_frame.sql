-- replay_removal_from_frame: prompt tokens a fine-tune removes from each call of a workload
-- (registered as replay_removal_frame by ftaudit/replay_run.py for --remove-prompt-tokens auto).
select workload, remove_tokens::bigint as remove_tokens
from replay_removal_frame
order by workload
