-- stage_page_items_not_objects: items of an export page's `data` array that are not JSON objects (a
-- number, a string, null, a list) are rejected as not_an_object under the page's line, so that rows
-- read = accepted + rejected + duplicate still holds (stage_records takes the object items).
insert into malformed
select source_line, coalesce(item::varchar, 'null'), 'not_an_object'
from (select source_line, unnest(cast(js -> '$.data' as json[])) as item  -- not a lateral join: see stage_records
      from staged
      where kind = 'page')
where coalesce(json_type(item), 'NULL') <> 'OBJECT'
order by source_line
