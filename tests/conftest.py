"""Shared fixtures: the bundled PTC-format fixture corpus (our own writing) and one Analyzer."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def ptc_fixture() -> Path:
    """A tiny corpus in the PTC layout: articles/, labels-si/, labels-tc/."""
    return FIXTURES / "ptc"


@pytest.fixture(scope="session")
def analyzer():
    """The shipped model, loaded once for the whole session (as a server would)."""
    from propwatch.analysis import Analyzer

    return Analyzer()
