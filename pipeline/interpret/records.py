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

from pipeline.interpret.dates import event_date
from pipeline.interpret.events import event_type
from pipeline.interpret.measures import read_measure
from pipeline.interpret.names import actors, attribution, names
from pipeline.interpret.numbers import NumberPhraseError, parse_quantity
from pipeline.interpret.scope import read_scope
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
    Quantity,
    Record,
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
    countries = tuple(places.countries_in(document.text, document.language))
    near: list[Place] = []
    if document.dateline:
        for mention in places.mentions(document.dateline, document.language)[:1]:
            resolved = places.resolve(mention.text, countries)
            if resolved.place is not None:
                near.append(resolved.place)
    return DocumentContext(countries, tuple(near))


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
    read = {(f.quantity.value_min, f.quantity.value_max) for f in by_span.values() if not _silent(f)}
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
        location = _place_in(sentence, document, context, places) or (
            None if _in_dateline(location, document) else location
        )
        values[spec.where] = location
    kind, source = (
        event_type(sentence.text, document.language, draft.event_type) if spec.event else (None, None)
    )
    place_words = {m.text for m in places.mentions(sentence.text, document.language)}
    return Record(
        record_id=record_id,
        document_id=document.document_id,
        record_type=spec.name,
        evidence=evidence,
        values=values,
        location=location,
        date=event_date(_without_dateline(sentence, document), document.language,
                        document.published),  # fmt: skip
        event_type=kind,
        event_type_source=source,
        actors=actors(found, place_words | {evidence.attributed_to or ""}) if spec.event else (),
    )


def _in_sentence(place: ResolvedPlace | None, sentence: Sentence, document: Document) -> bool:
    """The place is named in the sentence, outside its dateline."""
    if place is None or place.place is None:
        return False
    return place.text in _without_dateline(sentence, document)


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


def _place(name: str | None, context: DocumentContext, places: Places) -> ResolvedPlace | None:
    if not name:
        return None
    return places.resolve(name, context.countries, context.near)


def _place_in(
    sentence: Sentence, document: Document, context: DocumentContext, places: Places
) -> ResolvedPlace | None:
    """The most precise place the sentence itself names (its dateline aside), if any."""
    best: ResolvedPlace | None = None
    rank = {"settlement": 0, "region": 1, "country": 2}
    dateline_end = _dateline_end(document) - sentence.start
    for mention in places.mentions(sentence.text, document.language):
        if mention.end <= dateline_end:
            continue
        resolved = places.resolve(mention.text, context.countries, context.near)
        if resolved.place is None:
            continue
        if best is None or best.place is None or (
            rank[resolved.place.precision.value] < rank[best.place.precision.value]
        ):
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
    """One fact per quantity field, with the measure and scope its words give."""
    spec = record_spec(record.record_type)
    mentions = _mentions(sentence, document.language)
    spans = [(m.start, m.end) for m in mentions]
    facts = []
    for field in spec.quantities:
        quantity = record.values.get(field.name)
        phrase = draft.values.get(field.name)
        if quantity is None or not phrase:
            continue
        at = _phrase_at(sentence.text, phrase, mentions)
        if at is None:
            continue
        start, end = at
        default = field.measure if field.when_silent == "keep" else None
        reading = read_measure(sentence.text, start, end, quantity.unit, document.language,
                               default, spans)  # fmt: skip
        if reading.measure is None:
            continue
        scope, why = read_scope(sentence.text, start, end, reading.measure, document.language,
                                spans)
        reason = reading.reason + (f"; {scope.value}: {why}" if why else "")
        facts.append(
            Fact(
                fact_id=f"{record.record_id}:{field.name}",
                document_id=document.document_id,
                record_id=record.record_id,
                record_type=record.record_type,
                field=field.name,
                measure=reading.measure,
                quantity=quantity,
                scope=scope,
                reason=reason,
                evidence=record.evidence,
                phrase_start=sentence.start + start,
                phrase_end=sentence.start + end,
            )
        )
    return facts


def _mentions(sentence: Sentence, language: str) -> list[NumberMention]:
    from pipeline.interpret.numbers import find_numbers

    return [m for m in find_numbers(sentence.text, language) if m.kind in COUNTABLE_KINDS]


def _phrase_at(text: str, phrase: str, mentions: Sequence[NumberMention]) -> tuple[int, int] | None:
    for mention in mentions:
        if mention.text == phrase:
            return mention.start, mention.end
    at = text.find(phrase)
    return (at, at + len(phrase)) if at >= 0 else None
