"""Interpret: drafts → records and facts. The model chose; code reads what the choices mean.

For each draft: its sentence becomes the evidence (the article's characters at their offsets);
number phrases become intervals (`numbers`), and each gets a measure (`measures`) and a scope
(`scope`); places resolve to gazetteer entries, settled by the countries and places the article
names (`places`); the sentence's date words resolve against the article's date (`dates`); the
event type comes from the sentence's cue words or the model (`events`). Pure: the same document
and drafts always give the same records and facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from anyascii import anyascii
from rapidfuzz import fuzz

from pipeline.interpret.dates import event_date, find_dates
from pipeline.interpret.events import event_type
from pipeline.interpret.measures import Reading, read_measure
from pipeline.interpret.names import actors, attribution, inside_a_longer_name, names
from pipeline.interpret.numbers import NumberPhraseError, parse_quantity
from pipeline.interpret.scope import read_scope
from pipeline.text import cues_of, tokens
from schemas import (
    COUNTABLE_KINDS,
    Chunk,
    Document,
    Draft,
    Evidence,
    Extraction,
    Fact,
    FieldKind,
    Interpretation,
    NumberMention,
    Party,
    Place,
    PlaceMention,
    PlacePrecision,
    Quantity,
    Record,
    RecordSpec,
    ResolvedPlace,
    Sentence,
    record_spec,
)


class Places(Protocol):
    def mentions(self, text: str, language: str) -> list[PlaceMention]: ...
    def resolve(
        self, name: str, countries: Sequence[str] = (), near: Sequence[Place] = ()
    ) -> ResolvedPlace: ...
    def countries_in(self, text: str, language: str) -> list[str]: ...


@dataclass(frozen=True)
class DocumentContext:
    """What settles the document's ambiguous place names: the countries it names and the place
    of its dateline."""

    countries: tuple[str, ...]
    near: tuple[Place, ...]


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
    return DocumentContext(countries, tuple(near))


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


def interpret(document: Document, extraction: Extraction, places: Places) -> Interpretation:
    context = context_of(document, places)
    chunks = {c.index: c for c in extraction.chunks}
    records: list[Record] = []
    facts: list[Fact] = []
    for n, draft in enumerate(extraction.drafts, start=1):
        chunk = chunks[draft.chunk_index]
        sentence = chunk.sentences[draft.sentence - 1]
        record = to_record(document, f"{document.document_id}:{n}", draft, sentence, context,
                           places)  # fmt: skip
        records.append(record)
        facts += record_facts(document, record, draft, sentence, chunk)
    return Interpretation(document.document_id, tuple(records), tuple(one_per_figure(facts)))


def one_per_figure(facts: Sequence[Fact]) -> list[Fact]:
    """One fact per number of the document: a phrase two records chose is one fact (the one
    whose words said what it counts), and a figure the article repeats (headline, lede,
    caption) is one fact, its first statement."""
    by_span: dict[int, Fact] = {}
    for fact in facts:
        kept = by_span.get(fact.phrase_start)
        if kept is None or (_silent(kept) and not _silent(fact)):
            by_span[fact.phrase_start] = fact
    read = {
        (f.quantity.value_min, f.quantity.value_max) for f in by_span.values() if not _silent(f)
    }
    seen: set[tuple[str, float, float | None, str]] = set()
    result = []
    for fact in sorted(by_span.values(), key=lambda f: f.phrase_start):
        if _silent(fact) and (fact.quantity.value_min, fact.quantity.value_max) in read:
            continue  # the same figure, read with its words elsewhere in the article
        key = (fact.measure, fact.quantity.value_min, fact.quantity.value_max, fact.scope.value)
        if key not in seen:
            seen.add(key)
            result.append(fact)
    return sorted(result, key=lambda f: f.fact_id)


def _silent(fact: Fact) -> bool:
    return "the field's measure" in fact.reason


def to_record(
    document: Document,
    record_id: str,
    draft: Draft,
    sentence: Sentence,
    context: DocumentContext,
    places: Places,
) -> Record:
    spec = record_spec(draft.record_type)
    found = names(sentence.text, document.language)
    evidence = Evidence(
        document.text[sentence.start : sentence.end], sentence.start, sentence.end,
        attribution(sentence.text, document.language, found),
    )  # fmt: skip
    values: dict[str, Any] = {}
    for field in spec.fields:
        raw = draft.values.get(field.name)
        if field.kind is FieldKind.QUANTITY:
            values[field.name] = _quantity(raw, sentence.text, document.language)
        elif field.kind is FieldKind.PLACE:
            values[field.name] = _place(raw, context, places)
        elif field.kind is FieldKind.NAMES:
            values[field.name] = tuple(raw or ())
        elif field.kind is FieldKind.PARTIES:
            values[field.name] = tuple(Party(p.get("side"), p.get("head")) for p in raw or ())
        else:
            values[field.name] = raw
    location = values.get(spec.where) if spec.where else None
    if spec.where and not _in_sentence(location, sentence, document):
        # A place the sentence itself names says where better than one from elsewhere in
        # the chunk (a dateline, a passing mention); the model's choice stays the fallback.
        anchors = [sentence.text.find(v) for f in spec.quantities
                   if isinstance(v := draft.values.get(f.name), str) and v in sentence.text]  # fmt: skip
        location = _place_in(sentence, document, context, places, anchors) or (
            None if _in_dateline(location, document) else location
        )
        if location is None and context.near:
            # Nothing where the sentence is: the dateline's place, marked as such, for want of
            # better (incident resolution prefers a place another record of the article names).
            dateline = context.near[0]
            location = ResolvedPlace(dateline.name, dateline, (), DATELINE_REASON)
        values[spec.where] = location
    kind, source = (
        event_type(sentence.text, document.language, draft.event_type)
        if spec.event
        else (None, None)
    )
    place_words = {m.text for m in places.mentions(sentence.text, document.language)}
    return Record(
        record_id=record_id,
        document_id=document.document_id,
        record_type=spec.name,
        evidence=evidence,
        values=values,
        location=location,
        date=event_date(
            _event_words(sentence, document), document.language, document.published
        ),  # fmt: skip
        event_type=kind,
        event_type_source=source,
        actors=actors(found, place_words | {evidence.attributed_to or ""}) if spec.event else (),
    )


def _in_sentence(place: ResolvedPlace | None, sentence: Sentence, document: Document) -> bool:
    """The place is named in the sentence, outside its dateline."""
    if place is None or place.place is None:
        return False
    return place.text in _without_dateline(sentence, document)


def _event_words(sentence: Sentence, document: Document) -> str:
    """The sentence as it speaks of the event: its dateline blanked, and the date of a
    statement too ("the army said on Wednesday it had shot down 5 drones fired on Tuesday":
    Tuesday; "officials said on Thursday that 170 were killed": no date of the event)."""
    text = _without_dateline(sentence, document)
    mentions = find_dates(text, document.language)
    said = cues_of(document.language, "attribution")
    toks = tokens(text)
    for mention in mentions:
        before = [i for i, t in enumerate(toks) if t.end <= mention.start][-2:]
        if any(said.match_at(toks, i) is not None for i in before):
            text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


def _without_dateline(sentence: Sentence, document: Document) -> str:
    """The sentence with its dateline ("PORT SUDAN, January 25 (Wire) -") blanked out: the
    dateline says where and when the report was filed, not the event."""
    cut = _dateline_end(document) - sentence.start
    if cut <= 0:
        return sentence.text
    return " " * min(cut, len(sentence.text)) + sentence.text[cut:]


def _quantity(phrase: str | None, sentence: str, language: str) -> Quantity | None:
    if not phrase:
        return None
    try:
        return parse_quantity(phrase, language)
    except NumberPhraseError:
        return None


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
    if _code_like(resolved):
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


def _place(name: str | None, context: DocumentContext, places: Places) -> ResolvedPlace | None:
    if not name:
        return None
    resolved = places.resolve(name, context.countries, context.near)
    if not plausible(resolved, context) or _demonym(resolved):
        return ResolvedPlace(
            name, None, resolved.candidates, "not believed here: " + resolved.reason
        )
    return resolved


def _place_in(
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


def _in_dateline(place: ResolvedPlace | None, document: Document) -> bool:
    return place is not None and bool(document.dateline) and place.text in (document.dateline or "")


def _dateline_end(document: Document) -> int:
    """Where the article's dateline ends in its text (0: it has none)."""
    if not document.dateline:
        return 0
    at = document.text.find(document.dateline)
    return at + len(document.dateline) if at >= 0 else 0


def record_facts(
    document: Document, record: Record, draft: Draft, sentence: Sentence, chunk: Chunk
) -> list[Fact]:
    """One fact per quantity field the model filled, with the measure and scope its words
    give; and the numbers of the same sentence that go with them: read as the same measure
    ("raising the toll from 10" next to "killed 15") or sharing their event word ("shot down
    18 drones, two cruise missiles and one ballistic missile"), within the record type's
    measures. The model marks the sentence; its lists and earlier tolls are read by code."""
    spec = record_spec(record.record_type)
    language = document.language
    mentions = _mentions(sentence, language)
    spans = [(m.start, m.end) for m in mentions]
    facts: list[Fact] = []
    chosen: list[tuple[int, Reading]] = []
    for field in spec.quantities:
        quantity = record.values.get(field.name)
        phrase = draft.values.get(field.name)
        if quantity is None or not phrase:
            continue
        at = _phrase_at(sentence.text, phrase, mentions)
        if at is None:
            continue
        default = field.measure if field.when_silent == "keep" else None
        reading = read_measure(sentence.text, *at, quantity.unit, language, default, spans)
        if reading.measure is None:
            continue
        chosen.append((at[0], reading))
        facts.append(_fact(document, record, field.name, field.name, quantity, reading, sentence,
                           at, spans))  # fmt: skip
    measures = {r.measure for _, r in chosen}
    events = {r.event_at for _, r in chosen if r.event_at is not None}
    taken = {start for start, _ in chosen}
    for n, mention in enumerate(mentions, start=1):
        if mention.start in taken or mention.quantity is None:
            continue
        reading = read_measure(sentence.text, mention.start, mention.end, mention.quantity.unit,
                               language, None, spans)  # fmt: skip
        if reading.measure not in spec.measures:
            continue
        if reading.measure in measures or (
            reading.event_at is not None and reading.event_at in events
        ):
            facts.append(_fact(document, record, f"also{n}", _field_of(spec, reading.measure),
                               mention.quantity, reading, sentence,
                               (mention.start, mention.end), spans))  # fmt: skip
    return facts


def _field_of(spec: RecordSpec, measure: str | None) -> str:
    for field in spec.quantities:
        if field.measure == measure:
            return field.name
    return spec.quantities[0].name


def _fact(
    document: Document,
    record: Record,
    suffix: str,
    field: str,
    quantity: Quantity,
    reading: Reading,
    sentence: Sentence,
    at: tuple[int, int],
    spans: Sequence[tuple[int, int]],
) -> Fact:
    start, end = at
    assert reading.measure is not None
    scope, why = read_scope(sentence.text, start, end, reading.measure, document.language, spans)
    return Fact(
        fact_id=f"{record.record_id}:{suffix}",
        document_id=document.document_id,
        record_id=record.record_id,
        record_type=record.record_type,
        field=field,
        measure=reading.measure,
        quantity=quantity,
        scope=scope,
        reason=reading.reason + (f"; {scope.value}: {why}" if why else ""),
        evidence=record.evidence,
        phrase_start=sentence.start + start,
        phrase_end=sentence.start + end,
    )


def _mentions(sentence: Sentence, language: str) -> list[NumberMention]:
    from pipeline.interpret.numbers import find_numbers

    return [
        m
        for m in find_numbers(sentence.text, language)
        if m.kind in COUNTABLE_KINDS and not (m.quantity and m.quantity.value_max == 0)
    ]


def _phrase_at(text: str, phrase: str, mentions: Sequence[NumberMention]) -> tuple[int, int] | None:
    for mention in mentions:
        if mention.text == phrase:
            return mention.start, mention.end
    at = text.find(phrase)
    return (at, at + len(phrase)) if at >= 0 else None
