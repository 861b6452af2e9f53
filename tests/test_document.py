"""Tests for propwatch.document: offsets, spans and the JSON shape of a document."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propwatch.document import (
    Document,
    OffsetError,
    TechniqueSpan,
    check_offsets,
    content_id,
    in_quotes,
    overlap,
    overlaps_any,
    said_excerpt,
)
from propwatch.techniques import NAMES

TEXT = "They are traitors, and everyone knows it.\r\nVote now!"


# --- check_offsets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "length"),
    [(0, 0, 0), (0, 5, 5), (2, 2, 5), (5, 5, 5), (1, 4, 10)],
)
def test_check_offsets_accepts_ranges_inside_text(start: int, end: int, length: int) -> None:
    check_offsets(start, end, length)


@pytest.mark.parametrize(
    ("start", "end", "length"),
    [
        (-1, 2, 10),  # negative start
        (3, 2, 10),  # reversed
        (0, 11, 10),  # past the end
        (11, 11, 10),  # empty but outside
        (0, 1, 0),  # any non-empty span of an empty text
        (-2, -1, 10),  # entirely negative
    ],
)
def test_check_offsets_refuses_bad_ranges(start: int, end: int, length: int) -> None:
    with pytest.raises(OffsetError, match=r"does not fit"):
        check_offsets(start, end, length)


def test_offset_error_is_a_value_error() -> None:
    assert issubclass(OffsetError, ValueError)


@settings(max_examples=100, deadline=None)
@given(st.integers(-5, 30), st.integers(-5, 30), st.integers(0, 25))
def test_check_offsets_matches_definition(start: int, end: int, length: int) -> None:
    ok = 0 <= start <= end <= length
    if ok:
        check_offsets(start, end, length)
    else:
        with pytest.raises(OffsetError):
            check_offsets(start, end, length)


# --- TechniqueSpan -------------------------------------------------------------------------


def test_unknown_technique_refused() -> None:
    with pytest.raises(ValueError, match="unknown technique"):
        TechniqueSpan(0, 4, "Not_A_Technique")


def test_technique_name_is_case_sensitive() -> None:
    with pytest.raises(ValueError, match="unknown technique"):
        TechniqueSpan(0, 4, "loaded_language")


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4)])
def test_span_refuses_invalid_range(start: int, end: int) -> None:
    with pytest.raises(OffsetError):
        TechniqueSpan(start, end, "Loaded_Language")


@pytest.mark.parametrize("name", NAMES)
def test_every_known_technique_accepted(name: str) -> None:
    assert TechniqueSpan(0, 1, name).technique == name


def test_span_is_frozen() -> None:
    span = TechniqueSpan(0, 4, "Doubt")
    with pytest.raises(AttributeError):
        span.start = 2  # type: ignore[misc]


def test_span_to_dict_shape_and_rounding() -> None:
    span = TechniqueSpan(3, 9, "Doubt", score=0.123456789, speaker="Ana Ruiz")
    assert span.to_dict() == {
        "start": 3,
        "end": 9,
        "technique": "Doubt",
        "score": 0.1235,
        "speaker": "Ana Ruiz",
    }


# --- Document ------------------------------------------------------------------------------


def test_add_span_validates_against_text() -> None:
    doc = Document(TEXT)
    ok = doc.add_span(TechniqueSpan(9, 17, "Name_Calling,Labeling"))
    assert doc.spans == [ok]
    # A span that ends one past the text is refused and not attached.
    with pytest.raises(OffsetError):
        doc.add_span(TechniqueSpan(0, len(TEXT) + 1, "Loaded_Language"))
    with pytest.raises(OffsetError):
        doc.add_span(TechniqueSpan(len(TEXT) + 1, len(TEXT) + 3, "Loaded_Language"))
    assert doc.spans == [ok]


def test_add_span_accepts_span_ending_at_text_end() -> None:
    doc = Document(TEXT)
    span = doc.add_span(TechniqueSpan(len(TEXT) - 9, len(TEXT), "Slogans"))
    assert doc.span_text(span) == "Vote now!"


def test_span_text_slices_exact_text() -> None:
    doc = Document(TEXT)
    span = doc.add_span(TechniqueSpan(9, 17, "Name_Calling,Labeling"))
    assert doc.span_text(span) == "traitors"
    # CRLF inside a span is kept verbatim.
    crlf = TEXT.index("\r\n")
    span = doc.add_span(TechniqueSpan(crlf - 3, crlf + 6, "Loaded_Language"))
    assert doc.span_text(span) == "it.\r\nVote"


def test_span_text_with_astral_and_combining_characters() -> None:
    text = "😀 cafe\u0301 is “great”"
    doc = Document(text)
    span = doc.add_span(TechniqueSpan(2, 7, "Loaded_Language"))
    assert doc.span_text(span) == "cafe\u0301"
    quote = doc.add_span(TechniqueSpan(text.index("“"), len(text), "Loaded_Language"))
    assert doc.span_text(quote) == "“great”"


def test_to_dict_shape() -> None:
    doc = Document(TEXT, id="a1", title="T", outlet="O", published="2020-01-01", url="http://x")
    doc.add_span(TechniqueSpan(23, 40, "Bandwagon,Reductio_ad_hitlerum", score=0.7))
    doc.add_span(TechniqueSpan(9, 17, "Name_Calling,Labeling", score=0.9, speaker="author"))
    doc.add_span(TechniqueSpan(9, 17, "Loaded_Language", score=0.5))
    data = doc.to_dict()
    assert list(data) == ["id", "title", "outlet", "published", "url", "text", "spans", "attributions"]
    assert data["id"] == "a1"
    assert data["title"] == "T"
    assert data["outlet"] == "O"
    assert data["published"] == "2020-01-01"
    assert data["url"] == "http://x"
    assert data["text"] == TEXT
    assert data["attributions"] == []
    spans = data["spans"]
    assert len(spans) == 3
    for span in spans:
        assert set(span) == {"start", "end", "technique", "score", "speaker"}
    keys = [(s["start"], s["end"], s["technique"]) for s in spans]
    assert keys == sorted(keys)
    assert keys[0] == (9, 17, "Loaded_Language")
    assert keys[1] == (9, 17, "Name_Calling,Labeling")
    assert spans[1]["speaker"] == "author"
    # The shape is plain JSON.
    assert json.loads(json.dumps(data)) == data


def test_to_dict_does_not_reorder_document_spans() -> None:
    doc = Document(TEXT)
    late = doc.add_span(TechniqueSpan(20, 25, "Doubt"))
    early = doc.add_span(TechniqueSpan(0, 4, "Doubt"))
    doc.to_dict()
    assert doc.spans == [late, early]


def test_to_dict_defaults() -> None:
    data = Document("Some text.").to_dict()
    assert data["title"] is None
    assert data["outlet"] is None
    assert data["published"] is None
    assert data["url"] is None
    assert data["spans"] == []


def test_content_id_stable_and_distinct() -> None:
    assert content_id(TEXT) == content_id(str(TEXT))
    assert content_id(TEXT) != content_id(TEXT + " ")
    assert content_id("a\r\nb") != content_id("a\nb")
    assert len(content_id(TEXT)) == 16
    assert all(c in "0123456789abcdef" for c in content_id(TEXT))


def test_document_id_defaults_to_content_id() -> None:
    assert Document(TEXT).id == content_id(TEXT)
    assert Document(TEXT).id == Document(TEXT).id
    assert Document(TEXT, id="given").id == "given"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_content_id_is_deterministic_for_any_text(text: str) -> None:
    # Lone surrogates cannot be UTF-8 encoded; documents never contain them (they come from decoding).
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return
    assert content_id(text) == content_id(text)
    assert Document(text).id == content_id(text)


def test_to_dict_sorts_spans_differing_only_in_speaker() -> None:
    doc = Document("hello world")
    doc.add_span(TechniqueSpan(0, 5, "Doubt", 0.5, None))
    doc.add_span(TechniqueSpan(0, 5, "Doubt", 0.5, "Ana Ruiz"))
    assert len(doc.to_dict()["spans"]) == 2


def test_said_excerpt_leaves_out_the_attribution_clause_inside_a_statement() -> None:
    text = '"We will not go back," Lina Dorr said at the rally. "Not for crumbs, not ever."'
    content = (1, len(text) - 1)
    source = (text.index("Lina"), text.index("Lina") + len("Lina Dorr"))
    cue = (text.index("said"), text.index("said") + 4)
    assert said_excerpt(text, content, [source, cue], 200) == "We will not go back … Not for crumbs, not ever."


def test_said_excerpt_closes_the_quote_it_opens_and_cuts_to_width() -> None:
    text = 'She said the city "cannot wait," and left.'
    content = (text.index("the city"), text.index(',"'))
    assert said_excerpt(text, content, [None, None], 200) == 'the city "cannot wait"'
    assert said_excerpt(text, content, [], 8) == "the cit…"


def test_a_direct_quote_is_shown_between_one_pair_of_marks():
    assert in_quotes("we will stay") == "“we will stay”"
    assert in_quotes('"they want the waterfront."') == "“they want the waterfront.”"
    assert in_quotes("“we will stay…") == "“we will stay…”"


_EXTENT = st.tuples(st.integers(0, 20), st.integers(0, 20))


@given(extent=_EXTENT, others=st.lists(_EXTENT, max_size=5))
def test_overlaps_any_is_overlap_above_zero_for_one_of_them(extent, others):
    assert overlaps_any(extent, others) == any(overlap(extent, other) > 0 for other in others)
