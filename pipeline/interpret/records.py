"""Interpret: drafts → records and facts. The model chose; code reads what the choices mean.

For each draft: its sentence becomes the evidence (the article's characters at their offsets);
number phrases become intervals (`numbers`), and each gets a measure (`measures`) and a scope
(`scope`); places resolve to gazetteer entries, settled by the countries and places the article
names (`places`, `record_places`); the sentence's date words resolve against the article's date
(`dates`); the event type comes from the sentence's cue words or the model (`events`). Pure: the
same document and drafts always give the same records and facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

from pipeline.extract import cued_types
from pipeline.interpret.dates import event_date, find_dates, latest_full_date
from pipeline.interpret.events import event_type
from pipeline.interpret.measures import Reading, read_measure
from pipeline.interpret.names import actors, attribution, names
from pipeline.interpret.numbers import NumberPhraseError, parse_quantity
from pipeline.interpret.record_places import (
    DATELINE_REASON,
    DocumentContext,
    Places,
    chosen_place,
    context_of,
    in_dateline,
    named_in_sentence,
    only_speaks,
    place_in_sentence,
    without_dateline,
)
from pipeline.interpret.scope import earlier_counts, read_scope
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
    Quantity,
    Record,
    RecordSpec,
    ResolvedPlace,
    Scope,
    Sentence,
    Unit,
    record_spec,
)

__all__ = ["Places", "interpret", "one_per_figure", "record_facts", "to_record"]


def interpret(document: Document, extraction: Extraction, places: Places) -> Interpretation:
    context = context_of(document, places)
    if document.published is None:  # no date of its own: date its events from what it cites
        estimate = latest_full_date(document.text, document.language)
        if estimate is not None:
            context = replace(context, anchor=estimate, anchor_estimated=True)
    else:
        context = replace(context, anchor=document.published)
    chunks = {c.index: c for c in extraction.chunks}
    records: list[Record] = []
    facts: list[Fact] = []
    for n, draft in enumerate(extraction.drafts, start=1):
        chunk = chunks[draft.chunk_index]
        sentence = chunk.sentences[draft.sentence - 1]
        if record_spec(draft.record_type).one_per_chunk:
            sentence = _evidence_of(draft, chunk, document)
        record = to_record(document, f"{document.document_id}:{n}", draft, sentence, context,
                           places)  # fmt: skip
        if draft.sentence > 1:
            record = _recalled(record, sentence, chunk.sentences[draft.sentence - 2], document,
                               context)  # fmt: skip
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
    said = _stated(without_dateline(sentence, document))
    for field in spec.fields:
        raw = draft.values.get(field.name)
        if field.kind is FieldKind.QUANTITY:
            values[field.name] = _quantity(raw, sentence.text, document.language)
        elif field.kind is FieldKind.PLACE:
            values[field.name] = chosen_place(raw, context, places)
        elif field.kind is FieldKind.NAME:
            values[field.name] = raw if said(raw) else None
        elif field.kind is FieldKind.NAMES:
            values[field.name] = tuple(n for n in raw or () if said(n))
        elif field.kind is FieldKind.PARTIES:
            parties = (
                Party(_kept(p.get("side"), said), _kept(p.get("head"), said)) for p in raw or ()
            )
            values[field.name] = tuple(p for p in parties if p.side or p.head)
        else:
            values[field.name] = raw
    location = values.get(spec.where) if spec.where else None
    if spec.where and (spec.quantities or not named_in_sentence(location, sentence, document)):
        # A place the sentence itself names, nearest to the record's figures, says where better
        # than one from elsewhere in the chunk (a dateline, a passing mention) or another one
        # the sentence names ("Ganja: 14 dead … Yerevan denies"); the model's choice stays
        # the fallback.
        anchors = [
            sentence.text.find(v)
            for f in spec.quantities
            if isinstance(v := draft.values.get(f.name), str) and v in sentence.text
        ]
        location = place_in_sentence(sentence, document, context, places, anchors) or (
            None
            if in_dateline(location, document)
            or _named_later(location, sentence, document)
            or only_speaks(location, sentence, document)
            else location
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
            _event_words(sentence, document),
            document.language,
            context.anchor,
            context.anchor_estimated,
        ),
        event_type=kind,
        event_type_source=source,
        actors=actors(found, place_words | {evidence.attributed_to or ""}) if spec.event else (),
    )


def _stated(text: str) -> Callable[[str | None], bool]:
    """Whether a name stands in the record's own sentence (its dateline aside): the model may
    choose any name of the chunk, but a side, head, mediator or claimant the quote does not
    name is not evidenced by it ("told The Associated Press" two sentences up is no mediator)."""

    def said(name: str | None) -> bool:
        if not name:
            return False
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None

    return said


def _evidence_of(draft: Draft, chunk: Chunk, document: Document) -> Sentence:
    """The evidence of a record its chunk states once (talks): from the first to the last
    sentence of the chunk that holds a cue word of its type and names one of its values, the
    sentence the model chose among them. The model chooses one sentence for the whole chunk,
    and a delegation named in the sentence before it, about the same talks, is still what the
    record says: the quote must name it (`_stated`). A sentence without the type's cue words
    ("told the Harbour Courier") does not extend it."""
    chosen = chunk.sentences[draft.sentence - 1]
    spec = record_spec(draft.record_type)
    values = [v for v in _strings(draft.values.values()) if v]
    naming = [
        s
        for s in chunk.sentences
        if _cued(s.text, document.language, spec) and any(_stated(s.text)(v) for v in values)
    ]
    first = min([chosen, *naming], key=lambda s: s.index)
    last = max([chosen, *naming], key=lambda s: s.index)
    if first is last:
        return chosen
    return Sentence(chosen.index, first.start, last.end, document.text[first.start : last.end])


def _cued(text: str, language: str, spec: RecordSpec) -> bool:
    """Whether the sentence holds a cue word of the record type, as routing reads them; a
    language without cue words: every sentence."""
    types = cued_types(text, language)
    return types is None or spec.name in types


def _strings(values: Iterable[Any]) -> Iterator[str]:
    """The names among a draft's values (parties are {side, head} objects)."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from _strings(value.values())
        elif isinstance(value, list | tuple):
            yield from _strings(value)


def _kept(name: str | None, said: Callable[[str | None], bool]) -> str | None:
    return name if said(name) else None


def _recalled(
    record: Record,
    sentence: Sentence,
    before: Sentence,
    document: Document,
    context: DocumentContext,
) -> Record:
    """A sentence with no date of its own that sends the reader back ("up to 300,000 fled,
    the UN said at the time") is of the time the sentence before it told: its date."""
    if record.date is None or record.date.source != "document":
        return record
    if cues_of(document.language, "recalled").search(sentence.text) is None:
        return record
    earlier = event_date(_event_words(before, document), document.language, context.anchor,
                         context.anchor_estimated)  # fmt: skip
    if earlier.source != "quote":
        return record
    return replace(record, date=replace(earlier, source="chunk"))  # told by the sentence before


def _named_later(place: ResolvedPlace | None, sentence: Sentence, document: Document) -> bool:
    """The model's place is first named after the sentence: an article refers back to where
    its event happened, so a later paragraph's place ("… new shelling of the capital") is
    another event's, and the record takes its article's place instead (incident context)."""
    if place is None or not place.text:
        return False
    first = document.text.find(place.text)
    return first >= sentence.end


def _event_words(sentence: Sentence, document: Document) -> str:
    """The sentence as it speaks of the event: its dateline blanked, and the date of a
    statement too ("the army said on Wednesday it had shot down 5 drones fired on Tuesday":
    Tuesday; "officials said on Thursday that 170 were killed": no date of the event)."""
    text = without_dateline(sentence, document)
    mentions = find_dates(text, document.language)
    said = cues_of(document.language, "attribution")
    toks = tokens(text)
    for mention in mentions:
        before = [i for i, t in enumerate(toks) if t.end <= mention.start][-2:]
        if any(said.match_at(toks, i) is not None for i in before):
            text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


def _quantity(phrase: str | None, sentence: str, language: str) -> Quantity | None:
    if not phrase:
        return None
    try:
        return parse_quantity(phrase, language)
    except NumberPhraseError:
        return None


def record_facts(
    document: Document, record: Record, draft: Draft, sentence: Sentence, chunk: Chunk
) -> list[Fact]:
    """One fact per quantity field the model filled, with the measure and scope its words
    give; and the numbers of the same sentence that go with them: read as the same measure
    ("raising the toll from 10" next to "killed 15"), sharing their event word ("shot down
    18 drones, two cruise missiles and one ballistic missile"), or with an event word of their
    own ("more than 100 dead and about 250 wounded", where the model filled one field twice),
    within the record type's measures. The model marks the sentence; what else its numbers
    count is read by code."""
    spec = record_spec(record.record_type)
    language = document.language
    mentions = _mentions(sentence, language)
    restated = _restatements(sentence.text, mentions)
    spans = [(m.start, m.end) for m in mentions]
    framed = _framed(sentence, chunk, language)
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
        if at[0] in restated:  # the model chose the conversion: the figure is the first form
            primary = restated[at[0]]
            at, quantity = (primary.start, primary.end), primary.quantity or quantity
        # The field was filled because the number's words read as one of its measures.
        default = field.measure
        reading = read_measure(sentence.text, *at, quantity.unit, language, default, spans)
        if reading.measure is None:
            continue
        chosen.append((at[0], reading))
        facts.append(_fact(document, record, field.name, field.name, quantity, reading, sentence,
                           at, spans, framed))  # fmt: skip
    measures = {r.measure for _, r in chosen}
    events = {r.event_at for _, r in chosen if r.event_at is not None}
    taken = {start for start, _ in chosen}
    for n, mention in enumerate(mentions, start=1):
        if mention.start in taken or mention.start in restated or mention.quantity is None:
            continue
        reading = read_measure(sentence.text, mention.start, mention.end, mention.quantity.unit,
                               language, None, spans)  # fmt: skip
        if reading.measure not in spec.measures:
            continue
        if (
            reading.measure in measures
            or (reading.event_at is not None and reading.event_at in events)
            # an event word right by it ("more than 100 dead", "destroyed more than 40
            # planes"); one further off in the clause does not say what it counts ("2.3
            # million people live in the strip, where the strike killed …")
            or reading.event_near
        ):
            facts.append(_fact(document, record, f"also{n}", _field_of(spec, reading.measure),
                               mention.quantity, reading, sentence,
                               (mention.start, mention.end), spans, framed))  # fmt: skip
    return facts


def _framed(sentence: Sentence, chunk: Chunk, language: str) -> str | None:
    """Why the sentence before frames this one's figures as earlier counts, if it does."""
    if sentence.index < 2:
        return None
    before = chunk.sentences[sentence.index - 2]
    return earlier_counts(before.text, language, bool(_mentions(before, language)))


def _restatements(text: str, mentions: Sequence[NumberMention]) -> dict[int, NumberMention]:
    """Conversions in brackets right after a measurement in the same unit ("4,000 kilometers
    (2,500 miles)"): the start of each restatement → the measurement it restates."""
    found: dict[int, NumberMention] = {}
    for before, after in pairwise(mentions):
        if before.quantity is None or after.quantity is None:
            continue
        if before.quantity.unit is Unit.COUNT or after.quantity.unit is not before.quantity.unit:
            continue
        opens = text[before.end : after.start].strip() == "("
        if opens and text[after.end :].lstrip().startswith(")"):
            found[after.start] = before
    return found


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
    framed: str | None = None,
) -> Fact:
    start, end = at
    assert reading.measure is not None
    scope, why = read_scope(sentence.text, start, end, reading.measure, document.language, spans)
    if scope is Scope.INCIDENT and framed is not None:
        scope, why = Scope.SUPERSEDED, f"{framed!r} in the sentence before"
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
