-- stage_records: the staged JSON objects as the view `records(source_line, raw, js)`, read from
-- `staged` where each text is kept once (no copy of the file's text): export-API pages
-- (`{"data": [...], "has_more": ...}`) are unwrapped into their object items (the table page_items),
-- `{"data": {...}}` into its object. raw is the record's text: a page item's own, a wrapper's line.
create or replace temp table page_items as
select source_line, item as js
-- unnest in the select list: as a lateral join DuckDB 2.0.1 copies the page per item (out of memory
-- at 11 GB for a 47 MB page of 40,000 items)
from (select source_line, unnest(cast(js -> '$.data' as json[])) as item from staged where kind = 'page')
where json_type(item) = 'OBJECT';  -- the others: stage_page_items_not_objects

create or replace temp view records as
select source_line, js::varchar as raw, case when kind = 'wrapper' then js -> '$.data' else js end as js
from staged
where kind in ('object', 'wrapper')
union all
select source_line, js::varchar, js
from page_items
