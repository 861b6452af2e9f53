"""Capitalised runs that may be names (propwatch.voices.runs)."""

import pytest

from propwatch.voices.runs import name_runs


@pytest.mark.parametrize(
    ("phrase", "runs"),
    [
        ("Valdora Herald. Tom Baker", ("Valdora Herald", "Tom Baker")),  # a sentence end splits a run
        ("Harbour Bank CEO Ana Soto", ("Harbour Bank", "Ana Soto")),  # so does a title
        ("Secretary of State Ana Soto", ("Ana Soto",)),  # the office after a title is left out
        ("Bank of Norhaven", ("Bank of Norhaven",)),  # "of" inside an organisation's name
        ("Ida Fenn of New Jersey", ("Ida Fenn",)),  # a person's home state is no part of the name
        ("Republican Tom Baker", ("Tom Baker",)),  # nor a party before it
        ("But Ana Soto", ("Ana Soto",)),  # nor a sentence's opening conjunction
        ("Maybe Varga", ("Varga",)),  # nor its opening adverb
        ("Pres. Varga", ("Varga",)),  # an abbreviated title splits a run as the whole one does
        ("Donald J. Varga", ("Donald J. Varga",)),  # an initial keeps its full stop
    ],
)
def test_name_runs(phrase, runs):
    assert name_runs(phrase) == runs


def test_the_speaker_s_own_i_is_no_part_of_a_name():
    assert name_runs("the only Cyrus I see") == ("Cyrus",)


def test_a_reporting_verb_opening_a_line_is_no_part_of_the_name_after_it():
    assert name_runs("Continued Soto") == ("Soto",)


@pytest.mark.parametrize("phrase", ["a TV-ready illustration", "the Norhaven-based ferry firm", "a Labour-led council"])
def test_a_capitalised_word_made_an_adjective_names_no_one(phrase):
    assert name_runs(phrase) == ()
