"""Reporting patterns found by rule: a cue and the phrase next to it (propwatch.voices.cues)."""

import pytest

from propwatch.voices.cues import rule_pairs


def _pairs(text: str) -> list[tuple[str | None, str]]:
    found = rule_pairs(text, (0, len(text)))
    return [(text[slice(*source)] if source else None, text[slice(*cue)]) for source, cue in found]


def test_the_role_after_a_place_is_part_of_a_source_after_its_cue():
    text = "“It is a difficult issue,” said the Norhaven senator, “for all of us.”"
    sources = [text[slice(*source)] for source, _ in rule_pairs(text, (0, len(text))) if source]
    assert sources == ["the Norhaven senator"]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ('"The pier is done," said Ana Soto.', ("Ana Soto", "said")),  # inverted after a quote: the name after
        ("Tom Park also warned Valdora against the levy.", ("Tom Park", "warned")),  # not "Valdora", the one warned
        ("Dutch MP Anneke Vos has said the harbour will close.", ("Dutch MP Anneke Vos", "said")),  # past "has"
        ("The boy also told the police that he was afraid.", ("The boy", "told")),  # past "also"
        ("“We all agree,” Soto, 49, told The Harbour Times.", ("Soto", "told")),  # past her age, not the one told
    ],
)
def test_a_cue_s_source_is_before_it_unless_a_quote_or_comma_inverts_them(text, pair):
    assert _pairs(text)[0] == pair
