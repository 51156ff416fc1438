-- sample_json_document: the first $limit top-level objects (array elements) of a JSON document.
select json::varchar as raw
from read_json_objects($path, format = 'auto', maximum_object_size = $max_object, compression = $compression)
limit $limit
