-- drop_fast_csv_errors: forget what an earlier CSV read put into the rejects tables (they accumulate
-- across reads of a connection), so that fast_csv_error_count counts one read's rows.
drop table if exists fast_csv_errors;
drop table if exists fast_csv_scans;
