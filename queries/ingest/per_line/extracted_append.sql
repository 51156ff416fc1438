-- extracted_append: add what one reader of a mixed file extracted (extracted_part) to `extracted`.
insert into extracted by name
select * from extracted_part
order by source_line
