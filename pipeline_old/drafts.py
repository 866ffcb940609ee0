"""What the model is asked to return: text copied from the paragraph, nothing computed.

A small model copies well and reasons poorly, so a draft holds only strings taken from the
paragraph: a quote and number phrases as written. Validators check each against the paragraph
(passed as validation context ``{"chunk": text}``); instructor sends their messages back to the
model and asks again. Intervals and units are computed later, by `pipeline.normalize`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationInfo, field_validator, model_validator

from pipeline.grounding import locate, locate_number
from pipeline.normalize import contains_number
from schemas import RecordType

_KILLED = re.compile(r"\b(kill\w*|dead|died|deaths?|death toll|lives|fatalit\w*)\b", re.I)
_INJURED = re.compile(r"\b(injur\w*|wound\w*|hurt|casualt\w*)\b", re.I)
# Small models often write the JSON string "null" where they mean null.
_NULL_WORDS = frozenset({"", "null", "none", "n/a", "na", "unknown", "not specified", "-"})


def _chunk(info: ValidationInfo) -> str:
    context: dict[str, Any] = info.context or {}
    chunk = context.get("chunk")
    if not isinstance(chunk, str):
        raise ValueError(
            "drafts are validated against their paragraph: pass context={'chunk': ...}"
        )
    return chunk


class Draft(BaseModel):
    """One record as the model copies it from the paragraph."""

    quote: str
    attributed_to: str | None = None

    # Fields holding number phrases; each must sit in the quote and read as a number.
    number_fields: ClassVar[tuple[str, ...]] = ()
    # Fields of which at least one must be filled for the record to say anything.
    required_any: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _null_words_are_null(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().casefold() in _NULL_WORDS:
            return None
        return value

    @field_validator("quote")
    @classmethod
    def _quote_is_verbatim(cls, quote: str, info: ValidationInfo) -> str:
        if locate(quote, _chunk(info)) is None:
            raise ValueError(
                f"quote {quote!r} is not in the paragraph; copy one sentence of the paragraph "
                "character for character"
            )
        return quote

    @model_validator(mode="after")
    def _numbers_are_in_quote(self, info: ValidationInfo) -> Draft:
        for name in self.number_fields:
            phrase = getattr(self, name)
            if phrase is None:
                continue
            if not contains_number(phrase):
                raise ValueError(f"{name} {phrase!r} is not a number; use null when there is none")
            if locate_number(phrase, self.quote) is None:
                raise ValueError(
                    f"{name} {phrase!r} is not in the quote; copy the number as the quote writes "
                    "it, or use null"
                )
        if self.required_any and all(getattr(self, name) is None for name in self.required_any):
            raise ValueError(
                f"a record needs at least one of {', '.join(self.required_any)}; "
                "if the paragraph has none, return an empty list"
            )
        return self


class CasualtyDraft(Draft):
    killed: str | None = None
    injured: str | None = None
    victims: str | None = None
    location: str | None = None

    number_fields = ("killed", "injured")
    required_any = ("killed", "injured")

    @model_validator(mode="after")
    def _words_match_measure(self) -> CasualtyDraft:
        if self.killed is not None and not _KILLED.search(self.quote):
            raise ValueError("the quote does not say anyone was killed; set killed to null")
        if self.injured is not None and not _INJURED.search(self.quote):
            raise ValueError("the quote does not say anyone was injured; set injured to null")
        return self


class AttackDraft(Draft):
    actor: str | None = None
    weapon: str | None = None
    target: str | None = None
    location: str | None = None
    launched: str | None = None
    hit: str | None = None
    downed: str | None = None
    distance: str | None = None

    number_fields = ("launched", "hit", "downed", "distance")
    required_any = ("launched", "hit", "downed", "distance")


class TalksDraft(Draft):
    venue: str | None = None
    date: str | None = None
    ukraine_head: str | None = None
    russia_head: str | None = None
    mediator: str | None = None

    required_any = ("venue", "date", "ukraine_head", "russia_head", "mediator")


class TerritoryDraft(Draft):
    claimant: str | None = None
    place: str | None = None
    area: str | None = None
    period: str | None = None

    number_fields = ("area",)
    required_any = ("place", "area")


class CasualtyDrafts(BaseModel):
    records: list[CasualtyDraft]


class AttackDrafts(BaseModel):
    records: list[AttackDraft]


class TalksDrafts(BaseModel):
    records: list[TalksDraft]


class TerritoryDrafts(BaseModel):
    records: list[TerritoryDraft]


RESPONSE_MODELS: dict[RecordType, type[BaseModel]] = {
    RecordType.CASUALTY: CasualtyDrafts,
    RecordType.ATTACK: AttackDrafts,
    RecordType.TALKS: TalksDrafts,
    RecordType.TERRITORIAL_CLAIM: TerritoryDrafts,
}


def drafts_of(response: BaseModel) -> list[Draft]:
    records = getattr(response, "records", [])
    return [r for r in records if isinstance(r, Draft)]
