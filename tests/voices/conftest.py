"""The pinned spaCy pipeline, shared by the parse tests and the source-edge tests that read it, and
a resolver that reads sources in order, as the pipeline reads an article."""

import re

import pytest

from propwatch.voices import parse
from propwatch.voices.parse import load_pipeline
from propwatch.voices.speakers import SpeakerResolver


@pytest.fixture(scope="module")
def pipeline():
    pytest.importorskip("spacy")
    pytest.importorskip(parse.PIPELINE)
    load_pipeline.cache_clear()
    found = load_pipeline()
    assert found is not None
    return found


@pytest.fixture
def resolve_in_order():
    """Resolve each phrase at its next whole-word occurrence after the one before, with one resolver:
    the speakers in reading order, so that what a later source stands for may depend on the earlier."""

    def resolve(text: str, *phrases: str) -> list[str | None]:
        resolver = SpeakerResolver(text)
        speakers, at = [], 0
        for phrase in phrases:
            found = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)").search(text, at)
            assert found is not None, phrase
            speakers.append(resolver.resolve(found.span()))
            at = found.end()
        return speakers

    return resolve
