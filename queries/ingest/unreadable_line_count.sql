-- unreadable_line_count: lines of the last JSONL scan that DuckDB could not read as text (see stage_jsonl).
select count(*) from line_rejects where scan_id = (select max(scan_id) from line_scans)
