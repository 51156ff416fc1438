-- macros_fast_langfuse: the columns of a Langfuse observation, step by step, shared by the careful
-- extract (extract_langfuse: the usageDetails rule) and both fast stages (fast_stage_langfuse,
-- fast_stage_lines_langfuse: everything from the typed record `j`). Created with queries/store/macros.sql
-- on every connection (ftaudit.store.connection.create_macros). Each step is applied in its own
-- subquery and its result kept as a column, so no argument's expression is evaluated twice.

-- The usageDetails rule (log-formats.md section 7, ftaudit/ingest/formats/langfuse.py), in four steps.
-- 1. The entries of the usageDetails map with a value, each with its count read once (`n`: tok).
create or replace temp macro langfuse_usage_kv(usage_details) as
    list_transform(list_filter(coalesce(map_entries(try_cast(usage_details as map(varchar, varchar))), []),
                               lambda e: e.value is not null),
                   lambda e: {'key': e.key, 'value': e.value, 'n': tok(e.value)});

-- 2. The entries by part (base input, cache reads, cache writes, Vertex cached_modality_* subsets,
-- outputs) and the legacy usage {input, output} (a JSON object or NULL).
create or replace temp macro langfuse_usage_parts(kv, usage_legacy) as {
    'base': list_filter(kv, lambda e: e.key like '%input%' and e.key not like '%cache%'),
    'reads': list_filter(kv, lambda e: e.key like '%input%' and e.key like '%cache%'
                                       and (e.key like '%read%' or e.key like '%cached%')),
    'writes': list_filter(kv, lambda e: e.key like '%input%' and e.key like '%cache%' and e.key not like '%read%'
                                        and e.key not like '%cached%' and (e.key like '%creation%' or e.key like '%write%')),
    'subset_reads': list_filter(kv, lambda e: e.key like 'cached_modality%'),
    'outputs': list_filter(kv, lambda e: e.key like '%output%'),
    'legacy': json_extract_string(usage_legacy, ['$.input', '$.output'])
};

-- 3. The counts of the parts (`p`), the legacy counts (usage, else promptTokens / completionTokens),
-- whether a counted value is not a whole number (bad) or is negative, and whether the record has no
-- usage at all.
create or replace temp macro langfuse_usage_sums(p, prompt_tokens, completion_tokens) as {
    'base_n': list_sum(list_transform(p.base, lambda e: e.n)),
    'read_n': list_max(list_transform(p.reads, lambda e: e.n)),
    'write_n': coalesce(list_max(list_transform(list_filter(p.writes, lambda e: e.key not like '%ephemeral%'), lambda e: e.n)),
                        list_sum(list_transform(p.writes, lambda e: e.n))),
    'write_1h_n': list_sum(list_transform(list_filter(p.writes, lambda e: e.key like '%ephemeral_1h%'), lambda e: e.n)),
    'subset_read_n': list_sum(list_transform(p.subset_reads, lambda e: e.n)),
    'output_n': list_sum(list_transform(p.outputs, lambda e: e.n)),
    'has_outputs': len(p.outputs) > 0,
    'reasoning_n': list_sum(list_transform(list_filter(p.outputs, lambda e: e.key like 'output_reasoning%'), lambda e: e.n)),
    'bad_count': list_bool_or(list_transform(p.base || p.reads || p.writes || p.subset_reads || p.outputs,
                                             lambda e: e.n is null)),
    'negative_count': list_bool_or(list_transform(p.base || p.reads || p.writes || p.subset_reads || p.outputs,
                                                  lambda e: e.n < 0)),
    'has_input_keys': len(p.base) + len(p.reads) + len(p.writes) > 0,
    'cache_is_separate': len(p.reads) + len(p.writes) > 0,
    'legacy_input': coalesce(p.legacy[1], prompt_tokens),
    'legacy_output': coalesce(p.legacy[2], completion_tokens),
    'no_usage': len(p.base) + len(p.reads) + len(p.writes) = 0 and len(p.outputs) = 0
                and coalesce(tok(coalesce(p.legacy[1], prompt_tokens)), 0) = 0
                and coalesce(tok(coalesce(p.legacy[2], completion_tokens)), 0) = 0
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
    'differs': json_text_cell_broken(j.usageDetails) or json_text_cell_broken(j.costDetails)
               or (looks_numeric(j.id) and number_text_differs(j.id))
               or (looks_numeric(j.type) and number_text_differs(j.type))
               or (looks_numeric(j.startTime) and number_text_differs(j.startTime))
               or (looks_numeric(j.endTime) and number_text_differs(j.endTime))
               or (looks_numeric(j.model) and number_text_differs(j.model))
               or (looks_numeric(j.latency) and number_text_differs(j.latency))
               or (looks_numeric(j.level) and number_text_differs(j.level))
               or (looks_numeric(j.calculatedTotalCost) and number_text_differs(j.calculatedTotalCost))
               or (looks_numeric(j.promptTokens) and number_text_differs(j.promptTokens))
               or (looks_numeric(j.completionTokens) and number_text_differs(j.completionTokens))
               or (looks_numeric(j.name) and number_text_differs(j.name))
               or (looks_numeric(j.promptName) and number_text_differs(j.promptName))
               or (looks_numeric(j.promptVersion) and number_text_differs(j.promptVersion))
               or (looks_numeric(j.traceName) and number_text_differs(j.traceName))
               or (looks_numeric(j.userId) and number_text_differs(j.userId))
               or (looks_numeric(j.environment) and number_text_differs(j.environment))
               or (looks_numeric(j.sessionId) and number_text_differs(j.sessionId))
};

-- The request's chat messages: the input when it is a list, else its `messages` list.
create or replace temp macro langfuse_fast_msgs(prompt) as
    case when json_kind(prompt) = 'ARRAY' then cast(prompt as json[])
         when json_type(prompt, '$.messages') = 'ARRAY' then cast(prompt -> '$.messages' as json[]) end;

-- The latency in ms as text (extract_langfuse: `latency` is seconds, else end - start), from the
-- observation and its latency read as a number (`secs`).
create or replace temp macro langfuse_fast_latency(j, secs) as
    case when secs is not null then (secs * 1000)::varchar
         else coalesce(j.latency, (epoch_ms(try_cast(j.endTime as timestamptz))
                                   - epoch_ms(try_cast(j.startTime as timestamptz)))::varchar) end;

-- The FAST_COLUMNS of an observation `j`, from its cells `c` (langfuse_fast_cells), chat messages, usage
-- sums `s` and texts `u` (langfuse_usage_sums, langfuse_usage_texts) and latency in seconds. Not taken:
-- what extract_langfuse rejects (not a GENERATION / EMBEDDING, a cut map cell, an error without usage,
-- a bad count) and what it reads otherwise (c.differs).
create or replace temp macro langfuse_fast_columns(j, c, msgs, s, u, secs) as
    fast_columns_of_texts(
        coalesce(j.type in ('GENERATION', 'EMBEDDING') and not c.differs
                 and not (coalesce(j.level = 'ERROR', false) and s.no_usage)
                 and not coalesce(s.bad_count, false) and not coalesce(s.negative_count, false), false),
        'langfuse:' || j.id, j.startTime, 'iso', coalesce(c.meta ->> '$.ls_provider', 'langfuse'), j.model,
        u.input_text, u.input_is_total, u.cache_read_text, u.cache_write_text, u.cache_write_1h_text, u.output_text,
        u.reasoning_text, null::varchar, langfuse_fast_latency(j, secs), j.level,
        coalesce(c.cost_details ->> '$.total', j.calculatedTotalCost), msgs,
        json_merge_patch(
            case when json_kind(c.meta) = 'OBJECT' then c.meta else '{}'::json end,
            json_object('name', j.name, 'prompt_name', j.promptName, 'prompt_version', j.promptVersion,
                        'trace_name', j.traceName, 'user', j.userId, 'environment', j.environment,
                        'session_id', j.sessionId)));
