"""The learned parts of voices: the source ranker (a conditional logit) and the content filter."""

from __future__ import annotations

import numpy as np

from propwatch.train.ranker import fit, fit_filter
from propwatch.voices import CONTENT_FEATURES, SOURCE_FEATURES


def _option(**features: float) -> np.ndarray:
    row = np.zeros(len(SOURCE_FEATURES))
    for name, value in features.items():
        row[SOURCE_FEATURES.index(name)] = value
    return row


def test_fit_learns_the_feature_that_marks_gold():
    rng = np.random.default_rng(1)
    choices = []
    for _ in range(60):
        options = [_option(none=1.0)] + [_option(log_gap=rng.uniform(0, 4)) for _ in range(3)]
        gold = 1 + int(rng.integers(3))
        options[gold][SOURCE_FEATURES.index("touches_cue")] = 1.0
        choices.append((np.stack(options), gold))
    weights = fit(choices)
    assert all(int(np.argmax(x @ weights)) == y for x, y in choices)


def test_fit_ignores_choices_with_nothing_to_learn():
    lone = (np.stack([_option(none=1.0)]), 0)
    unlabelled = (np.stack([_option(none=1.0), _option(touches_cue=1.0)]), -1)
    assert not fit([lone, unlabelled]).any()


def test_fit_filter_separates_matched_from_spurious():
    rng = np.random.default_rng(2)
    features = rng.normal(size=(200, len(CONTENT_FEATURES)))
    labels = (features[:, CONTENT_FEATURES.index("content_mean")] > 0).astype(float)
    model = fit_filter(features, labels, 0.5)
    kept = model.probabilities(features) >= model.threshold
    assert (kept == labels.astype(bool)).mean() > 0.95
