"""Tests for propwatch.model.decode: token BIO probabilities to character spans, and ranked techniques."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propwatch.model.decode import (
    DecodeSettings,
    RawSpan,
    assign_ranked,
    decode_spans,
    edge_flaws,
    paragraph_pieces,
    trim_edges,
)
from propwatch.model.encoding import TextEncoder
from propwatch.model.runtime import DEFAULT_MODEL_DIR

TEXT = "They are traitors and liars, say critics."


def word_offsets(text: str) -> np.ndarray:
    return np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)], dtype=np.int64).reshape(-1, 2)


def bio(p_in: list[float], p_begin: list[float] | None = None) -> np.ndarray:
    """(tokens, 3) O/B/I probabilities with P(B) + P(I) = p_in."""
    p_in_arr = np.asarray(p_in, dtype=np.float64)
    p_b = np.zeros_like(p_in_arr) if p_begin is None else np.asarray(p_begin, dtype=np.float64)
    return np.stack([1.0 - p_in_arr, p_b, p_in_arr - p_b], axis=1)


def texts_of(text: str, spans: list[RawSpan]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


LOOSE = DecodeSettings(threshold=0.5, max_gap=0, min_chars=1, begin_split=1.0)

# TEXT tokens: They are traitors and liars , say critics .
#              0    1   2        3   4     5 6   7       8


def test_word_offsets_helper() -> None:
    offsets = word_offsets(TEXT)
    assert [TEXT[s:e] for s, e in offsets.tolist()] == [
        "They", "are", "traitors", "and", "liars", ",", "say", "critics", ".",
    ]  # fmt: skip


def test_threshold() -> None:
    offsets = word_offsets(TEXT)
    probs = bio([0.1, 0.1, 0.9, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0])
    spans = decode_spans(TEXT, offsets, probs, LOOSE)
    assert texts_of(TEXT, spans) == ["traitors"]
    assert spans[0].score == pytest.approx(0.9)
    assert decode_spans(TEXT, offsets, probs, DecodeSettings(0.95, 0, 1, 1.0)) == []
    # A token exactly at the threshold is in.
    assert texts_of(TEXT, decode_spans(TEXT, offsets, probs, DecodeSettings(0.9, 0, 1, 1.0))) == ["traitors"]


def test_inside_is_begin_plus_inside_probability() -> None:
    offsets = word_offsets(TEXT)
    # P(B) = 0.25, P(I) = 0.25 -> P(in) = 0.5: in at threshold 0.4, though neither tag beats O alone.
    probs = bio([0, 0, 0.5, 0, 0, 0, 0, 0, 0], [0, 0, 0.25, 0, 0, 0, 0, 0, 0])
    spans = decode_spans(TEXT, offsets, probs, DecodeSettings(0.4, 0, 1, 1.0))
    assert texts_of(TEXT, spans) == ["traitors"]


def test_run_of_tokens_becomes_one_span_with_mean_score() -> None:
    offsets = word_offsets(TEXT)
    probs = bio([0, 0, 0.9, 0.6, 0.9, 0, 0, 0, 0])
    spans = decode_spans(TEXT, offsets, probs, LOOSE)
    assert texts_of(TEXT, spans) == ["traitors and liars"]
    assert spans[0].score == pytest.approx(0.8)


def test_gap_merging() -> None:
    offsets = word_offsets(TEXT)
    # "traitors" [9, 17) and "liars" [22, 27) are in; "and" is out: a gap of 22 - 17 = 5 characters.
    probs = bio([0, 0, 0.8, 0.1, 0.6, 0, 0, 0, 0])
    merged = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 5, 1, 1.0))
    assert texts_of(TEXT, merged) == ["traitors and liars"]
    # The merged span's score is the mean over its inside tokens only: (0.8 + 0.6) / 2.
    assert merged[0].score == pytest.approx(0.7)
    apart = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 4, 1, 1.0))
    assert texts_of(TEXT, apart) == ["traitors", "liars"]
    assert [s.score for s in apart] == pytest.approx([0.8, 0.6])


def test_gap_merging_chains() -> None:
    text = "a bb cc dd ee"
    offsets = word_offsets(text)
    probs = bio([0.9, 0.0, 0.9, 0.0, 0.9])
    spans = decode_spans(text, offsets, probs, DecodeSettings(0.5, 4, 1, 1.0))
    assert texts_of(text, spans) == ["a bb cc dd ee"]


def test_growth_to_word_boundaries() -> None:
    text = "An unbelievable lie."
    # Sub-word tokens: An | un ##believ ##able | lie | .
    offsets = np.array([[0, 2], [3, 5], [5, 11], [11, 15], [16, 19], [19, 20]])
    probs = bio([0, 0, 0.9, 0, 0, 0])
    spans = decode_spans(text, offsets, probs, LOOSE)
    assert texts_of(text, spans) == ["unbelievable"]
    # Growth stops at punctuation and spaces.
    probs = bio([0, 0, 0, 0, 0.9, 0])
    assert texts_of(text, decode_spans(text, offsets, probs, LOOSE)) == ["lie"]


def test_growth_at_text_edges() -> None:
    text = "Traitors"
    offsets = np.array([[0, 3], [3, 8]])
    assert texts_of(text, decode_spans(text, offsets, bio([0.9, 0.0]), LOOSE)) == ["Traitors"]
    assert texts_of(text, decode_spans(text, offsets, bio([0.0, 0.9]), LOOSE)) == ["Traitors"]


def test_min_chars_drops_fragments() -> None:
    offsets = word_offsets(TEXT)
    probs = bio([0, 0.9, 0, 0, 0, 0, 0, 0, 0])  # "are": 3 characters
    assert decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 4, 1.0)) == []
    assert texts_of(TEXT, decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 3, 1.0))) == ["are"]


def test_min_chars_counts_after_growth() -> None:
    text = "An unbelievable lie."
    offsets = np.array([[0, 2], [3, 5], [5, 11], [11, 15], [16, 19], [19, 20]])
    probs = bio([0, 0.9, 0, 0, 0, 0])  # token "un" is 2 characters, its word 12
    spans = decode_spans(text, offsets, probs, DecodeSettings(0.5, 0, 12, 1.0))
    assert texts_of(text, spans) == ["unbelievable"]


def test_begin_split_splits_runs() -> None:
    offsets = word_offsets(TEXT)
    # traitors(B) and(I) liars(B): one run without splitting, two when a confident B starts "liars".
    p_in = [0, 0, 0.9, 0.9, 0.9, 0, 0, 0, 0]
    p_b = [0, 0, 0.8, 0.0, 0.7, 0, 0, 0, 0]
    probs = bio(p_in, p_b)
    whole = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 1, 1.0))
    assert texts_of(TEXT, whole) == ["traitors and liars"]
    split = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 1, 0.6))
    assert texts_of(TEXT, split) == ["traitors and", "liars"]
    # A confident B is never merged back into the previous span, however large the gap allowance.
    split = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 100, 1, 0.6))
    assert texts_of(TEXT, split) == ["traitors and", "liars"]
    # P(B) = 0.7 on "liars" is below a begin_split of 0.75: no split.
    assert texts_of(TEXT, decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 1, 0.75))) == ["traitors and liars"]


def test_begin_split_blocks_gap_merge() -> None:
    offsets = word_offsets(TEXT)
    probs = bio([0, 0, 0.9, 0, 0.9, 0, 0, 0, 0], [0, 0, 0, 0, 0.9, 0, 0, 0, 0])
    assert texts_of(TEXT, decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 10, 1, 1.0))) == ["traitors and liars"]
    assert texts_of(TEXT, decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 10, 1, 0.5))) == [
        "traitors",
        "liars",
    ]


def test_empty_input() -> None:
    assert decode_spans("", np.zeros((0, 2), np.int64), np.zeros((0, 3)), DecodeSettings()) == []
    assert decode_spans("Some text", np.zeros((0, 2), np.int64), np.zeros((0, 3)), DecodeSettings()) == []


def test_nothing_inside() -> None:
    offsets = word_offsets(TEXT)
    assert decode_spans(TEXT, offsets, bio([0.0] * len(offsets)), DecodeSettings()) == []


def test_everything_inside() -> None:
    offsets = word_offsets(TEXT)
    spans = decode_spans(TEXT, offsets, bio([1.0] * len(offsets)), LOOSE)
    assert texts_of(TEXT, spans) == [TEXT]


def test_default_settings() -> None:
    default = DecodeSettings()
    assert (default.threshold, default.max_gap, default.min_chars, default.begin_split) == (0.4, 3, 4, 1.0)


def test_runs_inside_one_word_give_one_span() -> None:
    text = "An unbelievable lie."
    offsets = np.array([[0, 2], [3, 5], [5, 11], [11, 15], [16, 19], [19, 20]])
    probs = bio([0, 0.9, 0, 0.9, 0, 0])  # "un" and "able" in, "believ" out: gap 6 > max_gap 0
    spans = decode_spans(text, offsets, probs, DecodeSettings(0.5, 0, 1, 1.0))
    assert texts_of(text, spans) == ["unbelievable"]


def test_begin_split_one_never_splits() -> None:
    offsets = word_offsets(TEXT)
    probs = bio([0, 0, 1.0, 1.0, 1.0, 0, 0, 0, 0], [0, 0, 1.0, 0, 1.0, 0, 0, 0, 0])
    spans = decode_spans(TEXT, offsets, probs, DecodeSettings(0.5, 0, 1, 1.0))
    assert texts_of(TEXT, spans) == ["traitors and liars"]


# --- property: spans always index the text ---------------------------------------------------

PIECES = ["They", "are", "unbelievable", "traitors", "U.S.", "don't", " ", " ", "\r\n", ",", "!",
          "😀", "e\u0301", "\u201c", "\u201d", "中文", "新闻"]  # fmt: skip


@cache
def encoder() -> TextEncoder:
    path = DEFAULT_MODEL_DIR / "tokenizer.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return TextEncoder.from_file(path)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
    st.data(),
    st.floats(0.05, 0.95),
    st.integers(0, 12),
    st.integers(1, 12),
    st.sampled_from([0.3, 0.5, 1.0]),
)
def test_spans_always_index_the_text(
    text: str, data: st.DataObject, threshold: float, max_gap: int, min_chars: int, begin_split: float
) -> None:
    offsets = encoder().encode(text).offsets
    n = len(offsets)
    raw = np.asarray(data.draw(st.lists(st.floats(0, 1), min_size=3 * n, max_size=3 * n)), dtype=np.float64)
    raw = raw.reshape(n, 3) + 1e-6
    probs = raw / raw.sum(axis=1, keepdims=True)
    spans = decode_spans(text, offsets, probs, DecodeSettings(threshold, max_gap, min_chars, begin_split))
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.end - span.start >= min_chars
        assert 0.0 <= span.score <= 1.0 + 1e-9
        piece = text[span.start : span.end]
        # Spans never cut a word: the characters either side are not alphanumeric.
        assert span.start == 0 or not (text[span.start - 1].isalnum() and piece[0].isalnum())
        assert span.end == len(text) or not (text[span.end].isalnum() and piece[-1].isalnum())
    starts = [s.start for s in spans]
    assert starts == sorted(starts)


# --- assign_ranked ---------------------------------------------------------------------------


def test_assign_ranked_single_rows_take_top() -> None:
    log_probs = np.log(np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6]]))
    assert assign_ranked(log_probs, [[0], [1], [2]]) == [1, 0, 2]


def test_assign_ranked_shared_span_gets_distinct_techniques() -> None:
    # Rows 0 and 1 label the same span: they take the top two techniques of the first row, in order.
    log_probs = np.log(np.array([[0.1, 0.6, 0.3], [0.1, 0.6, 0.3], [0.5, 0.2, 0.3]]))
    assert assign_ranked(log_probs, [[0, 1], [2]]) == [1, 2, 0]


def test_assign_ranked_group_order_and_non_adjacent_rows() -> None:
    log_probs = np.log(np.array([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))
    assert assign_ranked(log_probs, [[3, 0, 2], [1]]) == [1, 0, 0, 2]


def test_assign_ranked_wraps_when_group_exceeds_techniques() -> None:
    log_probs = np.log(np.array([[0.7, 0.3]] * 3))
    assert assign_ranked(log_probs, [[0, 1, 2]]) == [0, 1, 0]


def test_assign_ranked_empty() -> None:
    assert assign_ranked(np.zeros((0, 14)), []) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 14), st.integers(1, 20), st.data())
def test_assign_ranked_distinct_within_group(n_labels: int, n_rows: int, data: st.DataObject) -> None:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    log_probs = np.log(rng.dirichlet(np.ones(n_labels), size=n_rows))
    group_of = data.draw(st.lists(st.integers(0, 4), min_size=n_rows, max_size=n_rows))
    groups = [[r for r in range(n_rows) if group_of[r] == g] for g in range(5)]
    groups = [g for g in groups if g]
    choice = assign_ranked(log_probs, groups)
    assert len(choice) == n_rows
    for rows in groups:
        picked = [choice[r] for r in rows]
        assert all(0 <= c < n_labels for c in picked)
        if len(rows) <= n_labels:
            assert len(set(picked)) == len(rows)
        assert picked[0] == int(np.argmax(log_probs[rows[0]]))


# --- edges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("of the brutal murders in", "the brutal murders"),
        ("death in", "death"),
        ("have no way of", "have no way"),
        ("always be scrutinized for safety and", "always be scrutinized for safety"),
        ("and so on the", ""),  # edge words peel one at a time from either end, to nothing here
        (", the traitors, ", "the traitors"),
        ("a disgrace to the", "a disgrace"),  # a span may open on an article, never close on one
        ("Inside job", "Inside job"),  # only whole words count
        ('a "disgrace', 'a "disgrace'),  # the closing mark is not next to the span here: see below
        ('"Raise An Army" "Killing', '"Raise An Army" "Killing'),
        ("“a publicity stunt", "a publicity stunt"),
        ("the sham”, he said", "the sham”, he said"),
        ("sham”", "sham"),
        ("the", ""),
        ("Über in", "Über"),
    ],
)
def test_trim_edges(span: str, expected: str) -> None:
    text = f"<{span}>"
    start, end = trim_edges(text, 1, 1 + len(span))
    assert text[start:end] == expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ('called it a "disgrace" today', 'a "disgrace', 'a "disgrace"'),
        ('so "sham" it was', 'sham"', '"sham"'),
        ("a “publicity stunt” indeed", "a “publicity stunt", "a “publicity stunt”"),
        ("the “sham” of it", "sham”", "“sham”"),
        ('it was a "disgrace."\nHe left', 'a "disgrace', 'a "disgrace."'),
        ("a “total witch hunt.”\nMueller", "a “total witch hunt", "a “total witch hunt.”"),
        ('he said "no more lies', 'said "no more', 'said "no more'),
    ],
)
def test_lone_quote_marks_are_closed_when_the_mark_is_next_to_the_span(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    s, e = trim_edges(text, start, start + len(span))
    assert text[s:e] == expected


def test_a_span_grows_over_the_hyphens_of_a_compound_it_cuts() -> None:
    text = "a self-proclaimed wanna-be - not - expert"
    assert text[slice(*trim_edges(text, 2, 6))] == "self-proclaimed"
    be = text.index("be ")
    assert text[slice(*trim_edges(text, be, be + 2))] == "wanna-be"
    assert text[slice(*trim_edges(text, text.index("not"), len(text)))] == "not - expert"  # a spaced dash is no hyphen


def test_pieces_of_one_compound_merge() -> None:
    text = "a self-proclaimed expert"
    offsets = word_offsets(text)  # a self - proclaimed expert
    spans = decode_spans(text, offsets, bio([0.0, 0.9, 0.0, 0.9, 0.0]), replace(EDGES, min_chars=2))
    assert texts_of(text, spans) == ["self-proclaimed"]


def test_paragraph_pieces_cut_at_line_breaks_without_the_spaces_around() -> None:
    text = 'attacks on Europeans. \n\n"This slaughter" ends\r\nhere'
    assert [text[s:e] for s, e in paragraph_pieces(text, 0, len(text))] == [
        "attacks on Europeans.",
        '"This slaughter" ends',
        "here",
    ]


EDGES = DecodeSettings(threshold=0.5, max_gap=3, min_chars=3, begin_split=1.0, split_paragraphs=True, trim_words=True)


def test_edge_rules_in_decoding() -> None:
    text = "the attacks on Europeans.\nThis slaughter in"
    offsets = word_offsets(text)
    # tokens: the attacks on Europeans . This slaughter in
    probs = bio([0.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
    plain = decode_spans(text, offsets, probs, replace(EDGES, split_paragraphs=False, trim_words=False))
    assert texts_of(text, plain) == ["attacks on Europeans.\nThis slaughter in"]
    edged = decode_spans(text, offsets, probs, EDGES)
    assert texts_of(text, edged) == ["attacks on Europeans.", "This slaughter"]
    assert all(s.score == pytest.approx(0.9) for s in edged)
    for span in edged:
        crosses, on_edge_word, on_article = edge_flaws(text, span.start, span.end)
        assert not (crosses or on_edge_word or on_article)


def test_edge_flaws() -> None:
    text = "the slaughter in\nthe town of the"
    assert edge_flaws(text, 0, len(text)) == (True, False, True)
    assert edge_flaws(text, 4, 16) == (False, True, False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["of", "the", "and", "lies", "\n", " ", ",", "traitors", "in", "Über"]), max_size=14))
def test_edged_spans_are_clean_and_inside_the_text(words: list[str]) -> None:
    text = " ".join(words)
    offsets = word_offsets(text)
    spans = decode_spans(text, offsets, bio([0.9] * len(offsets)), EDGES)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.end - span.start >= EDGES.min_chars
        crosses, on_edge_word, on_article = edge_flaws(text, span.start, span.end)
        assert not crosses and not on_article
        words_in = re.findall(r"\w+", text[span.start : span.end])
        assert not on_edge_word or len(words_in) == 1
