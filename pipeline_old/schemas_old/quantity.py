"""A number as an article states it: an inclusive interval, how it was qualified, and its unit."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Qualifier(StrEnum):
    """How the article hedges a number; decides how the number widens into an interval."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    NEARLY = "nearly"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    VAGUE = "vague"  # "dozens", "several", "hundreds"


class Unit(StrEnum):
    COUNT = "count"
    KM = "km"
    KM2 = "km2"
    USD = "usd"
    PERCENT = "percent"


class Quantity(BaseModel):
    """An inclusive interval ``[value_min, value_max]``; ``value_max`` None means open-ended.

    ``phrase`` is the number phrase exactly as the article wrote it ("more than 104",
    "2,500 miles"), so every interval can be traced back to its words.
    """

    model_config = ConfigDict(frozen=True)

    value_min: float = Field(description="inclusive lower bound, in `unit`")
    value_max: float | None = Field(description="inclusive upper bound; null when open-ended")
    qualifier: Qualifier
    unit: Unit
    phrase: str = Field(description="the number phrase verbatim from the article")

    @model_validator(mode="after")
    def _ordered(self) -> Quantity:
        if self.value_max is not None and self.value_max < self.value_min:
            raise ValueError(f"value_max {self.value_max} is below value_min {self.value_min}")
        return self

    def overlaps(self, other: Quantity) -> bool:
        lo = max(self.value_min, other.value_min)
        his = [q.value_max for q in (self, other) if q.value_max is not None]
        return not his or lo <= min(his)
