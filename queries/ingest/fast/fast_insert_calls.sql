-- fast_insert_calls: the fast path's insert from a staged table, shared by every format's fast stage. A fast stage
-- (FastPath in ftaudit/ingest/formats/__init__.py) fills the temp table fast_staged with the columns of
-- FAST_COLUMNS, one row per record, typed while parsing; this stores the rows of the view fast_rows
-- that pass every check of validated_records and classified_records (fast_takes), and returns their count. Every
-- other row is left to the careful path (the reader's extract query), so no record is dropped here:
-- the line path reads the rest (the CSV path too). A stage sets fast_ok false for whatever the careful path would
-- read differently. The whole-file path stores a stage's read without a staged table: fast_insert_file_calls.
-- params: $workload, $workload_path, $ts_floor, $ts_ceiling, $file_id, $source_file, $now
insert into calls
select unnest(fast_call_row(r, r.call_id, $workload, $workload_path, $file_id, $source_file, r.source_line, $now))
from fast_rows r
where fast_takes(r, $ts_floor, $ts_ceiling)
  and not exists (select 1 from calls c where c.call_id = r.call_id)
  -- ids seen twice in the file (by hash: a collision only sends both lines to the careful path)
  and hash(r.call_id) not in (select hash(call_id) from fast_rows group by hash(call_id) having count(*) > 1)
order by r.source_line
