-- fast_insert_file_calls: the whole-file fast path's insert (ftaudit/ingest/paths.py: try_fast_path), straight
-- from a fast stage's read: Store.insert_from_stage puts the stage's select in for `staged_select`, so the records
-- go from read_json into calls without being written to fast_staged first (for 1M calls that table cost about as
-- much as the insert). All or nothing: a record the careful path would read differently (fast_takes is false)
-- raises, and the caller falls back to the line path; ids seen twice or before are counted after the insert
-- (fast_file_id_clashes). Nothing between the read and the table reorders the rows (no join, no sort), so they keep
-- the file's order and fast_number_file_lines numbers them. No WHERE either: DuckDB pushes a filter into the
-- stage's projections and computes their columns again (measured: 6.5 s instead of 1.4 s for 1M calls).
-- params: $workload, $workload_path, $ts_floor, $ts_ceiling, $file_id, $source_file, $now (and the stage's)
insert into calls
select unnest(fast_call_row(r, if(fast_takes(r, $ts_floor, $ts_ceiling), r.call_id,
                                  error('a record for the careful path')),
                            $workload, $workload_path, $file_id, $source_file, 0::bigint, $now))
from staged_select r
