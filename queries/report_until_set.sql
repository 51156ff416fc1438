-- report_until_set: the end (exclusive) of the report period, for report_until_view to read.
-- params: $until TIMESTAMPTZ
create or replace temp table report_until as select $until::timestamptz as until_ts
