"""The OpenAI family's fast path (issue 12): {request, response} pairs with messages, Responses objects, Batch
output and OpenRouter's usage.cost are stored the fast way, whole file (plain or gzip) or line by line, with
exactly what the careful path (extract_openai) stores: prefix hash and character counts included."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftaudit
from ftaudit.errors import FtauditError
from tests.conftest import DATA, SAMPLE_LOGS, query
from tests.test_fuzz_ingest import mutated_line

OPENAI = DATA / "openai"
INSTRUCTIONS = json.loads((OPENAI / "responses_pairs.jsonl").read_text().splitlines()[0])["request"]["instructions"]
COLUMNS = ("call_id, ts::varchar, provider, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
           "reasoning_tokens, is_batch, service_tier, latency_ms, status, billed_cost_usd, prefix_hash, prefix_chars, "
           "variable_chars, hints, workload")


def _ingest(db: Path, paths: list[Path], fast: bool = True) -> list[ftaudit.FileResult]:
    with ftaudit.open_store(db) as store:
        return ftaudit.ingest(store, paths, ftaudit.IngestOptions(fast=fast)).files


def _stored(db: Path) -> tuple[list[Any], list[Any]]:
    calls = query(db, "select * exclude (file_id, source_file, ingested_at) from calls order by all")
    rejects = query(db, "select source_line, reason, detail, raw_prefix from rejects order by all")
    return calls, rejects


def _system_prefix_hash(text: str) -> str:
    """md5 of the static prefix [system message] as DuckDB writes a JSON[] list (what prefix_hash_of hashes)."""
    return hashlib.md5(("[" + json.dumps({"role": "system", "content": text}, separators=(",", ":")) + "]").encode()).hexdigest()


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_responses_pairs_go_the_fast_way_whole_file(tmp_path: Path, packed: bool) -> None:
    """Responses objects, bare and as pairs (instructions, string or list input, metadata, user, the
    gateway's ts and latency, OpenRouter's cost): the whole file goes the fast way, plain or gzip, and the
    rows are those of the careful path, with the prefix hand-computed here."""
    path = tmp_path / ("responses.jsonl.gz" if packed else "responses.jsonl")
    text = (OPENAI / "responses_pairs.jsonl").read_bytes()
    path.write_bytes(gzip.compress(text) if packed else text)
    (fast,) = _ingest(tmp_path / "fast.duckdb", [path])
    (careful,) = _ingest(tmp_path / "careful.duckdb", [path], fast=False)
    assert (fast.format, fast.fast_path, fast.fast_rows, fast.rows_accepted) == ("openai_responses", True, 7, 7)
    assert careful.fast_rows == 0 and _stored(tmp_path / "fast.duckdb") == _stored(tmp_path / "careful.duckdb")
    rows = {f"{r[0]:04d}": r[1:] for r in query(tmp_path / "fast.duckdb", f"select source_line, {COLUMNS} from calls")}
    system_hash = _system_prefix_hash(INSTRUCTIONS)
    # line 1: instructions + a string input; the gateway's ts wins over created_at; its latency is kept
    assert rows["0001"][1:] == (
        "2025-10-10 08:00:00+00", "openai", "gpt-4.1-mini-2025-04-14", 1311, 1280, 0, 6, 0, False, "default", 812.0,
        "completed", None, system_hash, len(INSTRUCTIONS), len("Invoice 4411 from City Power, 212.40 EUR"),
        '{"feature":"invoice-tagger","user":"u-7"}', "prefix-" + system_hash[:6],
    )
    # line 3: instructions before a list input; a reasoning model on the flex tier
    assert (rows["0003"][8], rows["0003"][10], rows["0003"][14:17]) == (
        384, "flex", (system_hash, len(INSTRUCTIONS), len("Invoice 4413 from AWS EMEA, 1210.33 USD")))
    # line 4: a bare object, no request: no prefix; status as the response says
    assert rows["0004"][4:9] + rows["0004"][12:17] == (5200, 4096, 0, 2000, 1990, "incomplete", None, None, None, None)
    # line 5: the 2026 cache_write_tokens detail
    assert rows["0005"][5:7] == (0, 2048)
    # line 6: the list input ends with a tool call and its output: the last user message is the second one
    assert rows["0006"][15:17] == (len("Use the ledger tool to answer."), len("What did we pay City Power in September?"))
    # line 7: OpenRouter's usage.cost is the billed cost; the provider is openrouter
    assert (rows["0007"][2], rows["0007"][13]) == ("openrouter", Decimal("0.001937200000"))


def test_batch_output_goes_the_fast_way_with_its_request_prefix(tmp_path: Path) -> None:
    """Batch output of /v1/responses beside its input file: the clean lines are stored the fast way with
    the prefix of their request (joined by custom_id), the failed request is an api_error reject, and
    everything equals the careful path's."""
    paths = [OPENAI / "batch_input_responses.jsonl", OPENAI / "batch_output_responses.jsonl"]
    files = _ingest(tmp_path / "fast.duckdb", paths)
    _ingest(tmp_path / "careful.duckdb", paths, fast=False)
    assert [(f.format, f.rows_accepted, f.rows_rejected, f.fast_rows) for f in files] == [
        ("openai_batch_input", 4, 0, 0), ("openai_batch_output", 3, 1, 3)]
    assert _stored(tmp_path / "fast.duckdb") == _stored(tmp_path / "careful.duckdb")
    system_hash = _system_prefix_hash(INSTRUCTIONS)
    assert query(tmp_path / "fast.duckdb", "select is_batch, prefix_hash, prefix_chars, variable_chars, hints from calls "
                 "order by source_line") == [
        (True, system_hash, len(INSTRUCTIONS), len(f"Invoice {5000 + i} from Supplier {i}, {100 + i}.00 EUR"),
         f'{{"feature":"invoice-tagger-batch","custom_id":"inv-{i}"}}') for i in range(3)]
    assert query(tmp_path / "fast.duckdb", "select source_line, reason from rejects") == [(4, "api_error")]


@pytest.mark.slow
def test_the_demo_file_is_stored_entirely_by_the_fast_path(tmp_path: Path) -> None:
    """The demo's own gateway log (24k {request, response} pairs with messages, gzip): every call goes the
    fast way, whole file, and the calls are those the careful path stores."""
    path = tmp_path / "chat_requests.jsonl.gz"
    shutil.copy(SAMPLE_LOGS / "chat_requests.jsonl.gz", path)
    (fast,) = _ingest(tmp_path / "fast.duckdb", [path])
    assert fast.fast_path and fast.fast_rows == fast.rows_accepted == fast.rows_read > 20_000
    (careful,) = _ingest(tmp_path / "careful.duckdb", [path], fast=False)
    assert careful.rows_accepted == fast.rows_accepted
    assert _stored(tmp_path / "fast.duckdb") == _stored(tmp_path / "careful.duckdb")
    assert query(tmp_path / "fast.duckdb", "select count(*) from calls where prefix_hash is null") == [(0,)]


BATCH_OUTPUT = [json.loads(line) for name in ("batch_output.jsonl", "batch_output_responses.jsonl")
                for line in (OPENAI / name).read_text().splitlines()]
BATCH_INPUTS = [OPENAI / "batch_input.jsonl", OPENAI / "batch_input_responses.jsonl"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(BATCH_OUTPUT).flatmap(lambda r: mutated_line(json.loads(json.dumps(r)))), min_size=1, max_size=6))
def test_batch_output_beside_its_input_is_stored_alike_by_both_paths(lines: list[str]) -> None:
    """Batch output lines (Chat and Responses bodies), some mutated, ingested with their input files: the
    line fast path, which joins each line to its request's prefix by custom_id, stores the calls, rejects
    and ledger the careful path stores (the property of test_fuzz_ingest reads one file at a time)."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "batch_output.jsonl"
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stored = []
        for fast in (True, False):
            db = Path(tmp) / f"{fast}.duckdb"
            try:
                files = _ingest(db, [*BATCH_INPUTS, output], fast)
            except FtauditError as error:
                stored.append(("error", error.message.replace(str(db), "")))
                continue
            stored.append((_stored(db), [(f.format, f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_duplicate,
                                          f.rows_superseded) for f in files]))
        assert stored[0] == stored[1]


def test_a_file_of_many_row_groups_goes_straight_into_calls_numbered_in_file_order(tmp_path: Path) -> None:
    # The whole-file path inserts from the read itself on two threads and numbers the lines by rowid afterwards
    # (fast_insert_file_calls, fast_number_file_lines): 300,000 calls span three row groups of calls and many
    # read batches, and every call must carry its own line. Ids are not in file order, so a line number
    # taken from a sorted id would not pass either.
    path = tmp_path / "many.jsonl"
    duckdb_copy = (
        "copy (select json_object('id', 'chatcmpl-' || ((i * 7919) % 300000), 'object', 'chat.completion',"
        " 'created', 1760000000 + i, 'model', 'gpt-4o-mini',"
        " 'usage', json_object('prompt_tokens', 100 + i % 50, 'completion_tokens', 1 + i % 7)) as line"
        " from range(300000) t(i)) to '{path}' (format csv, header false, quote '', delimiter '\\t')"
    )
    duckdb.connect().execute(duckdb_copy.replace("{path}", str(path)))
    result = _ingest(tmp_path / "db.duckdb", [path])[0]
    assert (result.fast_path, result.fast_rows, result.rows_accepted) == (True, 300_000, 300_000)
    # line n holds the call of i = n - 1: id (i * 7919) % 300000, created 1760000000 + i
    assert query(tmp_path / "db.duckdb", """
        select count(*), count(*) filter (where source_line = epoch(ts)::bigint - 1760000000 + 1
                                          and call_id = 'chatcmpl-' || (((source_line - 1) * 7919) % 300000)
                                          and input_tokens = 100 + (source_line - 1) % 50),
               min(source_line), max(source_line)
        from calls""") == [(300_000, 300_000, 1, 300_000)]


def test_common_one_message_prefixes_of_pairs_hash_as_the_careful_path(tmp_path: Path) -> None:
    """Gateway pairs in a file larger than the sampled head, most with one of three system messages (plain; with
    quotes, a newline and non-ASCII text; content as a list of parts) and one question: the prefix is looked up
    by the system message itself. Every prefix hash is the md5 of the one-message list as DuckDB prints it
    (hashlib here), and the calls are those the careful path stores."""
    from ftaudit.ingest.prefix_sample import SAMPLE_BYTES

    policy = "Policy clause: refunds within 30 days, exchanges within 60 days. " * 20
    systems: list[dict[str, Any]] = [
        {"role": "system", "content": "You are the support agent. " + policy},
        {"role": "system", "content": 'You are the "router" of caf\u00e9 orders \U0001f600.\nRoute. ' + policy},
        {"role": "system", "content": [{"type": "text", "text": "You are the classifier. " + policy}]},
    ]
    lines, expected = [], []
    for i in range(1200):
        system = {"role": "system", "content": f"Unique {i}. {policy}"} if i % 50 == 7 else systems[i % 3]
        messages = [system, {"role": "user", "content": f"Where is order {i}?"}]
        response = {"id": f"chatcmpl-one{i:05d}", "object": "chat.completion", "created": 1760000000 + i,
                    "model": "gpt-4o-mini-2024-07-18",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Soon."}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 900, "completion_tokens": 2, "total_tokens": 902}}
        lines.append(json.dumps({"request": {"model": "gpt-4o-mini", "messages": messages}, "response": response},
                                ensure_ascii=i % 2 == 0))
        prefix = "[" + json.dumps(system, separators=(",", ":"), ensure_ascii=False) + "]"
        expected.append(hashlib.md5(prefix.encode()).hexdigest())
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > SAMPLE_BYTES
    (fast,) = _ingest(tmp_path / "fast.duckdb", [path])
    assert (fast.fast_path, fast.fast_rows) == (True, 1200)
    assert [h for (h,) in query(tmp_path / "fast.duckdb", "select prefix_hash from calls order by source_line")] == expected
    _ingest(tmp_path / "careful.duckdb", [path], fast=False)
    assert _stored(tmp_path / "fast.duckdb") == _stored(tmp_path / "careful.duckdb")


def test_a_cut_line_in_the_sampled_head_leaves_every_prefix_an_md5(tmp_path: Path) -> None:
    """The head sample runs the stage with prefix_md5 giving back texts. A cut line in the head failed that
    stage inside the file's transaction, so the flag could not be reset and outlived the rollback: the line
    fast path of that file, and the next file, stored the prefix text itself as prefix_hash (and workload
    'prefix-[{"rol'). Both files now store md5s, the first one as the careful path does."""
    from ftaudit.ingest.prefix_sample import SAMPLE_BYTES

    system = {"role": "system", "content": "You label support tickets. " + "Example ticket and its label. " * 60}
    lines = []
    for i in range(700):
        response = {"id": f"chatcmpl-cut{i:05d}", "object": "chat.completion", "created": 1760000000 + i,
                    "model": "gpt-4o-mini-2024-07-18",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": "billing"}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 500, "completion_tokens": 1, "total_tokens": 501}}
        messages = [system, {"role": "user", "content": f"ticket {i}"}]
        lines.append(json.dumps({"request": {"model": "gpt-4o-mini", "messages": messages}, "response": response}))
    lines[5] = lines[5][:-30]  # cut off, inside the sampled head
    cut, clean = tmp_path / "a_cut.jsonl", tmp_path / "b_clean.jsonl"
    cut.write_text("\n".join(lines) + "\n")
    clean.write_text("\n".join(lines[10:20]).replace("chatcmpl-cut", "chatcmpl-next") + "\n")
    assert cut.stat().st_size > SAMPLE_BYTES
    files = _ingest(tmp_path / "fast.duckdb", [cut, clean])
    assert [(f.rows_accepted, f.rows_rejected, f.fast_rows) for f in files] == [(699, 1, 699), (10, 0, 10)]
    md5 = _system_prefix_hash(str(system["content"]))
    assert query(tmp_path / "fast.duckdb", "select prefix_hash, workload, count(*) from calls group by all") == [
        (md5, "prefix-" + md5[:6], 709)]
    _ingest(tmp_path / "careful.duckdb", [cut], fast=False)
    assert _stored(tmp_path / "careful.duckdb") == tuple(
        [r for r in rows if "chatcmpl-next" not in str(r)] for rows in _stored(tmp_path / "fast.duckdb"))


def test_only_messages_a_list_prints_as_they_are_key_the_one_message_map(tmp_path: Path) -> None:
    """The one-message map is looked up by a JSON message (prefix_hash_of_json): a key whose one-element JSON
    list would not print as '[' || key || ']' (not JSON: the list prints NULL) is left out, so a hit is
    always the md5 of the text the careful path prints."""
    keys = ['{"role":"system","content":"a, b [c] \\"q\\""}', '"a string, with a comma"', "not json", " {\"a\": [1, 2]} "]
    with ftaudit.open_store(tmp_path / "keys.duckdb") as store:
        (printed,) = store.rows("one_message_keys_printed_as_lists", keys=keys)[0]
    assert printed == [keys[0], keys[1], keys[3]]
