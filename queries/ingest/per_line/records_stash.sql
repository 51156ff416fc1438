-- records_stash: keep the staged records (the view records) aside as records_all while each reader of a
-- mixed file reads its part: `records` reads the table records_part (records_of_shapes fills it).
drop view if exists records_all;
alter view records rename to records_all;
create or replace temp table records_part as select * from records_all limit 0;
create or replace temp view records as select * from records_part
