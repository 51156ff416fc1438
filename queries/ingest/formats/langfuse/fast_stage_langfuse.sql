-- fast_stage_langfuse: a plain JSONL file of Langfuse observations (UI export JSONL, API items), typed by
-- a strict read_json (scalars as text, maps as JSON: the types of fast_stage_lines_langfuse), into the
-- temp table fast_staged (FAST_COLUMNS) in file order (see fast_stage_openai). The steps of
-- macros_fast_langfuse, each in its own subquery so that each step's result is a column computed once;
-- fast_stage_lines_langfuse differs only in its source. params: $path, $compression
create or replace temp table fast_staged as
select unnest(langfuse_fast_columns(j, c, msgs, s, t, secs, cost_text, cost))
from (
  select j, c, msgs, secs, cost_text, cost, s, langfuse_fast_tokens(s, j.type) as t
  from (
    select j, c, msgs, secs, cost_text, cost, langfuse_usage_sums(kv, b, j.promptTokens, j.completionTokens) as s
    from (
      select j, c, msgs, secs, cost_text, cost, kv, langfuse_usage_bits(kv) as b
      from (
        select j, c, msgs, secs, cost_text, try_cast(cost_text as decimal(38, 12)) as cost,
               langfuse_usage_kv(e, c.usage_legacy) as kv
        from (
          select j, c, langfuse_usage_entries(c.usage_details) as e, langfuse_fast_msgs(c.prompt) as msgs,
                 try_cast(j.latency as double) as secs, coalesce(c.cost_details ->> '$.total', j.calculatedTotalCost) as cost_text
          from (
            select j, langfuse_fast_cells(j) as c
            from read_json($path, format = 'newline_delimited', compression = $compression,
                   columns = {id: 'VARCHAR', type: 'VARCHAR', startTime: 'VARCHAR', endTime: 'VARCHAR',
                              model: 'VARCHAR', latency: 'VARCHAR', level: 'VARCHAR', calculatedTotalCost: 'VARCHAR',
                              promptTokens: 'VARCHAR', completionTokens: 'VARCHAR', name: 'VARCHAR',
                              promptName: 'VARCHAR', promptVersion: 'VARCHAR', traceName: 'VARCHAR',
                              userId: 'VARCHAR', environment: 'VARCHAR', sessionId: 'VARCHAR',
                              usageDetails: 'JSON', costDetails: 'JSON', usage: 'JSON', metadata: 'JSON',
                              input: 'JSON'}) j
          )
        )
      )
    )
  )
)
