"""Roles and documents an article names: which person "the Florida senator" is, which poll "a new poll" is.

Pure functions over an article's text, used by :class:`~propwatch.voices.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.document import Extent
from propwatch.voices.people import last_name

FORMER = r"(?:former|ex-|onetime|one-time|then-)"
"""What makes a role or a title one held once ("former", "ex-", "then-"), lower-case."""

PLACED_ROLE_RE = re.compile(
    rf"(?:{FORMER}\s*)?"
    r"(?:(?P<before>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:[a-z]+ )?)?(?P<role>senator|governor|congressman|congresswoman"
    r"|mayor|lawmaker|representative)(?: (?:from|of) (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?))?"
)
"""A role with the place it serves ("Florida senator", "former Vermont governor", "senator from Vermont")."""
_OFFICES = {
    "president": "president",
    "pres": "president",
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
_LEGISLATORS = frozenset({"senator", "representative", "lawmaker"})
"""The offices "the lawmaker" may stand for."""
OFFICE_TITLES = (
    "President|Pres\\.|Sen\\.|Senator|Gov\\.|Governor|Rep\\.|Representative|Congressman|Congresswoman|Secretary|Mayor"
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


_FORMERLY_RE = re.compile(rf"(?i:{FORMER})\s*(?:[A-Z][\w.\-]*\s+){{0,2}}\Z")
"""What makes a title after it one held once ("former Norhaven Gov.")."""


@lru_cache(maxsize=1024)
def offices_of(text: str, name: str) -> frozenset[str]:
    """The offices the article's titles give a person ("Sen. Jo Lee", "President Lee"), not those it held
    ("former Gov. Jo Lee")."""
    titled = rf"\b({OFFICE_TITLES})\s+(?:[A-Z][\w.\-]*\s+){{0,2}}{re.escape(last_name(name))}\b"
    return frozenset(
        _OFFICES[m.group(1).lower().rstrip(".")]
        for m in re.finditer(titled, text)
        if not _FORMERLY_RE.search(text, max(0, m.start() - 40), m.start())
    )


def titled_otherwise(text: str, name: str, role: str) -> bool:
    """Whether the article gives ``name`` an office other than ``role`` and never ``role`` itself
    ("the Vermont senator" is not President Obama)."""
    offices = offices_of(text, name)
    wanted = _LEGISLATORS if role == "lawmaker" else {_OFFICES.get(role, role)}  # a senator is a lawmaker
    return bool(offices) and not offices & wanted


_PARTY_LETTERS = {"democratic": "D", "democrat": "D", "democrats": "D", "republican": "R", "gop": "R"}
"""Words that give a person's or a description's party, as the party's letter."""
_PARTY_WORD = rf"(?i:{'|'.join(_PARTY_LETTERS)})"
_PARTY_ROLES = (
    r"(?:presidential|vice|candidate|nominee|front-?runner|hopeful|rival|challenger|leader|lawmaker|congressman"
    r"|congresswoman|senator|governor|mayor|strategist|operative|pollster|donor|contender|chairman|chairwoman"
    r"|activist|consultant|former|incumbent|state|national|house|senate)"
)
"""Words between a party and the name it is given ("Democratic presidential candidate Ana Soto"); any
other word ("Republican seeks new Soto inquiry") leaves the name without that party."""


def described_party(words: str) -> str | None:
    """The party a description gives ("the Democratic nominee", "the Utah Republican"), as its letter."""
    found = {_PARTY_LETTERS[w.lower()] for w in re.findall(r"[A-Za-z]+", words) if w.lower() in _PARTY_LETTERS}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1024)
def parties(text: str, name: str) -> frozenset[str]:
    """The parties the article gives a person ("Republican nominee Ana Soto", "Ana Soto (D-Va.)",
    "Soto, a Democrat"), as letters: what a description with a party may stand for."""
    surname = re.escape(last_name(name))
    before = rf"\b({_PARTY_WORD})\s+(?:{_PARTY_ROLES}\s+){{0,3}}(?:[A-Z][\w.\-]*\s+){{0,3}}{surname}\b"
    letter = rf"\b{surname}\b,?\s*\(?([RD])-[A-Z]"
    after = rf"\b{surname},\s+(?:a|an|the)\s+(?:[\w\-]+\s+){{0,3}}?({_PARTY_WORD})\b"
    found = {_PARTY_LETTERS[m.lower()] for m in re.findall(before, text) + re.findall(after, text)}
    return frozenset(found | set(re.findall(letter, text)))


def party_otherwise(text: str, name: str, words: str) -> bool:
    """Whether the article gives ``name`` a party other than the one a description gives, and never
    that one ("the Democratic nominee" is not the "Republican nominee Tom Park")."""
    wanted = described_party(words)
    found = parties(text, name) if wanted else frozenset()
    return bool(found) and wanted not in found


_STATE_SHORT = dict(
    pair.replace("_", " ").split("=")
    for pair in (
        "Ala.=Alabama Ariz.=Arizona Ark.=Arkansas Calif.=California Colo.=Colorado Conn.=Connecticut Del.=Delaware "
        "Fla.=Florida Ga.=Georgia Ill.=Illinois Ind.=Indiana Kan.=Kansas Kans.=Kansas Ky.=Kentucky La.=Louisiana "
        "Md.=Maryland Mass.=Massachusetts Mich.=Michigan Minn.=Minnesota Miss.=Mississippi Mo.=Missouri Mont.=Montana "
        "Neb.=Nebraska Nev.=Nevada N.H.=New_Hampshire N.J.=New_Jersey N.M.=New_Mexico N.Y.=New_York "
        "N.C.=North_Carolina N.D.=North_Dakota Okla.=Oklahoma Ore.=Oregon Pa.=Pennsylvania R.I.=Rhode_Island "
        "S.C.=South_Carolina S.D.=South_Dakota Tenn.=Tennessee Tex.=Texas Vt.=Vermont Va.=Virginia Wash.=Washington "
        "W.Va.=West_Virginia Wis.=Wisconsin Wyo.=Wyoming"
    ).split()
)
"""The U.S. states as news style abbreviates them after a party's letter ("R-Fla."); the others are
written whole ("R-Utah", "D-Ohio")."""


@lru_cache(maxsize=1024)
def places_of(text: str, name: str) -> frozenset[str]:
    """The places the article gives a person by party and state ("Ana Soto (R-Fla.)"), by a place before
    an office ("Florida Sen. Ana Soto") or after the name ("Ana Soto of Florida")."""
    surname = re.escape(last_name(name))
    letter = re.findall(rf"\b{surname}\b,?\s*\(?[RDI]-((?:[A-Z][a-z]*\.)+|[A-Z][a-z]+)", text)
    place = r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    before = re.findall(
        rf"\b{place}\s+(?:{OFFICE_TITLES}|senator|governor|lawmaker|mayor)\s+(?:[A-Z][\w.\-]*\s+){{0,2}}{surname}\b",
        text,
    )
    after = re.findall(rf"\b{surname}\s+(?:of|from)\s+{place}\b", text)
    before = [re.sub(r"^(?:Former|Then|The)\s+", "", found) for found in before]  # "Former Arkansas governor"
    return frozenset([_STATE_SHORT.get(short, short) for short in letter] + before + after)


def placed_otherwise(text: str, name: str, place: str) -> bool:
    """Whether the article gives ``name`` places, none of them ``place`` ("the Pennsylvania senator" is
    not "Ana Soto (R-Fla.)")."""
    found = places_of(text, name)
    return bool(found) and place not in found
