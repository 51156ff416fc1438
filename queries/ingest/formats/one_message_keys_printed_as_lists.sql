-- one_message_keys_printed_as_lists: of the keys of the map of one-message prefixes (ftaudit/ingest/prefix_sample.py),
-- those whose one-element JSON list prints as '[' || key || ']': then a JSON[] list of messages whose first is that
-- key prints its one-message prefix as that text (prefix_hash_of_json looks it up by the message), as the careful
-- path's prefix_hash_of prints it. params: $keys VARCHAR[]
select coalesce(list(k), [])
from unnest($keys::varchar[]) as t(k)
where list_value(try_cast(k as json))::varchar = '[' || k || ']'
