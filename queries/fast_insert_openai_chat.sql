-- fast_insert_openai_chat: the common case at DuckDB's own speed: the rows of fast_staged stored only
-- where every check of validated_records passes. The caller compares the count with the file's lines
-- and falls back to the careful path (extract_openai) on any difference, so no record is dropped here.
insert into calls
select id, ts, 'openai', model, base_model_of(model), is_fine_tuned_model(model),
       coalesce($workload, model), false, 1,
       input_n, cache_read_n, cache_write_n, 0, output_n, reasoning_n,
       false, service_tier, null, 'completed', null, null, null, null, null,
       call_content_hash(ts, model, input_n, cache_read_n, cache_write_n, output_n, null::decimal(38, 12)),
       $file_id, $source_file, source_line, $now
from (
    select id, model, service_tier, source_line, to_timestamp(created) as ts,
           tok_int(usage.prompt_tokens) as input_n,
           coalesce(tok_int(usage.prompt_tokens_details.cached_tokens), 0) as cache_read_n,
           coalesce(tok_int(usage.prompt_tokens_details.cache_write_tokens), 0) as cache_write_n,
           tok_int(usage.completion_tokens) as output_n,
           coalesce(tok_int(usage.completion_tokens_details.reasoning_tokens), 0) as reasoning_n,
           usage.prompt_tokens_details.cached_tokens as cache_read_text,
           usage.prompt_tokens_details.cache_write_tokens as cache_write_text,
           usage.completion_tokens_details.reasoning_tokens as reasoning_text
    -- rowids of rows written in this transaction start at an offset: number them from the first
    from (select *, rowid - (select min(rowid) from fast_staged) + 1 as source_line from fast_staged)
    where object = 'chat.completion'
)
where id is not null and model is not null and trim(model) <> ''
  and ts >= $ts_floor and ts <= $ts_ceiling
  and input_n >= 0 and output_n >= 0 and cache_read_n >= 0 and cache_write_n >= 0 and reasoning_n >= 0
  and (cache_read_text is null or tok_int(cache_read_text) is not null)
  and (cache_write_text is null or tok_int(cache_write_text) is not null)
  and (reasoning_text is null or tok_int(reasoning_text) is not null)
  and cache_read_n + cache_write_n <= input_n
  and reasoning_n <= output_n
  and not exists (select 1 from calls c where c.call_id = id)
