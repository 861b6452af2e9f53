"""The SemEval-2020 Task 11 metrics, written from the task definition.

SI: predicted spans of an article are merged where they overlap; precision sums, over
every (predicted p, gold g) pair of the same article, ``|p ∩ g| / |p|`` and divides by the
number of predicted spans; recall sums ``|p ∩ g| / |g|`` and divides by the number of gold
spans. TC: micro-F1 over labelled spans, a predicted row counting as correct when a gold row
has the same article, offsets and technique (each gold row matched at most once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

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
    malformed: float = 0.0
    """Share of predicted attributions whose speaker is malformed (:func:`malformed_speaker`)."""
    speaker_accuracy: float | None = None
    """Share of right speakers (:func:`right_speaker`) over gold speakers matched to a prediction."""
    speakers_matched: int = 0
    speaker_interval: tuple[float, float] | None = None
    """The 90% bootstrap interval of ``speaker_accuracy`` over the articles (:func:`ratio_interval`)."""
    speaker_articles: int = 0
    """Articles with at least one matched gold speaker: the units the interval resamples."""


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


_WORD_RE = re.compile(r"\w+(?:['’.\-]\w+)*")
_OPENERS = frozenset(
    "about above across after against along among around at before behind below beneath beside besides between "
    "beyond by despite down during except for from in inside into like near of off on onto out outside over past "
    "since through throughout to toward towards under until unto up upon via with within without "
    "and but or nor so yet because although though if once unless whereas while when whenever where wherever "
    "whether than as who whom whose which that what whoever whatever".split()
)
"""Words a speaker never opens with: prepositions, conjunctions and relative pronouns ("In Mujahir", "who himself")."""
_PRONOUNS = frozenset("i me we us you he him she her it they them his its their our my himself herself".split())
_SENTENCE_END_RE = re.compile(r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr))(?<!\bMrs)[.!?][\"”’')]*\s+[\"“'A-Z]")
"""A full stop and the next sentence's capital, not after an initial or a title ("Donald J. Trump", "Mr. Obama")."""


def speaker_words(speaker: str) -> list[str]:
    """The lower-cased words of a speaker, without punctuation ("Mary Alvord." → mary, alvord)."""
    return _WORD_RE.findall(speaker.lower().replace("’", "'"))


def right_speaker(predicted: str | None, gold: str) -> bool:
    """Issue 19's speaker rule: the predicted words are a subset of the gold's and include its last
    word ("Trump" for "Donald Trump" is right; "In Mujahir" for "Abu Mujahir" is not)."""
    words, gold_words = speaker_words(predicted or ""), speaker_words(gold)
    return bool(words and gold_words) and gold_words[-1] in words and set(words) <= set(gold_words)


def malformed_speaker(speaker: str | None) -> bool:
    """Whether a speaker is one a reader would laugh at: it crosses a sentence end, opens with a
    preposition, conjunction or relative pronoun, is a lone pronoun, or ends in punctuation."""
    if speaker is None:
        return False
    words = speaker_words(speaker)
    return (
        not words
        or words[0] in _OPENERS
        or (len(words) == 1 and words[0] in _PRONOUNS and not speaker.strip().isupper())  # "US" is a country
        or (
            not speaker.rstrip()[-1:].isalnum()
            and not re.search(r"\d%$", speaker.rstrip())  # "47%" of those polled, a speaker the guidelines write so
            and not re.search(r"\b[A-Z](?:\.[A-Z])*\.$|\b(?:Jr|Sr|Inc|Co|Corp|Ltd)\.$", speaker.rstrip())
        )
        or _SENTENCE_END_RE.search(speaker) is not None
    )


def speaker_counts(
    predicted: dict[str, list[tuple[Extent, str | None]]], gold: dict[str, list[tuple[Extent, str | None]]]
) -> dict[str, tuple[int, int]]:
    """Per text with at least one, its right speakers and its gold attributions that have a gold
    speaker and are matched to a prediction (by :func:`match_contents`, over all gold contents).

    Gold items are (content, speaker), speaker None where no gold speaker was annotated; a
    predicted speaker of None is wrong.
    """
    counts = {}
    for name, gold_items in gold.items():
        pred_items = predicted.get(name, [])
        right = matched = 0
        for i, j in match_contents([p[0] for p in pred_items], [g[0] for g in gold_items]):
            gold_speaker = gold_items[j][1]
            if gold_speaker is not None:
                matched += 1
                right += right_speaker(pred_items[i][1], gold_speaker)
        if matched:
            counts[name] = (right, matched)
    return counts


def score_speakers(
    predicted: dict[str, list[tuple[Extent, str | None]]], gold: dict[str, list[tuple[Extent, str | None]]]
) -> tuple[float | None, int]:
    """Speaker accuracy over the gold attributions that have a gold speaker and are matched to a
    prediction (:func:`speaker_counts`), and how many those are."""
    counts = speaker_counts(predicted, gold).values()
    right, matched = sum(r for r, _ in counts), sum(m for _, m in counts)
    return (right / matched if matched else None), matched


def ratio_interval(
    numerators: Iterable[float],
    denominators: Iterable[float],
    *,
    level: float = 0.90,
    draws: int = 1000,
    seed: int = 2026,
) -> tuple[float, float] | None:
    """The percentile bootstrap interval of a pooled ratio (sum of numerators / sum of denominators)
    over units: resample the units with replacement, recompute the ratio, take the central
    ``level`` of the resampled ratios. None without a unit whose denominator is positive.

    Units are articles, not rows, because errors cluster by article (one long transcript whose
    interviewer goes unnamed), so rows resampled alone would give too narrow an interval.
    Seeded, so the same figures give the same interval.
    """
    num = np.asarray(list(numerators), dtype=np.float64)
    den = np.asarray(list(denominators), dtype=np.float64)
    if len(den) == 0 or den.sum() <= 0:
        return None
    rng = np.random.default_rng(seed)
    stats = np.empty(draws)
    chunk = max(1, 2_000_000 // len(den))  # bounds memory on big corpora: chunk x units indexes
    for first in range(0, draws, chunk):
        rows = min(chunk, draws - first)
        picks = rng.integers(0, len(den), size=(rows, len(den)))
        sampled = den[picks].sum(axis=1)
        ratios = num[picks].sum(axis=1) / np.maximum(sampled, 1e-300)
        stats[first : first + rows] = np.where(sampled > 0, ratios, np.nan)
    low, high = np.nanquantile(stats, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def malformed_share(speakers: Iterable[str | None]) -> float:
    """The share of attributions (all predicted ones, with a speaker or not) whose speaker is malformed."""
    flags = [malformed_speaker(s) for s in speakers]
    return sum(flags) / len(flags) if flags else 0.0


@dataclass(frozen=True)
class ScoredRow:
    """A predicted technique span with the score it is ranked by."""

    row: LabelRow
    score: float


@dataclass(frozen=True)
class EndToEnd:
    """What a reader sees scored: P/R/F1 of (span, technique) predictions and their ranking's AP.

    ``right`` says, prediction by prediction (in the order given), whether it matched a gold span.
    """

    prf: PRF
    average_precision: float
    right: list[bool]


def score_end_to_end(predicted: list[ScoredRow], gold: list[LabelRow]) -> EndToEnd:
    """A predicted span is right when it overlaps a gold span of the same technique, one to one.

    Predictions are taken by descending score (as a reader scanning the most confident first);
    each takes the still unmatched gold span of its article and technique that it overlaps most.
    Average precision is the mean, over gold spans, of the precision at the rank each is found
    (0 for those never found), so it rewards a score that puts right spans first.
    """
    unmatched: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
    for g in gold:
        unmatched.setdefault((g.article_id, g.technique), []).append((g.start, g.end))
    order = sorted(range(len(predicted)), key=lambda k: -predicted[k].score)
    right = [False] * len(predicted)
    hits, ap_sum = 0, 0.0
    for rank, k in enumerate(order, start=1):
        row = predicted[k].row
        spans = unmatched.get((row.article_id, row.technique), [])
        shares = [overlap((row.start, row.end), g) for g in spans]
        if shares and max(shares) > 0:
            spans.pop(shares.index(max(shares)))
            right[k] = True
            hits += 1
            ap_sum += hits / rank
    prf = PRF.of(hits / len(predicted) if predicted else 0.0, hits / len(gold) if gold else 0.0)
    return EndToEnd(prf, ap_sum / len(gold) if gold else 0.0, right)


@dataclass(frozen=True)
class Reliability:
    """A reliability table: per score bin, how many predictions, their mean score, how many right."""

    bins: list[tuple[float, float, int, float, float]]
    """(low, high, count, mean score, fraction right) for each non-empty bin."""
    ece: float
    """Expected calibration error: the count-weighted mean of |fraction right - mean score|."""


def reliability(scores: list[float], right: list[bool], n_bins: int = 10) -> Reliability:
    """Bin predictions by score into ``n_bins`` equal bins of [0, 1] and compare score with truth."""
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(n_bins)]
    for score, ok in zip(scores, right, strict=True):
        grouped[min(int(score * n_bins), n_bins - 1)].append((score, ok))
    bins, gap = [], 0.0
    for b, members in enumerate(grouped):
        if not members:
            continue
        mean = sum(s for s, _ in members) / len(members)
        accuracy = sum(ok for _, ok in members) / len(members)
        bins.append((b / n_bins, (b + 1) / n_bins, len(members), mean, accuracy))
        gap += len(members) * abs(accuracy - mean)
    return Reliability(bins, gap / len(scores) if scores else 0.0)
