-- fast_csv_error_count: the rows the CSV fast stage's reader could not take (store_rejects: each is a
-- row of fast_csv_errors, skipped instead of failing the transaction). Any: the careful path reads the file.
select count(*) from fast_csv_errors
