"""The event type of a record: ACLED's sub-event types (`schemas/event_types.yaml`), read from
cue words of the quote (`vocab/cues/<lang>`, section `event_types`, in priority order: specific
kinds first), else the model's choice. The source says which, for an analyst."""

from __future__ import annotations

from functools import cache

from pipeline.text import cues_of, tokens
from schemas import event_types, vocab

VIOLENT = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})


@cache
def _priority(language: str) -> dict[str, int]:
    data = vocab.load("cues", language) or vocab.load("cues", "en")
    return {label: n for n, label in enumerate(data.get("event_types") or {})}


def event_type(
    quote: str, language: str, model_choice: str | None
) -> tuple[str | None, str | None]:
    """(sub-event type, source) of a record."""
    hits = cues_of(language, "event_types").find_all(tokens(quote))
    known = event_types()
    priority = _priority(language)
    # An attack or a casualty is violence: the cue words of other kinds (looting, arrests,
    # agreements) describe something else the sentence mentions.
    hits = [h for h in hits if h.label in known and known[h.label][0] in VIOLENT]
    if hits:
        best = min(hits, key=lambda h: (priority.get(h.label, 99), h.first))
        return best.label, f"cue {best.pattern!r}"
    if model_choice in known:
        return model_choice, "model"
    return None, None


def family(sub_event_type: str | None) -> str | None:
    """The ACLED event type a sub-event type belongs to."""
    if sub_event_type is None:
        return None
    found = event_types().get(sub_event_type)
    return found[0] if found else None
