"""The pinned spaCy pipeline, shared by the parse tests and the source-edge tests that read it."""

import pytest

from propwatch.voices import parse
from propwatch.voices.parse import load_pipeline


@pytest.fixture(scope="module")
def pipeline():
    pytest.importorskip("spacy")
    pytest.importorskip(parse.PIPELINE)
    load_pipeline.cache_clear()
    found = load_pipeline()
    assert found is not None
    return found
