"""Calibration's bookkeeping (what it forgets before it fits again) and its choices on the held-out fold."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from propwatch.model.confidence import FEATURES
from propwatch.model.heads import RoleRefiner
from propwatch.model.runtime import RefinerSession
from propwatch.ptc import LabelRow
from propwatch.train.calibrate import HeldSpans, display_threshold, fit_span_filter, forget_learned, pick_trial


def test_forget_learned_drops_every_fitted_part(tmp_path: Path):
    fitted = {
        "stacker": {},
        "semeval": {"decode": {}, "span_filter": {}},
        "span_score": {},
        "display_score": 0.4,
        "source_ranker": {},
        "content_filter": {"features": []},
    }
    (tmp_path / "model.json").write_text(json.dumps({"window": 254, **fitted}))
    for refiner in (RoleRefiner.FILE, RefinerSession.FILE):
        (tmp_path / refiner).write_bytes(b"an earlier refiner")
    forget_learned(tmp_path)
    assert json.loads((tmp_path / "model.json").read_text()) == {"window": 254}
    assert not (tmp_path / RoleRefiner.FILE).exists() and not (tmp_path / RefinerSession.FILE).exists()


def test_display_threshold_is_the_lowest_score_with_half_right_above_it():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    right = np.array([1, 0, 1, 0, 0, 0, 1], dtype=float)
    # precision of the top k: 1, 1/2, 2/3, 1/2, 2/5, 1/3, 3/7: the lowest score reaching 0.5 is 0.6
    assert display_threshold(scores, right) == (0.6, 0.5, 4)


def test_display_threshold_keeps_ties_together_and_the_best_span_when_none_reaches():
    assert display_threshold(np.array([0.9, 0.5, 0.5]), np.array([1.0, 0.0, 1.0]))[0] == 0.5
    assert display_threshold(np.array([0.9, 0.5]), np.array([0.0, 0.0])) == (0.9, 0.0, 1)


def held(n_articles: int, signal: bool) -> tuple[HeldSpans, list[LabelRow]]:
    """Two spans an article: one on gold, one off it; with ``signal``, a feature tells them apart."""
    rows, features, articles, hits, gold = [], [], [], [], []
    rng = np.random.default_rng(1)
    for k in range(n_articles):
        article = f"a{k}"
        gold.append(LabelRow(article, 0, 10))
        for on_gold in (True, False):
            rows.append(LabelRow(article, 0 if on_gold else 20, 10 if on_gold else 30, "Doubt"))
            row = rng.normal(size=len(FEATURES))
            row[0] = (2.0 if on_gold else -2.0) if signal else row[0]
            features.append(row)
            articles.append(article)
            hits.append(on_gold)
    return HeldSpans(rows, np.array(features), np.array(articles), np.array(hits)), gold


def test_span_filter_drops_what_it_can_tell_is_off_gold():
    spans, gold = held(60, signal=True)
    span_filter, f1, kept = fit_span_filter(spans, gold)
    assert span_filter is not None
    assert f1 > 0.9  # against 2/3 with every span kept
    assert kept[spans.overlaps_gold].all()
    assert span_filter.probability(spans.features[:2]).round().tolist() == [1.0, 0.0]


def test_no_span_filter_when_it_cannot_help():
    spans, gold = held(20, signal=False)
    span_filter, _, kept = fit_span_filter(spans, gold)
    assert span_filter is None
    assert kept.all()


def trial(paragraphs: bool, words: bool, f1: float) -> dict:
    return {"split_paragraphs": paragraphs, "trim_words": words, "f1": f1}


def test_edge_rules_stay_on_unless_they_cost_more_than_noise():
    close = [trial(False, False, 0.3852), trial(True, True, 0.3849), trial(True, False, 0.3851)]
    assert pick_trial(close) == trial(True, True, 0.3849)
    costly = [trial(False, False, 0.3852), trial(True, True, 0.3800), trial(True, False, 0.3851)]
    assert pick_trial(costly) == trial(True, False, 0.3851)
    assert pick_trial([trial(False, False, 0.39), trial(True, True, 0.37)]) == trial(False, False, 0.39)
