-- batch_input_outcomes: OpenAI Batch input lines (custom_id, method, url, body: a Chat or Responses request) classified as
-- accept / duplicate / reject, into the temp table sink_outcomes(source_line, raw, outcome, reason, ...).
create or replace temp table sink_outcomes as
with shaped as (
    select source_line, raw, js ->> '$.custom_id' as custom_id, js -> '$.body' as body,
           -- as extract_openai reads a request: Chat messages, else a Responses input (list, or one user string),
           -- with the Responses instructions first as a system message
           with_system_message(js ->> '$.body.instructions',
               case when json_type(js, '$.body.messages') = 'ARRAY' then cast(js -> '$.body.messages' as json[])
                    when json_type(js, '$.body.input') = 'ARRAY' then cast(js -> '$.body.input' as json[])
                    when json_type(js, '$.body.input') = 'VARCHAR'
                        then [json_object('role', 'user', 'content', js ->> '$.body.input')] end) as msgs
    from records
)
select s.*,
       case when s.custom_id is null or s.body is null then 'reject'
            when exists (select 1 from batch_requests b where b.custom_id = s.custom_id) then 'duplicate'
            when row_number() over (partition by s.custom_id order by s.source_line) > 1 then 'duplicate'
            else 'accept' end as outcome,
       case when s.custom_id is null or s.body is null then 'missing_field' end as reason
from shaped s
