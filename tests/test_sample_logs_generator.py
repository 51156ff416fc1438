"""sample_logs/: the generator is deterministic, the committed files are what it writes, and they keep
OpenAI's usage rules. The files are parsed here with json and gzip alone, not with the generator's code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_logs"
CHAT = "chat_requests.jsonl.gz"
BATCH_INPUT = "batch_input.jsonl.gz"
BATCH_OUTPUT = "batch_output.jsonl.gz"
MANIFEST = "MANIFEST.json"


@dataclass(frozen=True)
class Row:
    """One logged call: where it came from and what its usage says."""

    file: str
    workload: str
    static_messages: str  # canonical JSON of every message before the last user message
    last_user_text: str
    created: int
    model: str
    usage: dict[str, Any]


def run_generator(out: Path) -> Path:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, str(SAMPLE_DIR / "generate.py"), "--out", str(out)], check=True, env=env)
    return out


def read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def canonical(messages: list[dict[str, str]]) -> str:
    return json.dumps(messages, separators=(",", ":"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_generator(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="module")
def manifest(generated: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def rows(generated: Path, manifest: dict[str, Any]) -> list[Row]:
    by_feature = {w["feature"]: w["name"] for w in manifest["workloads"]}
    by_prefix_hash = {w["prefix_sha256"]: w["name"] for w in manifest["workloads"]}
    result = []
    for record in read_jsonl_gz(generated / CHAT):
        messages, response = record["request"]["messages"], record["response"]
        workload = by_feature[record["request"]["metadata"]["feature"]]
        result.append(row(CHAT, workload, messages, response))
    batch_messages = {
        line["custom_id"]: line["body"]["messages"] for line in read_jsonl_gz(generated / BATCH_INPUT)
    }
    for line in read_jsonl_gz(generated / BATCH_OUTPUT):
        messages = batch_messages[line["custom_id"]]
        workload = by_prefix_hash[hashlib.sha256(canonical(messages[:-1]).encode()).hexdigest()]
        result.append(row(BATCH_OUTPUT, workload, messages, line["response"]["body"]))
    return result


def row(file: str, workload: str, messages: list[dict[str, str]], completion: dict[str, Any]) -> Row:
    assert messages[-1]["role"] == "user"
    return Row(
        file=file,
        workload=workload,
        static_messages=canonical(messages[:-1]),
        last_user_text=messages[-1]["content"],
        created=completion["created"],
        model=completion["model"],
        usage=completion["usage"],
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_two_runs_write_byte_identical_files(generated: Path, tmp_path: Path) -> None:
    again = run_generator(tmp_path)
    for name in (CHAT, BATCH_INPUT, BATCH_OUTPUT, MANIFEST):
        assert sha256((again / name).read_bytes()) == sha256((generated / name).read_bytes()), name


def test_committed_files_are_what_the_generator_writes(generated: Path) -> None:
    # Compared after decompression: another zlib build may encode the same content differently.
    for name in (CHAT, BATCH_INPUT, BATCH_OUTPUT):
        committed = sha256(gzip.decompress((SAMPLE_DIR / name).read_bytes()))
        fresh = sha256(gzip.decompress((generated / name).read_bytes()))
        assert committed == fresh, f"sample_logs/{name} is stale: rerun sample_logs/generate.py"
    assert (SAMPLE_DIR / MANIFEST).read_text(encoding="utf-8") == (generated / MANIFEST).read_text(
        encoding="utf-8"
    )


def test_sample_folder_stays_small() -> None:
    assert sum(path.stat().st_size for path in SAMPLE_DIR.iterdir() if path.is_file()) < 6_000_000


def test_each_workload_sends_one_static_prefix(rows: list[Row], manifest: dict[str, Any]) -> None:
    prefixes: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        prefixes[r.workload].add(r.static_messages)
    assert set(prefixes) == {w["name"] for w in manifest["workloads"]}
    assert len({w["prefix_sha256"] for w in manifest["workloads"]}) == len(prefixes)
    for w in manifest["workloads"]:
        (prefix,) = prefixes[w["name"]]
        static = json.loads(prefix)
        assert hashlib.sha256(prefix.encode()).hexdigest() == w["prefix_sha256"]
        assert len(static) == w["static_messages"]
        chars = sum(len(message["content"]) for message in static)
        assert chars == w["prefix_chars"]
        assert chars % 4 == 0 and chars // 4 + 3 * len(static) == w["prefix_tokens"]


def test_last_user_messages_vary(rows: list[Row]) -> None:
    assert len({r.last_user_text for r in rows}) > 0.9 * len(rows)


def test_cached_tokens_follow_openai_rules(rows: list[Row]) -> None:
    for r in rows:
        prompt, cached = r.usage["prompt_tokens"], r.usage["prompt_tokens_details"]["cached_tokens"]
        assert 0 <= cached <= prompt
        assert cached == 0 or (cached % 128 == 0 and cached >= 1024)
        assert r.usage["total_tokens"] == prompt + r.usage["completion_tokens"]


def test_prompt_tokens_follow_the_manifest_accounting(rows: list[Row], manifest: dict[str, Any]) -> None:
    workloads = {w["name"]: w for w in manifest["workloads"]}
    accounting = manifest["token_accounting"]
    for r in rows:
        w = workloads[r.workload]
        expected = w["prefix_tokens"] + accounting["fixed_overhead_tokens"] + (len(r.last_user_text) + 2) // 4
        assert abs(r.usage["prompt_tokens"] - expected) <= accounting["variable_noise_tokens"]
        assert r.model == w["model"]
        cached = r.usage["prompt_tokens_details"]["cached_tokens"]
        assert cached in (0, w["cached_tokens_on_hit"])


def test_created_is_inside_the_date_range(rows: list[Row], manifest: dict[str, Any]) -> None:
    span = manifest["date_range"]
    assert all(span["start_unix"] <= r.created < span["end_unix_exclusive"] for r in rows)


def test_batch_output_joins_batch_input_by_custom_id(generated: Path, manifest: dict[str, Any]) -> None:
    inputs = [line["custom_id"] for line in read_jsonl_gz(generated / BATCH_INPUT)]
    outputs = [line["custom_id"] for line in read_jsonl_gz(generated / BATCH_OUTPUT)]
    assert len(set(inputs)) == len(inputs)
    assert sorted(outputs) == sorted(inputs)
    assert manifest["files"][BATCH_INPUT]["lines"] == len(inputs)


def test_token_totals_match_the_manifest(rows: list[Row], manifest: dict[str, Any]) -> None:
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        totals[r.workload, r.file].update(
            calls=1,
            prompt_tokens=r.usage["prompt_tokens"],
            cached_tokens=r.usage["prompt_tokens_details"]["cached_tokens"],
            completion_tokens=r.usage["completion_tokens"],
        )
    expected = {
        (w["name"], file): Counter(t) for w in manifest["workloads"] for file, t in w["files"].items()
    }
    assert totals == expected
    lines = Counter(r.file for r in rows)
    assert {file: lines[file] for file in (CHAT, BATCH_OUTPUT)} == {
        file: manifest["files"][file]["lines"] for file in (CHAT, BATCH_OUTPUT)
    }
