-- macros_fast_common: helpers of the fast stages of the Anthropic, Bedrock and Gemini families (created with
-- queries/store/macros.sql on every connection: ftaudit.store.connection.create_macros).
--
-- The static-prefix columns of a request's messages, equal to prefix_hash_of / prefix_chars_of /
-- variable_chars_of (queries/store/macros.sql) but parsing each message once: a fast stage computes
-- `parts` (prefix_parts_of) in a subquery and passes it beside the messages, where the careful macros
-- re-read every message's role and content for each use.

-- [role, content] of each message of a JSON[] (content as json_extract_string gives it: the text, or the
-- JSON text of a list of parts).
create or replace temp macro prefix_parts_of(msgs) as
    list_transform(msgs, lambda m: json_extract_string(m, ['$.role', '$.content']));

-- last_user_position from the parts.
create or replace temp macro last_user_by_parts(parts) as
    len(parts) + 1 - list_position(list_reverse(list_transform(parts, lambda p: p[1])), 'user');

create or replace temp macro prefix_hash_by_parts(msgs, last_user) as
    case when last_user > 1 then md5(list_slice(msgs, 1, last_user - 1)::varchar) end;

create or replace temp macro prefix_chars_by_parts(parts, last_user) as
    case when last_user is not null
         then coalesce(list_sum(list_transform(list_slice(parts, 1, last_user - 1), lambda p: length(coalesce(p[2], '')))), 0) end;

create or replace temp macro variable_chars_by_parts(parts, last_user) as
    case when last_user is not null
         then coalesce(list_sum(list_transform(list_slice(parts, last_user, len(parts)), lambda p: length(coalesce(p[2], '')))), 0) end;

-- Whether --ts-field was not given (run.py binds $ts_path to this key no log has): a record's time is
-- then its wrapper's `ts`. With --ts-field the careful path reads the time.
create or replace temp macro ts_field_unset(ts_path) as ts_path = '$."\u0000ftaudit-unmapped"';

-- Whether a text field read by a typed reader holds what json_extract_string gives for it: a JSON
-- number that is not a plain integer reads as its own text here but as a double's text there
-- (1e+16 -> 10000000000000000.0). Text that reads as such a number is left to the careful path.
create or replace temp macro fast_text_ok(v) as
    v is null or try_cast(v as double) is null or try_cast(v as bigint)::varchar = v;

-- A request's messages with its system prompt first (a string or a list of blocks), as
-- extract_anthropic_messages and extract_bedrock build them for the prefix macros.
create or replace temp macro fast_system_messages(request) as
    with_system_message(case when json_type(request.system) in ('VARCHAR', 'ARRAY') then request.system end,
                        request.messages);
