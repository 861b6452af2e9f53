"""Statements in the shapes the tagger half sees (voices/statements.py), through :func:`link`."""

from __future__ import annotations

import pytest

from propwatch.voices import ROLES, attributions_from_links, link


def _at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _tagged(text: str, contents: list[str], sources: list[str], cues: list[str]) -> dict[str, list[tuple[int, int]]]:
    """The tagger's spans over the first occurrence of each phrase."""
    return {
        role: [_at(text, p) for p in phrases] for role, phrases in zip(ROLES, (contents, sources, cues), strict=True)
    }


def _attributed(text: str, contents: list[str], sources: list[str], cues: list[str]) -> list:
    """The attributions of the tagger's spans over those phrases, linked and resolved."""
    return attributions_from_links(text, link(text, _tagged(text, contents, sources, cues)))


def test_a_statement_its_source_and_cue_interrupt_is_one_content_over_the_sentence():
    text = "The new timetable, the rail council said, would leave the northern towns without a late train."
    spans = _tagged(
        text,
        ["The new timetable", "would leave the northern towns without a late train"],
        ["the rail council"],
        ["said"],
    )
    (item,) = link(text, spans)
    assert (item.content, item.source) == ((0, len(text) - 1), _at(text, "the rail council"))


def test_an_impression_is_an_attribution_in_nobodys_name():
    text = "The council is expected to approve the budget on Monday. Its chair appears to doubt the plan."
    tagged = _tagged(text, ["doubt the plan"], ["Its chair"], ["appears"])
    items = link(text, tagged)
    assert [(text[i.content[0] : i.content[1]], i.source, text[i.cue[0] : i.cue[1]]) for i in items] == [
        ("The council is expected to approve the budget on Monday", None, "is expected"),
        ("Its chair appears to doubt the plan", None, "appears"),
    ]


def test_neither_the_circumstance_between_two_quotes_nor_the_one_told_is_said():
    text = (
        "“We are ready,” Varga said in a speech at the port. “The work starts now.”\n\n"
        "Later she told the dock workers. The yard would stay open."
    )
    spans = _tagged(text, ["in a speech at the port", "the dock workers"], ["Varga", "she"], ["said", "told"])
    contents = [text[i.content[0] : i.content[1]] for i in link(text, spans)]
    assert not any(c in ("in a speech at the port", "the dock workers") for c in contents)
    assert contents[0].startswith("We are ready") and contents[0].endswith("starts now.")


def test_a_relative_clause_in_the_clause_after_a_cue_is_not_said():
    text = "The council will not say, and a council that will not show its books has something to hide."
    spans = _tagged(text, ["that will not show its books has something to hide"], ["council"], ["say"])
    assert link(text, spans) == []
    said = "The council will not say, and a clerk says that the books are lost."
    spans = _tagged(said, ["that the books are lost"], ["a clerk"], ["says"])
    assert [said[slice(*i.content)] for i in link(said, spans)] == ["that the books are lost"]


def test_a_line_a_name_or_an_interviews_q_and_a_opens_is_said_by_it():
    text = (
        "Varga: The harbour bridge will be rebuilt by spring.\n\n"
        "The Latest: Ferry crossings cancelled for the week.\n\n"
        "Q: When did the cracks first appear in the pillars?\n\n"
        "A: We saw them in March, and nobody listened to us.\n\n"
        "Minister Elena Varga visited the site on Monday.\n"
    )
    found = attributions_from_links(text, link(text, {role: [] for role in ROLES}))
    assert [(a.speaker, text[a.content[0] : a.content[1]]) for a in found] == [
        ("Elena Varga", "The harbour bridge will be rebuilt by spring."),
        ("interviewer", "When did the cracks first appear in the pillars?"),
        ("Elena Varga", "We saw them in March, and nobody listened to us."),  # the person the story is about
    ]
    text = "The harbour works\n\nQ: When did the cracks first appear in the pillars?\n\n"
    text += "A: We saw them in March, and nobody listened to us.\n"
    found = attributions_from_links(text, link(text, {role: [] for role in ROLES}))
    assert [a.speaker for a in found] == ["interviewer", "interviewee"]  # no one named: the role


def test_a_source_ends_where_its_cue_begins_unless_the_cue_took_a_names_last_word():
    text = "Many spoke about the bridge toll and the ferry. Ana Soto said the fares would fall by June."
    spans = _tagged(
        text,
        ["the bridge toll and the ferry", "the fares would fall by June"],
        ["Many spoke", "Ana Soto"],
        ["spoke about", "Soto said"],
    )
    many, soto = link(text, spans)
    assert many.source == _at(text, "Many")
    assert soto.source == _at(text, "Ana Soto")


def test_the_subject_of_a_passive_cue_says_nothing_but_a_state_of_mind_is_held():
    text = "Ms. Roe was challenged over the harbour contracts. Port officials were thrilled with the vote."
    spans = _tagged(
        text,
        ["over the harbour contracts", "with the vote"],
        ["Ms. Roe", "Port officials"],
        ["was challenged", "were thrilled"],
    )
    challenged, thrilled = link(text, spans)
    assert challenged.source is None
    assert thrilled.source == _at(text, "Port officials")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "The next day, according to the harbour master, the ferry company raised its fares.",
            "the harbour master",
        ),
        ("Their leverage, the dock workers believe, will only grow this winter.", "the dock workers"),
    ],
)
def test_a_sentence_that_a_source_and_cue_interrupt_is_its_sources_whole(text: str, source: str):
    (item,) = link(text, {"content": [], "source": [], "cue": []})
    assert (text[item.source[0] : item.source[1]], item.content) == (source, (0, len(text) - 1))


@pytest.mark.parametrize(
    "text",
    [
        "The forum welcomes any trader, public figure, or private citizen of the town.",
        "The driver of the van, the suspect, fled toward the harbour before dawn.",
        "It came to them late at night, a thought, and it would not leave them.",
    ],
)
def test_a_noun_between_commas_is_no_aside(text: str):
    assert link(text, {"content": [], "source": [], "cue": []}) == []


def test_a_noun_cues_infinitive_ends_where_the_sentences_verb_begins():
    text = "The minister's plan to shut the harbour bridge is a cynical land grab, and everyone knows it."
    spans = _tagged(text, ["to shut the harbour bridge is a cynical land grab"], ["The minister's"], ["plan"])
    (item,) = link(text, spans)
    assert text[item.content[0] : item.content[1]] == "to shut the harbour bridge"
    text = "The board wants to show that the bridge is safe."
    spans = _tagged(text, ["to show that the bridge is safe"], ["The board"], ["wants"])
    (item,) = link(text, spans)
    assert text[item.content[0] : item.content[1]] == "to show that the bridge is safe"


def test_a_reporting_verb_that_tells_a_deed_reports_nothing():
    text = "The storm came a year after the fever that claimed 900 lives and closed the harbour for a month."
    spans = _tagged(text, ["900 lives and closed the harbour for a month."], ["that"], ["claimed"])
    assert attributions_from_links(text, link(text, spans)) == []
    said = "The harbour board claimed the bridge was safe."
    assert (
        len(
            attributions_from_links(
                said, link(said, _tagged(said, ["the bridge was safe."], ["The harbour board"], ["claimed"]))
            )
        )
        == 1
    )


def test_the_who_before_a_cue_is_its_subject_not_the_sentences():
    text = "Senator Tom Baker went to bat for Ana Soto, the harbour chief who admitted to closing the pier for a year."
    spans = _tagged(text, ["to closing the pier for a year."], ["Senator Tom Baker"], ["admitted"])
    (found,) = attributions_from_links(text, link(text, spans))
    assert found.speaker == "Ana Soto"
    assert text[found.source[0] : found.source[1]] == "who"
    kept = "Ana Soto, who admitted to closing the pier for a year, spoke on Monday."
    (found,) = _attributed(kept, ["to closing the pier for a year,"], ["Ana Soto"], ["admitted"])
    assert kept[found.source[0] : found.source[1]] == "Ana Soto"  # the tagged antecedent stays


def test_a_which_after_a_comma_before_a_cue_is_the_document_it_follows():
    text = "Tom Baker linked to the Harbour Trust report, which notes that the pier has been unsafe for a year."
    spans = _tagged(text, ["that the pier has been unsafe for a year."], ["Tom Baker"], ["notes"])
    (found,) = attributions_from_links(text, link(text, spans))
    assert found.speaker == "Harbour Trust report"
    loose = "The Beacon reports on papers they obtained which claim that the pier has been unsafe for a year."
    (found,) = _attributed(loose, ["that the pier has been unsafe for a year."], ["The Beacon"], ["claim"])
    assert found.speaker == "Beacon"  # a "which" with no comma may stand for a noun far before it


def test_a_cue_a_conjunction_joins_to_the_one_before_shares_its_subject():
    text = (
        "Arriving at the harbour on Monday, Ana Soto said it was too early to count the votes but added, "
        '"I think you all know how the count will end."'
    )
    found = _attributed(
        text,
        ["it was too early to count the votes", "I think you all know how the count will end."],
        ["Ana Soto", "Arriving"],
        ["said", "added"],
    )
    assert [a.speaker for a in found] == ["Ana Soto", "Ana Soto"]


def test_a_source_cut_after_a_counted_adjective_takes_its_noun():
    text = "The landmark 31-page agreement includes a pledge to cut harbour dues for every ferry line by 2030."
    (found,) = _attributed(
        text, ["a pledge to cut harbour dues for every ferry line by 2030."], ["The landmark 31-page"], ["includes"]
    )
    assert found.speaker == "landmark 31-page agreement"


def test_a_question_asked_by_someone_is_the_askers_not_the_answer():
    text = "Asked by Ana Soto if he believed the harbour would reopen by June, Tom Baker said that he did not."
    spans = _tagged(
        text,
        ["if he believed the harbour would reopen by June", "that he did not."],
        ["Tom Baker", "Tom Baker"],
        ["said", "said"],
    )
    found = attributions_from_links(text, link(text, spans))
    asked = next(a for a in found if text[a.content[0] :].startswith("if he believed"))
    assert asked.speaker == "Ana Soto"
    assert text[asked.cue[0] : asked.cue[1]] == "Asked"
    caller = (
        "Tom Baker, the harbour chief who hosts a radio show, was asked by a caller "
        "why the ferries had stopped running in May. "
        '"They ran out of money," he said.'
    )
    found = _attributed(caller, ["why the ferries had stopped running in May."], ["Tom Baker"], ["was asked"])
    assert [a.speaker for a in found if caller[a.content[0] :].startswith("why")] == ["caller"]


def test_a_source_inside_a_relative_clause_gives_way_to_the_subject_it_hangs_on():
    text = "Exit polls from the harbour vote, which Ana Soto won easily, showed that most voters backed the new ferry."
    (found,) = _attributed(text, ["that most voters backed the new ferry."], ["Ana Soto won easily"], ["showed"])
    assert found.speaker == "Exit polls"


def test_a_site_cut_before_its_web_ending_is_named_whole():
    text = "The couple ran a bakery in Dalca and had two children, according to harbour-news.fr. They left in May."
    (found,) = _attributed(
        text, ["The couple ran a bakery in Dalca and had two children"], ["harbour-news"], ["according to"]
    )
    assert found.speaker == "harbour-news.fr"


def test_the_impersonal_one_is_no_speaker_but_one_of_several_is():
    text = "One would think the harbour board would know better by now."
    spans = _tagged(text, ["the harbour board would know better by now."], ["One"], ["think"])
    assert attributions_from_links(text, link(text, spans)) == []
    counted = "Two clerks spoke. One said the harbour board would know better by now."
    spans = _tagged(counted, ["the harbour board would know better by now."], ["One"], ["said"])
    assert len(attributions_from_links(counted, link(counted, spans))) == 1


def test_the_subject_before_a_cues_auxiliaries_is_its_source_not_the_clause_around_it():
    text = "Ana Soto, who runs a cafe, said the harbour board had not explained how ferries would cope with the crowds."
    spans = _tagged(text, ["how ferries would cope with the crowds."], ["Ana Soto, who runs a cafe,"], ["explained"])
    speakers = {text[a.cue[0] : a.cue[1]]: a.speaker for a in attributions_from_links(text, link(text, spans))}
    assert speakers["explained"] == "harbour board"
