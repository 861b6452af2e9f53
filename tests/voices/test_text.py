"""Text helpers of the voices (voices/text.py)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propwatch.voices import attributions_from_links, link
from propwatch.voices.text import _CUE_RE, alternation, deeds, reporting_verbs, unmangled


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Ana PeÃ±a Soto", "Ana Peña Soto"),
        (unicodedata.normalize("NFD", "Ana PeÃ±a Soto"), "Ana Peña Soto"),  # its "Ã" decomposed
        ("Ã‰mile Varga", "Émile Varga"),
        ("Ana Peña Soto", "Ana Peña Soto"),
        ("Åsa Brenner", "Åsa Brenner"),  # a name that is no mangling stays
        ("RaÃol Varga", "RaÃol Varga"),  # a mangling that lost a byte cannot be mended
        (None, None),
    ],
)
def test_a_name_read_as_windows_1252_is_shown_as_written(name, shown):
    assert unmangled(name) == shown


def test_a_mangled_speaker_is_mended_and_its_offsets_stay_in_the_text():
    text = "Mayor Ana PeÃ±a Soto said the harbour bridge would stay open until June."
    source, cue = text.index("Ana"), text.index("said")
    spans = {"content": [(cue + 5, len(text) - 1)], "source": [(source, cue - 1)], "cue": [(cue, cue + 4)]}
    (found,) = attributions_from_links(text, link(text, spans))
    assert found.speaker == "Ana Peña Soto"
    assert text[found.source[0] : found.source[1]] == "Ana PeÃ±a Soto"


_PIECES = st.sampled_from(
    ["said", "SAID", "Said", " ", "\n", "told reporters", "According to", "İ", "é", "🙂", "ﬁ", "x", "."]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_reporting_verbs_are_found_where_matching_without_case_finds_them(text):
    assert [(m.start(), m.end()) for m in reporting_verbs(text)] == [m.span() for m in _CUE_RE.finditer(text)]


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("The United States will not sign, officials said.", "States"),
        ("That said, the harbour board will meet again.", "said"),
        ("Their claims were dropped, the court said.", "claims"),
        ("All told, the works cost 40 million crowns.", "told"),
        ("Critics of the now-denied bridge plan marched.", "denied"),
        ("A racially charged remark drew boos.", "charged"),
    ],
)
def test_a_reporting_verbs_word_that_reports_nothing_where_it_stands_is_no_cue(text, noun):
    at = text.index(noun)
    assert (at, at + len(noun)) in deeds(text)


def test_the_same_words_as_verbs_stay_cues():
    text = "The report states that the bridge is safe. Ana Soto said so, and she told the Beacon. It claims little."
    assert deeds(text) == []


_WORDS = st.lists(st.text("abcs", min_size=1, max_size=4), min_size=1, max_size=8, unique=True)


@given(words=_WORDS, text=st.text("abcs ,.", max_size=40))
def test_a_trie_of_words_matches_what_their_plain_alternation_does(words, text):
    plain = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    trie = re.compile(r"\b(?:" + alternation(words) + r")\b")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
