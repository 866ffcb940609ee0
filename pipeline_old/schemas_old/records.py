"""The target records: what claimdiff extracts from an article and stores, one table each."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.evidence import Evidence
from schemas.quantity import Quantity


class RecordType(StrEnum):
    ATTACK = "attack"
    CASUALTY = "casualty"
    TALKS = "talks"
    TERRITORIAL_CLAIM = "territorial_claim"


class Measure(StrEnum):
    """The controlled vocabulary of `facts.measure`: what a number counts or measures."""

    KILLED = "killed"
    INJURED = "injured"
    DRONES_LAUNCHED = "drones_launched"
    MISSILES_LAUNCHED = "missiles_launched"
    WEAPONS_LAUNCHED = "weapons_launched"
    AIRCRAFT_HIT = "aircraft_hit"
    TARGETS_HIT = "targets_hit"
    DRONES_DOWNED = "drones_downed"
    MISSILES_DOWNED = "missiles_downed"
    DISTANCE_KM = "distance_km"
    AREA_KM2 = "area_km2"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    evidence: Evidence


class Casualty(_Record):
    """People killed or injured in one incident, as one article reports it."""

    record_type: Literal[RecordType.CASUALTY] = RecordType.CASUALTY
    victims: str | None = Field(default=None, description="who was hit: 'passengers', 'soldiers'")
    location: str | None = None
    killed: Quantity | None = None
    injured: Quantity | None = None


class Attack(_Record):
    """One attack or barrage, with the quantities the article gives for it."""

    record_type: Literal[RecordType.ATTACK] = RecordType.ATTACK
    actor: str | None = Field(default=None, description="who attacked")
    weapon: str | None = Field(default=None, description="'drones', 'missiles', ...")
    target: str | None = None
    location: str | None = None
    launched: Quantity | None = Field(default=None, description="weapons launched or fired")
    hit: Quantity | None = Field(default=None, description="targets hit, damaged or destroyed")
    downed: Quantity | None = Field(default=None, description="weapons shot down")
    distance: Quantity | None = Field(default=None, description="distance reached, in km")


class Talks(_Record):
    """A round of peace talks: where, when, who leads each side, who mediates."""

    record_type: Literal[RecordType.TALKS] = RecordType.TALKS
    venue: str | None = None
    date: str | None = Field(default=None, description="the date as the article words it")
    ukraine_head: str | None = Field(default=None, description="head of Ukraine's delegation")
    russia_head: str | None = Field(default=None, description="head of Russia's delegation")
    mediator: str | None = None


class TerritorialClaim(_Record):
    """A claim that a side took, holds or lost ground."""

    record_type: Literal[RecordType.TERRITORIAL_CLAIM] = RecordType.TERRITORIAL_CLAIM
    claimant: str | None = Field(default=None, description="the side claiming the ground")
    place: str | None = Field(default=None, description="village, town or region")
    area: Quantity | None = Field(default=None, description="area gained, in km2")
    period: str | None = Field(default=None, description="when, as the article words it")


Record = Annotated[Casualty | Attack | Talks | TerritorialClaim, Field(discriminator="record_type")]
