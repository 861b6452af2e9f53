"""Roles and documents an article names: which person "the Florida senator" is, which poll "a new poll" is.

Pure functions over an article's text, used by :class:`~propwatch.voices.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re

from propwatch.document import Extent
from propwatch.voices.people import last_name

PLACED_ROLE_RE = re.compile(
    r"(?:(?P<before>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:[a-z]+ )?)?(?P<role>senator|governor|congressman|congresswoman"
    r"|mayor|lawmaker|representative)(?: (?:from|of) (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?))?"
)
"""A role with the place it serves ("Florida senator", "Vermont independent senator", "senator from Vermont")."""
_OFFICES = {
    "president": "president",
    "sen": "senator",
    "senator": "senator",
    "gov": "governor",
    "governor": "governor",
    "rep": "representative",
    "representative": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "secretary": "secretary",
    "mayor": "mayor",
    "lawmaker": "lawmaker",
}
"""Titles before a name and the office each gives."""
OFFICE_TITLES = (
    "President|Sen\\.|Senator|Gov\\.|Governor|Rep\\.|Representative|Congressman|Congresswoman|Secretary|Mayor"
)
_NAMED_DOCUMENTS = frozenset("poll survey".split())
"""Documents an article names by who ran them ("the Quinnipiac University poll")."""
_LEADING_DETERMINERS_RE = re.compile(r"^(?:(?:The|A|An|This|That|New|Latest)[ \t]+)+")


def named_document(text: str, paragraphs: list[Extent], words: str, position: int) -> str | None:
    """The named poll or survey a description stands for ("a new poll" → "Harbor Herald/Channel 9
    poll"): the one the article names nearest it, in its paragraph or the ones on either side."""
    head = words.split()[-1].lower()
    if head not in _NAMED_DOCUMENTS or any(w[:1].isupper() for w in words.split()):
        return None
    starts = [start for start, _ in paragraphs]
    here = max((i for i, start in enumerate(starts) if start <= position), default=0)
    floor = starts[max(0, here - 1)]
    ceiling = paragraphs[min(len(starts) - 1, here + 1)][1]
    named = re.compile(rf"([A-Z][\w/&.\-]*[ \t]+(?:[A-Z\d][\w/&.\-]*[ \t]+)*){head}\b")
    found = [
        (abs(m.start() - position), _LEADING_DETERMINERS_RE.sub("", m.group(1)).strip())
        for m in named.finditer(text, floor, ceiling)
    ]
    found = [(distance, name) for distance, name in found if name]
    if not found:  # "the poll" long after the story named it: the last one named before
        before = [_LEADING_DETERMINERS_RE.sub("", m.group(1)).strip() for m in named.finditer(text, 0, position)]
        found = [(0, name) for name in before[-1:] if name]
    return f"{min(found)[1]} {head}" if found else None


def titled_otherwise(text: str, name: str, role: str) -> bool:
    """Whether the article gives ``name`` an office other than ``role`` and never ``role`` itself
    ("the Vermont senator" is not President Obama)."""
    titled = rf"\b({OFFICE_TITLES})\s+(?:[A-Z][\w.\-]*\s+){{0,2}}{re.escape(last_name(name))}\b"
    offices = {_OFFICES[title.lower().rstrip(".")] for title in re.findall(titled, text)}
    wanted = _OFFICES.get(role, role)
    return bool(offices) and wanted not in offices
