-- macros_fast_prefix: the static-prefix columns of a request's messages for the fast paths, equal to
-- prefix_hash_of / prefix_chars_of / variable_chars_of (queries/store/macros.sql) but parsing each message
-- once: a fast stage computes `parts` (prefix_parts_of) in a subquery and passes it beside the messages,
-- where the careful macros re-read every message's role and content for each use.

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
