"""OpenAI-family logs for the ingest benchmarks, written by DuckDB in seconds: `write_openai(path, n)`.

Gateway {request, response} pairs shaped like the demo's own file (sample_logs/chat_requests.jsonl.gz):
a long system prompt (one of three workloads, ~1.5 KB), a varying user message, metadata and user, and
the Chat Completion with usage; about 2.3 KB a line. `kind="responses"` writes Responses API pairs
(instructions + a string input, input_/output_tokens), `kind="batch"` Batch output lines (custom_id,
response.body). A path ending in .gz is written gzip-compressed.

    python benchmarks/make_openai.py FILE N [--kind pairs|responses|batch]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

_PROMPTS = """
select i, 'You are the ' || (['ticket triage', 'invoice tagging', 'contract review'])[i % 3 + 1]
          || ' model. ' || repeat('Follow the taxonomy and the rules below; answer with one label only. ', 20) as system,
       'Ticket ' || i || ': ' || repeat('the customer writes about their account and invoices. ', 1 + i % 9) as question,
       1760000000 + i // 20 as created
from range($n) t(i)
"""

_PAIRS = f"""
copy (
    select {{'model': 'gpt-4o-mini',
             'messages': [{{'role': 'system', 'content': system}}, {{'role': 'user', 'content': question}}],
             'metadata': {{'feature': 'support-' || (i % 3)}}, 'user': 'u-' || (i % 1000)}} as request,
           {{'id': 'chatcmpl-' || lpad(i::varchar, 12, '0'), 'object': 'chat.completion', 'created': created,
             'model': 'gpt-4o-mini-2024-07-18',
             'choices': [{{'index': 0, 'message': {{'role': 'assistant', 'content': 'label ' || (i % 7)}},
                           'finish_reason': 'stop'}}],
             'usage': {{'prompt_tokens': 400 + i % 300, 'completion_tokens': 1 + i % 9, 'total_tokens': 401 + i % 300 + i % 9,
                        'prompt_tokens_details': {{'cached_tokens': case when i % 2 = 0 then 384 else 0 end, 'audio_tokens': 0}},
                        'completion_tokens_details': {{'reasoning_tokens': 0, 'audio_tokens': 0}}}},
             'service_tier': 'default', 'system_fingerprint': 'fp_8358ab4d2e'}} as response
    from ({_PROMPTS})
) to '{{path}}' (format json, compression '{{compression}}')
"""

_RESPONSES = f"""
copy (
    select {{'model': 'gpt-4.1-mini', 'instructions': system, 'input': question,
             'metadata': {{'feature': 'support-' || (i % 3)}}}} as request,
           {{'id': 'resp_' || lpad(i::varchar, 12, '0'), 'object': 'response', 'created_at': created, 'status': 'completed',
             'model': 'gpt-4.1-mini-2025-04-14',
             'output': [{{'type': 'message', 'role': 'assistant', 'content': 'label ' || (i % 7)}}],
             'usage': {{'input_tokens': 400 + i % 300, 'input_tokens_details': {{'cached_tokens': 384}},
                        'output_tokens': 1 + i % 9, 'output_tokens_details': {{'reasoning_tokens': 0}},
                        'total_tokens': 401 + i % 300 + i % 9}},
             'service_tier': 'default'}} as response
    from ({_PROMPTS})
) to '{{path}}' (format json, compression '{{compression}}')
"""

_BATCH_OUTPUT = """
copy (
    select 'batch_req_' || lpad(i::varchar, 12, '0') as id, 'req-' || i as custom_id,
           {'status_code': 200, 'request_id': 'req_' || i,
            'body': {'id': 'chatcmpl-' || lpad(i::varchar, 12, '0'), 'object': 'chat.completion', 'created': 1760000000 + i // 20,
                     'model': 'gpt-4o-mini-2024-07-18',
                     'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': 'label ' || (i % 7)},
                                  'finish_reason': 'stop'}],
                     'usage': {'prompt_tokens': 400 + i % 300, 'completion_tokens': 1 + i % 9,
                               'total_tokens': 401 + i % 300 + i % 9,
                               'prompt_tokens_details': {'cached_tokens': 0, 'audio_tokens': 0},
                               'completion_tokens_details': {'reasoning_tokens': 0, 'audio_tokens': 0}},
                     'service_tier': 'default', 'system_fingerprint': null}} as response,
           null as error
    from range($n) t(i)
) to '{path}' (format json, compression '{compression}')
"""


def write_openai(path: Path, n: int, kind: str = "pairs") -> None:
    """Write `n` lines of `kind` ('pairs', 'responses' or 'batch' output) to `path` (gzip when it ends in .gz)."""
    sql = {"pairs": _PAIRS, "responses": _RESPONSES, "batch": _BATCH_OUTPUT}[kind]
    compression = "gzip" if path.name.endswith(".gz") else "uncompressed"
    # the path is ours (a benchmark's temp file), not a user's: formatted, as COPY ... TO takes no parameter
    duckdb.connect().execute(sql.replace("{path}", str(path)).replace("{compression}", compression), {"n": n})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--kind", choices=["pairs", "responses", "batch"], default="pairs")
    args = parser.parse_args()
    write_openai(args.path, args.n, args.kind)
