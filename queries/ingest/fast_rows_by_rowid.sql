-- fast_rows_by_rowid: fast_staged from a whole-file read, numbered by file order (see
-- fast_stage_openai_chat): rowids of rows written in this transaction start at an offset, so lines
-- are counted from the first.
create or replace temp view fast_rows as
select *, rowid - (select min(rowid) from fast_staged) + 1 as source_line from fast_staged
