"""Fit the source ranker of :mod:`propwatch.voices` on the held-out PolNeAR fold.

The nearest-source rule gives about one matched content in five a wrong or missing source.
The ranker sees each choice as a small set of options (every tagged source near the cue, or
none) and learns which one gold picks: a conditional logit, fitted by gradient descent in
numpy. Like the technique stacker it earns its place by k-fold cross-validation on the
held-out texts, and the figure the model card reports is that cross-validated one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propwatch.model.decode import DecodeSettings
from propwatch.model.runtime import TokenOutputs
from propwatch.polnear import GoldAttribution
from propwatch.scoring import match_contents, score_attributions
from propwatch.voices import SOURCE_FEATURES, extract_attributions

L2 = 1e-2
STEPS = 600
RATE = 1.0
FOLDS = 5

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
        entry = next((r for r in record if r[1] == attribution.cue and _overlaps(r[0], attribution.content)), None)
        if attribution.cue is None or entry is None:
            continue
        _, _, options, features = entry
        label = next((k for k, option in enumerate(options) if _same_source(option, truth)), -1)
        labelled.append((features, label))
    return labelled


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _same_source(option: tuple[int, int] | None, truth: tuple[int, int] | None) -> bool:
    if option is None or truth is None:
        return option is None and truth is None
    return _overlaps(option, truth)


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


def cross_validate(
    names: list[str],
    texts: list[str],
    outputs: list[TokenOutputs],
    gold: dict[str, list[GoldAttribution]],
    decoding: dict[str, DecodeSettings],
) -> float:
    """Attribution F1 over the texts, each text's sources chosen by a ranker fitted on the other folds."""
    labelled = {
        name: choices(text, out, gold[name], decoding) for name, text, out in zip(names, texts, outputs, strict=True)
    }
    order = np.random.default_rng(0).permutation(len(names))
    predicted = {}
    for k in range(FOLDS):
        test = {names[i] for i in order[k::FOLDS]}
        weights = fit([c for name in names if name not in test for c in labelled[name]])
        for name, text, out in zip(names, texts, outputs, strict=True):
            if name in test:
                found = extract_attributions(text, out.encoded.offsets, out.roles, decoding, ranker_weights=weights)
                predicted[name] = [(a.content, a.source) for a in found]
    truth = {name: [(g.content, g.source) for g in gold[name]] for name in names}
    return score_attributions(predicted, truth).attribution.f1


def fit_all(
    names: list[str],
    texts: list[str],
    outputs: list[TokenOutputs],
    gold: dict[str, list[GoldAttribution]],
    decoding: dict[str, DecodeSettings],
) -> np.ndarray:
    """The ranker fitted on every held-out text, for shipping."""
    pairs = zip(names, texts, outputs, strict=True)
    return fit([c for name, text, out in pairs for c in choices(text, out, gold[name], decoding)])
