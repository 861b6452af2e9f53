"""Speakers' names: who a speaker is, for matching, and one name for a whole trail.

Two texts whose speakers' surnames differ never join one trail (:mod:`propwatch.trails.grouping`),
and a trail's ``speaker`` is its members' names reconciled (:func:`reconcile`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

_TITLES = {"Mr", "Mrs", "Ms", "Dr", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "St", "Jr"}
_QUALIFIERS = {",", "with", "of", "from", "who", "in", "at", "for", "on", "close", "familiar", "to", "that", "which"}
_PRONOUNS = {"he", "she", "they", "it", "who", "i", "we", "you", "which", "that", "one", "this", "someone"}
_NOT_NAMES = {
    "I", "We", "He", "She", "They", "It", "You", "The", "A", "An", "This", "That", "Who", "But", "And", "So", "If",
    "When", "As", "On", "In", "At", "After", "Before", "While", "Then", "Now", "Asked", "Still", "Yet", "Also",
}  # fmt: skip


def _last_sentence(speaker: str) -> str:
    """What follows a sentence end inside a speaker as given ("United States. Trump" → "Trump")."""
    parts = re.split(r"(?<=[\w)])\.\s+(?=[A-Z])", speaker)
    keep = parts[-1]
    for part in reversed(parts[:-1]):
        last = part.split()[-1] if part.split() else ""
        if len(last) > 1 and last.strip("(") not in _TITLES:
            break
        keep = f"{part}. {keep}"
    return keep


@lru_cache(maxsize=1 << 16)
def name_run(speaker: str | None) -> list[str]:
    """The speaker's name as a run of capitalised words ("Sen. Bernie Sanders" → Sen, Bernie, Sanders)."""
    if not speaker:
        return []
    run: list[str] = []
    for word in re.findall(r"[\w'’-]+\.?|\S", _last_sentence(speaker)):
        bare = re.sub(r"['’]s$", "", word.rstrip("."))
        if bare[:1].isupper() and bare not in _NOT_NAMES:
            run.append(bare)
        elif run:
            break
    return run


@lru_cache(maxsize=1 << 16)
def surname(speaker: str | None) -> str | None:
    """Who a speaker is, for matching: a name's surname, else a description's head noun.

    A name is the first run of capitalised words, and its last word is kept: "Donald J. Trump",
    "Trump" and "Republican Donald Trump" all give "trump". Otherwise the description's last word
    before its qualifiers: "one senior administration official" and "officials familiar with the
    talks" give "official". A pronoun or nothing gives None: no veto, it matches anyone.
    """
    if not speaker:
        return None
    if run := name_run(speaker):
        return run[-1].lower()
    head = []
    for word in (w.rstrip(".").lower() for w in re.findall(r"[\w'’-]+\.?|,", speaker)):
        if word in _QUALIFIERS:
            break
        head.append(word)
    if not head or head[-1] in _PRONOUNS:
        return None
    return re.sub(r"['’]?s?$|['’]$", "", head[-1]) or None


def _display(run: list[str]) -> str:
    """A name run written out, with the periods of initials and titles ("Donald J. Trump")."""
    return " ".join(f"{w}." if len(w) == 1 or w in _TITLES else w for w in run)


def reconcile(speakers: Iterable[str | None]) -> str | None:
    """One name for a trail's speakers: the most frequent surname's most frequent full name.

    ("Trump", "Donald Trump", "Donald Trump", "he") → "Donald Trump": a name of two words or more
    is preferred to a surname alone. Without any name, the most frequent speaker as written.
    """
    given = [s for s in speakers if s]
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    for speaker in given:
        if (name := surname(speaker)) is not None:
            run = name_run(speaker)
            by_name[name][_display(run) if run else speaker] += 1
    if not by_name:
        return Counter(given).most_common(1)[0][0] if given else None
    best = max(by_name.values(), key=lambda c: sum(c.values()))
    return max(best, key=lambda s: (len(s.split()) >= 2, best[s], len(s)))
