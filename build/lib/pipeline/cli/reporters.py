"""How `claimdiff run` shows its progress: Rich progress bars, or JSON lines on stderr."""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
from datetime import UTC, datetime

from rich.progress import Progress, TaskID

from pipeline.run import DocumentResult
from schemas import Document


class RichReporter:
    """Progress bars: one for the documents, one for the current document's requests."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.documents = progress.add_task("documents", total=None)
        self.requests: dict[str, TaskID] = {}  # one bar per document being extracted
        self.assembly: TaskID | None = None
        self._lock = threading.Lock()

    def status(self, message: str) -> None:
        self.progress.console.log(message)

    def planned(self, documents: int) -> None:
        self.progress.update(self.documents, total=documents)

    def assembling(self, done: int, total: int) -> None:
        if self.assembly is None:
            self.assembly = self.progress.add_task("assembling model", total=total)
        self.progress.update(self.assembly, completed=done)
        if done >= total:
            self.progress.remove_task(self.assembly)

    def document_started(self, document: Document, requests: int) -> None:
        with self._lock:
            self.requests[document.document_id] = self.progress.add_task(
                f"  {document.document_id}", total=requests
            )

    def request_done(self, document_id: str) -> None:
        with self._lock:
            task = self.requests.get(document_id)
        if task is not None:
            self.progress.advance(task)

    def document_done(self, result: DocumentResult) -> None:
        with self._lock:
            task = self.requests.pop(result.document_id, None)
        if task is not None:
            self.progress.remove_task(task)
        self.progress.advance(self.documents)
        if result.status == "failed":
            self.progress.console.print(f"[red]✗ {result.document_id}[/]: {result.error}")


class JsonReporter:
    """One JSON object per line on stderr, for schedulers and log shippers."""

    def emit(self, event: str, **fields: object) -> None:
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        sys.stderr.write(json.dumps(record | fields, default=str) + "\n")
        sys.stderr.flush()

    def status(self, message: str) -> None:
        self.emit("status", message=message)

    def planned(self, documents: int) -> None:
        self.emit("planned", documents=documents)

    def assembling(self, done: int, total: int) -> None:
        if done >= total:
            self.emit("model_assembled", bytes=total)

    def document_started(self, document: Document, requests: int) -> None:
        self.emit("document_started", document_id=document.document_id, requests=requests)

    def request_done(self, document_id: str) -> None:
        pass

    def document_done(self, result: DocumentResult) -> None:
        self.emit("document_done", **dataclasses.asdict(result))
