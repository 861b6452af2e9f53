"""Predict and score in the SemEval-2020 Task 11 formats (library side of ``propwatch semeval``
and ``propwatch evaluate``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from propwatch.analysis import Analyzer
from propwatch.document import Document
from propwatch.model.decode import assign_ranked, edge_flaws
from propwatch.polnear import SpeakerKey, read_corpus
from propwatch.ptc import LabelRow, check_rows_fit, read_articles, read_labels
from propwatch.readers import InputError
from propwatch.scoring import (
    PRF,
    AttributionScores,
    Reliability,
    ScoredRow,
    malformed_share,
    ratio_interval,
    reliability,
    score_attributions,
    score_end_to_end,
    score_si,
    score_speakers,
    score_tc,
    speaker_counts,
)
from propwatch.techniques import NAMES


def predict_si(analyzer: Analyzer, docs: dict[str, Document]) -> list[LabelRow]:
    """SI rows for every article, in article order."""
    ids = list(docs)
    outputs = analyzer.token_outputs([docs[i].text for i in ids])
    rows = []
    for article_id, out in zip(ids, outputs, strict=True):
        for span in analyzer.semeval_spans(docs[article_id].text, out):
            rows.append(LabelRow(article_id, span.start, span.end))
    return rows


def predict_tc(analyzer: Analyzer, docs: dict[str, Document], template: list[LabelRow]) -> list[LabelRow]:
    """One technique per template row, same rows and order; repeats of a span get distinct ones."""
    check_rows_fit(template, docs)
    by_article: dict[str, list[int]] = {}
    for index, row in enumerate(template):
        by_article.setdefault(row.article_id, []).append(index)
    ids = list(by_article)
    outputs = analyzer.token_outputs([docs[i].text for i in ids])
    techniques: list[str] = [""] * len(template)
    for article_id, out in zip(ids, outputs, strict=True):
        indices = by_article[article_id]
        spans = [(template[i].start, template[i].end) for i in indices]
        log_probs = analyzer.technique_log_probs(docs[article_id].text, out, spans)
        groups: dict[tuple[int, int], list[int]] = {}
        for local, span in enumerate(spans):
            groups.setdefault(span, []).append(local)
        for local, choice in enumerate(assign_ranked(log_probs, list(groups.values()))):
            techniques[indices[local]] = NAMES[choice]
    return [LabelRow(r.article_id, r.start, r.end, t) for r, t in zip(template, techniques, strict=True)]


@dataclass
class Evaluation:
    """Figures of one evaluation run."""

    si: PRF
    tc: PRF
    per_technique: dict[str, PRF]
    articles: int
    gold_spans: int
    reader: ReaderFigures | None = None
    """What a reader sees (the spans ``propwatch analyze`` outputs), scored end to end."""


@dataclass
class ReaderFigures:
    """The spans ``propwatch analyze`` outputs, scored as a reader meets them."""

    end_to_end: PRF
    """A span is right when it overlaps a gold span of its technique (one to one)."""
    average_precision: float
    """Of the spans ranked by ``score``, against the gold (span, technique) pairs."""
    reliability: Reliability
    spans: int
    display_score: float
    shown: int
    """Spans scored at least ``display_score`` (the reading views' default)."""
    shown_precision: float
    crossing_paragraphs: float
    """Share of spans that cross a paragraph break (then of the gold spans, for comparison)."""
    on_edge_words: float
    """Share of spans that open or close on a preposition or conjunction (``EDGE_WORDS``)."""
    ending_on_articles: int
    gold_crossing_paragraphs: float
    gold_on_edge_words: float


def reader_figures(analyzer: Analyzer, docs: dict[str, Document], gold: list[LabelRow]) -> ReaderFigures:
    """Score the reader's spans end to end, their calibration, and their edges beside gold's."""
    ids = list(docs)
    outputs = analyzer.token_outputs([docs[i].text for i in ids])
    predicted = [
        ScoredRow(LabelRow(i, s.start, s.end, s.technique), s.score)
        for i, out in zip(ids, outputs, strict=True)
        for s in analyzer.spans_for(docs[i].text, out)
    ]
    result = score_end_to_end(predicted, gold)
    shown = [ok for p, ok in zip(predicted, result.right, strict=True) if p.score >= analyzer.display_score]
    flaws = [edge_flaws(docs[p.row.article_id].text, p.row.start, p.row.end) for p in predicted]
    gold_flaws = [edge_flaws(docs[g.article_id].text, g.start, g.end) for g in gold]

    def share(rows: list[tuple[bool, bool, bool]], k: int) -> float:
        return sum(r[k] for r in rows) / len(rows) if rows else 0.0

    return ReaderFigures(
        result.prf,
        result.average_precision,
        reliability([p.score for p in predicted], result.right),
        len(predicted),
        analyzer.display_score,
        len(shown),
        sum(shown) / len(shown) if shown else 0.0,
        share(flaws, 0),
        share(flaws, 1),
        sum(f[2] for f in flaws),
        share(gold_flaws, 0),
        share(gold_flaws, 1),
    )


def evaluate(analyzer: Analyzer, articles_dir: Path, tc_labels: Path) -> Evaluation:
    """Score SI, TC and the reader's spans end to end on a PTC-format folder against its TC gold labels."""
    docs = read_articles(articles_dir)
    gold = read_labels(tc_labels)
    if any(row.technique is None for row in gold):
        raise InputError(f"{tc_labels}: evaluation needs TC labels (ID, technique, start, end)")
    check_rows_fit(gold, docs)
    si = score_si(predict_si(analyzer, docs), gold)  # the scorer merges overlapping gold spans
    tc, per = score_tc(predict_tc(analyzer, docs, gold), gold)
    return Evaluation(si, tc, per, len(docs), len(gold), reader_figures(analyzer, docs, gold))


def evaluate_attributions(
    analyzer: Analyzer, text_dir: Path, ann_dir: Path, speakers: dict[SpeakerKey, str] | None = None
) -> AttributionScores:
    """Score predicted attributions on PolNeAR-format data (first annotator's file per text).

    Besides content and attribution P/R/F1, the share of predicted speakers that are malformed,
    and, with gold ``speakers`` (:func:`propwatch.polnear.read_speakers`), the speaker accuracy
    over the gold attributions they cover that are matched to a prediction.
    """
    corpus = read_corpus(text_dir, ann_dir)
    names = list(corpus)
    outputs = analyzer.token_outputs([corpus[n][0] for n in names])
    predicted, gold, voiced, gold_voiced = {}, {}, {}, {}
    for name, out in zip(names, outputs, strict=True):
        text, gold_items = corpus[name]
        found = analyzer.attributions_for(text, out)
        predicted[name] = [(a.content, a.source) for a in found]
        gold[name] = [(g.content, g.source) for g in gold_items]
        voiced[name] = [(a.content, a.speaker) for a in found]
        gold_voiced[name] = [(g.content, _gold_speaker(speakers, name, g.source, g.content)) for g in gold_items]
    scores = score_attributions(predicted, gold)
    malformed = malformed_share(speaker for items in voiced.values() for _, speaker in items)
    scores = dataclasses.replace(scores, malformed=malformed)
    if not speakers:
        return scores
    accuracy, matched = score_speakers(voiced, gold_voiced)
    counts = speaker_counts(voiced, gold_voiced).values()
    spread = ratio_interval([r for r, _ in counts], [m for _, m in counts])
    return dataclasses.replace(
        scores,
        speaker_accuracy=accuracy,
        speakers_matched=matched,
        speaker_interval=spread,
        speaker_articles=len(counts),
    )


def _gold_speaker(
    speakers: dict[SpeakerKey, str] | None, name: str, source: tuple[int, int] | None, content: tuple[int, int]
) -> str | None:
    """The annotated speaker of one gold attribution, None where there is none."""
    if not speakers or source is None:
        return None
    return speakers.get((name, source, content))
