"""Settings from the environment (or a `.env` file): which model, how patient, where things go.

With no endpoint configured claimdiff runs the embedded local model; set `CLAIMDIFF_BASE_URL`
(and usually `CLAIMDIFF_MODEL`, `OPENAI_API_KEY`) for OpenAI, vLLM, Ollama or any other
OpenAI-compatible server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["json_schema", "tools", "json", "md_json"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMDIFF_", env_file=".env", extra="ignore")

    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint; unset = the embedded local model"
    )
    model: str | None = Field(default=None, description="model name the endpoint knows")
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("CLAIMDIFF_API_KEY", "OPENAI_API_KEY")
    )
    mode: Mode = Field(
        default="json_schema",
        description="instructor mode: json_schema (OpenAI structured outputs; OpenAI, vLLM, "
        "Ollama, the embedded server), tools, json or md_json",
    )
    local_model: str = Field(default="qwen2.5-coder-1.5b", description="embedded model key")
    threads: int = Field(default=0, description="llama.cpp threads; 0 = all cores")
    context_tokens: int = 4096
    timeout: float = Field(default=120.0, description="seconds per HTTP request")
    http_retries: int = Field(default=5, description="attempts on 429, 5xx and transport errors")
    validation_retries: int = Field(default=2, description="re-asks after a rejected answer")
    concurrency: int = Field(
        default=8, description="documents extracted at once against a configured endpoint"
    )
    max_bytes: int = Field(default=1_000_000, description="largest article file accepted")
    cache_dir: Path = Field(
        default=Path.home() / ".cache" / "claimdiff",
        description="the assembled model, the gazetteer index and the server log",
    )
    cassettes_dir: Path = Field(
        default=Path("cassettes"), description="where cassettes are recorded and replayed"
    )
    layout: Literal["per_type", "per_chunk"] = Field(
        default="per_type",
        description="requests per chunk: one per record type, or one for all record types",
    )
    strict_schema: bool = Field(
        default=True, description="send OpenAI's strict flag with the response schema"
    )
    lock_timeout: float = Field(
        default=0.0,
        description=(
            "seconds a run waits for readers to release the database (0 = as long as it takes)"
        ),
    )
    gloss: bool = Field(
        default=False,
        description="write an English machine translation of each non-English quote (facts.gloss)",
    )
    engine: Literal["local", "ray"] = Field(
        default="local", description="local threads, or a Ray cluster (`--engine ray`)"
    )
    ray_address: str | None = Field(
        default=None,
        description="Ray cluster to join (e.g. ray://head:10001); unset = start a local one",
    )
    markers: Path | None = Field(
        default=None,
        description="YAML file of aggregator-page markers (default: the built-in ones)",
    )
