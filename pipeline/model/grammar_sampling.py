"""Greedy decoding under a grammar that checks the grammar on the chosen token first.

llama-cpp-python (0.3.x) samples through one chain, repetition penalties → grammar → greedy,
so every generated token runs the grammar over the whole vocabulary (152k tokens for Qwen2.5):
each token's text is matched against every open alternative of the grammar, and with our
schemas (enums of the chunk's phrases, places and names) that costs more than decoding the
token. llama.cpp's own server avoids it: it picks the token without the grammar, asks the
grammar about that one token, and only when the grammar refuses it applies the grammar to the
whole vocabulary and picks again.

At temperature 0 the two give the same token: the best token that the grammar allows is the
best token overall whenever the grammar allows it, and otherwise the second pass computes it
as the chain would (the penalties leave a refused token refused). So answers, and the
cassettes recorded from them, do not change; `pipeline.model.llama_server` installs this for
greedy requests with a grammar, and `CLAIMDIFF_PLAIN_SAMPLER=1` keeps llama-cpp-python's own
chain (to compare them: `bench/bench_live.py --plain-sampler`).

It also evaluates forced text in one batch. Where the grammar allows one continuation only
(the keys, brackets and separators between two choices, the rest of an enum value once its
first letters decide it: `json_grammar` spells JSON one way), decoding it token by token costs
one pass of the model per token for nothing the model decides. After each token it chooses,
the sampler reads the forced text off the grammar byte by byte, tokenizes it and queues its
tokens (all but the last, which the model writes itself, so that the forced text never ends
in a token the model would not have chosen at that boundary); `Llama.generate` then evaluates
the chosen token and the queued ones in one batch, as it does a prompt, and the sampler hands
out the queued tokens without consulting the logits.
"""

from __future__ import annotations

import ctypes
import os
from collections import deque
from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy as np

PLAIN_SAMPLER_ENV = "CLAIMDIFF_PLAIN_SAMPLER"
# "0": no forced text read off the grammar (to compare: the check-first sampler alone).
FORCED_TEXT_ENV = "CLAIMDIFF_FORCED_TEXT"
# Forced text read off the grammar per chosen token, at most (a long enum value, a key).
MAX_FORCED_BYTES = 256


@cache
def _byte_tokens(llama_cpp: Any, vocab: int, n_vocab: int) -> tuple[int, ...]:
    """Per byte value, a token whose text is that one byte (-1: none); the probe for which
    bytes the grammar allows next."""
    found = [-1] * 256
    buffer = ctypes.create_string_buffer(64)
    for token in range(n_vocab):
        size = llama_cpp.llama_token_to_piece(vocab, token, buffer, 64, 0, False)
        if size == 1 and found[buffer.raw[0]] < 0:
            found[buffer.raw[0]] = token
    return tuple(found)


class GrammarCheckedSampler:
    """Stands in for llama-cpp-python's `LlamaSampler` in `Llama.sample` (only `sample` is
    called there): `chain` is llama-cpp-python's chain built without the grammar (penalties,
    greedy), `grammar` a llama.cpp grammar sampler owned by this object."""

    def __init__(
        self, llama_cpp: Any, chain: Any, grammar: Any, llama: Any, force: bool = True
    ) -> None:
        self._c = llama_cpp
        self._force_text = force
        self._chain = chain  # kept alive: it owns the chain's C sampler
        self._grammar = grammar
        self._llama = llama
        n_vocab = llama.n_vocab()
        self._n_vocab = n_vocab
        self._queue: deque[int] = deque()  # forced tokens, accepted by the grammar already
        self.pending: list[int] = []  # … the ones decided after the last chosen token
        vocab = llama._model.vocab
        probes = _byte_tokens(llama_cpp, ctypes.cast(vocab, ctypes.c_void_p).value, n_vocab)
        self._probe_bytes = [b for b in range(256) if probes[b] >= 0]
        self._probe_tokens = np.array([probes[b] for b in self._probe_bytes], dtype=np.int32)
        self._ids = np.arange(n_vocab, dtype=np.int32)
        # The layout of llama.cpp's llama_token_data: {int32 id; float logit; float p}.
        self._data = np.zeros(n_vocab, dtype=np.dtype(
            [("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True
        ))  # fmt: skip

    def sample(self, ctx: Any, idx: int = -1) -> int:
        if self._queue:
            token = self._queue.popleft()
            self._c.llama_sampler_accept(self._chain.sampler, token)
            return token
        logits = np.ctypeslib.as_array(
            self._c.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,)
        )
        token = self._pick(logits, grammar=False)
        if not self._allowed(token):
            token = self._pick(logits, grammar=True)
        self._c.llama_sampler_accept(self._grammar, token)
        self._c.llama_sampler_accept(self._chain.sampler, token)
        if self._force_text:
            self.pending = self._force()
            self._queue.extend(self.pending)
        return token

    def take_pending(self) -> list[int]:
        pending, self.pending = self.pending, []
        return pending

    def _force(self) -> list[int]:
        """The tokens of the text the grammar forces next, but the last; accepted by the
        grammar."""
        text = self._forced_text()
        tokens = self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        forced = list(tokens[:-1])
        for token in forced:
            self._c.llama_sampler_accept(self._grammar, token)
        return forced

    def _forced_text(self) -> str:
        probe = self._c.llama_sampler_clone(self._grammar)
        data: np.ndarray[Any, Any] = np.zeros(len(self._probe_tokens), dtype=self._data.dtype)
        forced = bytearray()
        try:
            while len(forced) < MAX_FORCED_BYTES:
                data["id"] = self._probe_tokens
                data["logit"] = 0.0
                candidates = self._c.llama_token_data_array(
                    data=data.ctypes.data_as(self._c.llama_token_data_p),
                    size=len(data), selected=-1, sorted=False,
                )  # fmt: skip
                self._c.llama_sampler_apply(probe, ctypes.byref(candidates))
                allowed = np.flatnonzero(np.isfinite(data["logit"]))
                if len(allowed) != 1:
                    break
                forced.append(self._probe_bytes[int(allowed[0])])
                self._c.llama_sampler_accept(probe, int(self._probe_tokens[allowed[0]]))
        finally:
            self._c.llama_sampler_free(probe)
        # The last character may be cut: keep whole characters only.
        for end in range(len(forced), max(len(forced) - 4, -1), -1):
            try:
                return bytes(forced[:end]).decode("utf-8")
            except UnicodeDecodeError:
                continue
        return ""

    def _pick(self, logits: np.ndarray[Any, Any], grammar: bool) -> int:
        self._data["id"] = self._ids
        self._data["logit"] = logits
        self._data["p"] = 0.0
        candidates = self._c.llama_token_data_array(
            data=self._data.ctypes.data_as(self._c.llama_token_data_p),
            size=self._n_vocab, selected=-1, sorted=False,
        )  # fmt: skip
        if grammar:
            self._c.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
        self._c.llama_sampler_apply(self._chain.sampler, ctypes.byref(candidates))
        return int(candidates.data[candidates.selected].id)

    def _allowed(self, token: int) -> bool:
        one = self._c.llama_token_data(id=token, logit=1.0, p=0.0)
        single = self._c.llama_token_data_array(
            data=ctypes.pointer(one), size=1, selected=-1, sorted=False
        )
        self._c.llama_sampler_apply(self._grammar, ctypes.byref(single))
        return bool(np.isfinite(single.data[0].logit))

    def __del__(self) -> None:
        grammar, self._grammar = self._grammar, None
        if grammar is not None:
            self._c.llama_sampler_free(grammar)


def install() -> None:
    """Make `Llama` build a `GrammarCheckedSampler` for greedy requests with a grammar."""
    import llama_cpp
    from llama_cpp.llama import Llama

    original = Llama._init_sampler

    def init_sampler(self: Any, *args: Any, **kwargs: Any) -> Any:
        grammar = kwargs.get("grammar")
        # Llama passes everything by keyword; anything else keeps llama-cpp-python's chain.
        plain = args or kwargs.get("temp") != 0.0 or kwargs.get("logits_processor") is not None
        if grammar is None or plain:
            return original(self, *args, **kwargs)
        chain = original(self, **{**kwargs, "grammar": None})
        sampler = llama_cpp.llama_sampler_init_grammar(
            self._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        force = os.environ.get(FORCED_TEXT_ENV) != "0"
        return GrammarCheckedSampler(llama_cpp, chain, sampler, self, force)

    original_generate = Llama.generate

    def generate(self: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
        # Hand the forced tokens back to Llama.generate, which evaluates them in one batch
        # with the chosen token (the way it takes a draft model's tokens); its checks then
        # find the sampler's tokens equal to them.
        inner = original_generate(self, *args, **kwargs)
        try:
            token = next(inner)
            while True:
                sampler = self._sampler
                checked = isinstance(sampler, GrammarCheckedSampler)
                forced = sampler.take_pending() if checked else []
                room = max(self._n_ctx - self.n_tokens - 2, 0)
                yield token
                token = inner.send(forced[:room] or None)
        except StopIteration:
            return
        finally:
            inner.close()

    setattr(Llama, "_init_sampler", init_sampler)  # noqa: B010
    setattr(Llama, "generate", generate)  # noqa: B010
