"""Write the sample OpenAI usage logs in this folder: 90 days of two synthetic workloads.

Owns the workloads' prompts, the traffic shape, the token accounting and MANIFEST.json, which records
what the tests rely on. There is no tokenizer: token counts are defined from character counts (see
MANIFEST.json "token_accounting"). Standard library only and deterministic: the same --seed gives
byte-identical files. Run: python sample_logs/generate.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import random
from collections.abc import Callable, Iterable, Iterator
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

DRAFT_FOLLOW_UP_SHARE = 0.2  # tickets that quote the customer's earlier message: the long draft prompts

BATCH_WEEKDAYS = (1, 4)  # the classifier's backlog batch runs on Tuesday and Friday nights
BATCH_SUBMIT_HOUR = 1
BATCH_REQUESTS_MEAN = 170
BATCH_WINDOW_SECONDS = (60, 4 * 3600)  # a request finishes this long after the batch is submitted

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
    calls_per_day: float  # mean on a day with weekday factor 1.0 at the start of the period
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
    """OpenAI caches the shared prefix in 128-token blocks, and never fewer than 1024 tokens."""
    aligned = prefix_tokens(workload.static_messages) // CACHE_BLOCK_TOKENS * CACHE_BLOCK_TOKENS
    return aligned if aligned >= CACHE_MIN_PROMPT_TOKENS else 0


def make_call(rng: random.Random, workload: Workload, created: int) -> Call:
    user = rng.choice(workload.users)
    turn = workload.draw_turn(rng)
    noise = rng.randint(-VARIABLE_NOISE_TOKENS, VARIABLE_NOISE_TOKENS)
    variable = text_tokens(turn.user_text) + noise  # every user message is far longer than 2 tokens
    prefix = prefix_tokens(workload.static_messages)
    prompt = prefix + MESSAGE_OVERHEAD_TOKENS + variable + REPLY_PRIMING_TOKENS
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


def static_messages(template: str, shots: list[tuple[str, str]], tokens: int) -> tuple[Message, ...]:
    """System prompt plus few-shot pairs, padded with product names to exactly `tokens` tokens."""
    examples = [
        message
        for ticket, answer in shots
        for message in ({"role": "user", "content": ticket}, {"role": "assistant", "content": answer})
    ]
    content_chars = (tokens - MESSAGE_OVERHEAD_TOKENS * (1 + len(examples))) * CHARS_PER_TOKEN
    gap = content_chars - len(template.format(products="")) - sum(len(m["content"]) for m in examples)
    system = {"role": "system", "content": template.format(products=join_exactly(texts.PRODUCTS, gap))}
    messages = (system, *examples)
    assert prefix_tokens(messages) == tokens
    return messages


def draw_label(rng: random.Random) -> str:
    labels = list(texts.LABELS)
    return rng.choices(labels, weights=[texts.LABELS[label].weight for label in labels])[0]


def lognormal(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return min(high, max(low, round(rng.lognormvariate(math.log(median), sigma))))


def classify_turn(rng: random.Random) -> Turn:
    label = draw_label(rng)
    ticket = texts.ticket(rng, label, lognormal(rng, 360, 0.6, 80, 2400))
    return Turn(ticket, label, text_tokens(label))


def draft_turn(rng: random.Random) -> Turn:
    label = draw_label(rng)
    n_messages = 2 if rng.random() < DRAFT_FOLLOW_UP_SHARE else 1
    thread = [texts.ticket(rng, label, lognormal(rng, 700, 0.6, 120, 2400)) for _ in range(n_messages)]
    user_text = texts.DRAFT_REQUEST.format(
        ticket=texts.EARLIER_MESSAGE.join(thread), note=rng.choice(texts.AGENT_NOTES)
    )
    return Turn(user_text, texts.draft_reply(rng, label), lognormal(rng, 350, 0.55, 40, 2000))


def build_workloads() -> tuple[Workload, Workload]:
    # The prompts are fixed artefacts of each workload, so they have their own seed, not --seed.
    shots_rng = random.Random("ticket-classifier few-shot examples")
    shots = [(texts.ticket(shots_rng, label, 1050), label) for label in texts.FEW_SHOT_LABELS]
    customers = random.Random("customers").sample(range(10**5), 600)
    classify = Workload(
        name="classify",
        feature="ticket-classifier",
        request_model="gpt-4o-mini",
        model="gpt-4o-mini-2024-07-18",
        static_messages=static_messages(texts.CLASSIFY_SYSTEM, shots, 2000),
        cache_hit_probability=0.85,
        calls_per_day=180,
        users=tuple(f"cust_{number}" for number in customers),
        draw_turn=classify_turn,
        output_rule="the label; completion_tokens = (label characters + 2) // 4, i.e. 1 to 8",
    )
    draft = Workload(
        name="draft",
        feature="reply-drafter",
        request_model="gpt-4o",
        model="gpt-4o-2024-08-06",
        static_messages=static_messages(texts.DRAFT_SYSTEM, [], 450),
        cache_hit_probability=0.30,
        calls_per_day=50,
        users=tuple(f"agent_{number:03d}" for number in range(1, 19)),
        draw_turn=draft_turn,
        output_rule=(
            "completion_tokens = round(lognormal(median 350, sigma 0.55)) clamped to 40..2000; the "
            "assistant message is a short stand-in, not the basis of the count"
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
    deployment = created // (30 * 86400)  # a new serving configuration about once a month
    return "fp_" + hashlib.sha256(f"{model}/{deployment}".encode()).hexdigest()[:10]


def chat_completion(call: Call, completion_id: str) -> dict[str, Any]:
    completion = call.turn.completion_tokens
    message: dict[str, Any] = {
        "role": "assistant",
        "content": call.turn.reply,
        "refusal": None,
        "annotations": [],
    }
    return {
        "id": f"chatcmpl-{completion_id}",
        "object": "chat.completion",
        "created": call.created,
        "model": call.workload.model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
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
    return [LAST_DAY - dt.timedelta(days=DAYS - 1 - index) for index in range(DAYS)]


def unix(day: dt.date, seconds: int = 0) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) + seconds


def growth(day_index: int) -> float:
    return 1 + GROWTH_OVER_PERIOD * day_index / (DAYS - 1)


def poisson_like(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def call_times(rng: random.Random, workload: Workload, day: dt.date, day_index: int) -> list[int]:
    mean = workload.calls_per_day * growth(day_index) * WEEKDAY_FACTOR[day.weekday()]
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=poisson_like(rng, mean))
    return sorted(unix(day, hour * 3600 + rng.randrange(3600)) for hour in hours)


def realtime_calls(rng: random.Random, workloads: tuple[Workload, ...]) -> Iterator[Call]:
    """Grouped by UTC day, then workload, then time: a daily export appending each service's log.

    Interleaving the workloads call by call would push the drafter's system prompt out of gzip's
    32 KiB window and cost about 40% more bytes for the same traffic.
    """
    for day_index, day in enumerate(period_days()):
        for workload in workloads:
            for created in call_times(rng, workload, day, day_index):
                yield make_call(rng, workload, created)


def batch_nights(rng: random.Random, workload: Workload) -> Iterator[tuple[str, list[Call]]]:
    """Yield (custom_id prefix, calls in submission order); `created` is when each one finished."""
    for day_index, day in enumerate(period_days()):
        if day.weekday() in BATCH_WEEKDAYS:
            submitted = unix(day, BATCH_SUBMIT_HOUR * 3600 + rng.randrange(600))
            n_requests = poisson_like(rng, BATCH_REQUESTS_MEAN * growth(day_index))
            finished = [submitted + rng.randint(*BATCH_WINDOW_SECONDS) for _ in range(n_requests)]
            yield f"tickets-{day:%Y%m%d}", [make_call(rng, workload, created) for created in finished]


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


def write_jsonl_gz(path: Path, lines: Iterable[str]) -> int:
    """gzip with mtime=0 and no file name in the header, so equal content gives equal bytes."""
    count = 0
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        for line in lines:
            out.write(line.encode() + b"\n")
            count += 1
    return count


def chat_lines(calls: Iterable[Call], seed: int, tally: Tally) -> Iterator[str]:
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
    line_id = f"batch_req_{opaque_id(seed, 'batch_req', custom_id, length=24)}"
    return dumps({"id": line_id, "custom_id": custom_id, "response": response, "error": None})


def batch_lines(
    nights: Iterable[tuple[str, list[Call]]], seed: int, tally: Tally
) -> tuple[list[str], list[str]]:
    """Input lines in submission order; output lines in the order the requests finished."""
    inputs: list[str] = []
    outputs: list[str] = []
    for prefix, calls in nights:
        batch = [(f"{prefix}-{n:04d}", call) for n, call in enumerate(calls)]
        inputs.extend(batch_input_line(custom_id, call) for custom_id, call in batch)
        for custom_id, call in sorted(batch, key=lambda pair: pair[1].created):
            tally.add(call, BATCH_OUTPUT_FILE)
            outputs.append(batch_output_line(seed, custom_id, call))
    return inputs, outputs


def workload_manifest(w: Workload, tally: Tally) -> dict[str, Any]:
    static = list(w.static_messages)
    return {
        "name": w.name,
        "feature": w.feature,
        "request_model": w.request_model,
        "model": w.model,
        "static_messages": len(static),
        "prefix_chars": sum(len(message["content"]) for message in static),
        "prefix_tokens": prefix_tokens(w.static_messages),
        "prefix_sha256": hashlib.sha256(json.dumps(static, separators=(",", ":")).encode()).hexdigest(),
        "variable_tokens_per_char": 1 / CHARS_PER_TOKEN,
        "cache_hit_probability": w.cache_hit_probability,
        "cached_tokens_on_hit": cached_tokens_on_hit(w),
        "base_calls_per_day": w.calls_per_day,
        "output": w.output_rule,
        "files": tally.totals[w.name],
    }


def manifest(seed: int, workloads: Iterable[Workload], tally: Tally, lines: dict[str, int]) -> dict[str, Any]:
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
            "prefix_tokens": "static message characters / 4 (built to divide exactly) + 3 per message",
            "variable_tokens": "(last user message characters + 2) // 4 + noise, noise uniform in -2..2",
            "prompt_tokens": "prefix_tokens + 3 (final user message) + variable_tokens + 3 (reply priming)",
            "fixed_overhead_tokens": MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS,
            "variable_noise_tokens": VARIABLE_NOISE_TOKENS,
            "cached_tokens": (
                "0 on a miss or when prompt_tokens < 1024; on a hit floor(prefix_tokens / 128) * 128, "
                "or 0 when that is below 1024"
            ),
            "prefix_sha256": "sha256 of json.dumps(messages[:-1], separators=(',', ':'))",
        },
        "traffic": {
            "calls_per_day": "round(gauss(m, sqrt(m))) with m = base_calls_per_day * growth * weekday factor",
            "growth": f"1 + {GROWTH_OVER_PERIOD} * day_index / {DAYS - 1}",
            "weekday_factor_monday_first": list(WEEKDAY_FACTOR),
            "hour_weights_utc": [round(weight, 4) for weight in HOUR_WEIGHTS],
            "chat_file_order": "UTC day, then workload (as listed below), then created",
            "batch": {
                "workload": "classify",
                "weekdays_monday_is_0": list(BATCH_WEEKDAYS),
                "submitted_utc_hour": BATCH_SUBMIT_HOUR,
                "requests_per_night": f"round(gauss(m, sqrt(m))) with m = {BATCH_REQUESTS_MEAN} * growth",
                "finished_seconds_after_submission": list(BATCH_WINDOW_SECONDS),
            },
        },
        "workloads": [workload_manifest(w, tally) for w in workloads],
    }


def generate(out: Path, seed: int) -> None:
    rng = random.Random(seed)
    workloads = build_workloads()
    tally = Tally()
    out.mkdir(parents=True, exist_ok=True)
    lines = {
        CHAT_FILE: write_jsonl_gz(out / CHAT_FILE, chat_lines(realtime_calls(rng, workloads), seed, tally))
    }
    batch_input, batch_output = batch_lines(batch_nights(rng, workloads[0]), seed, tally)
    lines[BATCH_INPUT_FILE] = write_jsonl_gz(out / BATCH_INPUT_FILE, batch_input)
    lines[BATCH_OUTPUT_FILE] = write_jsonl_gz(out / BATCH_OUTPUT_FILE, batch_output)
    text = json.dumps(manifest(seed, workloads, tally, lines), indent=2) + "\n"
    (out / MANIFEST_FILE).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the sample OpenAI usage logs and MANIFEST.json.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args()
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
