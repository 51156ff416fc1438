-- macros_fast_common: helpers of the fast stages of every family (created with
-- queries/store/macros.sql on every connection: ftaudit.store.connection.create_macros).
--
-- The static-prefix columns of a request's messages, equal to prefix_hash_of / prefix_chars_of /
-- variable_chars_of (queries/store/macros.sql) but parsing each message at most once: a fast stage
-- computes the lists below in subqueries, where the careful macros re-read every message's role and
-- content for each use.

-- The prefix columns work on three lists per request, one item per message (the system prompt first):
-- `texts`, each message's JSON text as the careful path's JSON[] holds it; `roles`; `chars`, what
-- message_chars counts. Built from the typed fields without writing JSON again (json_object re-parses
-- and re-writes a 1.5 KB system prompt on every line): a typed read's JSON text is already minified,
-- so '{"role":"system","content":' || system || '}' is the text json_object gives.

-- Characters of json_extract_string of a (minified) JSON value's text: a string's decoded length, the
-- text's own length for anything else, 0 for null.
create or replace temp macro json_text_chars(v) as
    case when v is null or v = 'null' then 0
         when starts_with(v, '"') and not contains(v, '\') then length(v) - 2  -- nothing to decode
         when starts_with(v, '"') then length(json_extract_string(v, '$'))
         else length(v) end;

-- The three lists with the system prompt put first (with_system_message), when there is one and messages.
-- `texts` stays without the system message, which is kept as `sys` (its content's JSON text):
-- prefix_hash_of_lists writes it into the hashed text, so a 1.5 KB prompt is not copied into a list first.
create or replace temp macro lists_with_system(sys, texts, roles, chars) as
    case when sys is not null and texts is not null
         then {'sys': sys, 'texts': texts, 'roles': list_prepend('system', roles),
               'chars': list_prepend(json_text_chars(sys), chars)}
         else {'sys': null::varchar, 'texts': texts, 'roles': roles, 'chars': chars} end;

-- The lists of a request with chat messages (a JSON[]) and a separate system prompt (JSON or NULL), from
-- `parts`: [role, content] of each message, each message parsed once.
create or replace temp macro chat_message_lists(sys, msgs, parts) as
    lists_with_system(sys, msgs::varchar[], list_transform(parts, lambda p: p[1]),
                      list_transform(parts, lambda p: length(coalesce(p[2], ''))));

create or replace temp macro message_parts_of(msgs) as
    list_transform(msgs, lambda m: json_extract_string(m, ['$.role', '$.content']));

-- last_user_position from the roles.
create or replace temp macro last_user_of_roles(roles) as
    len(roles) + 1 - list_position(list_reverse(roles), 'user');

-- The md5 of a prefix of one message, from the message's own text (`one`: the prefix `text` is the one-element
-- list of it, '[' || one || ']'), or from a system prompt's content (`sys`: the prefix is
-- '[{"role":"system","content":' || sys || '}]'). The file's common prefixes of these shapes are looked up by
-- that text first (ftaudit/ingest/prefix_sample.py keys each by exactly the text these macros build around
-- it), so that a 1.5 KB prefix is not copied into a new text per record (~0.4 s CPU per million calls) to be
-- looked up; else prefix_md5 of the whole text (`text` is built only then: coalesce stops at a hit).
create or replace temp macro prefix_md5_of_one(one, text) as
    coalesce(getvariable('ftaudit_prefix_one_md5')[one], prefix_md5(text));
create or replace temp macro prefix_md5_of_system(sys) as
    coalesce(getvariable('ftaudit_prefix_system_md5')[sys], prefix_md5('[{"role":"system","content":' || sys || '}]'));

-- prefix_hash_of: md5 of the text of the JSON[] of the messages before the last user turn. One message
-- (a system prompt and one user turn: most calls) is hashed without building the list's text.
create or replace temp macro prefix_hash_of_texts(texts, last_user) as
    case when last_user = 2 then prefix_md5_of_one(texts[1], '[' || coalesce(texts[1], 'NULL') || ']')
         when last_user > 2
         then prefix_md5('[' || array_to_string(list_transform(list_slice(texts, 1, last_user - 1), lambda x: coalesce(x, 'NULL')), ', ')
                  || ']') end;

-- prefix_hash_of_texts of the lists of lists_with_system (`l.sys` first when there is one; `last_user`
-- counts it).
create or replace temp macro prefix_hash_of_lists(l, last_user) as
    case when l.sys is null then prefix_hash_of_texts(l.texts, last_user)
         when last_user = 2 then prefix_md5_of_system(l.sys)
         when last_user > 2
         then prefix_md5('[{"role":"system","content":' || l.sys || '}, '
                  || array_to_string(list_transform(list_slice(l.texts, 1, last_user - 2), lambda x: coalesce(x, 'NULL')), ', ')
                  || ']') end;

-- prefix_hash_of of a JSON[] of messages whose last user turn is at `lup` (last_user_of_roles). A prefix of one
-- message is looked up by that message (the map's keys are the messages whose one-element list prints as
-- '[' || message || ']': one_message_keys_printed_as_lists), before its list is printed.
create or replace temp macro prefix_hash_of_json(msgs, lup) as
    case when lup = 2 then prefix_md5_of_one(msgs[1], list_slice(msgs, 1, 1)::varchar)
         when lup > 2 then prefix_md5(list_slice(msgs, 1, lup - 1)::varchar) end;

-- [role, content] of each message (message_parts_of) -> the characters message_chars counts.
create or replace temp macro chars_of_parts(parts) as list_transform(parts, lambda p: length(coalesce(p[2], '')));

create or replace temp macro prefix_chars_of_counts(chars, last_user) as
    case when last_user is not null then coalesce(list_sum(list_slice(chars, 1, last_user - 1)), 0) end;

create or replace temp macro variable_chars_of_counts(chars, last_user) as
    case when last_user is not null then coalesce(list_sum(list_slice(chars, last_user, len(chars))), 0) end;

-- Whether --ts-field was not given (run.py binds $ts_path to this key no log has): a record's time is
-- then its wrapper's `ts`. With --ts-field the careful path reads the time.
create or replace temp macro ts_field_unset(ts_path) as ts_path = '$."\u0000ftaudit-unmapped"';

-- Whether a text field read by a typed reader holds what json_extract_string gives for it: a JSON
-- number that is not a plain integer reads as its own text here but as a double's text there
-- (1e+16 -> 10000000000000000.0). Text that reads as such a number is left to the careful path.
create or replace temp macro fast_text_ok(v) as
    -- a JSON number starts with a digit or '-': text outside '-' .. '9' (a comparison of the first bytes)
    -- is not one, and an id or a model name is spared the cast
    v is null or not (v >= '-' and v < ':') or try_cast(v as double) is null or try_cast(v as bigint)::varchar = v;

-- The system prompt of an Anthropic / Bedrock request (a string or a list of blocks, as
-- extract_anthropic_messages and extract_bedrock take it), from its minified JSON text; NULL otherwise.
create or replace temp macro chat_system_prompt(sys) as
    case when starts_with(sys, '"') or starts_with(sys, '[') then sys end;
