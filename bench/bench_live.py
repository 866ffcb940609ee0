"""Live benchmark against the physical limit of the embedded model (opt-in: `make bench-live`).

1. Starts the embedded llama.cpp server (the same one `claimdiff run` uses) and measures the
   machine's raw rates with it: prompt tokens per second (a long prompt, one token out) and
   generated tokens per second (free text, no grammar).
2. Runs a fixed set of articles through the whole pipeline, live, and prints per article:
   characters, seconds, prompt tokens evaluated after the KV cache, completion tokens, the
   tokens of them decoded one at a time ("alone"; forced text goes in one batch with the
   token before it),
   requests, rejected answers, facts, and the ratio of its seconds to the limit — the
   article's tokens at the raw prompt rate plus 25 tokens per fact at the raw generation rate.

    .venv/bin/python bench/bench_live.py [ARTICLE …]      # default: seeds/ and three others
    .venv/bin/python bench/bench_live.py --plain-sampler  # llama-cpp-python's own sampling

Run it on an otherwise idle machine: llama.cpp's threads slow down badly when they share the
cores with other work.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import ingest  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.extract import extract_document, plan  # noqa: E402
from pipeline.interpret.places import Gazetteer  # noqa: E402
from pipeline.interpret.records import interpret  # noqa: E402
from pipeline.model import local  # noqa: E402
from pipeline.model.client import instructor_ask  # noqa: E402
from pipeline.model.grammar_sampling import PLAIN_SAMPLER_ENV  # noqa: E402
from pipeline.model.transport import Endpoint, HttpStats, make_client  # noqa: E402
from schemas import Document  # noqa: E402

TOKENS_PER_FACT = 25
DEFAULT_ARTICLES = [
    ROOT / "seeds",
    ROOT / "tests/corpora/dev/articles/sd_fasher_wire_0125.txt",
    ROOT / "tests/corpora/dev/articles/gz_dispatch_0808.txt",
    ROOT / "tests/corpora/multilingual/articles/fr_fasher_0126.txt",
]
_PROMPT_EVAL = re.compile(r"prompt eval time =\s+([\d.]+) ms /\s+(\d+) tokens")
_EVAL = re.compile(r"\beval time =\s+([\d.]+) ms /\s+(\d+) runs")


def _post(base: str, path: str, body: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(
        base.removesuffix("/v1") + path, data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=1200) as response:
        result: dict[str, object] = json.loads(response.read())
        return result


def _log_since(log: Path, offset: int) -> str:
    with log.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", errors="replace")


def raw_rates(base: str, model: str, log: Path) -> tuple[float, float]:
    """(prompt tokens/s, generated tokens/s) of the server, from llama.cpp's own timings."""
    filler = " ".join(f"Paragraph {i} reports an ordinary day in a quiet town." for i in range(90))
    offset = log.stat().st_size
    _post(base, "/v1/chat/completions", {
        "model": model, "max_tokens": 1, "temperature": 0,
        "messages": [{"role": "user", "content": f"{time.time()} {filler}"}],
    })  # fmt: skip
    ms, tokens = map(float, _PROMPT_EVAL.findall(_log_since(log, offset))[-1])
    prompt_rate = tokens / (ms / 1000)
    offset = log.stat().st_size
    _post(base, "/v1/chat/completions", {
        "model": model, "max_tokens": 200, "temperature": 0,
        "messages": [{"role": "user", "content": "Count from one to two hundred in words."}],
    })  # fmt: skip
    ms, runs = map(float, _EVAL.findall(_log_since(log, offset))[-1])
    return prompt_rate, runs / (ms / 1000)


def article_tokens(base: str, text: str) -> int:
    found = _post(base, "/extras/tokenize", {"input": text})
    tokens = found.get("tokens")
    return len(tokens) if isinstance(tokens, list) else len(text) // 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--plain-sampler", action="store_true",
                        help="llama-cpp-python's own grammar sampling (to compare)")  # fmt: skip
    args = parser.parse_args()
    if args.plain_sampler:
        os.environ[PLAIN_SAMPLER_ENV] = "1"  # read by the server process it starts
    settings = Settings()
    model = local.get_model(settings.local_model)
    gguf = local.assemble(model, settings.cache_dir)
    log = Path(tempfile.mkdtemp()) / "llama-server.log"
    places = Gazetteer.load(settings.cache_dir)
    documents = [d for d in ingest.read(args.articles) if isinstance(d, Document)]
    with local.LocalServer(model, gguf, log, threads=settings.threads,
                           context_tokens=settings.context_tokens) as server:  # fmt: skip
        prompt_rate, gen_rate = raw_rates(server.base_url, model.alias, log)
        print(f"raw rates: {prompt_rate:.1f} prompt tokens/s, {gen_rate:.1f} generated tokens/s")
        client = make_client(Endpoint(server.base_url, model.alias, "not-needed"),
                             settings.mode, settings.timeout, 1, HttpStats())  # fmt: skip
        ask = instructor_ask(client, model.alias, settings.validation_retries)
        header = ("article", "chars", "s", "prompt tok", "compl tok", "alone", "req", "rej",
                  "facts", "limit s", "ratio")  # fmt: skip
        print(" | ".join(header))
        totals = [0.0, 0.0]
        for document in documents:
            offset = log.stat().st_size
            started = time.monotonic()
            requests = plan(document, places, settings.layout)
            extraction = extract_document(document, ask, places, layout=settings.layout,
                                          requests=requests)  # fmt: skip
            facts = len(interpret(document, extraction, places).facts)
            seconds = time.monotonic() - started
            timings = _log_since(log, offset)
            batched = sum(int(t) for _, t in _PROMPT_EVAL.findall(timings))
            passes = sum(int(r) for _, r in _EVAL.findall(timings))
            # llama.cpp counts forced text (evaluated in a batch with the chosen token before
            # it) as prompt: what the batches held beyond the prompt is every written token
            # but the ones decoded alone and each answer's last (never evaluated).
            forced = max(extraction.completion_tokens - passes - extraction.requests, 0)
            evaluated = batched - forced
            limit = (article_tokens(server.base_url, document.text) / prompt_rate
                     + TOKENS_PER_FACT * facts / gen_rate)  # fmt: skip
            totals[0] += seconds
            totals[1] += limit
            print(" | ".join(str(x) for x in (
                document.document_id, document.chars, f"{seconds:.1f}", evaluated,
                extraction.completion_tokens, passes, extraction.requests, extraction.rejected,
                facts,
                f"{limit:.1f}", f"{seconds / limit:.2f}" if limit else "-",
            )))  # fmt: skip
        print(f"all: {totals[0]:.0f} s against a limit of {totals[1]:.0f} s, "
              f"ratio {totals[0] / totals[1]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
