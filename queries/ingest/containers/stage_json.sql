-- stage_json: the top-level objects of a JSON document (array elements, or the one object).
create or replace temp table staged as
select row_number() over () as source_line, json::varchar as raw, json as js
from read_json_objects($path, format = 'auto', maximum_object_size = $max_object, compression = $compression);
