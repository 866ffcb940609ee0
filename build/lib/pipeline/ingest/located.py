"""A document or a refusal, with where a person finds it in the input.

Duplicate ids are refused naming both sources; for a table row the file alone does not say
which row, so every reader hands on, beside each item, the row it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.data import Document, SourceError


@dataclass(frozen=True, slots=True)
class Located:
    item: Document | SourceError
    row: str | None = None  # "row 3", "line 2" for a table row; None for a whole file

    @property
    def origin(self) -> str:
        """Where a person finds the item: "seeds/a.txt", "row 3 of articles.csv"."""
        path = self.item.source_path
        return path if self.row is None else f"{self.row} of {path}"
