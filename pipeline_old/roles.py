"""Who does what at the talks: keep a role only where the quote's words give it.

A small model fills every field it is offered: it names an analyst as a delegation head, a
city as the mediator, the dateline as the venue. Each role must be supported by words next to
the name in the quote ("led by", "will head", "chair", "talks in"), and a delegation head goes
to the side whose delegation the quote names nearest to them ("The Russian delegation, headed
by Vladimir Medinsky").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.gazetteer import places_in
from pipeline.grounding import locate
from pipeline.normalize import fold

WINDOW = 60  # characters between a name and the words that give it its role

# "headed by" leads; "headed to Istanbul" travels.
_LEAD = re.compile(
    r"\b(led|lead|leads|leading|chief|(headed|heads|head)(?! (to|for|into|toward)\b))\b"
)
_MEDIATE = re.compile(r"\b(mediat\w*|chair\w*|host\w*|broker\w*|facilitat\w*)\b")
_TALKS = re.compile(r"\b(talks|negotiations?|meet\w*|round|delegations?|summit)\b")
_DELEGATION = {
    "ukraine": re.compile(r"\b(ukrainian|ukraine's|kyiv's) (delegation|team|side)\b"),
    "russia": re.compile(r"\b(russian|russia's|moscow's|kremlin's) (delegation|team|side)\b"),
}


@dataclass(frozen=True)
class Roles:
    venue: str | None
    ukraine_head: str | None
    russia_head: str | None
    mediator: str | None


def assign(quote: str, roles: Roles) -> Roles:
    """The roles the quote supports; the others become None."""
    text = fold(quote)
    heads: dict[str, tuple[int, str]] = {}  # side → (distance to a lead word, name)
    for side, name in (("ukraine", roles.ukraine_head), ("russia", roles.russia_head)):
        at = _position(name, quote)
        if name is None or at is None or _distance(_LEAD, text, at) > WINDOW:
            continue
        side = _nearest_side(text, at) or side
        distance = _distance(_LEAD, text, at)
        if side not in heads or distance < heads[side][0]:
            heads[side] = (distance, name)
    mediator = roles.mediator
    venue = roles.venue
    mediator_at = _position(mediator, quote)
    if mediator is None or mediator_at is None or _distance(_MEDIATE, text, mediator_at) > WINDOW:
        if mediator and venue is None and _is_place_name(mediator):
            venue = mediator  # "Istanbul" offered as the mediator is where the talks are
        mediator = None
    venue_at = _position(venue, quote)
    if venue is not None and (venue_at is None or _distance(_TALKS, text, venue_at) > WINDOW):
        venue = None
    return Roles(
        venue=venue,
        ukraine_head=heads.get("ukraine", (0, None))[1],
        russia_head=heads.get("russia", (0, None))[1],
        mediator=mediator if mediator and not _is_head(mediator, heads) else None,
    )


def _is_place_name(value: str) -> bool:
    places = places_in(value)
    return len(places) == 1 and fold(value).strip() in places[0].variants


def _position(name: str | None, quote: str) -> int | None:
    if not name:
        return None
    span = locate(name, quote)
    return None if span is None else span.start


def _distance(pattern: re.Pattern[str], text: str, at: int) -> int:
    return min((abs(m.start() - at) for m in pattern.finditer(text)), default=10**9)


def _nearest_side(text: str, at: int) -> str | None:
    distances = {side: _distance(p, text, at) for side, p in _DELEGATION.items()}
    side = min(distances, key=lambda s: distances[s])
    return side if distances[side] <= 2 * WINDOW else None


def _is_head(name: str, heads: dict[str, tuple[int, str]]) -> bool:
    return any(name == head for _, head in heads.values())
