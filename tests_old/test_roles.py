"""Talks roles must be given by the quote's words, on the right side."""

from __future__ import annotations

from pipeline.roles import Roles, assign

NONE = Roles(venue=None, ukraine_head=None, russia_head=None, mediator=None)


def roles(**kwargs: str) -> Roles:
    return Roles(**{**NONE.__dict__, **kwargs})


def test_head_moves_to_the_side_the_quote_names() -> None:
    quote = "The Russian delegation, headed by Vladimir Medinsky, arrived the previous evening."
    assert assign(quote, roles(ukraine_head="Vladimir Medinsky")) == roles(
        russia_head="Vladimir Medinsky"
    )


def test_a_quoted_analyst_is_no_delegation_head() -> None:
    quote = (
        "The Ukrainian delegation is headed to Istanbul, wrote Moscow-based analyst Georgi Bovt."
    )
    assert assign(quote, roles(ukraine_head="Georgi Bovt")).ukraine_head is None


def test_leader_named_next_to_lead_words_is_kept() -> None:
    quote = "Zelensky said that Defense Minister Rustem Umerov will lead the Ukrainian delegation."
    assert assign(quote, roles(russia_head="Rustem Umerov")) == roles(ukraine_head="Rustem Umerov")


def test_mediator_needs_a_mediating_word_and_a_city_is_a_venue() -> None:
    chair = "Officials said Turkish Foreign Minister Hakan Fidan would chair the talks."
    assert assign(chair, roles(mediator="Hakan Fidan")).mediator == "Hakan Fidan"
    quote = "Ukraine will send a delegation to Istanbul for a new round of direct peace talks."
    assert assign(quote, roles(mediator="Istanbul")) == roles(venue="Istanbul")
    media = "The Russian delegation arrived, Russian state media reported."
    assert assign(media, roles(mediator="Russian state media")) == NONE


def test_venue_must_be_named_near_talks_words() -> None:
    quote = (
        "KYIV, Ukraine — A Ukrainian drone attack has destroyed more than 40 Russian planes "
        "deep in Russia’s territory, a day before the two sides meet for talks in Istanbul."
    )
    assert assign(quote, roles(venue="KYIV")).venue is None
    assert assign(quote, roles(venue="Istanbul")).venue == "Istanbul"
