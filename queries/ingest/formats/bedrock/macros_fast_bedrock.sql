-- macros_fast_bedrock: the fast path's columns of AWS Bedrock model invocation log records (created with
-- queries/store/macros.sql on every connection: ftaudit.store.connection.create_macros).

-- The FAST_COLUMNS (ftaudit/ingest/formats/__init__.py) of one ModelInvocationLog line, as extract_bedrock
-- reads it, from the typed struct `j` a fast stage reads (fast_stage_bedrock: the row of read_json;
-- fast_stage_lines_bedrock: json_transform of the line), `o`: [1h cache writes, latency] read from the
-- provider's output body (json_extract_string of output.outputBodyJson), the lists `l` of the request's
-- messages with the system prompt first (chat_message_lists) and the last user turn's position.
-- `fast_ok` is false for another schemaType, a record without requestId, a custom_id (an OpenAI Batch
-- line's shape), numbers where text is expected.
create or replace temp macro bedrock_fast_columns(j, o, l, last_user) as {
    'fast_ok': j.schemaType = 'ModelInvocationLog' and j.requestId is not null and j.custom_id is null
               and fast_text_ok(j.requestId) and fast_text_ok(j.modelId) and fast_text_ok(j.operation)
               and fast_text_ok(j.identity.arn)
               and (o[2] is null or try_cast(o[2] as double) is not null),
    'call_id': j.requestId,
    'ts': parse_ts(j.timestamp, 'iso'),
    'provider': 'bedrock',
    'model': j.modelId,
    'input_tokens': tok_int(j.input.inputTokenCount) + fast_optional(j.input.cacheReadInputTokenCount)
                    + fast_optional(j.input.cacheWriteInputTokenCount),
    'cache_read_tokens': fast_optional(j.input.cacheReadInputTokenCount),
    'cache_write_tokens': fast_optional(j.input.cacheWriteInputTokenCount),
    'cache_write_1h_tokens': fast_optional(o[1]),
    'output_tokens': tok_int(j.output.outputTokenCount),
    'reasoning_tokens': 0::bigint,
    'is_batch': false,
    'service_tier': null::varchar,
    'latency_ms': try_cast(o[2] as double),
    'status': null::varchar,
    'billed_cost_usd': null::decimal(38, 12),
    'prefix_hash': prefix_hash_of_lists(l, last_user),
    'prefix_chars': prefix_chars_of_counts(l.chars, last_user),
    'variable_chars': variable_chars_of_counts(l.chars, last_user),
    -- (a merge with {} gives the object back as written: no merge without requestMetadata)
    'hints': case when j.requestMetadata is null then json_object('operation', j.operation, 'identity_arn', j.identity.arn)
                  else json_merge_patch(json_object('operation', j.operation, 'identity_arn', j.identity.arn),
                                        case when json_type(j.requestMetadata) = 'OBJECT' then j.requestMetadata
                                             else '{}'::json end) end
};

-- The two fields extract_bedrock reads from the provider's own output body.
create or replace temp macro bedrock_fast_output_fields(output_body) as
    json_extract_string(output_body, ['$.usage.cache_creation.ephemeral_1h_input_tokens', '$.metrics.latencyMs']);
