"""Descriptions: whom "the spokesman", "the Florida senator", "the company" or a headline's "Ex-Aide"
stands for, from how the article names people and bodies elsewhere.

A part of :class:`~propwatch.voices.speakers.SpeakerResolver`, kept apart as :mod:`~propwatch.voices.pronouns`
is: its own question (which named entity a description means), read from the resolver's article state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from itertools import islice

from propwatch.document import Extent
from propwatch.voices.naming import CALLED_RE, namings
from propwatch.voices.people import CALENDAR, NOT_PEOPLE, is_person, name_like
from propwatch.voices.phrases import speaker_phrase
from propwatch.voices.roles import (
    _OFFICES,
    FORMER,
    OFFICE_TITLES,
    PLACED_ROLE_RE,
    offices_of,
    party_otherwise,
    placed_otherwise,
    places_of,
    titled_otherwise,
)
from propwatch.voices.runs import PLACES, name_runs
from propwatch.voices.text import TITLES, _containing, start_before

_HEADLINE_ROLES = frozenset("doctor member official aide expert lawmaker veteran general".split())
"""Role words a headline names its protagonist by ("Ex-Aide Says …", "Retired General Reveals …")."""

_HEADLINE_TRADES = frozenset("pollster strategist adviser advisor spokesman spokeswoman aide lawyer donor".split())
"""Trades a headline gives a name's holder of ("Former Clinton Pollster Says …"): the one the body names so."""

_HEADLINE_QUALIFIERS = frozenset("retired former ex top senior veteran longtime new".split())
"""Words before a headline role that leave it the story's protagonist ("Retired General Reveals …");
any other ("World Health Chief") names whose role it is."""

_BODIES = frozenset(
    "company firm network newspaper paper magazine agency bank organization organisation website outlet station "
    "corporation airline automaker insurer retailer".split()
)
"""What a definite description of the story's organisation ends in ("the social media company")."""

_PERSON_ROLES = frozenset(
    "senator governor congressman congresswoman nominee candidate businessman businesswoman tycoon mogul "
    "billionaire magnate lady president secretary mayor frontrunner front-runner hopeful contender lawmaker "
    "chairman chairwoman ceo founder star host justice".split()
)
"""Singular roles that a definite description gives one person of the story ("the former first lady")."""

_NAMED_TRADES = frozenset(
    "republican democrat socialist surgeon neurosurgeon doctor hacker employee scientist lawyer attorney journalist "
    "activist author economist analyst pastor commentator columnist blogger strategist pollster historian producer "
    "entrepreneur physician researcher reporter writer veteran actor actress investor legend winner comedian singer "
    "rapper coach player athlete quarterback".split()
)
"""Heads beyond the roles that a definite description gives the person just named ("the
Norhaven Republican", "the Harbour Wire employee")."""

_NAMED_BODIES = frozenset("publication group foundation".split())
"""Heads beyond :data:`_BODIES` that take up the organisation just named ("the conservative publication")."""

_KINDS = frozenset(
    "bank university college school court party committee council commission department ministry church hospital "
    "museum library union senate house congress government administration campaign agency office police army".split()
)
"""Organisations of a kind their name gives, which only a description of that kind takes up ("the bank")."""

_QUALIFIER_RE = re.compile(r"(?<![.!?]\s)(?<!\n)\b([A-Z][\w.&'’\-]*)[ \t]+\Z")
"""A capitalised word inside a sentence just before a title ("World Bank| President")."""
_NO_QUALIFIERS = frozenset("former then ex the".split())
"""Capitalised words before a title that leave its office the bare one ("Former President Jo Lee")."""

_ANAPHOR_REACH = 2
"""Sentences before its own over which a definite description takes up a name."""

_COLLECTIVES = frozenset("police staff people government army military administration".split())
"""Description heads for many people, which a naming of one person ("Police Officer Amber Guyger") never resolves."""

_FORMER_RE = re.compile(rf"(?i)\b{FORMER}")
"""What makes a role a past one ("former", "ex-", "then-")."""

_PREDICATE_RE = re.compile(
    r"(?:^|[.!?;][\"”’']*\s+|\n|,\s+)((?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’\-]*)\s+(?:is|was)\s+\Z"
)
"""A name and the copula that makes the description after it the name's ("Ana Soto is| the chief who")."""

_NAMED_NEXT_RE = re.compile(r"\s*((?:[A-Z][\w'’.\-]*[ \t]+){0,3}[A-Z][\w'’\-]*),[ \t]")
"""A name with an apposition opening a sentence ("Harbour Watch, founded by …")."""

_PARTIES = frozenset("democratic republican gop".split())
"""Capitalised words that leave a description common ("the Democratic frontrunner"), unlike a place
("the Vermont senator", which :meth:`Descriptions._placed` reads) or a name ("the People's Daily newspaper")."""


def _common(words: str) -> bool:
    """Whether a description opens as no name does: in lowercase, or with a party."""
    first = words.split()[0]
    return first[:1].islower() or first.lower() in _PARTIES


class Descriptions:
    """What descriptions stand for; mixed into the resolver, whose article state it reads."""

    text: str
    names: dict[str, list[str]]
    described: dict[str, list[tuple[int, str, bool]]]
    people: frozenset[str]
    spoken: list[str]
    last_person: str | None
    title_end: int
    quote_spans: list[Extent]
    sentence_spans: list[Extent]
    mentions: list[tuple[int, str]]
    _between: Callable[[int, int], list[tuple[int, str]]]
    fullest: Callable[..., str]
    _in_headline: Callable[[int], bool]
    _context_start: Callable[..., int]
    _plural: Callable[[str], bool]
    _body: Callable[[str], bool]
    _subject_before: Callable[..., str | None]
    named: dict[str, list[tuple[int, str, bool]]]

    def _description(self, phrase: str, position: int) -> str | None:
        """'the spokesman' → the name an earlier 'spokesman Anna Berg' or 'Anna Berg, the spokesman' gave
        (else the first one the article gives)."""
        head = phrase.split()[-1].lower()
        if head in _COLLECTIVES or (head.endswith("s") and not head.endswith("ss")):
            return None  # "Dallas police" is no "Police Officer Amber Guyger"
        former = bool(_FORMER_RE.search(phrase))  # "former candidate Jo Lee" is not "the candidate"
        named = [
            (at, name)
            for at, name, was in self._named_as(head)
            if (was == former or head not in _PERSON_ROLES) and not party_otherwise(self.text, name, phrase)
        ]  # "the Democratic nominee" is not "Republican nominee Tom Park"
        if len(phrase.split()) == 1:  # "the president": the one the article calls that alone, where it does
            named = [(at, name) for at, name in named if not self._qualified(at, head)] or named
        earlier = [name for start, name in named if start < position]
        found = earlier[-1] if earlier else named[0][1] if named else None
        if found is None or found.lower() in CALENDAR:  # "Sunday's debate" names no one
            return None
        return self.fullest(found)

    def _qualified(self, at: int, head: str) -> bool:
        """Whether a title written before a name is of a body or a place the name before it gives ("World
        Bank President Jo Lee", "Vice President Jo Lee"), which a bare "the president" does not mean."""
        if self.text[at : at + 3].lower() != head[:3]:
            return False  # "Jo Lee, the president": no title before the name
        before = _QUALIFIER_RE.search(self.text, max(0, at - 40), at)
        return before is not None and before.group(1).lower() not in _NO_QUALIFIERS

    def _named_as(self, head: str) -> list[tuple[int, str, bool]]:
        """Where the article names someone by this description, the name, and whether the role is a
        past one ("former candidate Jo Lee" is not "the candidate"), once per head word."""
        if head not in self.described:
            matches = [m for m in namings(head, self.text) if not self._in_headline(m.start())]
            found = ((m, name_runs(m.group(1) or m.group(2) or "")) for m in matches)
            self.described[head] = [
                (m.start(), names[-1], self._formerly(m))
                for m, names in found
                if names and speaker_phrase(names[-1])[0] == "name"
            ]  # "However, a federal judge," names no judge
        return self.described[head]

    def _formerly(self, naming: re.Match) -> bool:
        """Whether a naming gives a past role: "former" or "ex-" just before "candidate Jo Lee", or
        between the name and its role ("Jo Lee, the former candidate")."""
        if naming.group(1) is not None:  # "candidate Jo Lee": up to three words before the role
            return bool(_FORMER_RE.search(self.text, max(0, naming.start() - 40), naming.start()))
        return bool(_FORMER_RE.search(naming.group()[len(naming.group(2)) :]))

    def _predicated(self, source: Extent) -> str | None:
        """The name a description is said of ("Ana Soto is| the harbour chief who …"): that name."""
        said = _PREDICATE_RE.search(self.text, max(0, source[0] - 60), source[0])
        kind, name = speaker_phrase(said.group(1)) if said else ("none", None)
        return self.fullest(name, source[0]) if kind == "name" and name else None

    def _named_next(self, source: Extent) -> str | None:
        """The name a story's opening sentence leaves for the next one ("A major climate group is
        demanding … . Harbour Watch, founded by …, will run …"): an indefinite description of one in the
        body's first two sentences stands for the name of two words or more that opens the sentence
        after it with an apposition."""
        said = self.text[source[0] : source[1]].strip(' ,;:"“”').lower()
        if not re.match(r"(?:a|an|one)\s", said) or said.split()[-1].endswith("s"):
            return None  # "a mosque imam", not "police" nor "federal authorities"
        in_body = (s for s in self.sentence_spans if s[0] >= self.title_end and not self._in_headline(s[0]))
        body = list(islice(in_body, 3))  # the first two sentences and the one after them, however long the story
        here = next((i for i, (a, b) in enumerate(body[:2]) if a <= source[0] < b), None)
        if here is None or here + 1 >= len(body):
            return None
        opening = _NAMED_NEXT_RE.match(self.text, body[here + 1][0])
        kind, name = speaker_phrase(opening.group(1)) if opening else ("none", None)
        if kind != "name" or not name or len(name.split()) < 2 or name.isupper():
            return None  # "Yep," and a dateline's "DES MOINES," name no one
        return self.fullest(name, opening.start())

    def _called(self, source: Extent) -> str | None:
        """The name a description gives right after it, which the tagger left out ("A German news
        site| called “The Local”"): the name."""
        called = CALLED_RE.match(self.text, source[1])
        kind, name = speaker_phrase(called.group(1)) if called else ("none", None)
        return self.fullest(name, source[0]) if kind == "name" and name else None

    def _headline_name(self, words: str) -> str | None:
        """A headline's speaker as the body names it: the longest opening of its capitalised run that the
        article names ("Elizabeth Warren Hammers" → "Elizabeth Warren"); a role ("Retired General",
        "Lawmaker") is the person the article names most, unless a name qualifies it; a run ending in the
        surname of the one person the body names so, that person ("Liberal Oscar-Winner Sarandon"); else
        the run as it is."""
        parts = words.split()
        if len(parts) > 1 and parts[-1].lower() in _HEADLINE_TRADES and not words.isupper():
            named = self._named_as(parts[-1].lower())  # "Former Clinton Pollster": "pollster Douglas Schoen"
            return self.fullest(named[0][1]) if named else words
        for size in range(len(parts), 0, -1):
            head = " ".join(parts[:size])
            named = self.names.get(parts[size - 1], [])
            if head in named:
                return head
            if size < len(parts) and any(n.endswith(f" {head}") for n in named):  # "Lee Wades In": "Ana Lee"
                return self.fullest(head)
        if parts[-1].lower() in TITLES | _PERSON_ROLES | _HEADLINE_ROLES:
            return self._headline_role(parts) or words
        full = [n for n in self.names.get(parts[-1], []) if len(n.split()) > 1 and is_person(n, self.people)]
        if len(parts) > 1 and len(set(full)) == 1:  # "Liberal Oscar-Winner Soto Says …": the body's "Ana Soto"
            return full[0]
        return words

    def _headline_role(self, parts: list[str]) -> str | None:
        """The person a headline's role stands for: a bare role ("Retired General", "Ex-Aide") the
        story's protagonist; a role a name qualifies ("Brigade Leader", "World Health Chief") the person
        the body names beside that name ("Abu Samir al-Haddad, the leader of the Karsa Brigades"), else
        no one the article makes clear."""
        qualifier = [p for p in parts[:-1] if p.lower().strip("-") not in _HEADLINE_QUALIFIERS]
        if not qualifier:
            return self._protagonist(len(self.text))
        owner = [re.escape(re.sub(r"[’']s$", "", p)) for p in qualifier]  # "World Health", "Brigade"
        joined = r"\s+".join(owner)
        word = re.compile(rf"\b{joined}", re.IGNORECASE)
        near = []  # the person named nearest each mention of the qualifier in the body, in its sentence
        for match in word.finditer(self.text, self.title_end):
            if self._in_headline(match.start()):
                continue
            low, high = _containing(self.sentence_spans, match.start())
            people = [
                (abs(at - match.start()), name)
                for at, name in self._between(low, high)
                if is_person(name, self.people) and at - 80 <= match.start() <= at + len(name) + 80
            ]
            near += [min(people)[1]] if people else []
        return max(near, key=near.count) if near else None

    def _protagonist(self, position: int, floor: int = 0, fits: Callable[[str], bool] | None = None) -> str | None:
        """The person the article names most often from ``floor`` to ``position`` (the later one on a tie),
        among those who ``fits`` the description."""
        people = [name for _, name in self._between(floor, position)]
        people = [p for p in people if is_person(p, self.people) and len(p.split()) > 1 and (fits is None or fits(p))]
        return max(reversed(people), key=people.count) if people else None

    def _role_holder(self, source: Extent, words: str) -> str | None:
        """The person "the Vermont senator", "the New York businessman" or "the former secretary of state"
        stands for where the article never writes the role before a name: the person it names most
        often in this paragraph and the one before, else up to that point (a definite role in a news
        story is its protagonist's)."""
        said = self.text[source[0] : source[1]].lstrip(' ,;:"“').lower()
        if self._in_headline(source[0]):  # "Retired General Reveals …", not "World Health Chief: …"
            parts = words.split()
            return self._headline_role(parts) if parts[-1].lower() in _HEADLINE_ROLES | TITLES else None
        head = re.split(r"\s+of\s+", words)[0].split()[-1].lower()  # "the former secretary of state"
        if not said.startswith("the ") or head not in _PERSON_ROLES | _BODIES or not _common(words):
            return None  # "the People's Daily newspaper" names itself
        if head in _PERSON_ROLES:
            fits = partial(self._may_hold, words=words, head=head)
            return self._office_holder(source[0], head, fits) or self._near_protagonist(source[0], fits)
        named = self._subject_before(source[0], self._named_body, None)  # "Ameriquest was … the company"
        return named or self._main_body()

    def _anaphor(self, source: Extent, words: str) -> str | None:
        """The one "the 57-year-old scientist", "the Norhaven Republican" or "the company" takes up
        from the sentence or two before ("Nora Ilves held up a sign. The 57-year-old scientist
        says …"): the last person (for a person's role or trade) or organisation (for a body) named
        there outside quotes. Nearer than the story's protagonist, whom :meth:`_role_holder` falls
        back on."""
        said = self.text[source[0] : source[1]].lstrip(' ,;:"“').lower()
        if not said.startswith("the ") or self._in_headline(source[0]):
            return None
        head = re.split(r"\s+of\s+", words)[0].split()[-1].lower()  # "the former secretary of state"
        person = head in _NAMED_TRADES
        if not person and head not in _BODIES | _NAMED_BODIES:
            return None
        if person and any(w[:1].isupper() and is_person(self.fullest(w), self.people) for w in words.split()[:-1]):
            return None  # "the Lincoln actor" plays Abraham Lincoln: no one just named
        fits = (
            partial(self._may_hold, words=words, head=head) if person else partial(self._named_organisation, head=head)
        )
        floor = max(self._context_start(source[0]), start_before(self.sentence_spans, source[0], _ANAPHOR_REACH))
        found = [name for at, name in self._between(floor, source[0]) if not self._in_quote(at) and fits(name)]
        return self._subject_before(source[0], fits, found[-1] if found else None)

    def _in_quote(self, position: int) -> bool:
        """Whether ``position`` lies in a quote: one the article's quotes hold, or words its sentence
        opens a quote mark around before it (a sign's "No Dalca Bridge")."""
        if any(a <= position < b for a, b in self.quote_spans):
            return True
        before = self.text[_containing(self.sentence_spans, position)[0] : position]
        return before.count('"') % 2 == 1 or before.count("“") > before.count("”")

    def _may_hold(self, name: str, words: str, head: str) -> bool:
        """Whether a person may be the one a role describes: a person (:meth:`_named_person`) whom the
        article gives neither another party ("the Democratic nominee" is not "Republican Tom Park") nor,
        for an office, only other offices ("the former secretary of state" is not "Sen. Ana Soto")."""
        return (
            self._named_person(name)
            and not party_otherwise(self.text, name, words)
            and not (head in _OFFICES.values() and titled_otherwise(self.text, name, head))
        )

    def _named_person(self, name: str) -> bool:
        """Whether a name may be the person a role takes up: a person by the article's evidence, or a
        person's name that has spoken ("Nora Ilves", whose first name the lists lack)."""
        return is_person(name, self.people) or (name_like(name) and name in self.spoken)

    def _named_organisation(self, name: str, head: str) -> bool:
        """Whether a name may be the organisation "the company" takes up: one body whose name ends in
        an organisation's word ("Norhaven Freight Services"), or one that has spoken and reads as no
        person's name ("HarbourAir"); never a place or a day ("Belgium", "Wednesday")."""
        if not self._named_body(name) or name in PLACES:
            return False
        last = re.split(r"[-‐]", name.split()[-1].lower())[-1]  # "Valdora Review-Journal": a journal
        if last in _KINDS and last != head:
            return False  # "the airline" is not "Valdora Bank"
        if last in NOT_PEOPLE or last.removesuffix("s") in NOT_PEOPLE:
            return True
        return name in self.spoken and not name_like(name)

    def _named_body(self, name: str) -> bool:
        """Whether a name may be what "the company" stands for: one body, by a name of several words or
        one the article also writes inside a sentence ("Harbour Bank", "Twitter"; not "More" opening
        "More than two hundred fishermen")."""
        if not self._body(name):
            return False
        return len(name.split()) > 1 or any(n == name and not opens for _, n, opens in self.named.get(name, []))

    def _office_holder(self, position: int, head: str, fits: Callable[[str], bool]) -> str | None:
        """The person the article titles with the office a role names ("President Varga" for "the
        president"), named most in this paragraph and the one before, else up to ``position``; a name of
        one word too, which :meth:`_protagonist` passes over."""
        if head not in _OFFICES.values() or _FORMER_RE.search(self.text, max(0, position - 1), position + 40):
            return None  # "the former president" held the office once; a title says who holds it now
        for floor in (self._context_start(position), 0):
            people = [n for _, n in self._between(floor, position) if is_person(n, self.people)]
            held = [n for n in people if head in offices_of(self.text, n) and fits(n)]
            if held:
                return max(reversed(held), key=held.count)
        return None

    def _near_protagonist(self, position: int, fits: Callable[[str], bool] | None = None) -> str | None:
        """The person named most in this paragraph and the one before, up to ``position`` (a live
        blog's "the governor" is the one its entry is about), else the article's protagonist; among
        those who ``fits`` the description."""
        return self._protagonist(position, self._context_start(position), fits) or self._protagonist(position, 0, fits)

    def _placed(self, words: str, position: int) -> str | None:
        """The person a role with a place stands for ("the senator from Vermont", "the Florida senator"):
        the one the article names with that place ("Vermont Sen. Ruth Abbot", "Ruth Abbot of Vermont"),
        else the person the narration (not a quote) names most in this paragraph and the one before (the
        first named on a tie);
        never one the article gives another office ("the Vermont senator" is not President Obama)."""
        match = PLACED_ROLE_RE.fullmatch(words)
        place = match and (match.group("place") or match.group("before"))
        if not place:
            return None
        before = re.compile(rf"\b{re.escape(place)}\s+(?:{OFFICE_TITLES}|senator|governor|lawmaker|mayor)\s+\Z")
        after = re.compile(rf"[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*\s+(?:of|from)\s+{re.escape(place)}\b")
        people = [
            (at, name)
            for at, name in self.mentions
            if at < position and is_person(name, self.people) and not party_otherwise(self.text, name, words)
        ]
        near = [
            name
            for at, name in people
            if before.search(self.text[max(0, at - 40) : at])
            or after.match(self.text, at, at + 80)
            or place in places_of(self.text, name)  # "Sen. Ana Soto (R-Tex.)" for "the Texas senator"
        ]
        if not near:  # the people the narration names nearby, not those a quote mentions ("Vance's nomination")
            context = self._context_start(position)
            near = [name for at, name in people if at >= context and not any(a <= at < b for a, b in self.quote_spans)]
        found = max(near, key=lambda n: (near.count(n), -near.index(n))) if near else None
        if (
            found is None
            or titled_otherwise(self.text, found, match.group("role"))
            or placed_otherwise(self.text, found, place)
        ):
            return None
        self.last_person = found
        return found

    def _main_body(self) -> str | None:
        """The organisation "the company" or "the newspaper" stands for: the one that has spoken most so
        far in the article (a named speaker that is no person's name)."""
        bodies = [n for n in self.spoken if not is_person(n, self.people) and not self._plural(n) and n not in PLACES]
        return max(reversed(bodies), key=bodies.count) if bodies else None
