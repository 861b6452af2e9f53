"""Speakers joined by "and": which parts of a source are speakers of their own ("Ben Carson, Ted Cruz
and Rand Paul", "eight states and the District of Columbia"), and which "and" belongs inside one
name or one apposition ("Securities and Exchange Commission", "an expert who wrote books and papers")."""

from __future__ import annotations

import re

from propwatch.voices.people import FIRST_NAMES
from propwatch.voices.phrases import _PARTY_RE, _WHEN_RE, speaker_phrase


def coordination(phrase: str) -> list[tuple[str, str]] | None:
    """The speakers a source joins with "and", as (kind, words) of :func:`speaker_phrase`, or None
    when it joins none: every part a person's name ("Ben Carson", "Sen. Ted Cruz") or a group
    ("Democrats", "civil rights groups", "other scientists"); an apposition closed by a comma before
    "and" ("head of the center,") and a party label are left out. Capitalised words joined by "and" inside a name
    ("Securities and Exchange Commission", "Department of Health and Human Services") are no
    coordination: their parts are no person's name."""
    bare = _WHEN_RE.sub("", re.sub(r"\s*\([^)]*\)", "", phrase)).strip(" ,;:")
    bare = re.sub(r"\s+(?:all|both|each)$", "", bare)
    left, found, right = bare.rpartition(" and ")
    if not found or not left.strip(" ,"):
        return None
    items = [p.strip() for p in left.split(",") if p.strip()]
    kept = [p for i, p in enumerate(items) if i == 0 or not (_apposition(p) or _PARTY_RE.fullmatch(p))]
    if len(kept) < len(items) and not left.rstrip().endswith(","):
        return None  # "Jo Lee, an expert who wrote books, papers and editorials": the "and" is the apposition's
    items = kept
    items.append(right.strip(" ,"))
    items = [item for item in items if not _PARTY_RE.fullmatch(item)]
    parts = [speaker_phrase(item) for item in items]
    if len(parts) > 2 and parts[0][0] != "name" and all(kind == "name" for kind, _ in parts[1:]):
        items, parts = items[1:], parts[1:]  # "Trump's lawyers, Rudy Giuliani and Jay Sekulow": theirs
    joined = [_joined_speaker(kind, words, item) for (kind, words), item in zip(parts, items, strict=True)]
    if len(parts) < 2 or not all(joined):
        return None
    return [(kind, words or "") for kind, words in parts]


def _apposition(item: str) -> bool:
    """Whether a comma-separated part describes the speaker before it ("head of the centre", "a
    professor") rather than joining another ("writers", "other scientists")."""
    words = item.split()
    return item[:1].islower() and (
        words[0] in ("a", "an", "the", "its", "his", "her", "their") or any(w in ("of", "at", "for") for w in words)
    )


def _joined_speaker(kind: str, words: str | None, item: str = "") -> bool:
    """Whether one part of a coordination names a speaker of its own: a person's name (first name
    known), a body the article names with "the" ("eight states and the District of Columbia"), or a
    group (a plural word, "others")."""
    if not words:
        return False
    if kind == "name" and re.match(r"the\s+[A-Z]", item):
        return True
    if kind == "name":
        first = words.split()[0].lower()
        return (len(words.split()) > 1 and first in FIRST_NAMES) or (len(words.split()) == 1 and words.endswith("s"))
    return kind in ("description", "group") and words.split()[-1].endswith("s")
