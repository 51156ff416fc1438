-- record_shapes: the distinct shapes (macro record_shape) of the staged records, each with the text of
-- its first record, in order of first appearance; at most $limit. params: $limit
select record_shape(js) as shape, arg_min(raw, source_line) as example
from records
group by shape
order by min(source_line), shape
limit $limit
