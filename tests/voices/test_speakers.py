"""Speaker phrases and their resolution within an article (propwatch.voices.speakers)."""

import pytest

from propwatch.voices.linking import Link
from propwatch.voices.speakers import SpeakerResolver, attributions_from_links, speaker_phrase


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("longtime Democratic pollster Pat Caddell", ("name", "Pat Caddell")),
        ("Harbour Fund CEO Jonas Mell", ("name", "Jonas Mell")),
        ("In Mujahir", ("name", "Mujahir")),
        ("But Mrs. Clinton", ("name", "Clinton")),
        ("Sen. Ida Fenn (D-Ore.)", ("name", "Ida Fenn")),
        ("Mary Alvord.", ("name", "Mary Alvord")),
        ("Judge Rosa T. Lang Jr.", ("name", "Rosa T. Lang Jr.")),
        ("she", ("pronoun", None)),
        ("who", ("relative", None)),
        ("If", ("none", None)),
        ("the source", ("description", "source")),
        ("Experts on river ecology", ("description", "Experts")),
        ("his advisers", ("description", "advisers")),
        ("a spokesman for the port authority", ("description", "spokesman for the port authority")),
        ("Mr. King", ("name", "King")),
        ("Secretary of State Ada Moor", ("name", "Ada Moor")),
        ("Bank of Valdora", ("name", "Bank of Valdora")),
        ("Neither Rosa Lang", ("name", "Rosa Lang")),
    ],
)
def test_speaker_phrase_is_a_name_or_a_role_never_a_fragment(phrase, expected):
    assert speaker_phrase(phrase) == expected


def test_fullest_name_never_runs_across_a_sentence_end_or_from_a_headline():
    text = (
        "Mayor Backs Tunnel As Costs Rise\n\n"
        "The plan was printed in the Valley Herald. Tom Ruiz wrote to the council.\n\n"
        "Ruiz said the cost was too high."
    )
    resolver = SpeakerResolver(text)
    assert resolver.fullest("Ruiz") == "Tom Ruiz"
    assert resolver.fullest("Herald") == "Valley Herald"
    assert resolver.fullest("Tunnel") == "Tunnel"


def test_a_relative_pronoun_is_the_name_it_follows():
    text = "Ana Soto, who chairs the board, says the fund is empty."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "Ana Soto"


def test_fullest_name_skips_the_office_before_it():
    text = "On Monday the new secretary, Secretary of State Ada Moor, flew to the talks in the city of Rome."
    text += "\n\nMoor said the talks went well."
    assert SpeakerResolver(text).fullest("Moor") == "Ada Moor"


def test_a_relative_pronoun_after_a_plain_noun_phrase_is_its_noun():
    text = "The letter came from retired generals and admirals, who warn that the plan will fail."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "admirals"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("46 percent", ("none", None)),
        ("Twelve percent", ("none", None)),
        ("About 4 in 10", ("none", None)),
        ("Most", ("none", None)),
        ("a third of them", ("none", None)),
        ("38 percent of ferry riders", ("description", "ferry riders")),
        ("A majority of anglers", ("description", "anglers")),
        ("many economists", ("description", "economists")),
        ("Half of Valdora Greens", ("name", "Valdora Greens")),
        ("the majority leader", ("description", "leader")),
        ("the 46-year-old", ("description", "46-year-old")),
    ],
)
def test_a_quantity_or_share_is_never_a_speaker_its_group_is(phrase, expected):
    assert speaker_phrase(phrase) == expected



def test_a_shared_surname_takes_the_person_named_last_before_it():
    text = (
        "The clinic was opened by Nora Vance on Monday, and her brother Elias Vance cut the ribbon.\n\n"
        "Vance said the doors would stay open late. The town thanked Nora Vance.\n\n"
        "Later Vance said the staff were ready."
    )
    resolver = SpeakerResolver(text)
    first, last = text.index("Vance said"), text.rindex("Vance said")
    assert resolver.resolve((first, first + 5)) == "Elias Vance"  # the last named, not the most frequent
    assert resolver.resolve((last, last + 5)) == "Nora Vance"
    unclear = "Vance said it was late. The staff met Nora Vance and Elias Vance."
    assert SpeakerResolver(unclear).resolve((0, 5)) == "Vance"


def test_a_shared_surname_named_only_paragraphs_before_stays_a_surname():
    text = "The staff met Nora Vance and Elias Vance.\n\nThe doors opened.\n\nIt rained.\n\nVance said it was late."
    start = text.rindex("Vance said")
    assert SpeakerResolver(text).resolve((start, start + 5)) == "Vance"


def test_an_honorific_before_a_shared_surname_keeps_the_surname():
    text = "Elias Vance spoke first. Later Nora Vance spoke.\n\nMrs. Vance said the fund was empty."
    start = text.index("Mrs. Vance")
    assert SpeakerResolver(text).resolve((start, start + 10)) == "Vance"


def test_a_sentence_opening_is_no_second_person_of_a_surname():
    text = (
        "Pia Okafor toured the bridge, and Pia N. Okafor signed the report.\n\n"
        "“What Okafor saw was alarming,” an engineer said. Okafor said the bridge was safe."
    )
    start = text.index("Okafor said")
    assert SpeakerResolver(text).resolve((start, start + 6)) == "Pia N. Okafor"


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(
    ("text", "relay", "expected"),
    [
        ("Ada Moor said the ships had left the United Provinces.", "United", ()),
        ("Asked about the ships, Ada Moor said they had left.", "Asked", ()),
        ("On Thursday, Ada Moor said the ships had left.", "Thursday", ()),
        ("Ada Moor said the ships had left, a dozen reported.", "dozen", ()),
        ("Ada Moor said the ships had left, the Harbor Times reported.", "Harbor Times", ("Harbor Times",)),
        ("Ada Moor said the ships had left, Jo Lund of Valley Wire wrote.", "Jo Lund", ("Jo Lund",)),
    ],
)
def test_a_relay_is_a_whole_name_never_a_fragment_or_an_opener(text, relay, expected):
    content, source, cue = _at(text, "the ships"), _at(text, "Ada Moor"), _at(text, "said")
    found = attributions_from_links(text, [Link(content, source, cue, via_pairs=[(cue, _at(text, relay))])])
    assert found[0].speaker == "Ada Moor" and found[0].via == expected


def test_a_plural_title_is_no_part_of_the_name_after_it():
    text = "At the hearing, the two who spoke first, Senators Ida Fenn and Tom Ruiz, were brief.\n\nFenn said no."
    assert SpeakerResolver(text).fullest("Fenn") == "Ida Fenn"
