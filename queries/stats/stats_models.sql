-- stats_models: every model with at least one row, with its row count (to tell an unknown --model).
select model, count(*)::bigint as rows
from calls_named
group by all
order by model
