"""Tests for propwatch.model.encoding: windows, packing, char-to-token spans and exact offsets."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer
from tokenizers.models import WordLevel

from propwatch.model.encoding import Encoded, TextEncoder, Window, char_span_to_tokens, make_windows, pack
from propwatch.model.runtime import DEFAULT_MODEL_DIR

TOKENIZER_JSON = DEFAULT_MODEL_DIR / "tokenizer.json"


@cache
def encoder() -> TextEncoder:
    if not TOKENIZER_JSON.is_file():
        pytest.skip(f"{TOKENIZER_JSON} not present")
    return TextEncoder.from_file(TOKENIZER_JSON)


# --- make_windows ----------------------------------------------------------------------------


def owned(windows: list[Window]) -> list[int]:
    return [t for w in windows for t in range(w.own_start, w.own_end)]


@st.composite
def window_cases(draw: st.DrawFn) -> tuple[int, int, int]:
    """Token count, window size and an overlap smaller than it."""
    size = draw(st.integers(1, 600), label="size")
    return draw(st.integers(0, 3000), label="n_tokens"), size, draw(st.integers(0, size - 1), label="overlap")


@settings(max_examples=100, deadline=None)
@given(window_cases())
def test_windows_own_every_token_exactly_once(case: tuple[int, int, int]) -> None:
    n_tokens, size, overlap = case
    windows = make_windows(n_tokens, size, overlap)
    assert windows
    assert owned(windows) == list(range(n_tokens))  # in order, each token once
    for w in windows:
        assert 0 <= w.start <= w.own_start <= w.own_end <= w.end <= n_tokens
        assert w.end - w.start <= size
    if n_tokens >= size:
        assert all(w.end - w.start == size for w in windows)
    assert windows[0].start == 0
    assert windows[-1].end == n_tokens
    starts = [w.start for w in windows]
    assert starts == sorted(set(starts))


@settings(max_examples=100, deadline=None)
@given(window_cases())
def test_short_last_window_keeps_the_step_and_owns_every_token(case: tuple[int, int, int]) -> None:
    n_tokens, size, overlap = case
    windows = make_windows(n_tokens, size, overlap, short_last=True)
    assert owned(windows) == list(range(n_tokens))
    assert windows[0].start == 0
    assert windows[-1].end == n_tokens
    assert all(w.end - w.start == size for w in windows[:-1])
    assert all(b.start - a.start == size - overlap and a.end - b.start == overlap for a, b in pairwise(windows))
    full = make_windows(n_tokens, size, overlap)
    assert len(windows) == len(full)
    assert sum(w.end - w.start for w in windows) <= sum(w.end - w.start for w in full)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 400), st.data())
def test_short_input_gives_one_window(size: int, data: st.DataObject) -> None:
    n_tokens = data.draw(st.integers(0, size))
    overlap = data.draw(st.integers(0, size - 1))
    assert make_windows(n_tokens, size, overlap) == [Window(0, n_tokens, 0, n_tokens)]


def test_windows_worked_example() -> None:
    # 10 tokens, windows of 4 stepping by 2: starts 0, 2, 4 and the last flush with the end, 6.
    windows = make_windows(10, 4, 2)
    assert [(w.start, w.end) for w in windows] == [(0, 4), (2, 6), (4, 8), (6, 10)]
    # With a short last window the step stays 2 and the last one stops at the end: 6..9.
    short = make_windows(9, 4, 2, short_last=True)
    expected = [(0, 4, 0, 3), (2, 6, 3, 5), (4, 8, 5, 7), (6, 9, 7, 9)]
    assert [(w.start, w.end, w.own_start, w.own_end) for w in short] == expected
    # Each overlap [start, prev.end) is split at its midpoint.
    assert [(w.own_start, w.own_end) for w in windows] == [(0, 3), (3, 5), (5, 7), (7, 10)]


def test_windows_each_token_owned_away_from_edges() -> None:
    # With a real overlap, an owned token sits at least overlap // 2 tokens inside its window's
    # interior edges (the first and last windows own up to the article's edges).
    size, overlap = 20, 8
    windows = make_windows(200, size, overlap)
    for i, w in enumerate(windows):
        if i:
            assert w.own_start - w.start >= overlap // 2 - 1
        if i < len(windows) - 1:
            assert w.end - w.own_end >= overlap // 2 - 1


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (-3, 0), (4, 4), (4, 5), (4, -1)])
def test_windows_refuse_bad_settings(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        make_windows(100, size, overlap)


# --- pack ------------------------------------------------------------------------------------


def test_pack_adds_cls_sep_and_pads_with_mask() -> None:
    chunks = [np.array([5, 6, 7]), np.array([8]), np.array([], dtype=np.int64)]
    ids, mask = pack(chunks, cls_id=101, sep_id=102, pad_id=0)
    assert ids.shape == mask.shape == (3, 5)
    assert ids.dtype == np.int64 and mask.dtype == np.int64
    assert ids.tolist() == [
        [101, 5, 6, 7, 102],
        [101, 8, 102, 0, 0],
        [101, 102, 0, 0, 0],
    ]
    assert mask.tolist() == [
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 1, 0, 0, 0],
    ]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(1000, 2000), max_size=12), min_size=1, max_size=6))
def test_pack_property(lists: list[list[int]]) -> None:
    chunks = [np.asarray(c, dtype=np.int64) for c in lists]
    ids, mask = pack(chunks, cls_id=1, sep_id=2, pad_id=3)
    assert ids.shape == (len(chunks), max(len(c) for c in chunks) + 2)
    for row, chunk in enumerate(lists):
        n = len(chunk)
        assert ids[row, : n + 2].tolist() == [1, *chunk, 2]
        assert (ids[row, n + 2 :] == 3).all()
        assert mask[row].tolist() == [1] * (n + 2) + [0] * (ids.shape[1] - n - 2)


# --- char_span_to_tokens ---------------------------------------------------------------------

# "They are up to no good": They(0,4) are(5,8) up(9,11) to(12,14) no(15,17) good(18,22)
OFFSETS = np.array([[0, 4], [5, 8], [9, 11], [12, 14], [15, 17], [18, 22]])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 22, (0, 6)),  # everything
        (5, 8, (1, 2)),  # exactly one token
        (3, 6, (0, 2)),  # partial overlap of two tokens
        (4, 5, (1, 1)),  # only the space between tokens: empty
        (8, 9, (2, 2)),
        (0, 1, (0, 1)),
        (21, 22, (5, 6)),
        (22, 30, (6, 6)),  # past the last token
        (9, 17, (2, 5)),
    ],
)
def test_char_span_to_tokens(start: int, end: int, expected: tuple[int, int]) -> None:
    assert char_span_to_tokens(OFFSETS, start, end) == expected


def test_char_span_to_tokens_no_tokens() -> None:
    assert char_span_to_tokens(np.zeros((0, 2), dtype=np.int64), 0, 10) == (0, 0)


TEXT_PIECES = [
    "They",
    "are",
    "traitors",
    "unbelievable",
    "U.S.",
    "don't",
    "2020",
    "!",
    ",",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "😀",
    "👩\u200d👩\u200d👧",
    "e\u0301",
    "Cafe\u0301",
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    "中文",
    "新闻报道",
    "\ufeff",
    "\u00a0",
    "\u200b",
]
texts = st.lists(st.sampled_from(TEXT_PIECES), max_size=40).map("".join)


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(0, 200), st.integers(1, 30))
def test_char_span_to_tokens_matches_brute_force(text: str, start: int, length: int) -> None:
    offsets = encoder().encode(text).offsets
    start = min(start, len(text))
    end = min(start + length, len(text))
    first, last = char_span_to_tokens(offsets, start, end)
    overlapping = [i for i, (s, e) in enumerate(offsets.tolist()) if s < end and e > start]
    if overlapping:
        assert (first, last) == (overlapping[0], overlapping[-1] + 1)
    else:
        assert first == last


# --- TextEncoder -----------------------------------------------------------------------------


def test_encoder_special_tokens() -> None:
    enc = encoder()
    tok = enc.tokenizer
    assert enc.cls_id == tok.token_to_id("[CLS]")
    assert enc.sep_id == tok.token_to_id("[SEP]")
    assert enc.pad_id == tok.token_to_id("[PAD]")
    assert len({enc.cls_id, enc.sep_id, enc.pad_id}) == 3


def test_encoder_refuses_tokenizer_without_specials() -> None:
    bare = Tokenizer(WordLevel({"hello": 0, "[UNK]": 1}, unk_token="[UNK]"))
    with pytest.raises(ValueError, match="special tokens"):
        TextEncoder(bare)


def test_encode_plain_text() -> None:
    text = "They are traitors, and everyone knows it."
    encoded = encoder().encode(text)
    assert isinstance(encoded, Encoded)
    assert len(encoded) == len(encoded.ids) == len(encoded.offsets)
    assert encoded.ids.dtype == np.int64 and encoded.offsets.dtype == np.int64
    assert encoded.offsets.shape == (len(encoded), 2)
    pieces = [text[s:e] for s, e in encoded.offsets.tolist()]
    # No special tokens: the first and last tokens are the text's own.
    assert pieces[0] == "They"
    assert pieces[-1] == "."
    assert "traitors" in "".join(pieces)
    assert encoder().cls_id not in encoded.ids.tolist()


def test_encode_empty_text() -> None:
    encoded = encoder().encode("")
    assert len(encoded) == 0
    assert encoded.offsets.shape == (0, 2)


def test_encode_never_truncates() -> None:
    text = " ".join(["propaganda"] * 1500)
    encoded = encoder().encode(text)
    assert len(encoded) >= 1500
    assert encoded.offsets[-1, 1] == len(text)


def test_offsets_index_crlf_emoji_and_combining_marks() -> None:
    text = "He said \u201chi\u201d\r\n😀 👩\u200d👩\u200d👧 Cafe\u0301 中文 ok"
    encoded = encoder().encode(text)
    pieces = [text[s:e] for s, e in encoded.offsets.tolist()]
    assert "hi" in pieces  # lower-casing normaliser, but offsets point at the original characters
    assert "He" in pieces
    assert "\u201c" in pieces
    assert "中" in pieces and "文" in pieces
    assert pieces[-1] == "ok"
    assert encoded.offsets[-1, 1] == len(text)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_offsets_always_index_the_exact_text(text: str) -> None:
    offsets = encoder().encode(text).offsets
    starts, ends = offsets[:, 0], offsets[:, 1]
    assert ((starts >= 0) & (starts <= ends) & (ends <= len(text))).all()
    assert (np.diff(starts) >= 0).all()
    assert (np.diff(ends) >= 0).all()
    # Tokens never cover pure whitespace.
    for s, e in offsets.tolist():
        assert text[s:e].strip() or s == e


@settings(max_examples=30, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_encode_batch_matches_encode(batch: list[str]) -> None:
    enc = encoder()
    for single, text in zip(enc.encode_batch(batch), batch, strict=True):
        expected = enc.encode(text)
        assert single.ids.tolist() == expected.ids.tolist()
        assert single.offsets.tolist() == expected.offsets.tolist()
        assert single.offsets.shape == (len(single), 2)
