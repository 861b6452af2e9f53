"""The technique classifier after the encoder, in numpy: span head, article cues, stacker.

The span head reads ``[first; last; mean]`` token states of a span (trained jointly with the
encoder). The stacker is a multinomial logistic regression over the head's log-probabilities
plus cues the encoder cannot see inside one window: whether the span's text recurs elsewhere
in the article (Repetition), its length, its punctuation. It is fitted on the held-out fold
of train, so it learns how far to trust the head.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

N_CUES = 10
ROLE_LOGITS = 9
"""Role BIO logits per token: content, source and cue, three tags each."""
LOG_PROB_FLOOR = 10.0
"""Head log-probabilities below -10 all mean "no"; clipping keeps the stacker's inputs bounded."""
_WORD_RE = re.compile(r"\w+")


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU (tanh form; within 1e-3 of the exact form the head was trained with).

    ``x * x * x``, not ``x**3``: numpy's float32 power is about 100 times slower, and made this
    function most of the role refiner's time.
    """
    y = np.asarray(x * 0.044715)  # in place from here on: the same products in the same order, without a temporary each
    y *= x
    y *= x
    y += x
    y *= math.sqrt(2.0 / math.pi)
    np.tanh(y, out=y)
    y += 1.0
    y *= x
    y *= 0.5
    return y


def log_softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, stable for large logits."""
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def pool(states: np.ndarray, first: int, last: int) -> np.ndarray:
    """``[first; last; mean]`` of token states ``first .. last-1``."""
    piece = states[first:last]
    return np.concatenate([piece[0], piece[-1], piece.mean(axis=0)])


@lru_cache(maxsize=8)
def _lowered(text: str) -> str:
    """An article in lower case, made once for all its spans (a string's hash is kept on it, so
    finding the article again costs a lookup, not a pass over its text)."""
    return text.lower()


def span_cues(text: str, start: int, end: int) -> np.ndarray:
    """Article-level cues for one span, independent of the encoder's window."""
    span = text[start:end]
    key = span.lower().strip()
    lowered = _lowered(text)
    occurrences = lowered.count(key) if key else 0
    earlier = key in lowered[:start] if key else False
    letters = [c for c in span if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    n_words = len(_WORD_RE.findall(span))
    return np.array(
        [
            math.log1p(len(span)),
            math.log1p(n_words),
            math.log1p(max(0, occurrences - 1)),
            float(earlier),
            float(n_words <= 3 and occurrences > 1),
            upper,
            float("!" in span),
            float("?" in span),
            float(any(q in span for q in '"“”')),
            float(start == 0 or text[max(0, start - 2) : start].strip() in {"", ".", "!", "?"}),
        ],
        dtype=np.float32,
    )


@dataclass
class SpanHead:
    """Numpy twin of :class:`propwatch.train.net.SpanHead`."""

    hidden_w: np.ndarray
    hidden_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray

    @classmethod
    def load(cls, path: Path) -> SpanHead:
        with np.load(path) as data:
            return cls(data["hidden_w"], data["hidden_b"], data["out_w"], data["out_b"])

    def log_probs(self, features: np.ndarray) -> np.ndarray:
        """Log-probabilities over techniques for pooled span features, one row per span."""
        hidden = gelu(features @ self.hidden_w + self.hidden_b)
        return log_softmax(hidden @ self.out_w + self.out_b)


@dataclass
class Stacker:
    """Multinomial logistic regression over ``[head log-probs; standardised cues]``."""

    weights: np.ndarray
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def inputs(self, head_log_probs: np.ndarray, cues: np.ndarray) -> np.ndarray:
        """Head log-probs clipped to [-10, 0] and scaled to [-1, 0]; cues standardised."""
        return np.hstack(
            [np.clip(head_log_probs, -LOG_PROB_FLOOR, 0.0) / LOG_PROB_FLOOR, (cues - self.mean) / self.scale]
        )

    def log_probs(self, head_log_probs: np.ndarray, cues: np.ndarray) -> np.ndarray:
        return log_softmax(self.inputs(head_log_probs, cues) @ self.weights + self.bias)

    def to_json(self) -> dict:
        return {k: getattr(self, k).tolist() for k in ("weights", "bias", "mean", "scale")}

    @classmethod
    def from_json(cls, data: dict) -> Stacker:
        return cls(*(np.asarray(data[k], dtype=np.float32) for k in ("weights", "bias", "mean", "scale")))

    @classmethod
    def fit(
        cls, head_log_probs: np.ndarray, cues: np.ndarray, labels: np.ndarray, l2: float = 1e-2, steps: int = 800
    ) -> Stacker:
        """Full-batch gradient descent with L2, started from "trust the head" (identity weights)."""
        n_labels = head_log_probs.shape[1]
        mean = cues.mean(axis=0)
        scale = cues.std(axis=0) + 1e-6
        stacker = cls(
            np.zeros((n_labels + cues.shape[1], n_labels), np.float32), np.zeros(n_labels, np.float32), mean, scale
        )
        stacker.weights[:n_labels] = LOG_PROB_FLOOR * np.eye(n_labels)
        x = stacker.inputs(head_log_probs, cues)
        onehot = np.eye(n_labels)[labels]
        prior = stacker.weights.copy()
        lr = 0.5  # safe: every input is scaled to about unit size
        for _ in range(steps):
            probs = np.exp(log_softmax(x @ stacker.weights + stacker.bias))
            grad = (probs - onehot) / len(x)
            stacker.weights -= lr * (x.T @ grad + l2 * (stacker.weights - prior))
            stacker.bias -= lr * grad.sum(axis=0)
        return stacker


def role_log_probs(roles: np.ndarray) -> np.ndarray:
    """The role tagger's probabilities (tokens, 3, 3) as floored log-probabilities (tokens, 9)."""
    return np.log(np.clip(roles, 1e-6, None)).reshape(len(roles), ROLE_LOGITS)


@dataclass
class RoleRefiner:
    """Convolutions over the encoder states and the role tagger's log-probabilities of nearby
    tokens that correct the role logits (numpy twin of :class:`propwatch.train.refine.RefinerNet`).

    The role tagger reads each token's state alone; a window of neighbours sees the shape of a
    cue ("told reporters on Monday") and of a source's edges. Each token's state and logits are
    first projected to a few channels, so the convolution costs a small share of the encoder's
    time. Optional dilated layers, each added to the features before it, read those features
    every few tokens, so a token sees its whole clause and the quote marks around it. Fitted on
    the PolNeAR fit texts after export, on the exported encoder's own states.

    Every array has a leading axis of members: refiners fitted alike from different seeds, whose
    corrections are averaged (one refiner's held-out content F1 moved by 0.007 with its seed alone).
    """

    proj_w: np.ndarray
    """(members, channels, states + ROLE_LOGITS)"""
    proj_b: np.ndarray
    conv_w: np.ndarray
    """(members, hidden, channels, width)"""
    conv_b: np.ndarray
    out_w: np.ndarray
    """(members, ROLE_LOGITS, hidden)"""
    out_b: np.ndarray
    deep_w: np.ndarray | None = None
    """(members, layers, hidden, hidden, width): the dilated layers, or None"""
    deep_b: np.ndarray | None = None
    dilations: tuple[int, ...] = ()
    """How many tokens apart each dilated layer reads its inputs."""

    FILE = "roles.npz"
    KEYS = ("proj_w", "proj_b", "conv_w", "conv_b", "out_w", "out_b")
    DEEP = ("deep_w", "deep_b")

    @classmethod
    def load(cls, path: Path) -> RoleRefiner:
        with np.load(path) as data:
            arrays = [data[key] for key in cls.KEYS]
            deep = [data[key] for key in cls.DEEP] if "deep_w" in data else [None, None]
            dilations = tuple(int(d) for d in data["dilations"]) if "dilations" in data else ()
        if arrays[0].ndim == 2:  # saved before refiners had members (57048c2): one member
            arrays = [array[None] for array in arrays]
        return cls(*arrays, *deep, dilations=dilations)

    @classmethod
    def ensemble(cls, members: list[RoleRefiner]) -> RoleRefiner:
        """One refiner averaging the members' corrections."""
        keys = cls.KEYS + (cls.DEEP if members[0].dilations else ())
        arrays = {key: np.concatenate([getattr(m, key) for m in members]) for key in keys}
        return cls(**arrays, dilations=members[0].dilations)

    def save(self, path: Path) -> None:
        arrays = {key: getattr(self, key) for key in self.KEYS}
        if self.dilations:
            arrays.update({key: getattr(self, key) for key in self.DEEP}, dilations=np.array(self.dilations))
        np.savez(path, **arrays)

    def __post_init__(self) -> None:
        # the convolutions' weights as the matrices their products read, made once, not per article
        self._conv_m = np.stack([_as_matrix(w) for w in self.conv_w])
        self._deep_m = None if self.deep_w is None else np.stack([[_as_matrix(w) for w in m] for m in self.deep_w])

    def refine(self, states: np.ndarray, roles: np.ndarray) -> np.ndarray:
        """Role probabilities (tokens, 3, 3) from states (tokens, H) and the tagger's (tokens, 3, 3)."""
        base = role_log_probs(roles)
        members, channels, _ = self.proj_w.shape
        # every member's projection in one product: one large matmul costs less than several small ones
        projected = np.hstack([states, base]) @ self.proj_w.reshape(members * channels, -1).T + self.proj_b.reshape(-1)
        corrections = (self._correction(projected[:, m * channels : (m + 1) * channels], m) for m in range(members))
        return np.exp(log_softmax((base + sum(corrections) / members).reshape(-1, 3, 3))).astype(np.float32)

    def _correction(self, projected: np.ndarray, member: int) -> np.ndarray:
        """One member's change to the role logits (tokens, ROLE_LOGITS) from its projected inputs."""
        width = self.conv_w.shape[-1]
        hidden = gelu(_convolve(projected, self._conv_m[member], width, 1) + self.conv_b[member])
        for layer, step in enumerate(self.dilations):
            convolved = _convolve(hidden, self._deep_m[member, layer], width, step) + self.deep_b[member, layer]
            hidden = hidden + gelu(convolved)
        return hidden @ self.out_w[member].T + self.out_b[member]


def _as_matrix(weight: np.ndarray) -> np.ndarray:
    """A convolution's (out, channels, width) weights as the (width * channels, out) matrix that
    multiplies its windows side by side."""
    out, channels, width = weight.shape
    return np.ascontiguousarray(weight.transpose(2, 1, 0).reshape(width * channels, out))


def _convolve(inputs: np.ndarray, matrix: np.ndarray, width: int, step: int) -> np.ndarray:
    """A same-length 1-D convolution of (tokens, channels) by its :func:`_as_matrix`, reading every
    ``step``-th token: the windows side by side, then one matmul.

    Each shifted copy fills a contiguous block of columns: stacking them on a last axis of
    ``width`` wrote every value with a stride and took almost half the convolution's time. The
    copies are taken from the inputs themselves, with zeros past either end, not from a padded copy.
    """
    tokens, channels = inputs.shape
    reach = step * (width // 2)
    windows = np.empty((tokens, width * channels), dtype=inputs.dtype)
    for k in range(width):
        shift = k * step - reach  # the block of offset k reads the token ``shift`` away
        block = windows[:, k * channels : (k + 1) * channels]
        low, high = min(tokens, max(0, -shift)), max(0, min(tokens, tokens - shift))
        block[:low] = 0.0
        block[high:] = 0.0
        block[low:high] = inputs[low + shift : high + shift]
    return windows @ matrix
