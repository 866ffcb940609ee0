"""Start llama-cpp-python's OpenAI-compatible server, speaking OpenAI's structured-output dialect.

llama-cpp-python (0.3.x) enforces a JSON schema only for the Anyscale-style
``{"type": "json_object", "schema": ...}``; it rejects OpenAI's standard
``{"type": "json_schema", "json_schema": {"schema": ...}}`` with a 422. OpenAI, vLLM and
Ollama all accept the standard form, and it is what instructor's JSON_SCHEMA mode sends, so we
teach the embedded server that form instead of teaching the client a local dialect. The client
code then stays identical for every endpoint. It also decodes greedy requests with a grammar
the way llama.cpp's own server does (`grammar_sampling`): the same tokens, much sooner.

Run as ``python -m pipeline.model.llama_server <llama_cpp.server arguments>``.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from pipeline.model import grammar_sampling, json_grammar


class _ResponseFormat(TypedDict):
    type: Literal["text", "json_object", "json_schema"]
    schema: NotRequired[dict[str, Any]]
    json_schema: NotRequired[dict[str, Any]]


def _patch() -> None:
    # The server's request model is built from these types at import time, so this must run
    # before llama_cpp.server is imported.
    import llama_cpp
    import llama_cpp.llama_types as llama_types
    from llama_cpp.llama import Llama
    from llama_cpp.llama_grammar import LlamaGrammar

    # setattr: these are module attributes and a method we replace on purpose.
    setattr(llama_types, "ChatCompletionRequestResponseFormat", _ResponseFormat)  # noqa: B010
    setattr(llama_cpp, "ChatCompletionRequestResponseFormat", _ResponseFormat)  # noqa: B010
    original = Llama.create_chat_completion

    def create_chat_completion(self: Any, *args: Any, **kwargs: Any) -> Any:
        response_format = kwargs.get("response_format")
        if response_format and response_format.get("type") == "json_schema":
            schema = response_format.get("json_schema", {}).get("schema", {})
            try:
                grammar = json_grammar.to_gbnf(schema)
            except json_grammar.Unsupported:
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            else:
                kwargs["response_format"] = None
                kwargs["grammar"] = LlamaGrammar.from_string(grammar, verbose=False)
        return original(self, *args, **kwargs)

    setattr(Llama, "create_chat_completion", create_chat_completion)  # noqa: B010
    if os.environ.get(grammar_sampling.PLAIN_SAMPLER_ENV) != "1":
        grammar_sampling.install()


def main() -> None:
    _patch()
    server = importlib.import_module("llama_cpp.server.__main__")
    sys.argv[0] = "llama_cpp.server"
    server.main()


if __name__ == "__main__":
    main()
