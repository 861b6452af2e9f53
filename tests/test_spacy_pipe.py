"""propwatch as a spaCy pipeline component (propwatch.spacy_pipe)."""

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

import propwatch  # noqa: E402
from propwatch.techniques import NAMES  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("propwatch")  # found through the spacy_factories entry point
    return nlp


def test_the_component_gives_propwatch_s_spans_and_voices(nlp):
    text = (EXAMPLES / "beacon-bridge-betrayal.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    expected = propwatch.analyze(text)
    spans = list(doc.spans["propwatch"])
    assert len(spans) == len(expected.spans) > 0
    for span, found in zip(spans, expected.spans, strict=True):
        assert span.label_ == found.technique in NAMES
        assert span._.propwatch_score == found.score
        assert span._.propwatch_speaker == found.speaker
        assert span.start_char <= found.start < found.end <= span.end_char  # grown to whole tokens only
    assert doc._.propwatch_attributions == expected.attributions


def test_pipe_in_batches_matches_one_doc_at_a_time(nlp):
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))[:3]] + ["", "  \n"]
    piped = list(nlp.pipe(texts, batch_size=2))
    for doc, text in zip(piped, texts, strict=True):
        alone = nlp(text)
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["propwatch"]] == [
            (s.start_char, s.end_char, s.label_) for s in alone.spans["propwatch"]
        ]
        assert doc._.propwatch_attributions == alone._.propwatch_attributions
    assert list(piped[3].spans["propwatch"]) == []
