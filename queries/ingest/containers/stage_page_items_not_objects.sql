-- stage_page_items_not_objects: items of an export page's `data` array that are not JSON objects (a
-- number, a string, null, a list) are rejected as not_an_object under the page's line, so that rows
-- read = accepted + rejected + duplicate still holds (stage_records takes the object items).
insert into malformed
select s.source_line, coalesce(u.item::varchar, 'null'), 'not_an_object'
from staged s, unnest(cast(s.js -> '$.data' as json[])) as u(item)
where s.js is not null and json_type(s.js) = 'OBJECT' and is_export_page(s.js)
  and coalesce(json_type(u.item), 'NULL') <> 'OBJECT'
order by s.source_line
