"""Fit the learned parts of :mod:`propwatch.voices` on the held-out PolNeAR fold.

The source ranker: the nearest-source rule gives about one matched content in five a wrong or
missing source. The ranker sees each choice as a small set of options (every tagged source
near the cue, or none) and learns which one gold picks: a conditional logit, fitted by
gradient descent in numpy.

The content filter: about a third of the attributions found match no gold one. A logistic
model over each attribution's form and the tagger's confidence estimates the chance that it
does, and a threshold drops the unlikely ones.

Like the technique stacker, each earns its place by k-fold cross-validation on the held-out
texts, and the figures the model card reports are the cross-validated ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from propwatch.document import overlap
from propwatch.model.decode import DecodeSettings
from propwatch.model.runtime import TokenOutputs
from propwatch.polnear import GoldAttribution
from propwatch.scoring import AttributionScores, match_contents, same_source, score_attributions
from propwatch.voices import (
    CONTENT_FEATURES,
    SOURCE_FEATURES,
    ContentFilter,
    content_features,
    extract_attributions,
    role_tokens,
)

L2 = 1e-2
STEPS = 600
RATE = 1.0
FOLDS = 5
FILTER_THRESHOLDS = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)

Choice = tuple[np.ndarray, int]
"""One source choice: its options' feature rows, and the option gold picks (-1: none of them)."""


def choices(text: str, outputs: TokenOutputs, gold: list[GoldAttribution], decoding: dict) -> list[Choice]:
    """The source choices the linker makes in one text, labelled from its gold attributions.

    Only contents that match a gold content (the metric's rule) and were linked through a cue
    count; the right option is the one overlapping the gold source, or none when gold has none.
    """
    record: list = []
    found = extract_attributions(text, outputs.encoded.offsets, outputs.roles, decoding, record=record)
    labelled = []
    for i, j in match_contents([a.content for a in found], [g.content for g in gold]):
        attribution, truth = found[i], gold[j].source
        entry = next((r for r in record if r[1] == attribution.cue and overlap(r[0], attribution.content)), None)
        if attribution.cue is None or entry is None:
            continue
        _, _, options, features = entry
        label = next((k for k, option in enumerate(options) if same_source(option, truth)), -1)
        labelled.append((features, label))
    return labelled


def fit(labelled: Sequence[Choice], l2: float = L2, steps: int = STEPS, rate: float = RATE) -> np.ndarray:
    """Weights of a conditional logit over each choice's options (choices with one option teach nothing)."""
    usable = [(x, y) for x, y in labelled if y >= 0 and len(x) > 1]
    weights = np.zeros(len(SOURCE_FEATURES))
    if not usable:
        return weights
    width = max(len(x) for x, _ in usable)
    rows = np.zeros((len(usable), width, len(SOURCE_FEATURES)))
    padding = np.full((len(usable), width), -np.inf)
    for i, (x, _) in enumerate(usable):
        rows[i, : len(x)] = x
        padding[i, : len(x)] = 0.0
    labels = np.array([y for _, y in usable])
    chosen = rows[np.arange(len(usable)), labels].sum(axis=0)
    for _ in range(steps):
        scores = rows @ weights + padding
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        expected = np.einsum("gc,gcf->f", probs, rows)
        weights -= rate * (l2 * weights + (expected - chosen) / len(usable))
    return weights


@dataclass
class HeldOut:
    """The held-out PolNeAR texts, the model's outputs for them, their gold and the role decoding."""

    names: list[str]
    texts: list[str]
    outputs: list[TokenOutputs]
    gold: dict[str, list[GoldAttribution]]
    decoding: dict[str, DecodeSettings]

    def items(self) -> Iterator[tuple[str, str, TokenOutputs]]:
        """(name, text, outputs) per text."""
        return zip(self.names, self.texts, self.outputs, strict=True)

    def folds(self) -> list[set[str]]:
        """A seeded split of the texts into :data:`FOLDS` folds."""
        order = np.random.default_rng(0).permutation(len(self.names))
        return [{self.names[i] for i in order[k::FOLDS]} for k in range(FOLDS)]

    def scores(self, predicted: dict[str, list]) -> AttributionScores:
        """Content and attribution figures of predicted (content, source) pairs per text."""
        truth = {name: [(g.content, g.source) for g in self.gold[name]] for name in self.names}
        return score_attributions(predicted, truth)

    def f1(self, predicted: dict[str, list]) -> float:
        """Attribution F1 of predicted (content, source) pairs per text."""
        return self.scores(predicted).attribution.f1


def fit_ranker(held: HeldOut) -> tuple[float, np.ndarray]:
    """Attribution F1 over the texts, each text's sources chosen by a ranker fitted on the other
    folds; and the ranker fitted on every held-out text, for shipping."""
    labelled = {name: choices(text, out, held.gold[name], held.decoding) for name, text, out in held.items()}
    predicted = {}
    for test in held.folds():
        weights = fit([c for name in held.names if name not in test for c in labelled[name]])
        for name, text, out in held.items():
            if name in test:
                offsets, roles = out.encoded.offsets, out.roles
                found = extract_attributions(text, offsets, roles, held.decoding, ranker_weights=weights)
                predicted[name] = [(a.content, a.source) for a in found]
    return held.f1(predicted), fit([c for name in held.names for c in labelled[name]])


Found = tuple[np.ndarray, np.ndarray]
"""One text's attributions as the filter sees them: feature rows, and whether each matches gold."""


def filter_rows(held: HeldOut, weights: np.ndarray | None) -> dict[str, tuple[list, Found]]:
    """Per text: its attributions (linked as shipped), their filter features and match labels."""
    rows = {}
    for name, text, out in held.items():
        found = extract_attributions(text, out.encoded.offsets, out.roles, held.decoding, ranker_weights=weights)
        matched = {i for i, _ in match_contents([a.content for a in found], [g.content for g in held.gold[name]])}
        tokens = role_tokens(out.encoded.offsets, out.roles)
        features = [content_features(text, a, tokens) for a in found]
        table = np.stack(features) if features else np.zeros((0, len(CONTENT_FEATURES)))
        rows[name] = found, (table, np.array([i in matched for i in range(len(found))], dtype=float))
    return rows


def fit_filter(features: np.ndarray, labels: np.ndarray, threshold: float) -> ContentFilter:
    """Logistic regression on standardised features, by gradient descent."""
    mean, scale = features.mean(axis=0), features.std(axis=0) + 1e-9
    rows = np.c_[np.ones(len(features)), (features - mean) / scale]
    weights = np.zeros(rows.shape[1])
    for _ in range(STEPS):
        probs = 1.0 / (1.0 + np.exp(-rows @ weights))
        weights -= 0.5 * (rows.T @ (probs - labels) / len(labels) + L2 * weights)
    return ContentFilter(weights, mean, scale, threshold)


def _fit_filter_on(found: list[Found], threshold: float) -> ContentFilter:
    """The filter fitted on these texts' rows; with no rows at all, one that keeps everything."""
    features = np.concatenate([f for f, _ in found]) if found else np.zeros((0, len(CONTENT_FEATURES)))
    if not len(features):
        width = len(CONTENT_FEATURES)
        return ContentFilter(np.zeros(width + 1), np.zeros(width), np.ones(width), 0.0)
    return fit_filter(features, np.concatenate([y for _, y in found]), threshold)


def fit_content_filter(held: HeldOut, weights: np.ndarray | None) -> tuple[float, ContentFilter]:
    """The attribution F1 at the best of :data:`FILTER_THRESHOLDS`, each text filtered by a model
    fitted on the other folds; and the filter fitted on every held-out text, at that threshold.

    The threshold maximises content F1 plus attribution F1: users read both (what was said, and
    who said it), and attribution F1 alone is flat over a wide range of thresholds that trade
    away contents.
    """
    per_text = filter_rows(held, weights)
    probs = {}
    for test in held.folds():
        model = _fit_filter_on([per_text[name][1] for name in held.names if name not in test], 0.0)
        probs.update({name: model.probabilities(per_text[name][1][0]) for name in test})

    def scores(threshold: float) -> AttributionScores:
        pairs = {name: zip(per_text[name][0], probs[name], strict=True) for name in held.names}
        return held.scores({name: [(a.content, a.source) for a, p in pairs[name] if p >= threshold] for name in pairs})

    figures = {threshold: scores(threshold) for threshold in FILTER_THRESHOLDS}
    best = max(FILTER_THRESHOLDS, key=lambda t: figures[t].content.f1 + figures[t].attribution.f1)
    return figures[best].attribution.f1, _fit_filter_on([per_text[name][1] for name in held.names], best)
