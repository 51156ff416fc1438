-- fast_insert_openai_chat: the common case at DuckDB's own speed: the rows of fast_rows stored only
-- where every check of validated_records passes, the line is a plain chat.completion (see `plain`
-- in fast_stage_openai_chat), and its call id is new and appears once in the file. Every other line
-- is left to the careful path (extract_openai), so no record is dropped here: the whole-file fast
-- path falls back when the count differs from the file's lines, the line path reads the rest.
-- An optional token field is fine when absent (0); present, it must be a whole number.
insert into calls
select id, ts, 'openai', model, base_model_of(model), is_fine_tuned_model(model),
       coalesce($workload, model), false, 1,
       input_n, cache_read_n, cache_write_n, 0, output_n, reasoning_n,
       false, service_tier, null, 'completed', null, null, null, null, '{}',
       call_content_hash(ts, model, input_n, cache_read_n, cache_write_n, output_n, null::decimal(38, 12)),
       $file_id, $source_file, source_line, $now
from (
    select id, ts, model, service_tier, input_n, output_n, source_line,
           coalesce(cache_read_n, 0) as cache_read_n, coalesce(cache_write_n, 0) as cache_write_n,
           coalesce(reasoning_n, 0) as reasoning_n,
           (no_cache_read or cache_read_n is not null) and (no_cache_write or cache_write_n is not null)
               and (no_reasoning or reasoning_n is not null) as optional_tokens_ok
    from fast_rows
    where is_chat_completion and plain
)
where id is not null and model is not null and trim(model) <> ''
  and ts >= $ts_floor and ts <= $ts_ceiling
  and input_n >= 0 and output_n >= 0 and cache_read_n >= 0 and cache_write_n >= 0 and reasoning_n >= 0
  and optional_tokens_ok
  and cache_read_n + cache_write_n <= input_n
  and reasoning_n <= output_n
  and not exists (select 1 from calls c where c.call_id = id)
  -- ids seen twice in the file (by hash: a collision only sends both lines to the careful path)
  and hash(id) not in (select hash(id) from fast_rows group by hash(id) having count(*) > 1)
