-- stage_json: the top-level objects of a JSON document (array elements, or the one object), as
-- staged(source_line, raw, js, kind): see stage_jsonl_lines (raw is NULL: every value is JSON).
create or replace temp table staged as
select source_line, null::varchar as raw, js, record_kind(js) as kind
from (select row_number() over () as source_line, json as js
      from read_json_objects($path, format = 'auto', maximum_object_size = $max_object, compression = $compression));
