"""The source ranker's fit: a conditional logit that learns which option gold picks."""

from __future__ import annotations

import numpy as np

from propwatch.train.ranker import fit
from propwatch.voices import SOURCE_FEATURES


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
