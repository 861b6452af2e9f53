"""How an article names what speaks: the name it gives a description elsewhere ("spokesman Anna
Berg", "Anna Berg, the spokesman"), the name a description gives itself ("a site called “The
Local”"), and the acronyms it spells out ("Federal Election Commission" for FEC).

Read by :class:`~propwatch.voices.speakers.SpeakerResolver`; each is a scan of the article's text
that needs no other state.
"""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.voices.roles import _OFFICES
from propwatch.voices.text import _NAME_RE, _OPENERS

_NAMING_REACH = 400
"""How far a naming reaches from its description word, in characters: a name and up to three words."""


def _role_word(head: str) -> str:
    """A pattern for a description word, with the titles that abbreviate its office before a name
    ("Gov. Ana Soto" is the governor, "Pres. Ana Soto" the president; the offices are
    :mod:`~propwatch.voices.roles`')."""
    office = _OFFICES.get(head.lower())
    shorts = [title + r"\.(?=\s)" for title, held in _OFFICES.items() if held == office and len(title) <= 4]
    return "(?i:" + "|".join([re.escape(head), *shorts]) + ")"


def namings(head: str, text: str) -> list[re.Match]:
    """The matches of :func:`naming` in ``text``, searched only near the description word, which
    every match holds (the whole text is many times slower to scan, since a name may open anywhere)."""
    spans: list[list[int]] = []
    for word in _role_word_re(head).finditer(text):
        low, high = max(0, word.start() - _NAMING_REACH), word.end() + _NAMING_REACH
        if spans and low <= spans[-1][1]:
            spans[-1][1] = high
        else:
            spans.append([low, high])
    pattern = naming(head)
    return [m for low, high in spans for m in pattern.finditer(text, low, min(high, len(text)))]


@lru_cache(maxsize=4096)
def _role_word_re(head: str) -> re.Pattern:
    """:func:`_role_word` compiled once per description word."""
    return re.compile(_role_word(head))


@lru_cache(maxsize=4096)
def naming(head: str) -> re.Pattern:
    """'spokesman Anna Berg' or 'Anna Berg, the spokesman': compiled once per description word."""
    head_re = _role_word(head)
    return re.compile(
        rf"\b{head_re}\s+({_NAME_RE.pattern})"
        rf"|({_NAME_RE.pattern}),\s+(?i:the|a|an)\s+(?:[\w\-]+\s+){{0,3}}{head_re}\b(?=\s*[,.;]|\s+(?:who|whom|whose)\b)"
    )


CALLED_RE = re.compile(
    r"\s+(?:called|named|known as)\s+(?:the\s+)?[“\"‘']?([A-Z][\w'’.\-]*(?:[ \t]+[A-Z][\w'’.\-]*)*)[”\"’']?"
)
"""The name a description gives itself ("a news site| called “The Local”", "a man| named Jo Lee")."""


ACRONYM_RE = re.compile(r"\b(?:[A-Z]\.){3,}|\b[A-Z]{3,}\b")
PAIR_RE = re.compile(r"[A-Z]{2}")
"""A two-letter acronym ("AP"), spelled out only where it is the whole speaker: as a modifier ("U.S.
officials", "UK ministers") the two letters are how a reader names it."""
_SPELLED_RE = re.compile(r"[A-Z][\w'’\-]*(?:(?:\s+(?:of|for|and|the|on|&))?\s+[A-Z][\w'’\-]*)+")


def spelled_acronyms(text: str) -> dict[str, str]:
    """Acronyms the article spells out: a run of capitalised words whose initials make one ("Federal
    Election Commission" for FEC, "Union Solidarity and Development Party" for USDP), the run the
    article writes most where it has two."""
    runs: dict[str, list[str]] = {}
    for match in _SPELLED_RE.finditer(text):
        run = re.sub(r"^(?:The|A|An)\s+", "", " ".join(match.group().split()))
        run = re.sub(r"['’]s\Z", "", run)  # "the Harbour Trade Council's conference": the council
        while run.split(" ", 1)[0].lower() in _OPENERS and " " in run:
            run = run.split(" ", 1)[1]  # "But Valdora HS": a sentence's opening word is no initial
        if any(re.fullmatch(r"[A-Z]{2,}", w) for w in run.split()):
            continue  # a run holding an acronym spells out none
        words = [w for w in run.split() if w[:1].isupper()]
        if len(words) >= 2:
            runs.setdefault("".join(w[0] for w in words), []).append(run)
    return {acronym: max(found, key=found.count) for acronym, found in runs.items()}


SHORT_NAMES = {
    "NY Post": "New York Post",
    "NY Times": "New York Times",
    "NY Daily News": "New York Daily News",
    "LA Times": "Los Angeles Times",
    "WaPo": "Washington Post",
    "HuffPost": "Huffington Post",
    "HuffPo": "Huffington Post",
    "Dems": "Democrats",
}
"""Outlets and parties as articles write them short, spelled out as :func:`spelled_acronyms` spells
out what the article itself spells out, so that one outlet is one row of a corpus's per-speaker
tables ("NY Post" and "New York Post")."""
