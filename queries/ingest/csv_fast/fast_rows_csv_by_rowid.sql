-- fast_rows_csv_by_rowid: fast_staged from a whole CSV file read in file order, numbered as stage_csv
-- numbers its rows (line 1 is the header; rowids of this transaction start at an offset).
create or replace temp view fast_rows as
select *, rowid - (select min(rowid) from fast_staged) + 2 as source_line from fast_staged
