-- workload_names_tidy: a rename back to the ingest-time name is no rename; drop it.
delete from workload_names
where workload = auto_workload
