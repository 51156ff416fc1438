-- macros_fast_langfuse: the columns of a Langfuse observation, step by step, shared by the careful
-- extract (extract_langfuse: the usageDetails rule) and both fast stages (fast_stage_langfuse,
-- fast_stage_lines_langfuse: everything from the typed record `j`). Created with queries/store/macros.sql
-- on every connection (ftaudit.store.connection.create_macros). Each step is applied in its own
-- subquery and its result kept as a column, so no argument's expression is evaluated twice.

-- The usageDetails rule (log-formats.md section 7, ftaudit/ingest/formats/langfuse.py), in four steps,
-- with one lambda over text (the parts of each key): a lambda over a list of text costs ~0.3 s CPU
-- per million records, over a list of integers a fifth of that.
-- 1. The keys and values of the usageDetails map (a JSON object, else none), each read as text.
create or replace temp macro langfuse_usage_entries(usage_details) as
    case when json_kind(usage_details) = 'OBJECT'
         then {'keys': json_keys(usage_details), 'vals': json_extract_string(usage_details, '$.*')}
         else {'keys': []::varchar[], 'vals': []::varchar[]} end;

-- The parts a usageDetails key counts in, as bits (a key may count in several): 1 base input (`input`
-- without `cache`), 2 cache read (`input`, `cache`, and `read` or `cached`), 4 cache write (`input`,
-- `cache`, neither, and `creation` or `write`), 8 a 1-hour write (`ephemeral_1h`), 16 a write that is no
-- ephemeral split (spellings of one count: the larger is taken), 32 a Vertex cached_modality_* subset of
-- the input, 64 output, 128 reasoning (output_reasoning*). The LIKE patterns of the rule, as written.
create or replace temp macro langfuse_key_bits_of(k) as
    case when contains(k, 'input') and not contains(k, 'cache') then 1
         when contains(k, 'input') and (contains(k, 'read') or contains(k, 'cached')) then 2
         when contains(k, 'input') and (contains(k, 'creation') or contains(k, 'write'))
         then 4 + (case when k like '%ephemeral_1h%' then 8 else 0 end) + (case when contains(k, 'ephemeral') then 0 else 16 end)
         else 0 end
    + case when k like 'cached_modality%' then 32 else 0 end
    + case when k like 'output_reasoning%' then 192 when contains(k, 'output') then 64 else 0 end;

-- langfuse_key_bits_of, with the keys Langfuse writes most (OpenAI, Anthropic and LangChain usage) compared
-- first: their bits are folded into constants when the macro is bound, and a comparison is cheaper
-- than the pattern tests.
create or replace temp macro langfuse_key_bits(k) as
    case k when 'input' then langfuse_key_bits_of('input') when 'output' then langfuse_key_bits_of('output')
           when 'total' then langfuse_key_bits_of('total')
           when 'input_cached_tokens' then langfuse_key_bits_of('input_cached_tokens')
           when 'output_reasoning_tokens' then langfuse_key_bits_of('output_reasoning_tokens')
           when 'input_cache_read' then langfuse_key_bits_of('input_cache_read')
           when 'input_cache_creation' then langfuse_key_bits_of('input_cache_creation')
           else langfuse_key_bits_of(k) end;

-- The bits of a record's keys (langfuse_key_bits of each): the key lists Langfuse writes most (log-formats.md
-- section 7: OpenAI-shaped ingest, its audio details, LangChain's cache keys) compared whole first, their bits
-- folded into constants when the macro is bound; a lambda over the keys costs ~0.4 s CPU per million records.
create or replace temp macro langfuse_keys_bits(keys) as
    case when keys = ['input', 'input_cached_tokens', 'output', 'output_reasoning_tokens', 'total']
         then [langfuse_key_bits_of('input'), langfuse_key_bits_of('input_cached_tokens'), langfuse_key_bits_of('output'),
               langfuse_key_bits_of('output_reasoning_tokens'), langfuse_key_bits_of('total')]
         when keys = ['input', 'output', 'total']
         then [langfuse_key_bits_of('input'), langfuse_key_bits_of('output'), langfuse_key_bits_of('total')]
         when keys = ['input', 'input_cached_tokens', 'output', 'total']
         then [langfuse_key_bits_of('input'), langfuse_key_bits_of('input_cached_tokens'), langfuse_key_bits_of('output'),
               langfuse_key_bits_of('total')]
         when keys = ['input', 'input_audio_tokens', 'input_cached_tokens', 'output', 'output_audio_tokens',
                      'output_reasoning_tokens', 'total']
         then [langfuse_key_bits_of('input'), langfuse_key_bits_of('input_audio_tokens'),
               langfuse_key_bits_of('input_cached_tokens'), langfuse_key_bits_of('output'),
               langfuse_key_bits_of('output_audio_tokens'), langfuse_key_bits_of('output_reasoning_tokens'),
               langfuse_key_bits_of('total')]
         when keys = ['input', 'output', 'total', 'input_cache_read', 'input_cache_creation']
         then [langfuse_key_bits_of('input'), langfuse_key_bits_of('output'), langfuse_key_bits_of('total'),
               langfuse_key_bits_of('input_cache_read'), langfuse_key_bits_of('input_cache_creation')]
         else list_transform(keys, lambda k: langfuse_key_bits(k)) end;

-- 2. Each entry with a value: its parts (langfuse_key_bits) and its count (`n`, tok: NULL when not a
-- whole number), and the legacy usage {input, output} (a JSON object or NULL).
create or replace temp macro langfuse_usage_kv(e, usage_legacy) as
    case when list_aggregate(e.vals, 'count') = len(e.vals)
         then {'bits': langfuse_keys_bits(e.keys),
               'n': list_transform(try_cast(e.vals as double[]), lambda d: case when d = floor(d) and abs(d) < 1e15 then d::bigint end),
               'legacy': json_extract_string(usage_legacy, ['$.input', '$.output'])}
         else {'bits': langfuse_keys_bits(list_where(e.keys, list_transform(e.vals, lambda v: v is not null))),
               'n': list_transform(try_cast(list_filter(e.vals, lambda v: v is not null) as double[]),
                                   lambda d: case when d = floor(d) and abs(d) < 1e15 then d::bigint end),
               'legacy': json_extract_string(usage_legacy, ['$.input', '$.output'])} end;

-- The counts of the entries of `kv` whose parts include one of `bits`, when some key of the record has
-- one of them (`any_bits`: the OR of its keys' bits), else none: a part no key has costs nothing.
create or replace temp macro langfuse_counts_of(kv, any_bits, bits) as
    case when (any_bits & bits) <> 0 then list_where(kv.n, list_transform(kv.bits, lambda b: (b & bits) <> 0)) end;

-- 3. The counts of the parts, the legacy counts (usage, else promptTokens / completionTokens), whether a
-- counted value is not a whole number (bad) or is negative, and whether the record has no usage at all;
-- from `kv` (langfuse_usage_kv) and the OR of its bits, `b` (langfuse_usage_bits).
create or replace temp macro langfuse_usage_bits(kv) as coalesce(list_aggregate(kv.bits, 'bit_or'), 0);
create or replace temp macro langfuse_usage_sums(kv, b, prompt_tokens, completion_tokens) as {
    'base_n': list_sum(langfuse_counts_of(kv, b, 1)),
    'read_n': list_max(langfuse_counts_of(kv, b, 2)),
    'write_n': coalesce(list_max(langfuse_counts_of(kv, b, 16)), list_sum(langfuse_counts_of(kv, b, 4))),
    'write_1h_n': list_sum(langfuse_counts_of(kv, b, 8)),
    'subset_read_n': list_sum(langfuse_counts_of(kv, b, 32)),
    'output_n': list_sum(langfuse_counts_of(kv, b, 64)),
    'has_outputs': (b & 64) <> 0,
    'reasoning_n': list_sum(langfuse_counts_of(kv, b, 128)),
    -- a counted value (any part) that is not a whole number, or that is negative (every count is one
    -- whole non-negative number: no list is looked into)
    'bad_count': case when list_aggregate(kv.n, 'count') = len(kv.n) then false
                      else list_bool_or(list_transform(list_zip(kv.bits, kv.n), lambda e: e[1] <> 0 and e[2] is null)) end,
    'negative_count': case when coalesce(list_min(kv.n), 0) >= 0 then false
                           else coalesce(list_min(langfuse_counts_of(kv, b, 255)) < 0, false) end,
    'has_input_keys': (b & 7) <> 0,
    'cache_is_separate': (b & 6) <> 0,
    'legacy_input': coalesce(kv.legacy[1], prompt_tokens),
    'legacy_output': coalesce(kv.legacy[2], completion_tokens),
    'no_usage': case when (b & 71) <> 0 then false  -- input or output keys: the legacy counts are not read
                     else coalesce(tok(coalesce(kv.legacy[1], prompt_tokens)), 0) = 0
                          and coalesce(tok(coalesce(kv.legacy[2], completion_tokens)), 0) = 0 end
};

-- 4. extract_langfuse's token columns as text, from the sums `s` and the observation's type.
create or replace temp macro langfuse_usage_texts(s, obs_type) as {
    'input_text': case when s.no_usage then null
                       when s.has_input_keys then coalesce(s.base_n, 0)::varchar
                       else s.legacy_input end,
    'input_is_total': not s.cache_is_separate,
    'cache_read_text': (case when s.cache_is_separate then s.read_n else s.subset_read_n end)::varchar,
    'cache_write_text': s.write_n::varchar,
    'cache_write_1h_text': s.write_1h_n::varchar,
    'output_text': case when s.no_usage then null
                        when s.has_outputs then s.output_n::varchar
                        else coalesce(s.legacy_output, case when obs_type = 'EMBEDDING' then '0' end) end,
    'reasoning_text': s.reasoning_n::varchar
};

-- number_text_differs, tested only on text that opens like a number and has an 'e' (in a CASE: its cast
-- runs on those rows only, where AND evaluates both sides of every row).
create or replace temp macro langfuse_number_text_differs(v) as
    case when looks_numeric(v) and contains(v, 'e') then number_text_differs(v) else false end;

-- The map cells of a typed observation `j` (json_text_cell: a CSV export's map arrives as JSON text),
-- and whether the record is read otherwise by the careful path: a map cell that does not parse, or a
-- text field holding a number the careful path prints otherwise (number_text_differs, tested only on
-- text that opens like a number).
create or replace temp macro langfuse_fast_cells(j) as {
    'usage_details': json_text_cell(j.usageDetails),
    'cost_details': json_text_cell(j.costDetails),
    'usage_legacy': json_text_cell(j.usage),
    'meta': json_text_cell(j.metadata),
    'prompt': json_text_cell(j.input),
    -- the seven hint fields as JSON members, the non-null ones in the order and escaping of the careful
    -- path's json_object (to_json writes a string as it does): the merge of the hints, written out
    'hint_fields': concat_ws(',', '"name":' || to_json(j.name), '"prompt_name":' || to_json(j.promptName),
                             '"prompt_version":' || to_json(j.promptVersion), '"trace_name":' || to_json(j.traceName),
                             '"user":' || to_json(j.userId), '"environment":' || to_json(j.environment),
                             '"session_id":' || to_json(j.sessionId)),
    'differs': (case when starts_with(j.usageDetails, '"') or starts_with(j.costDetails, '"')  -- evaluated only then
                     then json_text_cell_broken(j.usageDetails) or json_text_cell_broken(j.costDetails) else false end)
               or langfuse_number_text_differs(j.id)
               or langfuse_number_text_differs(j.type)
               or langfuse_number_text_differs(j.startTime)
               or langfuse_number_text_differs(j.endTime)
               or langfuse_number_text_differs(j.model)
               or langfuse_number_text_differs(j.latency)
               or langfuse_number_text_differs(j.level)
               or langfuse_number_text_differs(j.calculatedTotalCost)
               or langfuse_number_text_differs(j.promptTokens)
               or langfuse_number_text_differs(j.completionTokens)
               or langfuse_number_text_differs(j.name)
               or langfuse_number_text_differs(j.promptName)
               or langfuse_number_text_differs(j.promptVersion)
               or langfuse_number_text_differs(j.traceName)
               or langfuse_number_text_differs(j.userId)
               or langfuse_number_text_differs(j.environment)
               or langfuse_number_text_differs(j.sessionId)
};

-- Whether an object's text may hold one of the seven hint keys (then the hints are merged as the careful path
-- merges them; else they are written out: the typed read writes a map as json_merge_patch does, minified).
create or replace temp macro langfuse_has_hint_key(meta) as
    contains(meta, '"name"') or contains(meta, '"prompt_name"') or contains(meta, '"prompt_version"')
    or contains(meta, '"trace_name"') or contains(meta, '"user"') or contains(meta, '"environment"')
    or contains(meta, '"session_id"');

-- The request's chat messages: the input when it is a list, else its `messages` list.
create or replace temp macro langfuse_fast_msgs(prompt) as
    case when json_kind(prompt) = 'ARRAY' then cast(prompt as json[])
         when json_type(prompt, '$.messages') = 'ARRAY' then cast(prompt -> '$.messages' as json[]) end;

-- A sum of counts as tok reads its text: NULL past the bound of every count (1e15).
create or replace temp macro langfuse_bounded(n) as case when abs(n) < 1e15 then n end;

-- The token columns of langfuse_usage_texts as validated_records types them (tok of each text; an absent
-- optional count is 0), from the sums `s` and the observation's type, without writing the sums as text.
create or replace temp macro langfuse_fast_tokens(s, obs_type) as {
    'input': case when s.no_usage then null
                  when s.has_input_keys then langfuse_bounded(coalesce(s.base_n, 0))
                  else tok(s.legacy_input) end,
    'cache_read': case when s.cache_is_separate then s.read_n else s.subset_read_n end,
    'output': case when s.no_usage then null
                   when s.has_outputs then langfuse_bounded(s.output_n)
                   else tok(coalesce(s.legacy_output, case when obs_type = 'EMBEDDING' then '0' end)) end
};

-- The FAST_COLUMNS of an observation `j` (fast_columns_of_texts over extract_langfuse's columns, with
-- the numbers kept as numbers), from its cells `c` (langfuse_fast_cells), chat messages, usage sums `s`
-- (langfuse_usage_sums), tokens `t` (langfuse_fast_tokens), latency in seconds (`secs`) and billed cost
-- (its text and decimal). Not taken: what extract_langfuse rejects (not a GENERATION / EMBEDDING, a cut
-- map cell, an error without usage, a bad count), what it reads otherwise (c.differs), and a latency or
-- cost that validated_records refuses. The latency is `latency` seconds, else endTime - startTime.
create or replace temp macro langfuse_fast_columns(j, c, msgs, s, t, secs, cost_text, cost) as {
    'fast_ok': coalesce(j.type in ('GENERATION', 'EMBEDDING') and not c.differs
                        and not (coalesce(j.level = 'ERROR', false) and s.no_usage)
                        and not coalesce(s.bad_count, false) and not coalesce(s.negative_count, false), false)
               and (secs is not null or j.latency is null) and (cost_text is null or cost is not null),
    'call_id': 'langfuse:' || j.id,
    -- parse_ts: text with a ':' is no number, so its cast to double is skipped
    'ts': case when contains(j.startTime, ':') then try_cast(j.startTime as timestamptz) else parse_ts(j.startTime, 'iso') end,
    'provider': coalesce(c.meta ->> '$.ls_provider', 'langfuse'),
    'model': j.model,
    'input_tokens': case when not s.cache_is_separate then t.input
                         else t.input + coalesce(langfuse_bounded(t.cache_read), 0) + coalesce(langfuse_bounded(s.write_n), 0) end,
    'cache_read_tokens': case when t.cache_read is null then 0::bigint else langfuse_bounded(t.cache_read) end,
    'cache_write_tokens': case when s.write_n is null then 0::bigint else langfuse_bounded(s.write_n) end,
    'cache_write_1h_tokens': case when s.write_1h_n is null then 0::bigint else langfuse_bounded(s.write_1h_n) end,
    'output_tokens': t.output,
    'reasoning_tokens': case when s.reasoning_n is null then 0::bigint else langfuse_bounded(s.reasoning_n) end,
    'is_batch': false,
    'service_tier': null::varchar,
    'latency_ms': case when secs is not null then secs * 1000
                       when j.latency is null
                       then (epoch_ms(try_cast(j.endTime as timestamptz)) - epoch_ms(try_cast(j.startTime as timestamptz)))::double end,
    'status': j.level,
    'billed_cost_usd': cost,
    'prefix_hash': prefix_hash_of(msgs),
    'prefix_chars': prefix_chars_of(msgs),
    'variable_chars': variable_chars_of(msgs),
    'hints': case when j.metadata is null or not (starts_with(j.metadata, '{') or starts_with(j.metadata, '"'))
                  then ('{' || c.hint_fields || '}')::json
                  when starts_with(j.metadata, '{') and not langfuse_has_hint_key(j.metadata)
                  then (case when c.hint_fields = '' then j.metadata
                             when j.metadata = '{}' then '{' || c.hint_fields || '}'
                             else left(j.metadata, -1) || ',' || c.hint_fields || '}' end)::json
                  else json_merge_patch(
        case when json_kind(c.meta) = 'OBJECT' then c.meta else '{}'::json end,
        json_object('name', j.name, 'prompt_name', j.promptName, 'prompt_version', j.promptVersion,
                    'trace_name', j.traceName, 'user', j.userId, 'environment', j.environment,
                    'session_id', j.sessionId)) end
};
