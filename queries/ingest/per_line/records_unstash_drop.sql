-- records_unstash_drop: the last part of a mixed file is read; drop it before records_unstash.
drop view records;
drop table records_part
