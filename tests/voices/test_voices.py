"""Voices: every direct quote of the example wire stories gets the right speaker and relay."""

from __future__ import annotations

import dataclasses
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propwatch.document import Attribution, Document, TechniqueSpan
from propwatch.model.decode import DecodeSettings
from propwatch.voices import (
    AUTHOR,
    CONTENT_FEATURES,
    SOURCE_FEATURES,
    ContentFilter,
    Link,
    SourceRanker,
    SpeakerResolver,
    attributions_from_links,
    content_features,
    extract_attributions,
    find_quotes,
    is_statement,
    link,
    paragraphs,
    role_spans,
    role_tokens,
    rule_pairs,
    sentences,
    voice_of,
)

EXAMPLES = Path(__file__).parents[2] / "examples"

# quote opening words -> (speaker, relays); written from the stories, not from the code's output
EXPECTED = {
    "harbour-bridge-wire.txt": {
        "cannot afford to wait": ("Elena Varga", ()),
        "Every day we delay": ("Elena Varga", ()),
        "This is not a choice": ("Elena Varga", ()),
        "they want the waterfront": ("Tomas Brenner", ()),
        "We will fight this": ("Tomas Brenner", ("Valdora Post",)),
        "The minister talks about": ("Tomas Brenner", ("Valdora Post",)),
        "Those families are": ("Tomas Brenner", ("Valdora Post",)),
        "They have the numbers": ("Tomas Brenner", ()),
        "No shop will close": ("Anna Berg", ("Radio Valdora",)),
        "If the cars stop": ("Mira Osei", ()),
        "Nobody in that building": ("Mira Osei", ()),
    },
    "audio-message-wire.txt": {
        "Our men have not left": ("Abu Samir al-Haddad", ("Levant Courier",)),
        "Whoever tells you": ("Abu Samir al-Haddad", ("Levant Courier",)),
        "If we once held": ("Abu Samir al-Haddad", ("Levant Courier",)),
        "The town has been": ("Rami Nasser", ("Radio Sahel",)),
        "Anyone can record": ("Rami Nasser", ("Radio Sahel",)),
        "We will keep them": ("Rami Nasser", ()),
    },
    "port-strike-wire.txt": {
        "We are not going back": ("Sofia Lindqvist", ("Norhaven Herald",)),
        "They want us to work": ("Sofia Lindqvist", ()),
        "That is not a deal": ("Sofia Lindqvist", ()),
        "We have put a fair offer": ("Henrik Dahl", ("Norhaven Herald",)),
        "Every day this strike": ("Henrik Dahl", ("Norhaven Herald",)),
        "The union knows this": ("Henrik Dahl", ("Norhaven Herald",)),
        "watching closely": ("transport ministry spokesman", ()),
    },
}


def _quote_attribution(text: str, attributions: list[Attribution], opening: str) -> Attribution:
    start = text.index(opening)
    holders = [a for a in attributions if a.content[0] <= start < a.content[1]]
    assert holders, f"no attribution holds the quote {opening!r}"
    return min(holders, key=lambda a: a.content[1] - a.content[0])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_direct_quotes_by_rules(name: str):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    attributions = extract_attributions(text)
    for opening, (speaker, via) in EXPECTED[name].items():
        found = _quote_attribution(text, attributions, opening)
        assert (found.speaker, found.via) == (speaker, via), opening


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_direct_quotes_with_shipped_model(name: str, analyzer):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    doc = analyzer.analyze([Document(text=text, id=name)])[0]
    for opening, (speaker, via) in EXPECTED[name].items():
        found = _quote_attribution(text, doc.attributions, opening)
        assert (found.speaker, found.via) == (speaker, via), opening


def test_every_quote_of_the_examples_is_covered():
    for name in EXPECTED:
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        body = text.index("\n\n")  # the title line's quote marks quote nobody
        assert len([q for q in find_quotes(text) if q[0] > body]) == len(EXPECTED[name])


# the other attributions of the new example: (content's first words, speaker, relays), from the story
AUDIO_NARRATION = [
    ("his fighters still hold", "Abu Samir al-Haddad", ()),
    ("to be in Qalat Teral", "Abu Samir al-Haddad", ()),
    ("that patrols in the valley", "Rami Nasser", ()),
    ("the market had reopened", "Residents", ()),
]


def test_audio_message_example_with_shipped_model(analyzer):
    text = (EXAMPLES / "audio-message-wire.txt").read_text(encoding="utf-8")
    attributions = analyzer.analyze([Document(text=text, id="audio")])[0].attributions
    for opening, speaker, via in AUDIO_NARRATION:
        found = _quote_attribution(text, attributions, opening)
        assert (found.speaker, found.via) == (speaker, via), opening
        assert text[found.content[0] :].startswith(opening)
    title = text.index("\n")
    headline = [a for a in attributions if a.content[1] <= title]
    assert [a.speaker for a in headline] == ["Abu Samir al-Haddad"]  # the title's "Brigade leader" is he
    quotes = [q for q in find_quotes(text) if q[0] > title]
    for attribution in attributions:  # a quote's content runs from an opening mark to a closing one
        if any(q[0] == attribution.content[0] for q in quotes):
            assert any(q[1] == attribution.content[1] for q in quotes), text[slice(*attribution.content)]


def test_a_title_line_holds_no_quote():
    text = 'Leader says fighters "still hold" the towns\n\nThe army denied it.'
    assert not [a for a in extract_attributions(text) if a.content[0] < text.index("\n")]


def test_quotes_curly_straight_and_unbalanced():
    text = 'He said “one two three” and "four five six".\n\n“An unclosed quote runs on\n\nA new paragraph.'
    inner = [text[s:e] for s, e in find_quotes(text)]
    assert inner == ["one two three", "four five six", "An unclosed quote runs on"]


def test_quotes_in_double_apostrophes_and_mixed_marks():
    text = "''We will not close the port,'' she said. He called it “a fair offer\" and left."
    assert [text[s:e] for s, e in find_quotes(text)] == ["We will not close the port,", "a fair offer"]


def test_a_quote_inside_a_quote_leaves_the_outer_one_whole():
    text = "“The clerk may be “helping,” or he may be “guessing” about the books.\n“The rest is in the ledger.”"
    inner = [text[s:e] for s, e in find_quotes(text)]
    assert inner == [
        "The clerk may be “helping,” or he may be “guessing” about the books.",
        "The rest is in the ledger.",
    ]
    mixed = "He called it “a fair offer“ and left, and she said “no“ twice."  # an opening mark typed as a close
    assert [mixed[s:e] for s, e in find_quotes(mixed)] == ["a fair offer"]


def test_sentences_do_not_end_at_titles_or_initials():
    text = "Mr. Obama met Benjamin J. Rhodes on the pier. They spoke in the U.S. Then they left."
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        "Mr. Obama met Benjamin J. Rhodes on the pier.",
        "They spoke in the U.S.",
        "Then they left.",
    ]


def test_apostrophes_and_inch_marks_are_not_quotes():
    assert find_quotes("The board's 12\" pipe isn't new.") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 1'\"“”«»„\r\n.", max_size=80))
def test_quotes_open_after_a_mark_and_close_at_one_or_at_the_paragraph_end(text: str):
    quotes = find_quotes(text)
    assert quotes == sorted(quotes)
    for (_, end), (start, _) in pairwise(quotes):
        assert end < start
    for start, end in quotes:
        paragraph = next(p for p in paragraphs(text) if p[0] < start <= end <= p[1])
        assert text[start - 1] in "\"“«„'", "a quote starts right after its opening mark"
        assert end == paragraph[1] or text[end] in "\"”»“'", "and ends at a mark or at its paragraph's end"
        assert len(text[start:end].split()) >= 2


def test_pronoun_and_description_resolve_to_fullest_name():
    text = "Party spokeswoman Anna Berg spoke first. Berg said the vote was fixed. The spokeswoman said more."
    resolver = SpeakerResolver(text)
    berg = text.index("Berg said")
    assert resolver.resolve((berg, berg + 4)) == "Anna Berg"
    she = text.index("The spokeswoman")
    assert resolver.resolve((she, she + len("The spokeswoman"))) == "Anna Berg"


def test_span_voice_follows_attributed_content():
    text = '"These cowards betrayed us," Varga said. The plan is a disaster.'
    attributions = extract_attributions(text)
    inside = TechniqueSpan(text.index("cowards"), text.index("cowards") + 7, "Name_Calling,Labeling")
    outside = TechniqueSpan(text.index("disaster"), text.index("disaster") + 8, "Loaded_Language")
    assert voice_of(inside, attributions) == "Varga"
    assert voice_of(outside, attributions) is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "“",
                "”",
                "«",
                "»",
                " said ",
                "Anna Berg",
                "\n\n",
                "\r\n",
                "he",
                ",",
                ".",
                "😀",
                "e\u0301",
                "according to",
                "Reuters",
                "told reporters",
                "the minister",
                " ",
                "word",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_attributions_always_index_the_text(text: str):
    doc = Document(text=text or " ", id="x")
    for attribution in extract_attributions(doc.text):
        doc.add_attribution(attribution)  # raises if any extent falls outside the text


def test_speaker_is_the_named_part_of_a_long_source():
    text = "Councillor Peter Lind, who voted against, said the budget was stretched."
    resolver = SpeakerResolver(text)
    source = (0, text.index(" said"))
    assert resolver.resolve(source) == "Peter Lind"


def _at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_speech_quote_cuts_the_tagged_content_that_crosses_it():
    text = 'The mayor said the budget was sound and that cuts would wait. "We will not close a single library."'
    crossing = (text.index("the budget"), len(text))
    links = link(text, {"content": [crossing], "source": [_at(text, "The mayor")], "cue": [_at(text, "said")]})
    contents = {text[item.content[0] : item.content[1]] for item in links}
    assert "We will not close a single library." in contents
    assert "the budget was sound and that cuts would wait." in contents


def test_scare_quotes_stay_inside_the_tagged_content():
    text = 'Critics said the so-called "reform plan" was a giveaway to donors.'
    tagged = _at(text, 'the so-called "reform plan" was a giveaway to donors.')
    links = link(text, {"content": [tagged], "source": [_at(text, "Critics")], "cue": [_at(text, "said")]})
    assert [item.content for item in links] == [tagged]


def test_a_quote_after_a_quote_is_one_statement():
    text = '"They want us to work longer for less," she said. "That is not a deal."'
    she = _at(text, "she")
    links = link(text, {"content": [], "source": [she], "cue": [_at(text, "said")]})
    assert [(item.content, item.source) for item in links] == [((1, len(text) - 1), she)]


def test_partial_quote_stays_inside_the_paraphrase():
    text = 'The report said there was more than "one or two instances." The board disagreed.'
    tagged = _at(text, 'there was more than "one or two instances."')
    links = link(text, {"content": [tagged], "source": [_at(text, "The report")], "cue": [_at(text, "said")]})
    assert [item.content for item in links] == [tagged]


def test_tagged_content_stops_at_a_line_break():
    text = "The mayor said the budget was sound and the cuts can wait.\n\nThe council meets on Monday to vote."
    links = link(text, {"content": [(15, len(text))], "source": [(0, 9)], "cue": [_at(text, "said")]})
    assert [text[item.content[0] : item.content[1]] for item in links] == [
        "the budget was sound and the cuts can wait."
    ]


def test_narration_without_cue_or_adjacent_source_is_the_authors():
    text = "The bridge has stood for ninety years and carries forty thousand cars a day."
    assert link(text, {"content": [(0, len(text))], "source": [], "cue": []}) == []


def test_the_source_sits_across_the_cue_from_the_content():
    text = "Critics of the plan warned the council that the old bridge would close in the spring."
    spans = {
        "content": [_at(text, "that the old bridge would close in the spring.")],
        "source": [_at(text, "the council"), _at(text, "Critics of the plan")],
        "cue": [_at(text, "warned")],
    }
    (item,) = link(text, spans)
    assert text[item.source[0] : item.source[1]] == "Critics of the plan"


def test_possessives_are_never_sources():
    text = "Berg repeated his claim that the vote in the harbour district was rigged."
    content = _at(text, "that the vote in the harbour district was rigged.")
    (item,) = link(text, {"content": [content], "source": [_at(text, "his"), _at(text, "Berg")], "cue": [(5, 13)]})
    assert text[item.source[0] : item.source[1]] == "Berg"


def test_a_content_never_covers_its_own_source():
    text = "These so-called experts want you to believe that prices will fall eventually."
    source = _at(text, "These so-called experts")
    (item,) = link(text, {"content": [(6, len(text))], "source": [source], "cue": [_at(text, "want")]})
    assert item.source == source and item.content[0] >= source[1]


def test_according_to_and_a_full_stop_are_not_the_source():
    text = "Shipping firms have begun diverting cargo, according to industry officials."
    spans = {
        "content": [_at(text, "Shipping firms have begun diverting cargo")],
        "source": [_at(text, "according to industry officials.")],
        "cue": [],
    }
    (found,) = attributions_from_links(text, link(text, spans))
    assert found.speaker == "industry officials" and text[found.source[0] : found.source[1]] == "industry officials"


def test_a_bare_article_as_source_takes_its_noun_not_a_name_from_elsewhere():
    text = "Ministers met the Valley Herald on Monday.\n\nThe choice is simple: stand with the people."
    spans = {"content": [_at(text, "simple: stand with the people.")], "source": [_at(text, "The")], "cue": []}
    (found,) = attributions_from_links(text, link(text, spans))
    assert found.speaker == "choice"  # a description without its article


def test_role_spans_never_cross_a_paragraph():
    text = "Cargo is being diverted, according to industry officials.\n\nA spokesman for the ministry said so."
    offsets = np.array([(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)])
    roles = np.zeros((len(offsets), 3, 3))
    roles[:, :, 0] = 1.0
    inside = (offsets[:, 0] >= text.index("industry")) & (offsets[:, 1] <= text.index(" said"))
    roles[inside, 1] = (0.0, 0.0, 1.0)  # one source run from "industry" over the break to "ministry"
    decoding = {role: DecodeSettings(0.5, 12, 1) for role in ("content", "source", "cue")}
    sources = role_spans(text, offsets, roles, decoding)["source"]
    assert [text[s:e] for s, e in sources] == ["industry officials.", "A spokesman for the ministry"]


def _word_offsets(text: str) -> np.ndarray:
    """One token per whitespace-separated word: the offsets a ranker reads its probabilities by."""
    return np.array([(m.start(), m.end()) for m in re.finditer(r"\S+", text)])


def _spans(text: str, content: str, sources: list[str], cue: str) -> dict[str, list[tuple[int, int]]]:
    """The tagger's spans over the first occurrence of each phrase: one content, its cue, the sources."""
    return {"content": [_at(text, content)], "source": [_at(text, s) for s in sources], "cue": [_at(text, cue)]}


def _ranker_case() -> tuple[str, dict, SourceRanker]:
    """'Critics of the plan warned the council that …' with the tagger far surer of 'the council'."""
    text = "Critics of the plan warned the council that the old bridge would close in the spring."
    spans = _spans(
        text, "that the old bridge would close in the spring.", ["the council", "Critics of the plan"], "warned"
    )
    offsets = _word_offsets(text)
    probs = np.tile([1.0, 0.0, 0.0], (len(offsets), 1))
    council = _at(text, "the council")
    probs[(offsets[:, 0] >= council[0]) & (offsets[:, 1] <= council[1])] = (0.0, 0.1, 0.9)
    return text, spans, SourceRanker(offsets, probs)


def test_source_ranker_without_weights_chooses_as_the_rule_and_records():
    text, spans, ranker = _ranker_case()
    ranker.record = []
    (item,) = link(text, spans, ranker)
    assert text[item.source[0] : item.source[1]] == "Critics of the plan"
    ((_, _, options, features),) = ranker.record
    assert options[0] is None and features.shape == (len(options), len(SOURCE_FEATURES))


def test_a_cue_that_names_its_source_after_it_takes_that_source_whatever_the_ranker_weighs():
    text = "The harbour chief resigned after the pier was closed for a year, according to the Valley Herald."
    spans = _spans(text, "the pier was closed for a year", ["The harbour chief", "the Valley Herald"], "according to")
    offsets = _word_offsets(text)
    weights = np.zeros(len(SOURCE_FEATURES))
    weights[SOURCE_FEATURES.index("before_cue")] = 5.0  # a ranker that would take the chief
    ranker = SourceRanker(offsets, np.tile([0.0, 0.5, 0.5], (len(offsets), 1)), weights)
    (item,) = link(text, spans, ranker)
    assert text[item.source[0] : item.source[1]] == "the Valley Herald"


def test_source_ranker_weights_decide():
    text, spans, ranker = _ranker_case()
    ranker.weights = np.zeros(len(SOURCE_FEATURES))
    ranker.weights[SOURCE_FEATURES.index("mean_probability")] = 1.0
    (item,) = link(text, spans, ranker)
    assert text[item.source[0] : item.source[1]] == "the council"
    ranker.weights[SOURCE_FEATURES.index("none")] = 5.0
    (content,), (cue,) = spans["content"], spans["cue"]
    assert ranker.choose(text, content, cue, (0, len(text)), spans["source"]) is None


def test_content_filter_drops_what_it_finds_unlikely():
    text = 'The mayor said the budget would protect every school. "We cannot keep cutting," Ana Ruiz said.'
    offsets = _word_offsets(text)
    roles = np.zeros((len(offsets), 3, 3))
    roles[:, :, 0] = 1.0
    for role, phrase in enumerate(("the budget would protect every school.", "The mayor", "said")):
        start, end = _at(text, phrase)
        inside = np.flatnonzero((offsets[:, 0] >= start) & (offsets[:, 1] <= end))
        roles[inside, role] = (0.0, 0.0, 1.0)
        roles[inside[0], role] = (0.0, 1.0, 0.0)
    found = extract_attributions(text, offsets, roles)
    rows = np.stack([content_features(text, a, role_tokens(offsets, roles)) for a in found])
    assert rows.shape == (len(found), len(CONTENT_FEATURES)) and len(found) == 2
    quote = np.zeros(len(CONTENT_FEATURES) + 1)
    quote[1 + CONTENT_FEATURES.index("quote")] = 10.0
    only_quotes = ContentFilter(quote, np.zeros(len(CONTENT_FEATURES)), np.ones(len(CONTENT_FEATURES)), 0.9)
    kept = extract_attributions(text, offsets, roles, content_filter=only_quotes)
    assert [text[a.content[0] : a.content[1]] for a in kept] == ["We cannot keep cutting,"]
    assert ContentFilter.from_json(only_quotes.to_json()).threshold == 0.9


def test_content_filter_for_other_features_is_refused():
    with pytest.raises(ValueError, match="other features"):
        ContentFilter.from_json({"features": ["an_old_feature"], "weights": [0, 1], "mean": [0], "scale": [1]})


def test_speech_after_a_no_break_space_is_a_quote():
    text = "The ministers answered the proposal.\xa0“We will not pay for such a wall,” Calderón said."
    links = link(text, {"content": [], "source": [_at(text, "Calderón")], "cue": [_at(text, "said")]})
    assert [(item.content, item.source) for item in links] == [
        (_at(text, "We will not pay for such a wall,"), _at(text, "Calderón"))
    ]


def test_a_statement_goes_on_past_an_attribution_between_its_quotes():
    text = (
        "“We are at fifty seats now,” Manchin said, referring to the number of seats the Democrats hold. "
        "“Then the chances are good.”"
    )
    between = _at(text, "the number of seats the Democrats hold")
    spans = {
        "content": [between],
        "source": [_at(text, "Manchin")],
        "cue": [_at(text, "said"), _at(text, "referring to")],
    }
    links = link(text, spans)
    assert [(item.content, item.source) for item in links] == [
        ((1, len(text) - 1), _at(text, "Manchin")),
        (between, _at(text, "Manchin")),
    ]


def test_a_cue_without_a_content_takes_the_rest_of_its_clause():
    text = "Mr. Carson endorsed Mr. Trump at a rally in Florida, his aides confirmed."
    spans = {"content": [], "source": [_at(text, "Mr. Carson")], "cue": [_at(text, "endorsed")]}
    (item,) = link(text, spans)
    assert (item.content, item.source) == (_at(text, "Mr. Trump at a rally in Florida"), _at(text, "Mr. Carson"))


def test_a_party_label_and_a_day_are_not_the_source():
    text = "“The pier will be rebuilt,” Rep. Anna Berg (D-Ore.) said Sunday."
    assert [(text[s[0] : s[1]], text[c[0] : c[1]]) for s, c in rule_pairs(text, (0, len(text)))] == [
        ("Rep. Anna Berg", "said")
    ]


def test_a_tagged_content_stops_at_a_sentence_end_and_another_attributions_cue_and_source():
    text = (
        "Brenner called the plan a reckless land grab by the ministry. According to Brenner, "
        "the ministry ignored cheaper repair options for years."
    )
    run_on = (text.index("the plan"), len(text))  # a content tagger that bridged the gap
    second = text.index("Brenner, ")
    spans = {
        "content": [run_on],
        "source": [(0, 7), (second, second + 7)],
        "cue": [_at(text, "called"), _at(text, "According to")],
    }
    assert [(text[i.content[0] : i.content[1]], i.source) for i in link(text, spans)] == [
        ("the plan a reckless land grab by the ministry.", (0, 7)),
        ("the ministry ignored cheaper repair options for years.", (second, second + 7)),
    ]


def test_a_source_opening_a_cueless_content_does_not_make_it_an_attribution():
    text = "Real patriots know what must be done. Open the mines and build the plants."
    spans = {"content": [_at(text, "Real patriots know what must be done.")], "source": [(0, 4)], "cue": []}
    assert link(text, spans) == []


@pytest.mark.parametrize("tagged", ["the quay", "quay"])
def test_a_reporting_pattern_with_nothing_to_report_takes_the_rest_of_its_sentence(tagged: str):
    text = (
        "The ferry operator had cancelled every crossing for the week, the harbour authority said. "
        "Port officials confirmed that the terminal would reopen on Friday. "
        "Now, according to the timetable, the boats run late. "
        "Traders near the quay say they fear ruin."
    )
    quay = _at(text, "the quay")
    sources = [_at(text, "the harbour authority"), _at(text, "Port officials"), (quay[1] - len(tagged), quay[1])]
    items = link(text, {"content": [], "source": sources, "cue": []})
    assert [(text[i.content[0] : i.content[1]], text[i.source[0] : i.source[1]]) for i in items] == [
        ("The ferry operator had cancelled every crossing for the week", "the harbour authority"),
        ("that the terminal would reopen on Friday", "Port officials"),
        ("Now, according to the timetable, the boats run late", "the timetable"),
        ("they fear ruin", "Traders near the quay"),
    ]  # "Now" is no source, but the "according to" that interrupts its sentence is; the head noun
    # before a preposition joins a source the tagger saw the end of, with or without its article


def test_a_bare_quantifier_as_source_takes_its_noun():
    text = "They were wrong, and every family that opened a heating bill knows it."
    spans = {"content": [_at(text, "family that opened a heating bill knows it")], "source": [_at(text, "every")]}
    (item,) = link(text, {**spans, "cue": []})
    assert text[item.source[0] : item.source[1]] == "every family"


def test_a_tagged_content_does_not_start_in_the_dateline():
    text = "NORHAVEN, June 12 (Newswire) - Dock workers will stay off the job, their union said on Friday."
    spans = {
        "content": [(text.index(") - Dock"), text.index(", their"))],
        "source": [_at(text, "their union")],
        "cue": [_at(text, "said")],
    }
    (item,) = link(text, spans)
    assert text[item.content[0] : item.content[1]] == "Dock workers will stay off the job"


def test_a_quote_after_a_relayed_paraphrase_keeps_its_speaker_and_relay(analyzer):
    text = (
        "Fighters vow to stay\n\n"
        "DAMASCUS (Wire) - Militant commander Abu Karim al-Rawi told fighters to hold their ground in the east, "
        "Sputnik reported on Monday.\n\n"
        '"If we used to hold thousands of kilometres, today we hold what we need," the commander added.\n'
    )
    attributions = analyzer.analyze([Document(text=text, id="relay")])[0].attributions
    found = _quote_attribution(text, attributions, "If we used to hold")
    assert (found.speaker, found.via) == ("Abu Karim al-Rawi", ("Sputnik",))
    assert text[found.content[0] : found.content[1]].startswith("If we used to hold")


def test_a_title_reports_only_through_a_reporting_verb():
    text = "Council approves school funding after heated debate\n\nMayor says the budget holds\n\nThe vote was 7 to 4."
    spans = {
        "content": [_at(text, "school funding after heated debate")],
        "source": [_at(text, "Council")],
        "cue": [_at(text, "approves")],
    }
    assert attributions_from_links(text, link(text, spans)) == []


def test_a_content_never_ends_in_a_mark_it_did_not_open():
    text = "Jo Lee said the audit was “on the up and up.”"
    spans = {
        "content": [_at(text, "the audit was “on the up and up.”")],
        "source": [_at(text, "Jo Lee")],
        "cue": [_at(text, "said")],
    }
    (found,) = attributions_from_links(text, link(text, spans))
    assert text[found.content[0] : found.content[1]] == "the audit was “on the up and up.”"
    text = "Jo Lee said the audit was on the up and up.” The board met on Friday."
    spans = {"content": [_at(text, "the audit was on the up and up.”")], "source": [_at(text, "Jo Lee")], "cue": []}
    spans["cue"] = [_at(text, "said")]
    (found,) = attributions_from_links(text, link(text, spans))
    assert text[found.content[0] : found.content[1]] == "the audit was on the up and up."


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Anyone who says otherwise is a fool.", "Anyone who"),
        ("Whoever tells you that is lying.", "Whoever"),
    ],
)
def test_a_hypothetical_speaker_reports_nobody(text: str, source: str) -> None:
    start = text.index(source)
    cue_word = "says" if "says" in text else "tells"
    cue = (text.index(cue_word), text.index(cue_word) + len(cue_word))
    links = [Link(content=(cue[1] + 1, len(text) - 1), source=(start, start + len(source)), cue=cue)]
    assert attributions_from_links(text, links) == []


def test_a_named_speaker_followed_by_who_still_speaks() -> None:
    text = "Jo Lee, who chairs the board, says the plan is sound."
    cue = (text.index("says"), text.index("says") + 4)
    links = [Link(content=(cue[1] + 1, len(text) - 1), source=(0, 6), cue=cue)]
    (found,) = attributions_from_links(text, links)
    assert found.speaker == "Jo Lee"


RELAYED = """Harbour Strike Enters Third Week

NORHAVEN — Dock workers stayed off the job on Monday as talks with the port authority stalled.

The Valdora Post quoted Mayor Ada Moor as saying that the city had "no money left" for the port.

According to the Valdora Post, Moor also said the union had refused three offers.

"I told them the door is open," Moor said on Sunday. "We have made our last offer."
"""


def test_quoted_as_saying_and_according_to_relay_the_speakers_words(analyzer):
    attributions = analyzer.analyze([Document(text=RELAYED, id="relayed")])[0].attributions
    said = {RELAYED[a.content[0] : a.content[1]].split()[2]: (a.speaker, a.via) for a in attributions}
    assert said["city"] == ("Ada Moor", ("Valdora Post",))
    assert said["had"] == ("Ada Moor", ("Valdora Post",))  # "the union had refused …"
    assert all(a.speaker == "Ada Moor" for a in attributions)  # "I" and "We" inside her quote are hers


def test_the_writers_own_first_person_is_the_outlets_voice():
    text = "We asked the minister twice. We think the plan is a disgrace."
    said = Attribution((text.index("the plan"), len(text) - 1), (text.index("We think"), text.index("We think") + 2))
    writer = dataclasses.replace(said, speaker=AUTHOR)
    span = TechniqueSpan(text.index("a disgrace"), len(text) - 1, "Loaded_Language")
    assert voice_of(span, [writer]) is None
    assert voice_of(span, [dataclasses.replace(said, speaker="Ada Moor")]) == "Ada Moor"


def test_a_cue_tagged_as_its_auxiliary_takes_its_verb_with_shipped_model(analyzer):
    text = (EXAMPLES / "post-bridge-vote.txt").read_text(encoding="utf-8")
    attributions = analyzer.analyze([Document(text=text, id="bridge")])[0].attributions
    traders = next(a for a in attributions if a.speaker == "Traders")
    assert text[slice(*traders.cue)] == "have asked for"
    assert text[slice(*traders.content)] == "a compensation fund"


def test_we_in_an_aside_is_not_the_speaker_with_shipped_model(analyzer):
    text = (EXAMPLES / "beacon-bridge-betrayal.txt").read_text(encoding="utf-8")
    attributions = analyzer.analyze([Document(text=text, id="betrayal")])[0].attributions
    warned = next(a for a in attributions if text[slice(*a.content)] == "of collapse")
    assert warned.speaker == "Engineers"  # "Engineers, we are told, have warned of collapse"
    assert not is_statement(text, warned.content, warned.cue)  # shown as "Engineers have warned: of collapse"


def test_a_content_opens_past_a_dateline_and_the_one_told_with_shipped_model(analyzer):
    wire = (EXAMPLES / "port-strike-wire.txt").read_text(encoding="utf-8")
    opinion = (EXAMPLES / "beacon-bridge-betrayal.txt").read_text(encoding="utf-8")
    docs = analyzer.analyze([Document(text=wire, id="wire"), Document(text=opinion, id="opinion")])
    contents = {doc.id: [doc.text[slice(*a.content)] for a in doc.attributions] for doc in docs}
    assert any(c.startswith("Dock workers at the port") for c in contents["wire"])
    assert not any(c.startswith("NORHAVEN") for c in contents["wire"])
    assert "it was about safety" in contents["opinion"]  # "They told you it was about safety."
    assert not any(c.startswith("that will not show") for c in contents["opinion"])  # the writer's own clause


def test_a_source_running_over_a_comma_to_its_cue_is_the_part_next_to_it():
    text = "In Norhaven, exit polls showed that the mayor had lost her lead."
    spans = {
        "content": [_at(text, "that the mayor had lost her lead")],
        "source": [_at(text, "Norhaven, exit polls")],
        "cue": [_at(text, "showed")],
    }
    (item,) = link(text, spans)
    assert text[item.source[0] : item.source[1]] == "exit polls"


def test_a_lone_conjunction_or_adverb_names_no_source():
    text = "But, said the harbour master, the cranes will not move before spring."
    spans = {
        "content": [_at(text, "the cranes will not move before spring")],
        "source": [_at(text, "But"), _at(text, "the harbour master")],
        "cue": [_at(text, "said")],
    }
    (item,) = link(text, spans)
    assert text[item.source[0] : item.source[1]] == "the harbour master"


def test_a_quote_that_goes_on_in_the_next_paragraph_keeps_its_speakers_mention():
    text = "“The pier will be rebuilt,” Varga said.\n\n“Nobody will lose a job over this.”"
    spans = {"content": [], "source": [_at(text, "Varga")], "cue": [_at(text, "said")]}
    first, second = attributions_from_links(text, link(text, spans))
    assert second.speaker == first.speaker == "Varga"
    assert second.source == first.source == _at(text, "Varga")


def test_a_source_cut_at_its_adjective_takes_its_noun_and_its_content_no_comma():
    text = "According to multiple reports, the ferry will not sail before spring."
    spans = {
        "content": [(text.index("reports,") + len("reports"), len(text) - 1)],
        "source": [_at(text, "multiple")],
        "cue": [_at(text, "According to")],
    }
    (item,) = link(text, spans)
    assert text[item.source[0] : item.source[1]] == "multiple reports"
    assert text[item.content[0] : item.content[1]] == "the ferry will not sail before spring"


@pytest.mark.parametrize(
    "intro", ["Professor Ana Soto said:", "Let Professor Ana Soto tell you:", "As Ana Soto put it:"]
)
def test_a_quote_under_a_line_that_hands_it_the_word_is_that_speakers(intro):
    text = f"The port was sold in May.\n{intro}\n“All the council needs is one witness willing to talk.\n"
    text += "“The witness may be composing a story.”\n"
    found = attributions_from_links(text, link(text, {role: [] for role in ("content", "source", "cue")}))
    assert [a.speaker for a in found] == ["Ana Soto", "Ana Soto"]
    text = "The port was busy:\n“All the council needs is one witness willing to talk.”\n"
    found = attributions_from_links(text, link(text, {role: [] for role in ("content", "source", "cue")}))
    assert [a.speaker for a in found] == [None]


def test_a_web_pages_story_continues_below_reports_no_one():
    text = "The port was sold in May.\ntake our poll - story continues below\nShould the port have been sold?\n"
    spans = {"content": [_at(text, "Should the port have been sold")], "source": [_at(text, "story")]}
    spans["cue"] = [_at(text, "continues")]
    assert [a.speaker for a in attributions_from_links(text, link(text, spans))] == []
