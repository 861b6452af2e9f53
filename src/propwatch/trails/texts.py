"""Cutting a text into the words a statement is compared by, and those words into hashed 3-grams.

Words leave out punctuation, quote marks and capitals, so the copies of one quote that outlets
typeset differently compare equal. The 3-gram hashes are stable from run to run (they are stored in
``trail_shingles``) and are what DuckDB joins texts on (:mod:`propwatch.trails.grouping`).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SHINGLE = 3
"""Words per shingle: short enough for a five-word excerpt, long enough to be rare."""

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’")
_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_MASK = (1 << 63) - 1


def words(text: str) -> list[str]:
    """The words a statement is compared by: letters and digits, lower-cased, apostrophes dropped."""
    low = text.lower()
    if len(low) != len(text):  # see word_spans
        return [w.translate(_APOSTROPHES).lower() for w in _WORD.findall(text)]
    found = _WORD.findall(low)
    return [w.translate(_APOSTROPHES) for w in found] if "'" in text or "’" in text else found


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of ``text`` (as :func:`words` gives it) with its character offsets.

    Lower-casing the whole text once is faster than word by word; where it changes the text's
    length (a letter such as 'İ' lower-cases to two), each word is lower-cased alone instead.
    """
    low = text.lower()
    if len(low) != len(text):
        return [(m.group().translate(_APOSTROPHES).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    if "'" in text or "’" in text:
        return [(m.group().translate(_APOSTROPHES), m.start(), m.end()) for m in _WORD.finditer(low)]
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(low)]


def _hash64(value: str) -> int:
    """A stable signed 63-bit hash (Python's ``hash`` changes from run to run; stored keys must not)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little") & _MASK


class _Vocabulary:
    """Stable 64-bit hashes of words, computed once per distinct word."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, tokens: list[str]) -> list[int]:
        codes = self.codes
        out = []
        for token in tokens:
            code = codes.get(token)
            if code is None:
                code = codes[token] = _hash64(token)
            out.append(code)
        return out


def shingle_table(texts: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, 3-gram hash) for every 3-gram of every text, distinct per text, in numpy.

    A 3-gram's hash mixes its three word hashes with multiply-add (wrapping uint64), so the cost
    is a few vector operations over all words at once, not a hash call per 3-gram.
    """
    vocabulary = _Vocabulary()
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.fromiter((c for t in texts for c in vocabulary.encode(t)), dtype=np.uint64, count=int(lengths.sum()))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    starts = np.arange(max(len(flat) - SHINGLE + 1, 0))
    same = owner[starts] == owner[starts + SHINGLE - 1] if len(starts) else np.zeros(0, dtype=bool)
    starts = starts[same]
    with np.errstate(over="ignore"):
        mixed = flat[starts] * _P1 + flat[starts + 1] * _P2 + flat[starts + 2]
    shingles = (mixed >> np.uint64(1)).astype(np.int64)
    pairs = np.unique(np.stack([owner[starts], shingles], axis=1), axis=0) if len(starts) else np.zeros((0, 2))
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
