-- spark_anthropic_fields: step 1 of the Spark SQL twin of extract_anthropic_messages: every field a Message
-- (bare, in a {"request", "response", "ts"} wrapper, or a Message Batches results line) carries, as flat
-- text columns and the request's chat messages with the system prompt first (`msgs`, JSON text per message).
-- Materialised before step 2 (spark_extract_anthropic_messages): the prefix hash and the token checks
-- then read plain columns instead of re-deriving the message body in each of their expressions, which
-- made the plan too big for the driver.
-- params: :ts_path (Spark JSON path of the --ts-field key). Reads the view spark_records.
with shaped as (
    select file_id, source_line, raw, v,
           case when try_variant_get(v, '$.result', 'map<string,variant>') is not null then try_variant_get(v, '$.result.message', 'variant')
                when try_variant_get(v, '$.response', 'map<string,variant>') is not null then try_variant_get(v, '$.response', 'variant')
                else v end as body,
           try_variant_get(v, '$.request', 'map<string,variant>') is not null as has_request,
           try_variant_get(v, '$.result', 'map<string,variant>') is not null and try_variant_get(v, '$.custom_id', 'string') is not null
               as is_batch_line
    from spark_records
    where problem is null
)
select file_id, source_line, raw, is_batch_line,
       try_variant_get(v, :ts_path, 'string') as w_ts_field,
       try_variant_get(v, '$.ts', 'string') as w_ts,
       try_variant_get(v, '$.custom_id', 'string') as custom_id,
       try_variant_get(v, '$.result.type', 'string') as result_type,
       try_variant_get(v, '$.latency_ms', 'string') as latency_ms_text,
       try_variant_get(v, '$.request.model', 'string') as request_model,
       try_variant_get(body, '$.id', 'string') as call_id,
       try_variant_get(body, '$.type', 'string') as body_type,
       try_variant_get(body, '$.model', 'string') as body_model,
       try_variant_get(body, '$.stop_reason', 'string') as status,
       coalesce(try_variant_get(body, '$.usage', 'map<string,variant>') is not null, false) as has_usage,
       try_variant_get(body, '$.usage.input_tokens', 'string') as input_text,
       try_variant_get(body, '$.usage.cache_read_input_tokens', 'string') as cache_read_text,
       try_variant_get(body, '$.usage.cache_creation_input_tokens', 'string') as cache_creation_text,
       try_variant_get(body, '$.usage.cache_creation.ephemeral_5m_input_tokens', 'string') as write_5m_text,
       try_variant_get(body, '$.usage.cache_creation.ephemeral_1h_input_tokens', 'string') as write_1h_text,
       try_variant_get(body, '$.usage.output_tokens', 'string') as output_text,
       try_variant_get(body, '$.usage.output_tokens_details.thinking_tokens', 'string') as reasoning_text,
       try_variant_get(body, '$.usage.service_tier', 'string') as service_tier,
       -- the system prompt's JSON text: a string (quoted) or a list of blocks (as logged), put first
       with_system_message(
           case when try_variant_get(v, '$.request.system', 'array<variant>') is not null then get_json_object(raw, '$.request.system')
                when schema_of_variant(try_variant_get(v, '$.request.system', 'variant')) = 'STRING'
                    then to_json(try_variant_get(v, '$.request.system', 'variant')) end,
           case when has_request and try_variant_get(v, '$.request.messages', 'array<variant>') is not null
                then from_json(get_json_object(raw, '$.request.messages'), 'array<string>') end) as msgs,
       to_json(map_filter(map_concat(
           coalesce(try_variant_get(v, '$.metadata', 'map<string,variant>'), cast(map() as map<string, variant>)),
           coalesce(try_variant_get(v, '$.request.metadata', 'map<string,variant>'), cast(map() as map<string, variant>)),
           map('custom_id', cast(try_variant_get(v, '$.custom_id', 'string') as variant))),
           (k, x) -> x is not null and not is_variant_null(x))) as hints
from shaped
