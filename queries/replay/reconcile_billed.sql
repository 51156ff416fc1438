-- reconcile_billed: per logged model, the replayed calls that carry a billed cost: their number, the
-- billed total and the base replay's total for them (run with replay_params.base_model NULL, so each
-- call is priced as logged).
select model,
       count(*)::bigint as calls,
       sum(billed_cost_usd)::decimal(38, 12) as billed_cost_usd,
       sum(base_cost_usd) as replayed_cost_usd
from replay_call_costs
where billed_cost_usd is not null
group by model
order by model
