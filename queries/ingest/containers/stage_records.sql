-- stage_records: the staged JSON objects as `records(source_line, raw, js)`; export-API pages
-- (`{"data": [...], "has_more": ...}`) are unwrapped into their items, `{"data": {...}}` into its object.
create or replace temp table records as
with objects as (
    select source_line, raw, js,
           is_export_page(js) as is_page,
           coalesce(json_keys(js) = ['data'] and json_type(js, '$.data') = 'OBJECT', false) as is_wrapper
    from staged
    where js is not null and json_type(js) = 'OBJECT'
)
select source_line, raw, js from objects where not is_page and not is_wrapper
union all
select source_line, raw, js -> '$.data' from objects where is_wrapper
union all
select source_line, item::varchar, item
-- unnest in the select list: as a lateral join DuckDB 2.0.1 copies the page per item (out of memory
-- at 11 GB for a 47 MB page of 40,000 items)
from (select source_line, unnest(cast(js -> '$.data' as json[])) as item from objects where is_page)
where json_type(item) = 'OBJECT'  -- the others: stage_page_items_not_objects
