-- records_of_shapes: the part of a mixed file one reader reads (`records` reads it; see records_stash):
-- the stashed records whose shape is in $shapes ($inside true) or in none of them ($inside false).
-- params: $shapes VARCHAR[], $inside BOOLEAN
create or replace temp table records_part as
select *
from records_all
where list_contains($shapes, record_shape(js)) = $inside
order by source_line
