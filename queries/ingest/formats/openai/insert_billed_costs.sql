-- insert_billed_costs: accepted Costs API results of this file (see costs_outcomes).
-- params: $file_id
insert into billed_costs
select bucket_start, bucket_end, amount_usd, currency, line_item, project_id, api_key_id, quantity, quantity_unit,
       $file_id, source_line
from sink_outcomes
where outcome = 'accept'
order by source_line, nth
