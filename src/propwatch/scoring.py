"""The SemEval-2020 Task 11 metrics, written from the task definition.

SI: predicted spans of an article are merged where they overlap; precision sums, over
every (predicted p, gold g) pair of the same article, ``|p ∩ g| / |p|`` and divides by the
number of predicted spans; recall sums ``|p ∩ g| / |g|`` and divides by the number of gold
spans. TC: micro-F1 over labelled spans, a predicted row counting as correct when a gold row
has the same article, offsets and technique (each gold row matched at most once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from propwatch.document import Extent, overlap
from propwatch.ptc import LabelRow


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 (0 where undefined)."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)


def merge_intervals(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping ``[start, end)`` intervals, sorted; empty intervals dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _by_article(rows: Iterable[LabelRow]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append((row.start, row.end))
    return {k: merge_intervals(v) for k, v in grouped.items()}


def score_si(predicted: Iterable[LabelRow], gold: Iterable[LabelRow]) -> PRF:
    """Span-identification precision, recall and F1 with partial-overlap credit."""
    pred, true = _by_article(predicted), _by_article(gold)
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in true.values())
    p_sum = r_sum = 0.0
    for article_id, p_spans in pred.items():
        for ps, pe in p_spans:
            for gs, ge in true.get(article_id, []):
                shared = overlap((ps, pe), (gs, ge))
                if shared:
                    p_sum += shared / (pe - ps)
                    r_sum += shared / (ge - gs)
    return PRF.of(p_sum / n_pred if n_pred else 0.0, r_sum / n_gold if n_gold else 0.0)


def _keyed(rows: Iterable[LabelRow]) -> Counter[tuple[str, int, int, str | None]]:
    return Counter((r.article_id, r.start, r.end, r.technique) for r in rows)


def score_tc(predicted: list[LabelRow], gold: list[LabelRow]) -> tuple[PRF, dict[str, PRF]]:
    """Micro P/R/F1 over technique rows, and P/R/F1 for each technique seen in either."""
    pred, true = _keyed(predicted), _keyed(gold)
    hits = pred & true
    micro = PRF.of(
        sum(hits.values()) / len(predicted) if predicted else 0.0,
        sum(hits.values()) / len(gold) if gold else 0.0,
    )
    per: dict[str, PRF] = {}
    labels = {k[3] for k in pred} | {k[3] for k in true}
    for label in sorted(lab for lab in labels if lab is not None):
        tp = sum(v for k, v in hits.items() if k[3] == label)
        n_p = sum(v for k, v in pred.items() if k[3] == label)
        n_g = sum(v for k, v in true.items() if k[3] == label)
        per[label] = PRF.of(tp / n_p if n_p else 0.0, tp / n_g if n_g else 0.0)
    return micro, per


@dataclass(frozen=True)
class AttributionScores:
    """Content-only and content+source P/R/F1 of predicted attributions."""

    content: PRF
    attribution: PRF
    predicted: int
    gold: int


def match_contents(predicted: list[Extent], gold: list[Extent]) -> list[tuple[int, int]]:
    """One-to-one matches, greedily by overlap, of contents overlapping by at least half the longer."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            shared = overlap(p, g)
            if shared and 2 * shared >= max(p[1] - p[0], g[1] - g[0]):
                candidates.append((shared, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def same_source(predicted: Extent | None, gold: Extent | None) -> bool:
    """The metric's source rule for a matched content: the sources overlap, or both are absent."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return overlap(predicted, gold) > 0


def score_attributions(
    predicted: dict[str, list[tuple[Extent, Extent | None]]], gold: dict[str, list[tuple[Extent, Extent | None]]]
) -> AttributionScores:
    """Score (content, source) pairs per text against gold, as issue 3's metric defines.

    A matched pair counts for attribution P/R/F1 when the sources overlap, or both are absent.
    """
    n_pred = sum(len(v) for v in predicted.values())
    n_gold = sum(len(v) for v in gold.values())
    content_hits = attribution_hits = 0
    for name, gold_items in gold.items():
        pred_items = predicted.get(name, [])
        for i, j in match_contents([p[0] for p in pred_items], [g[0] for g in gold_items]):
            content_hits += 1
            if same_source(pred_items[i][1], gold_items[j][1]):
                attribution_hits += 1

    def prf(hits: int) -> PRF:
        return PRF.of(hits / n_pred if n_pred else 0.0, hits / n_gold if n_gold else 0.0)

    return AttributionScores(prf(content_hits), prf(attribution_hits), n_pred, n_gold)
