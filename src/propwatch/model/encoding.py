"""Tokenise a whole article once, keep character offsets, and cut it into overlapping windows.

Training and inference share this module so that both see exactly the same windows. The
article is tokenised without special tokens; each window is a slice of that token sequence
wrapped in ``[CLS] … [SEP]``. Nothing is ever truncated: a long article simply yields more
windows, and every token belongs to the window in which it sits most centrally.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer


@dataclass(frozen=True)
class Encoded:
    """Token ids of a text and each token's ``[start, end)`` character offsets into it."""

    ids: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Window:
    """Tokens ``[start, end)`` of an article fed together; ``[own_start, own_end)`` are decided here."""

    start: int
    end: int
    own_start: int
    own_end: int


class TextEncoder:
    """A WordPiece/BPE tokenizer that returns offsets into the exact input text."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self.cls_id = self._special("[CLS]", "<s>")
        self.sep_id = self._special("[SEP]", "</s>")
        self.pad_id = self._special("[PAD]", "<pad>")

    @classmethod
    def from_file(cls, path: Path) -> TextEncoder:
        """Load a ``tokenizer.json``."""
        return cls(Tokenizer.from_file(str(path)))

    def _special(self, *names: str) -> int:
        for name in names:
            token_id = self.tokenizer.token_to_id(name)
            if token_id is not None:
                return token_id
        raise ValueError(f"tokenizer has none of the special tokens {names}")

    def encode(self, text: str) -> Encoded:
        """Tokenise ``text``; offsets are code-point indices into ``text`` itself."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(enc.ids, dtype=np.int64)
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        return Encoded(ids, offsets)

    def encode_batch(self, texts: list[str]) -> list[Encoded]:
        """Tokenise many texts in one call (the tokenizers library parallelises it)."""
        out = []
        for enc in self.tokenizer.encode_batch(texts, add_special_tokens=False):
            out.append(
                Encoded(
                    np.asarray(enc.ids, dtype=np.int64),
                    np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2),
                )
            )
        return out


def make_windows(n_tokens: int, size: int, overlap: int, *, short_last: bool = False) -> list[Window]:
    """Cover ``n_tokens`` with windows of ``size`` tokens overlapping by ``overlap``.

    Each token is owned by exactly one window, the one in which it is furthest from an edge,
    so stitched predictions never double count and never lose a token.

    By default the last window is full and flush with the end, overlapping its neighbour by
    more than ``overlap`` (training wants every window full). With ``short_last`` it keeps the
    same step and stops at the end instead: its tokens have as much context on the left as
    any window's, and analysis encodes about 9% fewer tokens of a PTC article.
    """
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError("window size must be positive and overlap smaller than it")
    if n_tokens <= size:
        return [Window(0, n_tokens, 0, n_tokens)]
    step = size - overlap
    if short_last:
        starts = list(range(0, n_tokens - overlap, step))
    else:
        starts = [*range(0, n_tokens - size, step), n_tokens - size]
    windows = []
    for i, start in enumerate(starts):
        end = min(start + size, n_tokens)
        own_start = 0 if i == 0 else (start + windows[-1].end) // 2
        windows.append(Window(start, end, own_start, end))
        if i:
            prev = windows[-2]
            windows[-2] = Window(prev.start, prev.end, prev.own_start, own_start)
    return windows


def pack(chunks: list[np.ndarray], cls_id: int, sep_id: int, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Wrap token slices in ``[CLS] … [SEP]`` and pad them into one batch with its mask."""
    width = max(len(c) for c in chunks) + 2
    ids = np.full((len(chunks), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(chunks), width), dtype=np.int64)
    for row, chunk in enumerate(chunks):
        n = len(chunk)
        ids[row, 0] = cls_id
        ids[row, 1 : n + 1] = chunk
        ids[row, n + 1] = sep_id
        mask[row, : n + 2] = 1
    return ids, mask


def char_span_to_tokens(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """Tokens ``[first, last)`` overlapping characters ``[start, end)``; empty when none do."""
    if len(offsets) == 0:
        return 0, 0
    first = int(np.searchsorted(offsets[:, 1], start, side="right"))
    last = int(np.searchsorted(offsets[:, 0], end, side="left"))
    return first, max(first, last)
