"""Tests for propwatch.techniques: the one table of technique names, order and colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propwatch.techniques import BY_NAME, INDEX, NAMES, TECHNIQUES, Technique, technique_index

PTC_TECHNIQUES = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc" / "techniques.txt"
"""The corpus beside the checkout, as CI lays it out."""


def test_fourteen_techniques() -> None:
    assert len(TECHNIQUES) == 14
    assert len(NAMES) == 14


def test_names_unique() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert len({t.short for t in TECHNIQUES}) == len(TECHNIQUES)


def test_names_match_ptc_label_file() -> None:
    if not PTC_TECHNIQUES.is_file():
        pytest.skip(f"{PTC_TECHNIQUES} not present")
    listed = [line.strip() for line in PTC_TECHNIQUES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sorted(listed) == sorted(NAMES)


def test_colours_are_hex_rgb() -> None:
    for technique in TECHNIQUES:
        assert re.fullmatch(r"#[0-9a-f]{6}", technique.colour), technique


def test_colours_distinct() -> None:
    assert len({t.colour for t in TECHNIQUES}) == len(TECHNIQUES)


def test_every_technique_has_text() -> None:
    for technique in TECHNIQUES:
        assert isinstance(technique, Technique)
        assert technique.short.strip()
        assert technique.definition.strip()
        assert "\t" not in technique.name and " " not in technique.name


def test_index_and_lookup_tables_agree() -> None:
    assert tuple(t.name for t in TECHNIQUES) == NAMES
    for i, name in enumerate(NAMES):
        assert INDEX[name] == i
        assert technique_index(name) == i
        assert BY_NAME[name] is TECHNIQUES[i]


@pytest.mark.parametrize("name", ["", "Loaded language", "loaded_language", "?", "Bandwagon"])
def test_technique_index_errors_on_unknown(name: str) -> None:
    with pytest.raises(ValueError, match="unknown technique") as info:
        technique_index(name)
    # The message lists the valid names so a typo is easy to fix.
    assert "Loaded_Language" in str(info.value)
    assert info.value.__cause__ is None
