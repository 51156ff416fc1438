-- stage_malformed: staged records that are not JSON objects, and unreadable lines, with the reason
-- they are rejected.
create or replace temp table malformed as
select source_line, coalesce(raw, js::varchar) as raw,
       case when js is null then 'malformed_json' else 'not_an_object' end as reason
from staged
where kind is null or kind = 'other'
union all
select source_line, raw, reason from line_problems
