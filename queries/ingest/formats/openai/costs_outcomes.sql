-- costs_outcomes: OpenAI Costs API results (organization.costs.result) classified accept / duplicate /
-- reject into the temp table sink_outcomes, with the typed columns insert_billed_costs stores.
-- Identity: (bucket start, line_item, project_id, api_key_id); the same identity with another amount,
-- in this file or already stored, is a conflicting_duplicate. See log-formats.md section 3.
-- params: $ts_floor TIMESTAMPTZ, $ts_ceiling TIMESTAMPTZ
create or replace temp table sink_outcomes as
with results as (select * from openai_bucket_results('records')),
shaped as (
    select source_line, nth, raw, problem, start_time,
           parse_ts(start_time, 's') as bucket_start,
           parse_ts(end_time, 's') as bucket_end,
           res ->> '$.amount.value' as amount_text,
           try_cast(res ->> '$.amount.value' as decimal(38, 12)) as amount_usd,
           lower(res ->> '$.amount.currency') as currency,
           res ->> '$.line_item' as line_item,
           res ->> '$.project_id' as project_id,
           res ->> '$.api_key_id' as api_key_id,
           res ->> '$.quantity' as quantity_text,
           try_cast(res ->> '$.quantity' as decimal(38, 12)) as quantity,
           res ->> '$.quantity_unit' as quantity_unit
    from results
),
checked as (
    select *,
           coalesce(problem,
               case when start_time is null then 'missing_field'
                    when bucket_start is null or bucket_start < $ts_floor or bucket_start > $ts_ceiling
                        then 'bad_timestamp'
                    when amount_text is null then 'missing_field'
                    when amount_usd is null or coalesce(currency, 'usd') <> 'usd' then 'bad_type'
                    when quantity_text is not null and quantity is null then 'bad_type' end) as problem_found
    from shaped
),
ranked as (
    select c.*,
           row_number() over same_cost as nth_in_file,
           first_value(c.amount_usd) over same_cost as first_amount_usd,
           b.amount_usd as stored_amount_usd
    from checked c
    left join billed_costs b
        on b.bucket_start = c.bucket_start and b.line_item is not distinct from c.line_item
       and b.project_id is not distinct from c.project_id and b.api_key_id is not distinct from c.api_key_id
    window same_cost as (partition by c.problem_found is null, c.bucket_start, c.line_item, c.project_id, c.api_key_id
                         order by c.source_line, c.nth)
),
decided as (
    select *,
           case when problem_found is not null then 'reject'
                when stored_amount_usd is null and nth_in_file = 1 then 'accept'
                when coalesce(stored_amount_usd, first_amount_usd) = amount_usd then 'duplicate'
                else 'reject' end as outcome
    from ranked
)
select source_line, nth, raw, outcome,
       case when outcome = 'reject' then coalesce(problem_found, 'conflicting_duplicate') end as reason,
       bucket_start, bucket_end, amount_usd, coalesce(currency, 'usd') as currency, line_item, project_id,
       api_key_id, quantity, quantity_unit
from decided
order by source_line, nth
