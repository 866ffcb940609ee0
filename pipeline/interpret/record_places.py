"""Where a record happened: the places an article's words name, and which are believed.

The document's context (`context_of`: the countries it names, the place of its dateline)
settles ambiguous names; a place is believed only if it fits that context (`plausible`: a small
namesake abroad, an abbreviation or a country's adjective is no place); and a record's place is
the one its own sentence names nearest its figures (`place_in_sentence`), else the model's
choice (`chosen_place`), its dateline aside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from anyascii import anyascii
from rapidfuzz import fuzz

from pipeline.interpret.names import inside_a_longer_name, names
from pipeline.text import cues_of, tokens
from schemas import Document, Place, PlaceMention, PlacePrecision, ResolvedPlace, Sentence


class Places(Protocol):
    def mentions(self, text: str, language: str) -> list[PlaceMention]: ...
    def resolve(
        self, name: str, countries: Sequence[str] = (), near: Sequence[Place] = ()
    ) -> ResolvedPlace: ...
    def countries_in(self, text: str, language: str) -> list[str]: ...


@dataclass(frozen=True)
class DocumentContext:
    """What the document's records are read against: the countries it names and the place of
    its dateline (they settle ambiguous names), its quarters, and the day its dates count from."""

    countries: tuple[str, ...]
    near: tuple[Place, ...]
    districts: frozenset[str] = frozenset()  # names the article calls a city's neighbourhood
    anchor: date | None = None  # the day its dates are resolved against (`interpret`)
    anchor_estimated: bool = False  # … guessed from the dates it cites: it states none


def context_of(document: Document, places: Places) -> DocumentContext:
    """The countries the article names, most often first: countries and regions it names (by
    name or adjective: "Sudanese"), and large places written as their own names ("Port Sudan"
    says Sudan; an alternate name that is also a word elsewhere, "Hamas" → Hamm, says nothing);
    and the place of its dateline."""
    counts: dict[str, int] = {}
    for mention in places.mentions(document.text, document.language):
        resolved = places.resolve(mention.text)
        place = resolved.place
        if place is None or not place.country or _code_like(resolved):
            continue
        named = place.precision is not PlacePrecision.SETTLEMENT or (
            place.population >= CONTEXT_POPULATION and _named_as(resolved)
        )
        if named:
            counts[place.country] = counts.get(place.country, 0) + 1
    countries = tuple(sorted(counts, key=lambda c: -counts[c]))
    near: list[Place] = []
    if document.dateline:
        for mention in places.mentions(document.dateline, document.language)[:1]:
            resolved = places.resolve(mention.text, countries)
            if resolved.place is not None:
                near.append(resolved.place)
    return DocumentContext(countries, tuple(near), districts_in(document, places))


def districts_in(document: Document, places: Places) -> frozenset[str]:
    """Names the article calls a neighbourhood ("the Zarqa district", "quartier de Zarqa"):
    GeoNames lists towns, not a city's quarters, so such a name resolves, if at all, to a
    namesake elsewhere; everywhere in the article it is not believed as a place, and the
    record takes the city its article names. On a page that compares several reports of one
    event, a name one of them calls a quarter is one in all of them."""
    found = _districts(document.text, document.language, places)
    if document.page_context:
        found |= _districts(document.page_context, document.language, places)
    return frozenset(found)


def _districts(text: str, language: str, places: Places) -> set[str]:
    before, after = cues_of(language, "districts_before"), cues_of(language, "districts_after")
    found: set[str] = set()
    for name in {m.text for m in places.mentions(text, language)}:
        words = tokens(name)
        if len(words) > 1 and after.match_at(words, len(words) - 1) is not None:
            found.add(name)  # "Zarqa district", read as one name (a region phrase) …
            found.add(name[: words[-1].start].rstrip())  # … and "Zarqa" wherever it stands
            continue
        at = text.find(name)
        while at >= 0:  # every occurrence: a region phrase may hide one from `mentions`
            ahead = tokens(text[max(0, at - 40) : at])
            behind = tokens(text[at + len(name) : at + len(name) + 30])
            lead = any(
                (hit := before.match_at(ahead, k)) is not None and hit.last >= len(ahead) - 2
                for k in range(max(0, len(ahead) - 4), len(ahead))
            )
            whole = not (at > 0 and text[at - 1].isalnum()) and not (
                at + len(name) < len(text) and text[at + len(name)].isalnum()
            )
            if whole and (lead or (behind and after.match_at(behind, 0) is not None)):
                found.add(name)
                break
            at = text.find(name, at + len(name))
    return found


# A place this large, written as its own name, tells the article's country.
CONTEXT_POPULATION = 100_000


def _named_as(resolved: ResolvedPlace) -> bool:
    """The words are the place's own name (give or take transliteration), not one of its
    many alternate names that are also common words or names elsewhere ("Hamas" → Hamm)."""
    place = resolved.place
    if place is None:
        return False
    return (
        fuzz.ratio(anyascii(resolved.text).lower(), anyascii(place.name).lower()) >= NAME_SIMILARITY
    )


def named_in_sentence(place: ResolvedPlace | None, sentence: Sentence, document: Document) -> bool:
    """The place is named in the sentence, outside its dateline."""
    if place is None or place.place is None:
        return False
    return place.text in without_dateline(sentence, document)


def without_dateline(sentence: Sentence, document: Document) -> str:
    """The sentence with its dateline ("PORT SUDAN, January 25 (Wire) -") blanked out: the
    dateline says where and when the report was filed, not the event."""
    cut = _dateline_end(document) - sentence.start
    if cut <= 0:
        return sentence.text
    return " " * min(cut, len(sentence.text)) + sentence.text[cut:]


DATELINE_REASON = "the article's dateline (the sentence names no place)"

# A place in a country the article never names is believed only if it is a large city: the
# gazetteer's 1.2 million alternate names hold many small namesakes of common words and names
# ("Osman", "Hamas"), and a wrong place merges or splits incidents.
FOREIGN_PLACE_POPULATION = 1_000_000


NAME_SIMILARITY = 80


def _code_like(resolved: ResolvedPlace) -> bool:
    """ "HMS", "UN": capitals of a few letters are abbreviations, not the place whose code
    (an airport's, say) is among its alternate names."""
    text = resolved.text.strip()
    place = resolved.place
    return len(text) <= 4 and text.isupper() and (place is None or text != place.name)


def plausible(resolved: ResolvedPlace, context: DocumentContext) -> bool:
    place = resolved.place
    if place is None:
        return True
    if _code_like(resolved) or resolved.text in context.districts:
        return False
    if place.country in context.countries or any(n.country == place.country for n in context.near):
        return True
    if place.precision is not PlacePrecision.SETTLEMENT:
        return True
    if not _named_as(resolved):
        return False  # an alternate name far from the place's own ("Hamas" → Hamm)
    return not context.countries or place.population >= FOREIGN_PLACE_POPULATION


def _demonym(resolved: ResolvedPlace) -> bool:
    """ "Israeli strike": a country named by its adjective says who, not where."""
    place = resolved.place
    if place is None or place.precision is not PlacePrecision.COUNTRY:
        return False
    return anyascii(resolved.text).lower().strip() != anyascii(place.name).lower()


def chosen_place(
    name: str | None, context: DocumentContext, places: Places
) -> ResolvedPlace | None:
    if not name:
        return None
    resolved = places.resolve(name, context.countries, context.near)
    if not plausible(resolved, context) or _demonym(resolved):
        return ResolvedPlace(
            name, None, resolved.candidates, "not believed here: " + resolved.reason
        )
    return resolved


def place_in_sentence(
    sentence: Sentence,
    document: Document,
    context: DocumentContext,
    places: Places,
    anchors: Sequence[int] = (),
) -> ResolvedPlace | None:
    """The place the sentence itself names (its dateline aside) nearest to the record's own
    figures (`anchors`, offsets in the sentence), the more precise among equals: "shelled a
    market in the north … a day before talks in Jeddah" is not about Jeddah."""
    best: ResolvedPlace | None = None
    best_rank: tuple[int, int] | None = None
    rank = {"settlement": 0, "region": 1, "country": 2}
    dateline_end = _dateline_end(document) - sentence.start
    found = names(sentence.text, document.language)
    for mention in places.mentions(sentence.text, document.language):
        if mention.end <= dateline_end or inside_a_longer_name(mention.start, mention.end, found):
            continue
        if _speaks(sentence.text, mention, document.language):
            continue
        resolved = places.resolve(mention.text, context.countries, context.near)
        if resolved.place is None or not plausible(resolved, context) or _demonym(resolved):
            continue
        distance = min((abs(mention.start - a) for a in anchors), default=0) // 40
        key = (distance, rank[resolved.place.precision.value])
        if best_rank is None or key < best_rank:
            best_rank = key
            best = ResolvedPlace(resolved.text, resolved.place, resolved.candidates,
                                 f"named in the sentence; {resolved.reason}")  # fmt: skip
    return best


def only_speaks(place: ResolvedPlace | None, sentence: Sentence, document: Document) -> bool:
    """The model's place, not named in the sentence, is named before it only as a voice ("Το
    Μπακού κάνει λόγο …"): it says who spoke, so it says nothing of where the event was."""
    if place is None or not place.text:
        return False
    text = document.text[: sentence.start]
    ends = [m.end() for m in re.finditer(re.escape(place.text), text)]
    return bool(ends) and all(_speaks_at(text, end, document.language) for end in ends)


def _speaks(text: str, mention: PlaceMention, language: str) -> bool:
    """ "Moscow said", "Το Μπακού κάνει λόγο": a capital standing for its government, right
    before a reporting verb, says who speaks, not where the event was."""
    return _speaks_at(text, mention.end, language)


def _speaks_at(text: str, end: int, language: str) -> bool:
    rest = text[end : end + 40]
    after = tokens(rest)
    if not after or rest.lstrip()[:1] in ",.;:!?)»\"'":
        return False
    return cues_of(language, "attribution").match_at(after, 0) is not None


def in_dateline(place: ResolvedPlace | None, document: Document) -> bool:
    return place is not None and bool(document.dateline) and place.text in (document.dateline or "")


def _dateline_end(document: Document) -> int:
    """Where the article's dateline ends in its text (0: it has none)."""
    if not document.dateline:
        return 0
    at = document.text.find(document.dateline)
    return at + len(document.dateline) if at >= 0 else 0
