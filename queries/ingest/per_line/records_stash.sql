-- records_stash: keep the staged records aside while each reader of a mixed file reads its part.
alter table records rename to records_all
