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
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

PLAIN_SAMPLER_ENV = "CLAIMDIFF_PLAIN_SAMPLER"


class GrammarCheckedSampler:
    """Stands in for llama-cpp-python's `LlamaSampler` in `Llama.sample` (only `sample` is
    called there): `chain` is llama-cpp-python's chain built without the grammar (penalties,
    greedy), `grammar` a llama.cpp grammar sampler owned by this object."""

    def __init__(self, llama_cpp: Any, chain: Any, grammar: Any, n_vocab: int) -> None:
        self._c = llama_cpp
        self._chain = chain  # kept alive: it owns the chain's C sampler
        self._grammar = grammar
        self._n_vocab = n_vocab
        self._ids = np.arange(n_vocab, dtype=np.int32)
        # The layout of llama.cpp's llama_token_data: {int32 id; float logit; float p}.
        self._data = np.zeros(n_vocab, dtype=np.dtype(
            [("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True
        ))  # fmt: skip

    def sample(self, ctx: Any, idx: int = -1) -> int:
        logits = np.ctypeslib.as_array(
            self._c.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,)
        )
        token = self._pick(logits, grammar=False)
        if not self._allowed(token):
            token = self._pick(logits, grammar=True)
        self._c.llama_sampler_accept(self._grammar, token)
        self._c.llama_sampler_accept(self._chain.sampler, token)
        return token

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
        return GrammarCheckedSampler(llama_cpp, chain, sampler, self._n_vocab)

    setattr(Llama, "_init_sampler", init_sampler)  # noqa: B010
