"""Where a tagged source really starts and ends (propwatch.voices.edges)."""

import pytest

from propwatch.voices.parse import Subjects
from propwatch.voices.speakers import SpeakerResolver


def _resolved(text: str, source: str) -> str | None:
    at = text.index(source)
    return SpeakerResolver(text).resolve((at, at + len(source)))


def test_a_source_cut_after_a_title_reaches_past_the_office_to_the_name():
    text = "Former Secretary of State Ada Moor said the levy was late."
    assert SpeakerResolver(text).resolve((0, len("Former Secretary"))) == "Ada Moor"


def test_a_source_cut_inside_a_word_reaches_the_word_s_end():
    text = "The harbour chief's son-in-law said the pier was late."
    assert _resolved(text, "The harbour chief's son-in") == "harbour chief son-in-law"


def test_whom_someone_told_is_not_the_speaker():
    text = '"This street dies," one trader told the Beacon on Thursday.'
    assert _resolved(text, "the Beacon") == "one trader"
    apposed = "''The pier is done,'' Ana Soto, the harbour chief and a candidate for mayor, told the Beacon."
    assert _resolved(apposed, "the Beacon") == "Ana Soto"


@pytest.mark.parametrize(
    ("text", "tagged", "parsed", "unparsed"),
    [
        ("Many of our political arguments endure.", "Many of our political", "political arguments", "political"),
        ("In his speech, an optimistic spiel on markets, he joked.", "an optimistic", "optimistic spiel", "optimistic"),
        ("An official said the harbour would close.", "An official", "official", "official"),  # a noun and its verb
    ],
)
def test_a_source_cut_at_its_adjective_reaches_the_noun_the_parse_says_it_qualifies(
    pipeline, text, tagged, parsed, unparsed
):
    at = text.index(tagged)
    assert SpeakerResolver(text, Subjects(text, pipeline)).resolve((at, at + len(tagged))) == parsed
    assert SpeakerResolver(text).resolve((at, at + len(tagged))) == unparsed  # the rules alone leave the cut


def test_a_participle_that_governs_the_source_is_no_part_of_it_but_one_that_qualifies_it_is(pipeline):
    text = "Fares fell again, belying the hawks’ claims that they would soar. The leading candidates agreed."
    resolver = SpeakerResolver(text, Subjects(text, pipeline))
    at = text.index("belying")
    assert resolver.resolve((at, at + len("belying the hawks’"))) == "hawks"
    at = text.index("leading")
    assert resolver.resolve((at, at + len("leading candidates"))) == "leading candidates"
