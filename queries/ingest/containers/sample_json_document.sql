-- sample_json_document: the first $limit top-level objects (array elements) of a JSON document.
select json::varchar as raw
from read_json_objects($path, format = 'auto', maximum_object_size = 1073741824, compression = $compression)
limit $limit
