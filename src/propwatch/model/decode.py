"""From per-token probabilities to character spans.

Argmax over BIO tags loses most recall: the task's precision is charged per predicted span,
and the tagger's confidence fades inside long spans. So a token is "in" when
``P(B) + P(I) >= threshold``; runs of such tokens become spans; spans separated by a short gap
merge; each span grows to whole words; fragments under ``min_chars`` are dropped. The four
settings are calibrated on the held-out fold of train (see :mod:`propwatch.train.calibrate`).

Then the edges: the tagger's runs end wherever its confidence fades, so its spans cross
paragraph breaks and open or close on "of", "and", "in" far more often than the gold spans do
(a reader sees "of the brutal murders in"). Each edge rule below is switched on by the
calibration only where it raises SI F1 on the held-out fold; a model.json without them decodes
as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

EDGE_WORDS = frozenset("of in on at to for by with and or but as from into than so".split())
"""Prepositions and conjunctions a span should rarely open or close on (gold spans seldom do)."""
ARTICLES = frozenset({"a", "an", "the"})
"""A span never ends on one of these; it may open on one (gold spans often do)."""
_PARAGRAPH_RE = re.compile(r"\s*\n\s*")
_FIRST_WORD_RE = re.compile(r"\W*(\w+)\W*")
_LAST_WORD_RE = re.compile(r"\W*(\w+)\W*$")
_EDGE_PUNCTUATION = " \t\r\n,;:-–—("
"""Characters a span never opens or closes on once its edges are trimmed."""
_CLOSING_PUNCTUATION = frozenset(".,!?")
_HYPHENS = frozenset("-‐")
"""Punctuation that may stand between a quoted word and the mark that closes the quote."""


@dataclass(frozen=True)
class DecodeSettings:
    """The knobs of span decoding; ``threshold`` is what ``--threshold`` overrides."""

    threshold: float = 0.4
    max_gap: int = 3
    min_chars: int = 4
    begin_split: float = 1.0
    """A token whose P(B) exceeds this starts a new span; 1.0 never splits."""
    split_paragraphs: bool = False
    """Cut a span at each paragraph break into pieces (each kept if it is ``min_chars`` long)."""
    trim_words: bool = False
    """Drop :data:`EDGE_WORDS` from both edges, :data:`ARTICLES` from the end, and spaces and
    commas around them; close a quote the span opens (or drop its lone mark)."""


@dataclass(frozen=True)
class RawSpan:
    """A decoded ``[start, end)`` character span with its mean token probability."""

    start: int
    end: int
    score: float


def _grow_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def token_runs(inside: np.ndarray, begin: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of inside tokens, split where a confident B starts a new span."""
    runs = []
    first = None
    for i, on in enumerate(inside):
        if on and first is not None and begin[i]:
            runs.append((first, i))
            first = i
        elif on and first is None:
            first = i
        elif not on and first is not None:
            runs.append((first, i))
            first = None
    if first is not None:
        runs.append((first, len(inside)))
    return runs


def decode_spans(text: str, offsets: np.ndarray, probs: np.ndarray, settings: DecodeSettings) -> list[RawSpan]:
    """Character spans from token BIO probabilities ``probs`` of shape (tokens, 3)."""
    if len(probs) == 0:
        return []
    p_in = probs[:, 1] + probs[:, 2]
    inside = p_in >= settings.threshold
    begin = probs[:, 1] > settings.begin_split
    merged: list[list[float]] = []
    for first, last in token_runs(inside, begin):
        start, end = int(offsets[first, 0]), int(offsets[last - 1, 1])
        weight = float(p_in[first:last].sum())
        count = last - first
        if merged and not begin[first] and start - merged[-1][1] <= settings.max_gap:
            merged[-1][1] = end
            merged[-1][2] += weight
            merged[-1][3] += count
        else:
            merged.append([start, end, weight, count])
    grown: list[list[float]] = []
    for start, end, weight, count in merged:
        start, end = _grow_to_words(text, int(start), int(end))
        if grown and start < grown[-1][1]:  # two runs inside one word grew into each other
            grown[-1][1] = max(grown[-1][1], end)
            grown[-1][2] += weight
            grown[-1][3] += count
        else:
            grown.append([start, end, weight, count])
    if settings.split_paragraphs or settings.trim_words:
        return _edged(text, offsets, p_in, inside, grown, settings)
    return [
        RawSpan(int(start), int(end), weight / count)
        for start, end, weight, count in grown
        if end - start >= settings.min_chars
    ]


def edge_flaws(text: str, start: int, end: int) -> tuple[bool, bool, bool]:
    """Whether a span crosses a paragraph break, opens or closes on one of :data:`EDGE_WORDS`,
    and ends on one of :data:`ARTICLES`: what a reader notices first about a span's edges."""
    words = [w.lower() for w in re.findall(r"\w+", text[start:end])]
    edge = bool(words) and (words[0] in EDGE_WORDS or words[-1] in EDGE_WORDS)
    return "\n" in text[start:end], edge, bool(words) and words[-1] in ARTICLES


def paragraph_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at every line break, each piece without the spaces around the break."""
    pieces, at = [], start
    for brk in _PARAGRAPH_RE.finditer(text, start, end):
        if "\n" in brk.group():
            pieces.append((at, brk.start()))
            at = brk.end()
    pieces.append((at, end))
    return [(s, e) for s, e in pieces if e > s]


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge words, a closing article and loose punctuation from both ends of a span.

    Returns an empty span (``start == end``) when nothing but such words is left. A span first
    grows over the hyphens of a compound it cuts ('self' -> 'self-proclaimed').
    """
    start, end = _grow_compounds(text, start, end)
    while start < end:
        start, end = _strip(text, start, end)
        first = _FIRST_WORD_RE.match(text, start, end)
        if first and first.group(1).lower() in EDGE_WORDS:
            start = first.end(1)
            continue
        last = _LAST_WORD_RE.search(text, start, end)
        if last and last.group(1).lower() in EDGE_WORDS | ARTICLES:
            end = last.start(1)
            continue
        if not first:  # punctuation alone
            return start, start
        break
    return balance_quotes(text, start, end) if start < end else (start, end)


def _grow_compounds(text: str, start: int, end: int) -> tuple[int, int]:
    while end + 1 < len(text) and text[end] in _HYPHENS and text[end - 1 : end].isalnum() and text[end + 1].isalnum():
        end += 1
        while end < len(text) and text[end].isalnum():
            end += 1
    while start > 1 and text[start - 1] in _HYPHENS and text[start : start + 1].isalnum() and text[start - 2].isalnum():
        start -= 1
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    return start, end


def balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the mark that closes (or opens) a quote the span leaves open when it stands right
    next to the span, or after one punctuation mark ('a "disgrace' -> 'a "disgrace."'); otherwise
    drop a span's one quote mark when it stands at its edge ('“a publicity stunt' -> 'a publicity stunt')."""
    for opening, closing in (("“", "”"), ('"', '"')):
        span = text[start:end]
        marks = span.count(opening) + (span.count(closing) if closing != opening else 0)
        if marks % 2 == 0 or not span:
            continue
        closes = closing == opening or span.count(opening) > span.count(closing)
        if closes and text[end : end + 1] == closing:
            end += 1
        elif closes and text[end : end + 1] in _CLOSING_PUNCTUATION and text[end + 1 : end + 2] == closing:
            end += 2  # 'a "disgrace' + '."' -> 'a "disgrace."'
        elif start and text[start - 1] == opening:
            start -= 1
        elif marks == 1 and span[0] in (opening, closing):
            start += 1
        elif marks == 1 and span[-1] in (opening, closing):
            end -= 1
    return start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    return start, end


def _edged(
    text: str,
    offsets: np.ndarray,
    p_in: np.ndarray,
    inside: np.ndarray,
    grown: list[list[float]],
    settings: DecodeSettings,
) -> list[RawSpan]:
    """Apply the edge rules to decoded spans; each piece scores the mean P(in) of its inside tokens."""
    spans = []
    for start, end, weight, count in grown:
        pieces = paragraph_pieces(text, int(start), int(end)) if settings.split_paragraphs else [(int(start), int(end))]
        for piece in pieces:
            s, e = trim_edges(text, *piece) if settings.trim_words else piece
            if e - s < settings.min_chars:
                continue
            if spans and s < spans[-1].end:  # two pieces of one compound grew into each other
                s = spans.pop().start
            tokens = (offsets[:, 0] < e) & (offsets[:, 1] > s) & inside
            score = float(p_in[tokens].mean()) if tokens.any() else weight / count
            spans.append(RawSpan(s, e, score))
    return spans


def assign_ranked(log_probs: np.ndarray, groups: list[list[int]]) -> list[int]:
    """Pick a technique per row; rows sharing one span take distinct techniques in rank order.

    PTC labels the same span with several techniques as repeated rows; predicting the top
    technique for each repeat can only ever be right once.
    """
    choice = [0] * len(log_probs)
    for rows in groups:
        ranked = np.argsort(-log_probs[rows[0]])
        for rank, row in enumerate(rows):
            choice[row] = int(ranked[rank % len(ranked)])
    return choice
