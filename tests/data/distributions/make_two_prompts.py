"""Writes two_prompts.jsonl.gz: OpenAI chat {request, response} pairs of two workloads whose static
prefix is known exactly, for the static-prefix and workload-naming tests.

Token rule (OpenAI chat accounting, as sample_logs uses): each message costs characters / 4 + 3,
the reply priming 3. Static messages are built to a multiple of 4 characters.
  support (metadata feature "support-bot"): 3 static messages, prefix 1,100+3 + 50+3 + 10+3 = 1,169
    tokens; 70% of calls read floor(1169 / 128) * 128 = 1,152 tokens from the cache.
  summarize (feature "summarizer"): 1 static message, prefix 300 + 3 = 303 tokens, never cached.
Deterministic: rerun `python tests/data/distributions/make_two_prompts.py` to rewrite the same bytes.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("two_prompts.jsonl.gz")
WORDS = ["invoice", "refund", "login", "crash", "export", "sync", "report", "totals", "bank", "feed", "plan",
         "seat", "receipt", "tax"]
START = 1772323200  # 2026-03-01T00:00:00Z


def text(chars: int, rng: random.Random) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:chars].ljust(chars, ".")


def main() -> None:
    rng = random.Random(4)
    prompts = {
        "support-bot": ("gpt-4o-mini", "gpt-4o-mini-2024-07-18",
                        [{"role": "system", "content": text(4400, rng)},
                         {"role": "user", "content": text(200, rng)},
                         {"role": "assistant", "content": text(40, rng)}], 1169, 0.7, 40),
        "summarizer": ("gpt-4o", "gpt-4o-2024-08-06",
                       [{"role": "system", "content": text(1200, rng)}], 303, 0.0, 30),
    }
    lines: list[str] = []
    n = 0
    for feature, (request_model, model, static, prefix_tokens, hit_rate, calls) in prompts.items():
        for _ in range(calls):
            user = text(rng.randint(20, 900), rng)
            prompt = prefix_tokens + 3 + (len(user) + 2) // 4 + 3
            cached = (prefix_tokens // 128) * 128 if rng.random() < hit_rate and prompt >= 1024 else 0
            completion = rng.randint(5, 400)
            n += 1
            request = {"model": request_model, "messages": [*static, {"role": "user", "content": user}],
                       "metadata": {"feature": feature}}
            response = {"id": f"chatcmpl-dist{n:04d}", "object": "chat.completion",
                        "created": START + rng.randint(0, 10 * 86400 - 1), "model": model,
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                  "total_tokens": prompt + completion,
                                  "prompt_tokens_details": {"cached_tokens": cached},
                                  "completion_tokens_details": {"reasoning_tokens": 0}}}
            lines.append(json.dumps({"request": request, "response": response}, separators=(",", ":")))
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    main()
