"""Tests for propwatch.model.confidence: span features, the span filter and the calibrated score."""

from __future__ import annotations

import json

import numpy as np
import pytest

from propwatch.model.confidence import FEATURES, SpanLogistic, span_features
from propwatch.techniques import NAMES

TEXT = "They are traitors and liars, say critics."
OFFSETS = np.array([[0, 4], [5, 8], [9, 17], [18, 21], [22, 27], [27, 28], [29, 32], [33, 40], [40, 41]])


def test_span_features_read_both_heads() -> None:
    p_in = np.array([0.1, 0.1, 0.9, 0.5, 0.7, 0.0, 0.0, 0.0, 0.0])
    probs = np.stack([1 - p_in, p_in / 2, p_in / 2], axis=1)
    log_probs = np.log(np.full((1, len(NAMES)), 0.5 / (len(NAMES) - 1)))
    log_probs[0, 3] = np.log(0.5)
    row = dict(zip(FEATURES, span_features(TEXT, OFFSETS, probs, [(9, 27)], log_probs)[0], strict=True))
    assert row["mean_in"] == pytest.approx(0.7)
    assert (row["max_in"], row["min_in"], row["max_begin"]) == pytest.approx((0.9, 0.5, 0.45))
    assert row["log_chars"] == pytest.approx(np.log1p(18))
    assert row["top_log_prob"] == pytest.approx(np.log(0.5))
    assert row[f"p_{NAMES[3]}"] == pytest.approx(0.5)


def test_span_features_of_no_spans() -> None:
    empty = span_features(TEXT, OFFSETS, np.zeros((9, 3)), [], np.zeros((0, len(NAMES))))
    assert empty.shape == (0, len(FEATURES))


def test_logistic_learns_a_probability() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(4000, len(FEATURES)))
    truth = 1 / (1 + np.exp(-2 * features[:, 0]))
    labels = (rng.random(4000) < truth).astype(float)
    fitted = SpanLogistic.fit(features, labels)
    predicted = fitted.probability(features)
    assert np.all((predicted > 0) & (predicted < 1))
    assert np.abs(predicted - truth).mean() < 0.05
    assert fitted.probability(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_logistic_round_trips_and_refuses_other_features() -> None:
    fitted = SpanLogistic(
        np.arange(len(FEATURES), dtype=float), 0.5, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), 0.2
    )
    again = SpanLogistic.from_json(json.loads(json.dumps(fitted.to_json())))
    features = np.random.default_rng(1).normal(size=(5, len(FEATURES)))
    assert again.cut == 0.2
    assert np.allclose(again.probability(features), fitted.probability(features))
    stale = {**fitted.to_json(), "features": ["mean_in"]}
    with pytest.raises(ValueError, match="other features"):
        SpanLogistic.from_json(stale)
