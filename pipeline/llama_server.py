"""Start llama-cpp-python's OpenAI-compatible server, speaking OpenAI's structured-output dialect.

llama-cpp-python (0.3.x) enforces a JSON schema only for the Anyscale-style
``{"type": "json_object", "schema": ...}``; it rejects OpenAI's standard
``{"type": "json_schema", "json_schema": {"schema": ...}}`` with a 422. OpenAI, vLLM and
Ollama all accept the standard form, and it is what instructor's JSON_SCHEMA mode sends, so we
teach the embedded server that form instead of teaching the client a local dialect. The client
code then stays identical for every endpoint.

Run as ``python -m pipeline.llama_server <llama_cpp.server arguments>``.
"""

from __future__ import annotations

import sys
from typing import Any, Literal

from typing_extensions import NotRequired, TypedDict


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

    llama_types.ChatCompletionRequestResponseFormat = _ResponseFormat  # type: ignore[misc]
    llama_cpp.ChatCompletionRequestResponseFormat = _ResponseFormat  # type: ignore[attr-defined]
    original = Llama.create_chat_completion

    def create_chat_completion(self: Llama, *args: Any, **kwargs: Any) -> Any:
        response_format = kwargs.get("response_format")
        if response_format and response_format.get("type") == "json_schema":
            schema = response_format.get("json_schema", {}).get("schema", {})
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        return original(self, *args, **kwargs)

    Llama.create_chat_completion = create_chat_completion  # type: ignore[method-assign]


def main() -> None:
    _patch()
    from llama_cpp.server.__main__ import main as server_main

    sys.argv[0] = "llama_cpp.server"
    server_main()


if __name__ == "__main__":
    main()
