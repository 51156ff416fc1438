-- upsert_source_mark: move a source's high-water mark to the last row of the batch just stored.
-- params: $source VARCHAR, $last_start_time VARCHAR, $last_request_id VARCHAR, $rows_read BIGINT, $now TIMESTAMPTZ
insert or replace into source_marks
values ($source, $last_start_time, $last_request_id,
        coalesce((select rows_read from source_marks where source = $source), 0) + $rows_read, $now)
