-- fast_rows_as_staged: fast_staged from staged lines, which carry their own source_line.
create or replace temp view fast_rows as select * from fast_staged
