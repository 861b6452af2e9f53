"""From per-token probabilities to character spans.

Argmax over BIO tags loses most recall: the task's precision is charged per predicted span,
and the tagger's confidence fades inside long spans. So a token is "in" when
``P(B) + P(I) >= threshold``; runs of such tokens become spans; spans separated by a short gap
merge; each span grows to whole words; fragments under ``min_chars`` are dropped. The four
settings are calibrated on the held-out fold of train (see :mod:`propwatch.train.calibrate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DecodeSettings:
    """The knobs of span decoding; ``threshold`` is what ``--threshold`` overrides."""

    threshold: float = 0.4
    max_gap: int = 3
    min_chars: int = 4
    begin_split: float = 1.0
    """A token whose P(B) exceeds this starts a new span; 1.0 never splits."""


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
    return [
        RawSpan(int(start), int(end), weight / count)
        for start, end, weight, count in grown
        if end - start >= settings.min_chars
    ]


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
