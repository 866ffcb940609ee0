"""What a figure is a figure of, within its article: the incident's own, a part of another
figure, an earlier toll, or a wider total. Read from cue words of the document's language
(`vocab/cues/<lang>`, section `scope`); only `incident` figures are compared as the incident's.

- `subgroup`: a cue just before the number ("including five soldiers", "among them"), unless
  the figure has a measure of its own for that group (children_killed is the incident's count
  of children killed, not a part to hide);
- `superseded`: a cue just before it ("initially 20", "up from 20", "rose from 20 to 31");
- `superseded` too: every figure of a sentence that follows one naming earlier counts without
  giving one ("The first estimates were lower. In the morning the railway wrote of more than 30
  dead …": `earlier_counts`);
- `wider`: a cue in its clause ("since the war began", "this year", "nationwide"), unless a
  superlative stands before the cue: "the biggest attack since the war began" compares one
  event with the others of the span, it does not total them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.text import CueHit, Token, cues_of, tokens
from schemas import Scope

GROUP_MEASURES = frozenset({"children_killed", "children_injured", "women_killed"})
BEFORE = 4  # tokens before the number in which subgroup / superseded cues stand
OWN_REACH = 20  # characters after a cue within which a number is the cue's own
CLAUSE = 8  # tokens before (and 4 after) in which wider cues stand
COMPARED = 8  # tokens before a wider cue in which a superlative makes it a comparison
_STOP = re.compile(r"[;:!?()]|\.\s")
_OPENING_STOP = re.compile(r"[:!?()]|\.\s")  # a span opening the sentence reaches past ";"


def read_scope(
    sentence: str,
    start: int,
    end: int,
    measure: str | None,
    language: str,
    numbers: Sequence[tuple[int, int]] = (),
) -> tuple[Scope, str]:
    """(scope, why) of the number phrase `sentence[start:end]`; `numbers` are the spans of the
    sentence's number phrases: a cue before another number is that number's ("rose from 20 to
    31": the 20 is superseded, the 31 is not)."""
    toks = tokens(sentence)
    inside = [i for i, t in enumerate(toks) if t.start < end and start < t.end]
    if not inside:
        return Scope.INCIDENT, ""
    first, last = inside[0], inside[-1]
    cues = cues_of(language, "scope")
    hits = cues.find_all(toks)
    for hit in hits:
        gap = first - hit.last
        cue_end = toks[hit.last].end
        if any(cue_end <= s < start for s, _ in numbers):
            continue  # another number stands between the cue and this one
        if hit.label == "superseded" and 0 < gap <= BEFORE:
            return Scope.SUPERSEDED, f"{hit.pattern!r} before it"
        if hit.label == "subgroup" and 0 < gap <= BEFORE and measure not in GROUP_MEASURES:
            return Scope.SUBGROUP, f"{hit.pattern!r} before it"
    for hit in hits:
        # after it, in its clause, with no number of its own: "four health workers were also
        # among those killed" (but in "killed 31, including 12 children" the cue is the 12's)
        if (
            hit.label != "subgroup"
            or measure in GROUP_MEASURES
            or not 0 < hit.first - last <= CLAUSE
        ):
            continue
        between = sentence[toks[last].end : toks[hit.first].start]
        cue_end = toks[hit.last].end
        theirs = any(cue_end <= s <= cue_end + OWN_REACH for s, _ in numbers)
        if not re.search(r"[,;:!?()]|\.\s", between) and not theirs:
            return Scope.SUBGROUP, f"{hit.pattern!r} after it"
    superlatives = cues_of(language, "superlatives").find_all(toks)
    for hit in hits:
        if hit.label != "wider" or _compared(sentence, toks, hit.first, superlatives):
            continue
        before = 0 < first - hit.last <= CLAUSE and not _STOP.search(
            sentence[toks[hit.last].end : toks[first].start]
        )
        # after it: anywhere up to the end of its clause ("… have been killed since the war")
        after = hit.first - last > 0 and not re.search(
            r"[,;:!?()]|\.\s", sentence[toks[last].end : toks[hit.first].start]
        )
        # opening the sentence: the span frames every clause of it ("Since the fighting
        # resumed, 60 civilians have died; more than 1,700 homes were damaged")
        opening = (
            hit.first == 0
            and hit.last < first
            and not _OPENING_STOP.search(sentence[toks[hit.last].end : toks[first].start])
        )
        if before or after or opening:
            return Scope.WIDER, f"{hit.pattern!r} in its clause"
    return Scope.INCIDENT, ""


def earlier_counts(sentence: str, language: str, has_numbers: bool) -> str | None:
    """The cue of a sentence that names earlier counts and gives none ("The first estimates
    were lower.", "Перші оцінки були нижчими."): the next sentence tells those counts."""
    if has_numbers:
        return None
    hit = cues_of(language, "earlier_counts").search(sentence)
    return hit.pattern if hit is not None else None


def _compared(
    sentence: str, toks: Sequence[Token], cue: int, superlatives: Sequence[CueHit]
) -> bool:
    """A superlative shortly before the wider cue, in its clause: "the largest drone assault
    since the start of the war", "le bilan le plus lourd depuis le début de l'année"."""
    return any(
        0 < cue - s.last <= COMPARED
        and not _STOP.search(sentence[toks[s.last].end : toks[cue].start])
        for s in superlatives
    )
