"""How far to trust a decoded span: the span filter and the calibrated score.

The tagger's mean P(in) over a span says little about whether a reader should believe the
(span, technique) label: spans scored 0.6 or more were right about 40% of the time. Two small
logistic regressions read what the span head and the technique head say about a span together
(its token probabilities, length and cues, and the technique distribution):

- the *span filter* predicts whether a span overlaps any gold span; spans under its ``cut`` are
  dropped, where the held-out fold of train shows that this raises SI F1;
- the *span score* predicts whether the span is right end to end (it overlaps a gold span of
  the technique it is labelled with, :func:`propwatch.scoring.score_end_to_end`); its output is
  the span's ``score``, a probability.

Both are fitted on the held-out fold (:mod:`propwatch.train.calibrate`) and run in numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from propwatch.model.heads import N_CUES, span_cues
from propwatch.techniques import NAMES

FEATURES = (
    "mean_in",
    "max_in",
    "min_in",
    "max_begin",
    "log_chars",
    "top_log_prob",
    "margin",
    *(f"p_{name}" for name in NAMES),
    *(f"cue_{k}" for k in range(N_CUES)),
)
"""The span's features, in order: span-head probabilities, technique-head probabilities, cues."""


def span_features(
    text: str, offsets: np.ndarray, probs: np.ndarray, spans: list[tuple[int, int]], log_probs: np.ndarray
) -> np.ndarray:
    """One row of :data:`FEATURES` per character span, from token BIO ``probs`` and the spans'
    technique ``log_probs``."""
    p_in = probs[:, 1] + probs[:, 2]
    rows = []
    for (start, end), techniques in zip(spans, log_probs, strict=True):
        tokens = (offsets[:, 0] < end) & (offsets[:, 1] > start)
        inside = p_in[tokens] if tokens.any() else np.zeros(1, np.float32)
        begin = probs[tokens, 1] if tokens.any() else np.zeros(1, np.float32)
        top, second = np.sort(techniques)[::-1][:2]
        rows.append(
            [
                float(inside.mean()),
                float(inside.max()),
                float(inside.min()),
                float(begin.max()),
                math.log1p(end - start),
                float(top),
                float(top - second),
                *np.exp(techniques).tolist(),
                *span_cues(text, start, end).tolist(),
            ]
        )
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow warnings for large negative inputs."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass
class SpanLogistic:
    """A logistic regression over standardised :data:`FEATURES`; ``cut`` (filters only) is the
    probability under which a span is dropped."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    cut: float = 0.0

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(yes) for each row of features."""
        if len(features) == 0:
            return np.zeros(0)
        return sigmoid(((features - self.mean) / self.scale) @ self.weights + self.bias)

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, l2: float = 1e-2, steps: int = 2000) -> SpanLogistic:
        """Full-batch gradient descent on the log loss with L2 (inputs standardised, so a fixed step is safe)."""
        mean = features.mean(axis=0)
        scale = features.std(axis=0) + 1e-6
        x = (features - mean) / scale
        weights, bias = np.zeros(x.shape[1]), 0.0
        for _ in range(steps):
            grad = sigmoid(x @ weights + bias) - labels
            weights -= 0.5 * (x.T @ grad / len(labels) + l2 * weights)
            bias -= 0.5 * float(grad.mean())
        return cls(weights, bias, mean, scale)

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "cut": self.cut,
        }

    @classmethod
    def from_json(cls, data: dict) -> SpanLogistic:
        """Read a fitted regression; refuse one fitted on other features than this code computes."""
        if data.get("features") != list(FEATURES):
            raise ValueError("the span filter or span score uses other features; recalibrate the model")
        arrays = (np.asarray(data[key], dtype=np.float64) for key in ("weights", "mean", "scale"))
        weights, mean, scale = arrays
        return cls(weights, float(data["bias"]), mean, scale, float(data.get("cut", 0.0)))
