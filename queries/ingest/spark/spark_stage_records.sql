-- spark_stage_records: every record of the planned files with its file id, parsed once as a VARIANT `v`
-- (NULL unless the record is a JSON object) and `problem`, the reject reason when it is not one
-- ('malformed_json' or 'not_an_object', as stage_malformed). Reads the views spark_rows and spark_files.
select file_id, source_line, raw,
       case when problem is null then v end as v,
       problem
from (
    select f.file_id, r.source_line, r.raw, p.v,
           case when p.v is null then 'malformed_json'
                when not startswith(p.body, '{') and not startswith(p.body, '[') then 'not_an_object'
                -- the parser stops after the first value: text after it makes the record malformed
                when not (endswith(p.body, '}') or endswith(p.body, ']')) then 'malformed_json'
                when not startswith(p.body, '{') then 'not_an_object' end as problem
    from spark_rows r
    join spark_files f on f.file_path = r.file_path
    cross join lateral (select try_parse_json(r.raw) as v, trim(both ' \t\r\n' from r.raw) as body) p
)
