-- next_file_id: a new id for an ingested file.
select nextval('file_id_seq')
