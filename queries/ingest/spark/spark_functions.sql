-- spark_functions: the Spark SQL twins of queries/store/macros.sql that the Spark ingest uses, created as
-- temporary SQL functions (inlined by Spark, no Python per row). Statements are separated by semicolons.
-- Each definition mirrors the DuckDB macro of the same name; tests/test_spark_ingest.py holds them equal.

-- tok: an integer token count from JSON/CSV text, NULL unless a whole number below 1e15 (TOKEN_BOUND).
create or replace temporary function tok(s string) returns bigint return
    case when abs(try_cast(s as double)) < 1e15 then
        case when try_cast(s as double) = floor(try_cast(s as double)) then cast(try_cast(s as double) as bigint) end
    end;

create or replace temporary function tok_problem(s string, required boolean) returns string return
    case when s is null then (case when required then 'missing_field' end)
         when tok(s) is null then 'bad_type'
         when tok(s) < 0 then 'negative_tokens' end;

-- epoch_ts: DuckDB's to_timestamp(secs) is secs * 1e6 rounded half-even (rint) to microseconds. Past
-- 1e12 seconds DuckDB says +/-infinity; Spark has none, so the ends of its range stand for them.
create or replace temporary function epoch_ts(secs double) returns timestamp return
    case when isnan(secs) then null
         when abs(secs) < 1e12 then timestamp_micros(cast(rint(secs * 1e6) as bigint))
         when secs > 0 and secs < double('Infinity') then timestamp '9999-12-31 23:59:59.999999'
         when secs < 0 and secs > double('-Infinity') then timestamp '0001-01-01 00:00:00' end;

create or replace temporary function parse_ts(s string, unit string) returns timestamp return
    case when s is null then null
         when try_cast(s as double) is not null then
             epoch_ts(try_cast(s as double) / case unit when 'ms' then 1e3 when 'us' then 1e6 else 1d end)
         else try_cast(s as timestamp) end;

create or replace temporary function ts_problem(s string, parsed timestamp, floor_ts timestamp, ceiling_ts timestamp)
    returns string return
    case when parsed is null and try_cast(s as double) is not null then 'not a finite number'
         when parsed is null then 'not a number nor an ISO-8601 date'
         when parsed < floor_ts then 'before ' || date_format(floor_ts, 'yyyy-MM-dd')
         when parsed > ceiling_ts then 'in the future (after ' || date_format(ceiling_ts, 'yyyy-MM-dd HH:mm') || ' UTC)' end;

create or replace temporary function base_model_of(m string) returns string return
    case when m like 'ft:%' then split_part(m, ':', 2)
         when m like '%.ft-%' then split_part(m, '.ft-', 1)
         else m end;

create or replace temporary function is_fine_tuned_model(m string) returns boolean return
    (m like 'ft:%' or m like '%.ft-%');

-- call_content_hash: the identity of a call's billable content. DuckDB's hash() has no Spark twin, so
-- the values differ between engines; within one engine equal content gives equal hashes (all it is for).
-- Unsigned, as DuckDB's UBIGINT: DECIMAL(20,0) (ftaudit/store/dataset.py).
create or replace temporary function call_content_hash(ts timestamp, model string, input_tokens bigint,
        cache_read bigint, cache_write bigint, output_tokens bigint, cost decimal(38, 12)) returns decimal(20, 0) return
    cast(cast(xxhash64(ts, model, input_tokens, cache_read, cache_write, output_tokens, cast(cost as string)) as decimal(20, 0))
         + case when xxhash64(ts, model, input_tokens, cache_read, cache_write, output_tokens, cast(cost as string)) < 0
                then 18446744073709551616 else 0 end as decimal(20, 0));

-- Chat messages are the compact JSON text of each element (Jackson renders them as DuckDB's yyjson does:
-- 1.50 -> 1.5, 1e2 -> 100.0, past U+FFFF see unescape_surrogates), so the prefix hash is the md5 of the
-- same text on both engines. A message's characters are those of its content (text, or the JSON of a list
-- of parts), an escaped pair counted as the one character it is (Spark takes no SQL function in a lambda).
create or replace temporary function last_user_position(msgs array<string>) returns int return
    case when array_position(reverse(transform(msgs, m -> get_json_object(m, '$.role'))), 'user') > 0
         then size(msgs) + 1 - cast(array_position(reverse(transform(msgs, m -> get_json_object(m, '$.role'))), 'user') as int)
    end;

-- with_system_message: `system_json` is the JSON text of a separate system prompt (a string or a list).
create or replace temporary function with_system_message(system_json string, msgs array<string>) returns array<string> return
    case when system_json is not null and msgs is not null
         then concat(array(concat('{"role":"system","content":', system_json, '}')), msgs)
         else msgs end;

-- DuckDB renders a JSON[] as '[' || elements joined by ', ' || ']'
-- (the text whose md5 is the prefix hash; the extract queries put back escaped surrogate pairs first: Spark
-- writes a character past U+FFFF in JSON it re-serialises as \uD83D\uDC4D, DuckDB as the character)
create or replace temporary function prefix_text_of(msgs array<string>) returns string return
    case when last_user_position(msgs) > 1
         then concat('[', array_join(slice(msgs, 1, last_user_position(msgs) - 1), ', ', 'null'), ']') end;

create or replace temporary function prefix_chars_of(msgs array<string>) returns bigint return
    case when last_user_position(msgs) is not null
         then aggregate(slice(msgs, 1, last_user_position(msgs) - 1), cast(0 as bigint),
                        (acc, m) -> acc + length(coalesce(get_json_object(m, '$.content'), ''))
                                    - 11 * size(regexp_extract_all(coalesce(get_json_object(m, '$.content'), ''), '\\\\u(D[89AB][0-9A-F]{2})\\\\u(D[C-F][0-9A-F]{2})', 1))) end;

create or replace temporary function variable_chars_of(msgs array<string>) returns bigint return
    case when last_user_position(msgs) is not null
         then aggregate(slice(msgs, last_user_position(msgs), size(msgs) - last_user_position(msgs) + 1), cast(0 as bigint),
                        (acc, m) -> acc + length(coalesce(get_json_object(m, '$.content'), ''))
                                    - 11 * size(regexp_extract_all(coalesce(get_json_object(m, '$.content'), ''), '\\\\u(D[89AB][0-9A-F]{2})\\\\u(D[C-F][0-9A-F]{2})', 1))) end;

-- json_hints: a JSON object of workload hints from a map of JSON values; a null value drops its key (as
-- DuckDB's json_merge_patch does).
create or replace temporary function json_hints(m map<string, variant>) returns string return
    to_json(map_filter(m, (k, x) -> x is not null and not is_variant_null(x)))
