"""Where a fact comes from: the verbatim quote, its place in the article, and who claims it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Match(StrEnum):
    """How the model's quote was found in the article (the stored quote is always the article's)."""

    EXACT = "exact"
    NORMALIZED = "normalized"  # equal after folding case, quote marks, dashes and spaces


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    quote: str = Field(
        description="text copied from the document, equal to text[char_start:char_end]"
    )
    char_start: int = Field(ge=0, description="Python string index into the stored document text")
    char_end: int = Field(ge=0)
    attributed_to: str | None = Field(
        default=None, description="who the article says makes the claim, as the article names them"
    )
    match: Match = Match.EXACT

    @model_validator(mode="after")
    def _span(self) -> Evidence:
        if self.char_end - self.char_start != len(self.quote):
            raise ValueError("char_end - char_start must equal the length of the quote")
        return self
