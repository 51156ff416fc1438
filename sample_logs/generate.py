"""Write the sample OpenAI usage logs in this folder: 90 days of two synthetic workloads.

Owns the workload prompts, the traffic shape, the token accounting and MANIFEST.json, which records
every parameter the tests and the docs rely on. There is no tokenizer: token counts are defined from
character counts (MANIFEST.json "token_accounting"). Standard library only, and deterministic: the
same --seed gives byte-identical files. Run: python sample_logs/generate.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sample_texts as texts

DEFAULT_SEED = 20261031
LAST_DAY = dt.date(2026, 10, 31)
DAYS = 90
GROWTH_OVER_PERIOD = 0.40
WEEKDAY_FACTOR = (1.05, 1.10, 1.10, 1.05, 0.95, 0.80, 0.75)  # Monday first
HOUR_WEIGHTS = tuple(0.3 + math.exp(-((hour - 15) ** 2) / 18) for hour in range(24))  # UTC, peak 15:00

CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD_TOKENS = 3  # per message, as in OpenAI's token-counting guide
REPLY_PRIMING_TOKENS = 3  # every reply is primed with <|start|>assistant<|message|>
VARIABLE_NOISE_TOKENS = 2
CACHE_MIN_PROMPT_TOKENS = 1024
CACHE_BLOCK_TOKENS = 128

BATCH_WEEKDAYS = (1, 4)  # the classifier backlog batch runs on Tuesday and Friday nights
BATCH_SUBMIT_HOUR = 1
BATCH_REQUESTS_MEAN = 170

CHAT_FILE = "chat_requests.jsonl.gz"
BATCH_INPUT_FILE = "batch_input.jsonl.gz"
BATCH_OUTPUT_FILE = "batch_output.jsonl.gz"
MANIFEST_FILE = "MANIFEST.json"

Message = dict[str, str]


@dataclass(frozen=True)
class Turn:
    """The varying part of one call: the final user message and the model's answer."""

    user_text: str
    reply: str
    completion_tokens: int


@dataclass(frozen=True)
class Workload:
    name: str
    feature: str
    request_model: str
    model: str
    static_messages: tuple[Message, ...]
    cache_hit_probability: float
    calls_per_day: float  # mean on a weekday-factor-1.0 day at the start of the period
    users: tuple[str, ...]
    draw_turn: Callable[[random.Random], Turn]
    output_rule: str


@dataclass(frozen=True)
class Call:
    workload: Workload
    created: int
    user: str
    messages: list[Message]
    turn: Turn
    prompt_tokens: int
    cached_tokens: int


# --- token accounting ---------------------------------------------------------------------------


def text_tokens(text: str) -> int:
    """Characters / 4, rounded half up."""
    return (len(text) + CHARS_PER_TOKEN // 2) // CHARS_PER_TOKEN


def prefix_tokens(static_messages: tuple[Message, ...]) -> int:
    chars = sum(len(message["content"]) for message in static_messages)
    assert chars % CHARS_PER_TOKEN == 0, "static prefixes are built to a whole number of tokens"
    return chars // CHARS_PER_TOKEN + MESSAGE_OVERHEAD_TOKENS * len(static_messages)


def cached_tokens_on_hit(workload: Workload) -> int:
    """OpenAI caches the longest shared prefix in 128-token blocks, and nothing under 1024 tokens."""
    aligned = prefix_tokens(workload.static_messages) // CACHE_BLOCK_TOKENS * CACHE_BLOCK_TOKENS
    return aligned if aligned >= CACHE_MIN_PROMPT_TOKENS else 0


def make_call(rng: random.Random, workload: Workload, created: int) -> Call:
    user = rng.choice(workload.users)
    turn = workload.draw_turn(rng)
    noise = rng.randint(-VARIABLE_NOISE_TOKENS, VARIABLE_NOISE_TOKENS)
    variable = max(1, text_tokens(turn.user_text) + noise)
    prompt = (
        prefix_tokens(workload.static_messages) + MESSAGE_OVERHEAD_TOKENS + variable + REPLY_PRIMING_TOKENS
    )
    hit = rng.random() < workload.cache_hit_probability
    cached = cached_tokens_on_hit(workload) if hit and prompt >= CACHE_MIN_PROMPT_TOKENS else 0
    messages = [*workload.static_messages, {"role": "user", "content": turn.user_text}]
    return Call(workload, created, user, messages, turn, prompt, cached)


# --- workloads ----------------------------------------------------------------------------------


def join_exactly(items: tuple[str, ...], n_chars: int, sep: str = ", ") -> str:
    """Join an in-order subset of items whose joined text is exactly n_chars long (0/1 knapsack)."""
    reachable: dict[int, list[str]] = {0: []}
    for item in items:
        for length, chosen in list(reachable.items()):
            longer = length + len(item) + (len(sep) if chosen else 0)
            if longer <= n_chars and longer not in reachable:
                reachable[longer] = [*chosen, item]
    if n_chars not in reachable:
        raise ValueError(f"no subset of the {len(items)} items joins to exactly {n_chars} characters")
    return sep.join(reachable[n_chars])


def build_static_messages(system_template: str, shots: list[tuple[str, str]], tokens: int) -> tuple[Message, ...]:
    """System prompt plus few-shot pairs, padded with product names to exactly `tokens` tokens."""
    examples = [
        message
        for ticket, answer in shots
        for message in ({"role": "user", "content": ticket}, {"role": "assistant", "content": answer})
    ]
    content_chars = (tokens - MESSAGE_OVERHEAD_TOKENS * (1 + len(examples))) * CHARS_PER_TOKEN
    gap = content_chars - len(system_template.format(products="")) - sum(len(m["content"]) for m in examples)
    system = system_template.format(products=join_exactly(texts.PRODUCTS, gap))
    messages = ({"role": "system", "content": system}, *examples)
    assert prefix_tokens(messages) == tokens
    return messages


def draw_label(rng: random.Random) -> str:
    labels = list(texts.LABELS)
    return rng.choices(labels, weights=[texts.LABELS[label].weight for label in labels])[0]


def draw_chars(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return min(high, max(low, round(rng.lognormvariate(math.log(median), sigma))))


def classify_turn(rng: random.Random) -> Turn:
    label = draw_label(rng)
    ticket = texts.ticket(rng, label, draw_chars(rng, 360, 0.6, 80, 2400))
    return Turn(ticket, label, text_tokens(label))


def draft_turn(rng: random.Random) -> Turn:
    label = draw_label(rng)
    ticket = texts.ticket(rng, label, draw_chars(rng, 700, 0.6, 120, 2400))
    user_text = texts.DRAFT_REQUEST.format(ticket=ticket, note=rng.choice(texts.AGENT_NOTES))
    completion = min(2000, max(40, round(rng.lognormvariate(math.log(350), 0.55))))
    return Turn(user_text, texts.draft_reply(rng, label), completion)


def build_workloads() -> tuple[Workload, ...]:
    # The prompts are fixed artefacts of each workload, so they use their own seed, not --seed.
    shots_rng = random.Random("ticket-classifier few-shot examples")
    shots = [(texts.ticket(shots_rng, label, 1050), label) for label in texts.FEW_SHOT_LABELS]
    classify = Workload(
        name="classify",
        feature="ticket-classifier",
        request_model="gpt-4o-mini",
        model="gpt-4o-mini-2024-07-18",
        static_messages=build_static_messages(texts.CLASSIFY_SYSTEM, shots, 2000),
        cache_hit_probability=0.85,
        calls_per_day=180,
        users=tuple(f"cust_{number}" for number in random.Random("customers").sample(range(10**5), 600)),
        draw_turn=classify_turn,
        output_rule="the label text; completion_tokens = label characters / 4 rounded half up (1-8)",
    )
    draft = Workload(
        name="draft",
        feature="reply-drafter",
        request_model="gpt-4o",
        model="gpt-4o-2024-08-06",
        static_messages=build_static_messages(texts.DRAFT_SYSTEM, [], 450),
        cache_hit_probability=0.30,
        calls_per_day=50,
        users=tuple(f"agent_{i:03d}" for i in range(1, 19)),
        draw_turn=draft_turn,
        output_rule=(
            "completion_tokens ~ lognormal(median 350, sigma 0.55) clamped to [40, 2000]; the assistant "
            "message is a short stand-in and is not the basis of the count"
        ),
    )
    return classify, draft


# --- OpenAI objects -----------------------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def opaque_id(*parts: object, length: int = 29) -> str:
    number = int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def system_fingerprint(model: str, created: int) -> str:
    deployment = created // (30 * 86400)  # a new serving configuration roughly every month
    return "fp_" + hashlib.sha256(f"{model}/{deployment}".encode()).hexdigest()[:10]


def chat_completion(call: Call, completion_id: str) -> dict[str, Any]:
    completion = call.turn.completion_tokens
    return {
        "id": f"chatcmpl-{completion_id}",
        "object": "chat.completion",
        "created": call.created,
        "model": call.workload.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": call.turn.reply, "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": call.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": call.prompt_tokens + completion,
            "prompt_tokens_details": {"cached_tokens": call.cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": system_fingerprint(call.workload.model, call.created),
    }


# --- traffic ------------------------------------------------------------------------------------


def period_days() -> list[dt.date]:
    return [LAST_DAY - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]


def unix(day: dt.date, seconds: int = 0) -> int:
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return int(midnight.timestamp()) + seconds


def growth(day_index: int) -> float:
    return 1 + GROWTH_OVER_PERIOD * day_index / (DAYS - 1)


def poisson_like(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def call_times(rng: random.Random, workload: Workload, day: dt.date, day_index: int) -> list[int]:
    mean = workload.calls_per_day * growth(day_index) * WEEKDAY_FACTOR[day.weekday()]
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=poisson_like(rng, mean))
    return [unix(day, hour * 3600 + rng.randrange(3600)) for hour in hours]


def realtime_calls(rng: random.Random, workloads: tuple[Workload, ...]) -> Iterator[Call]:
    """Grouped by UTC day, then workload, then time, as a daily export that appends each service's log.

    (Interleaving the workloads call by call would push the drafter's system prompt out of gzip's
    32 KiB window and cost about 40% more bytes for the same traffic.)
    """
    for day_index, day in enumerate(period_days()):
        for workload in workloads:
            for created in sorted(call_times(rng, workload, day, day_index)):
                yield make_call(rng, workload, created)


def batch_nights(rng: random.Random, workload: Workload) -> Iterator[tuple[str, list[Call]]]:
    """Yield (custom_id prefix, calls in submission order); `created` is when each was processed."""
    for day_index, day in enumerate(period_days()):
        if day.weekday() not in BATCH_WEEKDAYS:
            continue
        submitted = unix(day, BATCH_SUBMIT_HOUR * 3600 + rng.randrange(600))
        duration = rng.randint(3600, 4 * 3600)
        n_requests = poisson_like(rng, BATCH_REQUESTS_MEAN * growth(day_index))
        calls = [make_call(rng, workload, submitted + rng.randint(60, duration)) for _ in range(n_requests)]
        yield f"tickets-{day:%Y%m%d}", calls


# --- files --------------------------------------------------------------------------------------


class Tally:
    """Per workload and file: calls and token totals, as written to MANIFEST.json."""

    def __init__(self) -> None:
        self.totals: dict[str, dict[str, dict[str, int]]] = {}

    def add(self, call: Call, file_name: str) -> None:
        zero = {"calls": 0, "prompt_tokens": 0, "cached_tokens": 0, "completion_tokens": 0}
        row = self.totals.setdefault(call.workload.name, {}).setdefault(file_name, zero)
        row["calls"] += 1
        row["prompt_tokens"] += call.prompt_tokens
        row["cached_tokens"] += call.cached_tokens
        row["completion_tokens"] += call.turn.completion_tokens


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, separators=(",", ":"))


def write_jsonl_gz(path: Path, lines: Iterator[str]) -> int:
    """gzip with mtime=0 and no file name in the header, so equal content gives equal bytes."""
    count = 0
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        for line in lines:
            out.write(line.encode() + b"\n")
            count += 1
    return count


def chat_lines(calls: Iterator[Call], seed: int, tally: Tally) -> Iterator[str]:
    for n, call in enumerate(calls):
        tally.add(call, CHAT_FILE)
        w = call.workload
        request = {
            "model": w.request_model,
            "messages": call.messages,
            "metadata": {"feature": w.feature},
            "user": call.user,
        }
        yield dumps({"request": request, "response": chat_completion(call, opaque_id(seed, "chat", n))})


def batch_input_line(custom_id: str, call: Call) -> str:
    body = {"model": call.workload.request_model, "messages": call.messages}
    return dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body})


def batch_output_line(seed: int, custom_id: str, call: Call) -> str:
    response = {
        "status_code": 200,
        "request_id": "req_" + hashlib.sha256(f"{seed}/request/{custom_id}".encode()).hexdigest()[:32],
        "body": chat_completion(call, opaque_id(seed, "batch", custom_id)),
    }
    return dumps({"id": f"batch_req_{opaque_id(seed, 'batch_req', custom_id, length=24)}",
                  "custom_id": custom_id, "response": response, "error": None})


def write_batches(out: Path, nights: Iterator[tuple[str, list[Call]]], seed: int, tally: Tally) -> tuple[int, int]:
    inputs: list[str] = []
    outputs: list[str] = []
    for prefix, calls in nights:
        ids = [f"{prefix}-{n:04d}" for n in range(len(calls))]
        inputs.extend(batch_input_line(custom_id, call) for custom_id, call in zip(ids, calls, strict=True))
        # the output file lists requests in the order they finished, not in submission order
        for custom_id, call in sorted(zip(ids, calls, strict=True), key=lambda pair: pair[1].created):
            tally.add(call, BATCH_OUTPUT_FILE)
            outputs.append(batch_output_line(seed, custom_id, call))
    return write_jsonl_gz(out / BATCH_INPUT_FILE, iter(inputs)), write_jsonl_gz(out / BATCH_OUTPUT_FILE, iter(outputs))


def manifest(seed: int, workloads: tuple[Workload, ...], tally: Tally, lines: dict[str, int]) -> dict[str, Any]:
    days = period_days()
    return {
        "generator": "sample_logs/generate.py",
        "seed": seed,
        "date_range": {
            "first_day_utc": days[0].isoformat(),
            "last_day_utc": days[-1].isoformat(),
            "start_unix": unix(days[0]),
            "end_unix_exclusive": unix(days[-1] + dt.timedelta(days=1)),
        },
        "files": {name: {"lines": count} for name, count in lines.items()},
        "token_accounting": {
            "chars_per_token": CHARS_PER_TOKEN,
            "prefix_tokens": "sum of static message characters / 4 (an exact multiple) + 3 per static message",
            "variable_tokens": "max(1, (chars of the final user message + 2) // 4 + noise), noise uniform in -2..2",
            "prompt_tokens": "prefix_tokens + 3 (final user message) + variable_tokens + 3 (reply priming)",
            "fixed_overhead_tokens": MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS,
            "variable_noise_tokens": VARIABLE_NOISE_TOKENS,
            "cached_tokens": "on a cache hit and prompt_tokens >= 1024: floor(prefix_tokens / 128) * 128 if that "
            "is >= 1024, else 0; on a miss 0",
            "prefix_sha256": "sha256 of json.dumps(messages[:-1], separators=(',', ':'))",
        },
        "traffic": {
            "growth_over_period": GROWTH_OVER_PERIOD,
            "weekday_factor_monday_first": list(WEEKDAY_FACTOR),
            "hour_weights_utc": [round(weight, 4) for weight in HOUR_WEIGHTS],
            "calls_per_day": "round(gauss(m, sqrt(m))), m = base * (1 + 0.4 * day_index / 89) * weekday factor",
            "batch": {
                "workload": "classify",
                "weekdays_monday_is_0": list(BATCH_WEEKDAYS),
                "submitted_utc_hour": BATCH_SUBMIT_HOUR,
                "requests_per_night": "round(gauss(m, sqrt(m))), m = 300 * growth",
                "processed_within_seconds": [60, 4 * 3600],
            },
        },
        "workloads": [workload_manifest(w, tally) for w in workloads],
    }


def workload_manifest(w: Workload, tally: Tally) -> dict[str, Any]:
    static = list(w.static_messages)
    return {
        "name": w.name,
        "feature": w.feature,
        "request_model": w.request_model,
        "model": w.model,
        "static_messages": len(static),
        "prefix_chars": sum(len(m["content"]) for m in static),
        "prefix_tokens": prefix_tokens(w.static_messages),
        "prefix_sha256": hashlib.sha256(json.dumps(static, separators=(",", ":")).encode()).hexdigest(),
        "variable_tokens_per_char": 1 / CHARS_PER_TOKEN,
        "cache_hit_probability": w.cache_hit_probability,
        "cached_tokens_on_hit": cached_tokens_on_hit(w),
        "base_calls_per_day": w.calls_per_day,
        "output": w.output_rule,
        "files": tally.totals[w.name],
    }


def generate(out: Path, seed: int) -> None:
    rng = random.Random(seed)
    workloads = build_workloads()
    tally = Tally()
    out.mkdir(parents=True, exist_ok=True)
    lines = {CHAT_FILE: write_jsonl_gz(out / CHAT_FILE, chat_lines(realtime_calls(rng, workloads), seed, tally))}
    lines[BATCH_INPUT_FILE], lines[BATCH_OUTPUT_FILE] = write_batches(out, batch_nights(rng, workloads[0]), seed, tally)
    text = json.dumps(manifest(seed, workloads, tally, lines), indent=2) + "\n"
    (out / MANIFEST_FILE).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args()
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
