"""Capitalised runs of a source phrase that may be names, and the words that end or split them: where
a sentence breaks inside a source, a title before a name, a person's home state after it, a party
before it. The first reading of a phrase, under :mod:`~propwatch.voices.phrases`."""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.voices.people import FIRST_NAMES, NAME_PARTICLES, capitalised
from propwatch.voices.text import _DETERMINERS, _OPENERS, PRONOUNS, TITLES

RELATIVES = frozenset({"who", "which", "that", "whom", "whose"})
AUXILIARIES = frozenset("is are was were be been has have had do does did would should could must might shall".split())
"""Verbs that open a question ("Should Ana Ruiz …") or end a source the tagger cut too wide ("An Ohio
lawmaker is"); "will", "may" and "can" are left out, being names too ("Theresa May")."""
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
_SENTENCE_BREAK_RE = re.compile(
    r"(?<!\bMrs)(?<!\bPres)(?<!\b(?:Sen|Rep|Gov|Gen|Col|Sgt|Rev|Ave))(?<=[a-z\d’'\-]{2})[.!?][\"”’']*\s+"
    r"|[.!?][\"”’']+\s+|:\s+"
    r"|(?<=[A-Z]{2})\.\s+(?=[A-Z][a-z])"  # "World War II. Trump"
)


_BODY_HEADS = frozenset("department ministry committee commission office center centre institute foundation".split())
"""What a title before it names as a body ("Justice Department", "Treasury Office"), not as a person's office."""


_SAYING = frozenset("continued added asked said says replied answered".split())
_SENTENCE_ADVERBS = frozenset(
    "maybe perhaps indeed surely certainly hopefully clearly obviously apparently sadly luckily thankfully "
    "meanwhile instead then now also finally".split()
)
"""Adverbs a sentence opens with, capitalised there, that never open a name ("Maybe Varga will …")."""
"""Reporting verbs a line or sentence may open with before its speaker's name ("Continued Soto: “…”")."""

_SURNAME_TITLES = frozenset("king judge bishop major dean pope marshal prince".split())
"""Titles that are also surnames ("Carole King", "Tom Judge"): a surname where they end a run of names."""


@lru_cache(maxsize=16384)
def name_runs(phrase: str) -> tuple[str, ...]:
    """Capitalised runs of a phrase that may be names: split at sentence ends ("Enquirer. Donald Trump")
    and at titles ("Wells Fargo CEO John Stumpf" → "Wells Fargo", "John Stumpf"), with the office after
    a title left out ("Secretary of State John Kerry" → "John Kerry") and "of" kept inside a name
    ("Bank of America")."""
    runs: list[list[str]] = []
    for piece in _SENTENCE_BREAK_RE.split(phrase):
        runs.append([])
        words = [word.strip("\"“”‘’'(),;:") for word in piece.split()]
        office = False  # inside "of (the) State" after a title
        for i, bare in enumerate(words):
            lowered = bare.lower()
            following = words[i + 1] if i + 1 < len(words) else ""
            if lowered in ("of", "the") and (office or (lowered == "of" and i and words[i - 1].lower() in TITLES)):
                office = True
                continue
            if office and capitalised(bare) and capitalised(following):
                office = False
                continue  # the office's one word; the name follows
            office = False
            surname = lowered in TITLES and i and words[i - 1].lower().rstrip(".") in HONORIFICS  # "Mr. King"
            surname = surname or (lowered in TITLES and re.fullmatch(r"[JS]r\.?|II+|IV", following))  # "King Jr."
            surname = surname or (  # "Billie Jean King": a title that is also a surname ends a name, never opens one
                lowered in _SURNAME_TITLES
                and bool(runs[-1])
                and runs[-1][-1].lower() not in TITLES
                and not capitalised(following)
            )
            titled = lowered in TITLES or (lowered.endswith("s") and lowered[:-1] in TITLES)  # "Senators"
            inside = runs[-1] and runs[-1][-1] in ("of", "for")  # "House of Representatives", "Center for Justice"
            inside = inside or following.lower() in _BODY_HEADS  # "Justice Department"
            relative = lowered in RELATIVES and not bare.isupper()  # "Justice Who Once …", not "WHO"
            if (
                (titled and not surname and not inside)
                or lowered in _DETERMINERS
                or relative
                or not bare
                or (bare == "I" and not following[:1].isupper())  # "the only Cyrus I see": the "I" who sees
                or (lowered in ("both", "either", "neither") and not runs[-1])  # "Both Park and Soto"
                or MODIFIER_RE.search(bare)
            ):
                runs.append([])
            elif not runs[-1] and (
                lowered in _OPENERS or lowered in AUXILIARIES or lowered in _SAYING or lowered in _SENTENCE_ADVERBS
            ):
                continue  # "Gazette. And Tomas Reyes", "Should Ana Ruiz", "Continued Soto:": no part of a name
            elif capitalised(bare) or (runs[-1] and lowered in NAME_PARTICLES):
                runs[-1].append(re.sub(r"[’']s$", "", bare))
                if re.search(r"[’']s$", bare) and capitalised(following) and following.lower() not in _BODY_HEADS:
                    runs.append([])  # "NBC's Chuck Todd": the owner is a name of its own ("Counsel's Office" is one)
            elif lowered in ("of", "for", "and", "&") and runs[-1] and capitalised(following):
                runs[-1].append(bare)
            else:
                runs.append([])
    runs = [_without_home(run[1:] if _party_before_name(run) else run) for run in runs]
    names = [" ".join(run).rstrip(".") if not _keeps_stop(run) else " ".join(run) for run in runs if run]
    return tuple(name for name in names if name and name.lower() not in PRONOUNS)


MODIFIER_RE = re.compile(
    r"-(?:ready|based|backed|led|style|like|era|friendly|born|run|owned|funded|allied|aligned|leaning|"
    r"controlled|affiliated|sponsored|related|linked|inspired|themed|centric|only|free|made|bound|focused)$"
)
"""A capitalised word made an adjective ("TV-ready", "Brooklyn-based", "GOP-led"): it qualifies a noun
and names no one."""


def _without_home(run: list[str]) -> list[str]:
    """A person's name without the place after it ("Ida Fenn of New Jersey" → "Ida Fenn"); an
    organisation keeps its "of" ("Bank of America", "University of California")."""
    if len(run) < 3 or "of" not in run[1:]:
        return run
    cut = run.index("of", 1)
    person = cut > 1 and run[0].lower() in FIRST_NAMES
    home = " ".join(run[cut + 1 :]) in _US_STATES and not any(w.lower() in _BODIES for w in run[:cut])
    return run[:cut] if person or home else run


_US_STATES = frozenset(
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
    "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi "
    "Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia "
    "Washington Wisconsin Wyoming".split()
) | {
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
}
"""The places a senator or a governor is "of" ("Sen. Ida Fenn of New Jersey")."""

PLACES = _US_STATES | frozenset("U.S. US U.S.A. USA U.K. UK America Britain Washington".split())
"""Places that speak in an article ("the U.S. says"), which "the company" or "the newspaper" never stands for."""
_BODIES = frozenset(
    "university college bank board office department state city county school institute republic court district "
    "circuit party church diocese museum library hospital association council commission committee people".split()
)
"""Words that make a name before "of" an organisation's ("University of Texas", "Bank of New York")."""


_PARTIES = frozenset("republican democrat democratic gop independent libertarian conservative liberal".split())


def _party_before_name(run: list[str]) -> bool:
    """Whether a run opens with a party before a person's first name ("Republican Marco Rubio"), which
    is no part of the name ("Republican National Committee" keeps its word)."""
    return len(run) > 2 and run[0].lower() in _PARTIES and run[1].lower() in FIRST_NAMES


def _keeps_stop(run: list[str]) -> bool:
    """Whether a name's full stop is its own ("Donald J.", "John Roberts Jr.", "U.S.")."""
    last = run[-1]
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|Jr\.|Sr\.", last))
