"""What a number counts, read from the words around it: the measure of a fact.

The model chooses *which* number fills a field; what the number counts is read here, from the
article's own words, because a small model labels numbers poorly (above all outside English).
Language-free: the words are the vocabulary of the document's language (`vocab/cues/<lang>`,
sections `subjects` and `events`), the combination table is data (`schemas/measures.yaml`).

For one number phrase in its sentence:
1. its **unit** decides measurements: square km → area_km2, km → distance_km, kg → explosives_kg;
2. its **subject**, the counted noun just after it ("31 children", "dozens of homes"), or, for
   the whole of a part ("21 of the 25 drones"), the noun after the whole;
3. its **event**, the nearest word of what happened in its clause ("were killed", "killing",
   "the death toll rose to"); a sub-count ("including 12 children") takes its parent's event,
   the one before it;
4. the table row for (subject, event) gives the measure. A counted thing with no row, or
   people with no event ("388 people on board"), is not a fact; a number whose words say
   nothing keeps the field's own measure (the model's choice of field).
Every reading says why, for `facts.reason`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.text import CueHit, Cues, Token, cues_of, tokens
from schemas import Unit
from schemas.records import measure_table

SUBJECT_WINDOW = 4  # tokens after a number in which its noun stands
EVENT_WINDOW = 9  # tokens after a number in which its event word stands
EVENT_WINDOW_BEFORE = 12  # and before it ("the death toll from … rose to 67")
COUNT_WINDOW = 20  # a count noun governs "at 18" across a long subject ("the toll from … at 18")
ADJACENT = 2  # an event word this close after a number is the number's own ("77 dead")
AWAIT_REACH = 2  # words between a word of waiting and the event word it governs
NEAR = 3  # tokens after a number (2 before it) within which an event word stands right by it
_PEOPLE = frozenset({"people", "civilians", "combatants", "children", "women", "families"})
_CLAUSE_END = re.compile(r"[;:!?()\[\]]|\.\s")
_COMMA = re.compile("[,\u060c]")  # and the Arabic comma
_COMPOUND = re.compile(r"\d-\s*[^\W\d_]")  # a number joined to its unit: "1,000-kilometer"
_DASH = re.compile(r"[\u2013\u2014]|\s-\s")  # a dash that sets off an apposition


@dataclass(frozen=True, slots=True)
class Reading:
    measure: str | None  # None: not a fact (see `rejected`) or nothing said
    rejected: bool
    reason: str
    subject: str | None = None
    event: str | None = None
    event_at: int | None = None  # token index of the event word: numbers of a list share it
    event_near: bool = False  # that word stands right by the number (`NEAR`): its very own


def _span_tokens(toks: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    inside = [i for i, t in enumerate(toks) if t.start < end and start < t.end]
    return (inside[0], inside[-1]) if inside else None


def _gap(text: str, toks: Sequence[Token], a: int, b: int) -> str:
    return text[toks[a].end : toks[b].start]


def _is_number(tok: Token) -> bool:
    return any(ch.isdigit() for ch in tok.text)


def read_measure(
    sentence: str,
    start: int,
    end: int,
    unit: Unit,
    language: str,
    default: str | None,
    numbers: Sequence[tuple[int, int]] = (),
) -> Reading:
    """The measure of the number phrase `sentence[start:end]`; `numbers` are the spans of the
    sentence's other number phrases (for parts and wholes)."""
    if unit is Unit.KM2:
        return Reading("area_km2", False, "unit: square kilometres or miles")
    if unit is Unit.KM:
        if _COMPOUND.search(sentence[start:end]):
            # "the 1,000-kilometer front line", "a 300-mile range": the size of a thing
            return Reading(None, True, "a length that describes a thing (number-unit)")
        return Reading("distance_km", False, "unit: kilometres or miles")
    if unit is Unit.KG:
        return Reading("explosives_kg", False, "unit: kilograms or pounds")
    if unit is not Unit.COUNT:
        return Reading(None, True, f"not a count ({unit.value})")
    toks = tokens(sentence)
    span = _span_tokens(toks, start, end)
    if span is None:
        return Reading(default, False, "no words around it: the field's measure")
    first, last = span
    if cues_of(language, "not_a_count").match_at(toks, first) is not None:
        return Reading(None, True, 'not a count ("one of …")')
    subjects, events = cues_of(language, "subjects"), cues_of(language, "events")
    whole = _whole_after(sentence, toks, last, language, numbers)
    subject_hit = _subject(sentence, toks, whole[1] if whole else last, subjects, events, language)
    if subject_hit is None:
        # "the biggest number of drones — 472 —": a number set off by dashes names its noun
        subject_hit = _apposed(sentence, toks, first, last, subjects)
    part_of = _part_after(sentence, toks, first, language, numbers)
    if subject_hit is None and part_of is not None:
        # "11 drones, of which 9 were intercepted": the 9 counts the whole's drones
        subject_hit = _subject(sentence, toks, part_of, subjects, events, language)
    is_whole = _is_whole(sentence, toks, first, language, numbers) or (
        part_of is None  # a part borrows its whole's noun: that noun's part is this number
        and _has_part(sentence, toks, subject_hit.last if subject_hit else last, language, numbers)
    )
    count_noun = _count_noun_before(sentence, toks, first, language)
    listed = _listed_after(sentence, toks, first, language, numbers)
    # an event word right after the number itself ("255 wounded") says what it counts, before
    # any toll noun or list verb further away
    own = (
        _event_after(sentence, toks, last, events, language, window=ADJACENT)
        if subject_hit is None and (count_noun is not None or listed is not None)
        else None
    )
    if is_whole:
        event_hit: CueHit | None = CueHit("launched", "a whole", first, first)
    elif _subgroup_before(toks, first, language):
        event_hit = _parents_event(sentence, toks, first, unit, language, numbers) or (
            _event_before(sentence, toks, first, events, language)
            or _event_after(sentence, toks, subject_hit.last if subject_hit else last, events,
                            language, _fits(subject_hit.label if subject_hit else None))
        )  # fmt: skip
    elif own is not None:
        event_hit = own  # "the toll … at 77 dead and 255 wounded": each number's own word
    elif count_noun is not None and (subject_hit is None or subject_hit.label in _PEOPLE):
        event_hit = count_noun  # "the death toll … now stands at 18"
    elif (
        listed is not None
        and (
            governing := _event_before(
                sentence,
                toks,
                listed,
                events,
                language,
                _fits(subject_hit.label if subject_hit else None),
            )
        )
        is not None
    ):
        # "intercepted 18 drones and three missiles launched from …": the items of a list share
        # the verb before the list, not a participle after an item ("12 died and 31 were hurt"
        # has no verb before the list: each number keeps its own)
        event_hit = governing
    else:
        event_hit = _event(sentence, toks, first, last, events, language,
                           subject_hit.label if subject_hit else None)  # fmt: skip
    if event_hit is not None and not is_whole and _awaited(toks, event_hit, language):
        event_hit = None  # "thousands of people were waiting for evacuation trains"
    if event_hit is not None and event_hit.label == "injured" and not is_whole:
        event_hit = _how_badly(sentence, toks, event_hit, events, language, numbers)
    subject = subject_hit.label if subject_hit else None
    event = event_hit.label if event_hit else None
    said = f"noun {subject_hit.pattern!r}" if subject_hit else "no noun"
    said += f", event {event_hit.pattern!r}" if event_hit else ", no event word"
    if is_whole:
        said += " (the whole of a part: launched)"
    for subjects_row, events_row, measure in measure_table():
        if subject in subjects_row and event in events_row:
            at = event_hit.first if event_hit and not is_whole else None
            near = at is not None and (0 <= at - (last + 1) < NEAR or 0 < first - at < NEAR)
            return Reading(measure, False, said, subject, event, at, near)
    if subject is None and event is None:
        return Reading(default, False, f"{said}: the field's measure", subject, event)
    if subject in _PEOPLE and event is None:
        return Reading(None, True, f"{said}: people, but nobody killed or hurt", subject, event)
    if subject is None:
        return Reading(default, False, f"{said}: the field's measure", subject, event)
    return Reading(None, True, f"{said}: no measure counts this", subject, event)


def _awaited(toks: Sequence[Token], event: CueHit, language: str) -> bool:
    """A word of waiting right before the event word: what is awaited has not happened."""
    awaiting = cues_of(language, "awaiting")
    for k in range(max(0, event.first - AWAIT_REACH - 3), event.first):
        hit = awaiting.match_at(toks, k)
        if hit is not None and 0 <= event.first - hit.last - 1 <= AWAIT_REACH:
            return True
    return False


def _how_badly(
    text: str,
    toks: Sequence[Token],
    injured: CueHit,
    events: Cues,
    language: str,
    numbers: Sequence[tuple[int, int]],
) -> CueHit:
    """ "Dozens of wounded are in critical condition": a state said after the injured word, in
    the same stretch of its clause (no comma, no other number between), says how badly all of
    them are hurt; "40 wounded, some of them critically" says it of a part only."""
    state = _event_after(text, toks, injured.last, events, language,
                         lambda hit: hit.label == "critical")  # fmt: skip
    if state is None:
        return injured
    between = text[toks[injured.last].end : toks[state.first].start]
    if _COMMA.search(between) or any(
        toks[injured.last].end <= s < toks[state.first].start for s, _ in numbers
    ):
        return injured
    return state


def _subject(
    text: str,
    toks: Sequence[Token],
    last: int,
    subjects: Cues,
    events: Cues,
    language: str,
) -> CueHit | None:
    """The counted noun in the few words after the number, across "of" ("dozens of people")."""
    of_words = cues_of(language, "of_words")
    scope = cues_of(language, "scope")
    j = last + 1
    skipped = 0
    while j < len(toks) and skipped < SUBJECT_WINDOW:
        if _CLAUSE_END.search(_gap(text, toks, j - 1, j)) or "," in _gap(text, toks, j - 1, j):
            return None
        if _is_number(toks[j]):
            return None
        cue = scope.match_at(toks, j)
        if cue is not None and cue.label == "subgroup":
            return None  # "9 of the town's sons, among them two children": not the 9's noun
        hit = subjects.match_at(toks, j)
        if hit is not None:
            return _joined(toks, hit, subjects, language)
        if events.match_at(toks, j) is not None and subjects.match_at(toks, j + 1) is None:
            return (
                None  # an event word ends the search, unless it qualifies a noun ("attack drones")
            )
        of = of_words.match_at(toks, j)
        j = (of.last if of else j) + 1
        skipped += 0 if of else 1
    return None


def _apposed(
    text: str, toks: Sequence[Token], first: int, last: int, subjects: Cues
) -> CueHit | None:
    """The noun right before a dash when the number stands alone between dashes (or a dash
    and the clause's end): "launched the biggest number of drones — 472 — on …"."""
    if first == 0 or not _DASH.search(_gap(text, toks, first - 1, first)):
        return None
    after = text[toks[last].end : toks[last + 1].start] if last + 1 < len(toks) else "."
    if not (_DASH.search(after) or _CLAUSE_END.search(after) or _COMMA.search(after)):
        return None
    return _ending_at(subjects, toks, first - 1, 2)


_WEAPONS = frozenset({"drones", "missiles", "rockets"})


def _joined(toks: Sequence[Token], hit: CueHit, subjects: Cues, language: str) -> CueHit:
    """ "21 drones and missiles": two weapon kinds joined count weapons."""
    conjunction = cues_of(language, "conjunctions").match_at(toks, hit.last + 1)
    if conjunction is None or hit.label not in _WEAPONS:
        return hit
    other = subjects.match_at(toks, conjunction.last + 1)
    if other is not None and other.label in _WEAPONS and other.label != hit.label:
        return CueHit("weapons", f"{hit.pattern} + {other.pattern}", hit.first, other.last)
    return hit


def _listed_after(
    text: str, toks: Sequence[Token], first: int, language: str, numbers: Sequence[tuple[int, int]]
) -> int | None:
    """ "18 drones and three missiles": for the three, the token of the number it is listed
    after (a conjunction just before it, and a number a few words before that)."""
    if first == 0 or cues_of(language, "conjunctions").match_at(toks, first - 1) is None:
        return None
    if "," in _gap(text, toks, first - 2, first - 1) if first >= 2 else False:
        return None
    for j in range(first - 2, max(first - 6, -1), -1):
        if _CLAUSE_END.search(_gap(text, toks, j, j + 1)):
            return None
        if any(s <= toks[j].start < e for s, e in numbers):
            return j
    return None


def _count_noun_before(
    text: str, toks: Sequence[Token], first: int, language: str
) -> CueHit | None:
    """A noun naming a count before the number, in its clause ("the death toll … at 18")."""
    counts = cues_of(language, "counts")
    for j in range(first - 1, max(first - 1 - COUNT_WINDOW, -1), -1):
        if _clause_starts(text, toks, j + 1, language):
            return None
        if (hit := _ending_at(counts, toks, j, 4)) is not None:
            return hit
    return None


def _has_part(
    text: str, toks: Sequence[Token], after: int, language: str, numbers: Sequence[tuple[int, int]]
) -> bool:
    """ "11 drones, of which 9 …": the 11 is the whole."""
    hit = (
        cues_of(language, "part_follows").match_at(toks, after + 1)
        if after + 1 < len(toks)
        else None
    )
    if hit is None or hit.last + 1 >= len(toks):
        return False
    nxt = toks[hit.last + 1]
    return any(s <= nxt.start < e for s, e in numbers)


def _part_after(
    text: str, toks: Sequence[Token], first: int, language: str, numbers: Sequence[tuple[int, int]]
) -> int | None:
    """ "11 drones, of which 9 …": for the 9, the token after which the whole's noun stands."""
    hit = _ending_at(cues_of(language, "part_follows"), toks, first - 1, 2)
    if hit is None:
        return None
    for j in range(hit.first - 1, max(hit.first - 6, -1), -1):
        if any(s <= toks[j].start < e for s, e in numbers):
            return j
    return None


def _fits(subject: str | None) -> Callable[[CueHit], bool]:
    """An event word that makes a measure with this subject (for "12 people … at the market
    … killed", the attack word between does not count people; with no subject, the words that
    count on their own: killed, wounded, displaced …)."""
    rows = [events for subjects, events, _ in measure_table() if subject in subjects]
    return lambda hit: any(hit.label in events for events in rows)


def _event(
    text: str,
    toks: Sequence[Token],
    first: int,
    last: int,
    events: Cues,
    language: str,
    subject: str | None = None,
) -> CueHit | None:
    """The nearest event word of the clause that fits the subject, after or before the number
    (after wins a tie)."""
    fits = _fits(subject)
    after = _event_after(text, toks, last, events, language, fits)
    before = _event_before(text, toks, first, events, language, fits)
    if after is None or before is None:
        return after or before
    return after if after.first - last <= first - before.last else before


def _clause_starts(text: str, toks: Sequence[Token], j: int, language: str) -> bool:
    """Whether a new clause begins at token j: after a clause-ending mark, or at a comma and a
    word that opens a clause (", where …", ", after …", ", которые …"). Event words beyond it
    are another clause's: "… now stands at 18, after more of the wounded died" counts the dead."""
    if j <= 0 or j >= len(toks):
        return False
    between = _gap(text, toks, j - 1, j)
    if _CLAUSE_END.search(between):
        return True
    return bool(_COMMA.search(between)) and (
        cues_of(language, "clause_openers").match_at(toks, j) is not None
    )


def _event_after(
    text: str,
    toks: Sequence[Token],
    last: int,
    events: Cues,
    language: str,
    fits: Callable[[CueHit], bool] = lambda hit: True,
    window: int = EVENT_WINDOW,
) -> CueHit | None:
    for j in range(last + 1, min(last + 1 + window, len(toks))):
        if _clause_starts(text, toks, j, language):
            return None
        hit = events.match_at(toks, j)
        if hit is not None and fits(hit):
            return hit
    return None


def _event_before(
    text: str,
    toks: Sequence[Token],
    first: int,
    events: Cues,
    language: str,
    fits: Callable[[CueHit], bool] = lambda hit: True,
) -> CueHit | None:
    for j in range(first - 1, max(first - 1 - EVENT_WINDOW_BEFORE, -1), -1):
        if _clause_starts(text, toks, j + 1, language):
            return None
        if (hit := _ending_at(events, toks, j, 2, fits)) is not None:
            return hit  # a phrase of words ending at j ("death toll")
    return None


def _ending_at(
    cues: Cues,
    toks: Sequence[Token],
    j: int,
    reach: int,
    fits: Callable[[CueHit], bool] = lambda hit: True,
) -> CueHit | None:
    """The longest cue phrase whose last word is token `j`, starting at most `reach` tokens
    before it: what the words just before a number name ("the death toll" at 18)."""
    for k in range(max(0, j - reach), j + 1):
        hit = cues.match_at(toks, k)
        if hit is not None and hit.last == j and fits(hit):
            return hit
    return None


def _parents_event(
    text: str,
    toks: Sequence[Token],
    first: int,
    unit: Unit,
    language: str,
    numbers: Sequence[tuple[int, int]],
) -> CueHit | None:
    """For a sub-count ("57 people, among them five children"), the event its parent — the
    nearest number before it — was read with: wherever that word stands, before the parent
    ("the toll … rose to 57") or after the sub-count ("52 people, among them five children,
    lost their lives")."""
    before = [(s, e) for s, e in numbers if e <= toks[first].start]
    if not before:
        return None
    start, end = max(before)
    parent = read_measure(text, start, end, unit, language, None, numbers)
    if parent.event is None or parent.event_at is None:
        return None
    return CueHit(parent.event, f"{parent.event} (its parent's)", parent.event_at,
                  parent.event_at)  # fmt: skip


def _subgroup_before(toks: Sequence[Token], first: int, language: str) -> bool:
    cues = cues_of(language, "scope")
    for k in range(max(0, first - 4), first):
        hit = cues.match_at(toks, k)
        if hit is not None and hit.label == "subgroup" and hit.last >= first - 2:
            return True
    return False


def _whole_after(
    text: str,
    toks: Sequence[Token],
    last: int,
    language: str,
    numbers: Sequence[tuple[int, int]],
) -> tuple[int, int] | None:
    """ "21 of the 25 drones": the token span of the whole (25) after a part (21)."""
    hit = cues_of(language, "of_whole").match_at(toks, last + 1) if last + 1 < len(toks) else None
    if hit is None or hit.last + 1 >= len(toks):
        return None
    nxt = toks[hit.last + 1]
    for s, e in numbers:
        if s <= nxt.start < e:
            span = _span_tokens(toks, s, e)
            return span
    return None


def _is_whole(
    text: str,
    toks: Sequence[Token],
    first: int,
    language: str,
    numbers: Sequence[tuple[int, int]],
) -> bool:
    """Is this number the whole of a part before it ("21 of the 25 drones": 25)?"""
    cues = cues_of(language, "of_whole")
    for k in range(max(0, first - 3), first):
        hit = cues.match_at(toks, k)
        if hit is None or hit.last != first - 1 or k == 0:
            continue
        before = toks[k - 1]
        if any(s <= before.start < e for s, e in numbers):
            return True
    return False
