-- spark_reconcile_billed: the Spark twin of reconcile_billed: per logged model, the replayed calls that
-- carry a billed cost, the billed total and the base replay's total for them.
select model,
       count(*) as calls,
       cast(sum(billed_cost_usd) as decimal(38, 12)) as billed_cost_usd,
       sum(base_cost_usd) as replayed_cost_usd
from replay_call_costs
where billed_cost_usd is not null
group by model
order by model
