"""The Python API: analyse documents with the technique model.

``Analyzer`` loads the model once; :meth:`Analyzer.analyze` fills each document's spans.
Every interface (CLI, web, store) calls this and only formats the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from propwatch.document import Attribution, Document, TechniqueSpan
from propwatch.model.confidence import SpanLogistic, span_features
from propwatch.model.decode import DecodeSettings, RawSpan, assign_ranked, decode_spans
from propwatch.model.encoding import char_span_to_tokens
from propwatch.model.heads import pool, span_cues
from propwatch.model.runtime import DEFAULT_MODEL_DIR, ModelError, TechniqueModel, TokenOutputs
from propwatch.techniques import NAMES
from propwatch.voices import (
    DEFAULT_ROLE_DECODING,
    ROLES,
    ContentFilter,
    extract_from_articles,
    load_pipeline,
    source_ranker_weights,
    voice_of,
)


def token_range(outputs: TokenOutputs, start: int, end: int) -> tuple[int, int]:
    """Tokens covering a character span; the nearest token when the span covers none."""
    first, last = char_span_to_tokens(outputs.encoded.offsets, start, end)
    if last > first:
        return first, last
    nearest = min(max(first, 0), len(outputs.encoded) - 1)
    return nearest, nearest + 1


T = TypeVar("T")

DEFAULT_DISPLAY_SCORE = 0.5
"""The display threshold of a model whose model.json predates ``display_score``."""


def _learned(model: TechniqueModel, key: str, read: Callable[[dict], T]) -> T | None:
    """A calibrated part of voices from model.json (None if the model has none), or a clear error
    when it was fitted on other features than this code computes."""
    data = model.settings.get(key)
    try:
        return read(data) if data else None
    except ValueError as err:
        raise ModelError(f"{model.folder}: model.json: {err}") from None


def _semeval_filter(semeval: dict) -> SpanLogistic | None:
    return SpanLogistic.from_json(semeval["span_filter"]) if "span_filter" in semeval else None


class Analyzer:
    """Find technique spans in documents; one model load serves any number of calls."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        threshold: float | None = None,
        threads: int | None = None,
        parse: bool = True,
    ) -> None:
        self.model = TechniqueModel(model_dir or DEFAULT_MODEL_DIR, threads=threads)
        self.parser = load_pipeline() if parse else None
        """spaCy's parser for the voices' pronouns (the ``parse`` extra); None: the rules alone."""
        semeval = self.model.settings.get("semeval", {})
        self.decode = self.model.decode
        self.semeval_decode = DecodeSettings(**semeval["decode"]) if "decode" in semeval else self.decode
        if threshold is not None:
            self.decode = replace(self.decode, threshold=threshold)
            self.semeval_decode = replace(self.semeval_decode, threshold=threshold)
        calibrated = self.model.settings.get("roles", {})
        self.role_decoding = {
            role: DecodeSettings(**calibrated[role]) if role in calibrated else DEFAULT_ROLE_DECODING[role]
            for role in ROLES
        }
        self.ranker_weights = _learned(self.model, "source_ranker", source_ranker_weights)
        self.content_filter = _learned(self.model, "content_filter", ContentFilter.from_json)
        self.span_filter = _learned(self.model, "semeval", _semeval_filter)
        self.span_score = _learned(self.model, "span_score", SpanLogistic.from_json)
        self.display_score: float = float(self.model.settings.get("display_score", DEFAULT_DISPLAY_SCORE))
        """The lowest span ``score`` the reading views show by default (``--all`` shows the rest):
        fitted as the lowest score at which held-out precision reaches 0.5 (model.json's
        ``display_score``); 0.5 for a model without one."""

    def technique_log_probs(self, text: str, outputs: TokenOutputs, spans: list[tuple[int, int]]) -> np.ndarray:
        """Log-probabilities over techniques for given character spans of one article."""
        if not spans or len(outputs.encoded) == 0:
            return np.zeros((len(spans), len(NAMES)), np.float32)
        pooled = np.stack([pool(outputs.states, *token_range(outputs, s, e)) for s, e in spans])
        head = self.model.head.log_probs(pooled)
        if self.model.stacker is None:
            return head
        cues = np.stack([span_cues(text, s, e) for s, e in spans])
        return self.model.stacker.log_probs(head, cues)

    def token_outputs(self, texts: list[str]) -> list[TokenOutputs]:
        """The raw per-token model outputs (for evaluation and calibration). The parser, where the
        voices have one, loads meanwhile in a thread."""
        if self.parser is not None:
            self.parser.warm()
        return self.model.run_tokens(texts)

    def spans_for(self, text: str, outputs: TokenOutputs) -> list[TechniqueSpan]:
        """The spans a reader sees: decoded, each named by its technique and scored with the
        probability that it is right (the tagger's mean P(in) for a model without a span score);
        spans under the score's cut, which maximises end-to-end F1 on the held-out fold, dropped."""
        spans = self._named(text, outputs, self.decode)
        if self.span_score is None:
            return [TechniqueSpan(s.start, s.end, NAMES[c], s.score) for s, c, _ in spans]
        scores = self.span_score.probability(self._features(text, outputs, spans))
        return [
            TechniqueSpan(s.start, s.end, NAMES[c], float(p))
            for (s, c, _), p in zip(spans, scores, strict=True)
            if p >= self.span_score.cut
        ]

    def semeval_spans(self, text: str, outputs: TokenOutputs) -> list[RawSpan]:
        """The spans of a SemEval SI export: the decoding and span filter that maximise SI F1 on
        the held-out fold (the reader's decoding for a model calibrated without them)."""
        spans = self._named(text, outputs, self.semeval_decode)
        if self.span_filter is not None and spans:
            kept = self.span_filter.probability(self._features(text, outputs, spans)) >= self.span_filter.cut
            spans = [s for s, k in zip(spans, kept, strict=True) if k]
        return [s for s, _, _ in spans]

    def _named(
        self, text: str, outputs: TokenOutputs, settings: DecodeSettings
    ) -> list[tuple[RawSpan, int, np.ndarray]]:
        """Decoded spans, each with its technique (index) and technique log-probabilities."""
        raw = decode_spans(text, outputs.encoded.offsets, outputs.probs, settings)
        log_probs = self.technique_log_probs(text, outputs, [(r.start, r.end) for r in raw])
        choice = assign_ranked(log_probs, [[i] for i in range(len(raw))])
        return list(zip(raw, choice, log_probs, strict=True))

    @staticmethod
    def _features(text: str, outputs: TokenOutputs, spans: list[tuple[RawSpan, int, np.ndarray]]) -> np.ndarray:
        extents = [(s.start, s.end) for s, _, _ in spans]
        log_probs = np.array([lp for _, _, lp in spans]).reshape(len(spans), len(NAMES))
        return span_features(text, outputs.encoded.offsets, outputs.probs, extents, log_probs)

    def attributions_for(self, text: str, outputs: TokenOutputs) -> list[Attribution]:
        """Who says what: the role tagger's spans (when the model has one) linked by rules."""
        return self.attributions_of([text], [outputs])[0]

    def attributions_of(self, texts: list[str], outputs: list[TokenOutputs]) -> list[list[Attribution]]:
        """:meth:`attributions_for` of several articles, the clauses they need parsed as one batch."""
        articles = [(text, out.encoded.offsets, out.roles) for text, out in zip(texts, outputs, strict=True)]
        return extract_from_articles(
            articles,
            self.role_decoding,
            ranker_weights=self.ranker_weights,
            content_filter=self.content_filter,
            parser=self.parser,
        )

    def analyze(self, docs: list[Document]) -> list[Document]:
        """Fill ``spans`` and ``attributions`` of each document (replacing any) and return them.

        Each span's ``speaker`` is the speaker of the attributed content it sits in, or None
        for the author's own voice.
        """
        outputs = self.token_outputs([d.text for d in docs])
        attributions = self.attributions_of([d.text for d in docs], outputs)
        for doc, out, found in zip(docs, outputs, attributions, strict=True):
            doc.spans, doc.attributions = [], []
            for attribution in found:
                doc.add_attribution(attribution)
            for span in self.spans_for(doc.text, out):
                doc.add_span(replace(span, speaker=voice_of(span, doc.attributions)))
        return docs


_DEFAULT: Analyzer | None = None


def analyze(text: str, **metadata: str) -> Document:
    """Analyse one text with the shipped model: ``propwatch.analyze("...").spans``."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Analyzer()
    return _DEFAULT.analyze([Document(text=text, **metadata)])[0]
