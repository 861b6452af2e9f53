"""Turn PTC articles and gold labels into training windows for the joint model.

Each window carries BIO tags for span identification (from the SI gold, whose overlaps are
already merged) and the gold technique spans that lie inside it, as token ranges, for the
span classifier. PolNeAR windows instead carry BIO tags for the three attribution roles
(content, source, cue); each window's unlabelled task is ignored by the loss, so one encoder
learns both. Windows are cut exactly as at inference time (:mod:`propwatch.model.encoding`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propwatch.document import Document
from propwatch.model.encoding import Encoded, TextEncoder, char_span_to_tokens, make_windows
from propwatch.polnear import GoldAttribution
from propwatch.ptc import LabelRow, check_rows_fit, read_articles, read_labels
from propwatch.techniques import technique_index

OUTSIDE, BEGIN, INSIDE = 0, 1, 2
IGNORE = -100
ROLES = ("content", "source", "cue")


@dataclass
class Example:
    """One window: token ids, BIO tags, ``(first, last, technique)`` spans and role tags.

    ``tags`` is all IGNORE for windows without technique labels; ``roles`` (tokens x 3) is
    ``None`` for windows without attribution labels. Training may attach the frozen encoder
    layers' output (``below``), a technique teacher's outputs (``targets``) and a teacher's role
    logits (``teacher_roles``: the technique teacher's or a separate role teacher's).
    """

    ids: np.ndarray
    tags: np.ndarray
    spans: list[tuple[int, int, int]]
    roles: np.ndarray | None = None
    below: np.ndarray | None = None
    targets: Targets | None = None
    teacher_roles: np.ndarray | None = None


@dataclass
class Targets:
    """A technique teacher's outputs on one window, computed once before training."""

    tags: np.ndarray
    """BIO logits over the wrapped window ([CLS] and [SEP] included)."""
    spans: np.ndarray
    """Technique logits of the window's gold spans, in ``Example.spans`` order."""
    found: np.ndarray
    """``(first, last)`` wrapped token ranges of spans the teacher tags and gold doesn't hold."""
    found_logits: np.ndarray
    """Its technique logits on ``found``."""
    roles: np.ndarray | None = None
    """Its role logits over the wrapped window (tokens x 9: content, source, cue BIO), when it teaches roles."""


@dataclass
class Corpus:
    """Articles with their SI and TC gold rows, grouped by article id."""

    docs: dict[str, Document]
    si: dict[str, list[LabelRow]]
    tc: dict[str, list[LabelRow]]


def _group(rows: list[LabelRow]) -> dict[str, list[LabelRow]]:
    grouped: dict[str, list[LabelRow]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row)
    return grouped


def load_corpus(articles: Path, si_labels: Path | None, tc_labels: Path | None) -> Corpus:
    """Read articles and whichever label sets are given, checking labels fit the texts."""
    docs = read_articles(articles)
    si_rows = read_labels(si_labels) if si_labels else []
    tc_rows = read_labels(tc_labels) if tc_labels else []
    check_rows_fit(si_rows + tc_rows, docs)
    return Corpus(docs, _group(si_rows), _group(tc_rows))


def split_ids(ids: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """A seeded split of article ids into (fit, held-out); the held-out part tunes decoding."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    n_held = round(len(shuffled) * fraction)
    return sorted(shuffled[n_held:]), sorted(shuffled[:n_held])


def fold_parts(ids: list[str], folds: int, seed: int) -> list[list[str]]:
    """A seeded partition of (fit) article ids into ``folds`` parts for out-of-fold teachers:
    teacher i trains on every part but part i, and teaches the student on part i alone."""
    shuffled = sorted(ids)
    random.Random(seed + 1).shuffle(shuffled)  # not split_ids' order: parts cut across it
    return [sorted(shuffled[i::folds]) for i in range(folds)]


def bio_tags(encoded: Encoded, spans: list[LabelRow]) -> np.ndarray:
    """BIO tag per token: B on the first token overlapping a span, I on the others.

    Touching spans (SI gold is merged, so they never overlap) stay one run of I after the B.
    """
    tags = np.full(len(encoded), OUTSIDE, dtype=np.int64)
    for row in sorted(spans, key=lambda r: r.start):
        first, last = char_span_to_tokens(encoded.offsets, row.start, row.end)
        if last > first:
            tags[first:last] = INSIDE
            if first == 0 or tags[first - 1] == OUTSIDE:
                tags[first] = BEGIN
    return tags


def role_tags(encoded: Encoded, attributions: list[GoldAttribution]) -> np.ndarray:
    """BIO tags (tokens x 3) for content, source and cue spans.

    Nested spans of one role (rare: 0.7% of PolNeAR contents) cannot share one BIO layer;
    the shorter, inner span is kept, so a quote relayed by an outlet keeps its own speaker
    (the relaying source is recovered by :mod:`propwatch.voices`).
    """
    tags = np.full((len(encoded), len(ROLES)), OUTSIDE, dtype=np.int64)
    for column, role in enumerate(ROLES):
        extents = {getattr(a, role) for a in attributions if getattr(a, role) is not None}
        for start, end in sorted(extents, key=lambda e: e[1] - e[0]):
            first, last = char_span_to_tokens(encoded.offsets, start, end)
            if last > first and not tags[first:last, column].any():
                tags[first:last, column] = INSIDE
                tags[first, column] = BEGIN
    return tags


def attribution_examples(
    encoded: Encoded, attributions: list[GoldAttribution], window: int, overlap: int
) -> list[Example]:
    """Windows of one PolNeAR text: role tags set, technique tags ignored."""
    roles = role_tags(encoded, attributions)
    ignored = np.full(len(encoded), IGNORE, dtype=np.int64)
    return [
        Example(encoded.ids[w.start : w.end], ignored[w.start : w.end], [], roles[w.start : w.end])
        for w in make_windows(len(encoded), window, overlap)
    ]


def article_examples(
    encoded: Encoded, si: list[LabelRow], tc: list[LabelRow], window: int, overlap: int
) -> list[Example]:
    """Cut one article into windows with tags and the technique spans fully inside each."""
    tags = bio_tags(encoded, si)
    token_spans = []
    for row in tc:
        first, last = char_span_to_tokens(encoded.offsets, row.start, row.end)
        if last > first:
            token_spans.append((first, last, technique_index(row.technique or "")))
    examples = []
    for win in make_windows(len(encoded), window, overlap):
        inside = [
            (first - win.start + 1, last - win.start + 1, label)
            for first, last, label in token_spans
            if first >= win.start and last <= win.end
        ]
        examples.append(Example(encoded.ids[win.start : win.end], tags[win.start : win.end], inside))
    return examples


def build_examples(corpus: Corpus, ids: list[str], encoder: TextEncoder, window: int, overlap: int) -> list[Example]:
    """Training windows for the given article ids."""
    texts = [corpus.docs[i].text for i in ids]
    examples = []
    for article_id, encoded in zip(ids, encoder.encode_batch(texts), strict=True):
        examples.extend(
            article_examples(encoded, corpus.si.get(article_id, []), corpus.tc.get(article_id, []), window, overlap)
        )
    return examples
