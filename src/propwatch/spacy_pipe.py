"""propwatch as a spaCy pipeline component: ``nlp.add_pipe("propwatch")`` (the ``parse`` extra).

For a spaCy user whose pipeline already reads the articles. The component runs propwatch's own
model on each doc's text and needs no other component:

- ``doc.spans["propwatch"]``: every technique span, labelled with the technique;
  ``span._.propwatch_score`` is the chance that the span is right (propwatch's reading views show
  the spans scored at least ``component.analyzer.display_score``), ``span._.propwatch_speaker``
  whose voice it is (None: the outlet's own);
- ``doc._.propwatch_attributions``: who says what, propwatch's
  :class:`~propwatch.document.Attribution` objects (character offsets into ``doc.text``).

A span whose edges fall inside a spaCy token grows to whole tokens; its character offsets stay
those of propwatch's, in the attributions and in :func:`propwatch.analyze`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from propwatch.analysis import Analyzer
from propwatch.document import Document

SPANS_KEY = "propwatch"

for _name in ("propwatch_score", "propwatch_speaker"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("propwatch_attributions"):
    Doc.set_extension("propwatch_attributions", default=None)


class PropwatchComponent:
    """The component: one :class:`~propwatch.analysis.Analyzer` serves every doc of the pipeline."""

    def __init__(self, model: str | None = None, threshold: float | None = None, spans_key: str = SPANS_KEY) -> None:
        self.analyzer = Analyzer(Path(model) if model else None, threshold=threshold)
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        return self._fill(doc, self.analyzer.analyze([Document(text=doc.text)])[0])

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Docs in batches, so the model sees several articles per call."""
        for batch in minibatch(docs, size=batch_size):
            analysed = self.analyzer.analyze([Document(text=doc.text) for doc in batch])
            yield from (self._fill(doc, result) for doc, result in zip(batch, analysed, strict=True))

    def _fill(self, doc: Doc, result: Document) -> Doc:
        spans = []
        for found in result.spans:
            span = doc.char_span(found.start, found.end, label=found.technique, alignment_mode="expand")
            if span is None:  # only whitespace: no token to hold it
                continue
            span._.propwatch_score = found.score
            span._.propwatch_speaker = found.speaker
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.propwatch_attributions = list(result.attributions)
        return doc


@Language.factory(
    "propwatch",
    default_config={"model": None, "threshold": None, "spans_key": SPANS_KEY},
)
def make_component(
    nlp: Language, name: str, model: str | None, threshold: float | None, spans_key: str
) -> PropwatchComponent:
    """The factory spaCy finds through the ``spacy_factories`` entry point; ``model`` is a model
    folder (default: the shipped model), ``threshold`` the token score a span needs."""
    return PropwatchComponent(model, threshold, spans_key)
