"""Speakers: the fullest name the article gives for a source phrase, in reading order."""

from __future__ import annotations

import re
from bisect import bisect_left

from propwatch.document import Extent
from propwatch.voices.descriptions import Descriptions
from propwatch.voices.edges import _OWNED_HEADS, _OWNED_HEADS_RE, SourceEdges
from propwatch.voices.joined import coordination
from propwatch.voices.linking import _title_end
from propwatch.voices.naming import ACRONYM_RE, PAIR_RE, SHORT_NAMES, spelled_acronyms
from propwatch.voices.parse import Subjects
from propwatch.voices.people import (
    _TITLED_RE,
    CALENDAR,
    FIRST_NAMES,
    NOT_PEOPLE,
    PARTY_WORDS,
    WEEKDAYS,
    agrees,
    article_genders,
    honoured_surnames,
    is_person,
    last_name,
    name_gender,
    name_like,
    people_of,
)
from propwatch.voices.phrases import (
    _THINGS,
    AUTHORED_BY,
    DOCUMENTS,
    _clean_phrase,
    speaker_phrase,
)
from propwatch.voices.pronouns import _PARTY_OF_RE, Pronouns
from propwatch.voices.roles import named_document
from propwatch.voices.runs import name_runs
from propwatch.voices.text import (
    _NAME_RE,
    _headline,
    find_quotes,
    opens_sentence,
    paragraphs,
    sentences,
    start_before,
)

_APPOSITION_RE = re.compile(
    rf"({_NAME_RE.pattern})(?:\s*\([^)]*\))?(?:,\s+[RDI]-[A-Z][\w.\-]*)?,\s+(?=[a-z\d]|{_PARTY_OF_RE.pattern})"
)
"""A name followed by an apposition ("Jo Lee, a professor at …", "Jo Lee (D-Ga.), 60, …", "Jo Lee, R-Ga., a …",
"Jo Lee, Democrat of Norhaven, …")."""
_NAME_SPAN_RE = re.compile(rf"{_NAME_RE.pattern}(?:[ \t]+(?:of|for)(?:[ \t]+the)?[ \t]+{_NAME_RE.pattern})*")
"""Names as the article writes them, with an office between ("Secretary of State John Kerry", "Bank of America")."""
_AUTHOR_OF_RE = re.compile(rf"\b({DOCUMENTS})\s+{AUTHORED_BY}\s+(?:the\s+)?\Z", re.IGNORECASE)
"""A source that is the author of the document before it, which is what speaks."""
_DESCRIBED_NAME_RE = re.compile(r"(?i:an?|the)\s+[a-z][\w\-]*\s+(?:of|for|at|with|in)\s")
"""A description that holds a name after a preposition ("an activist for the group Greenpeace"): in an
apposition, it is the person named before it."""
_OBJECT_RE = re.compile(r"\b(?:of|at|for|to|with|in|by|from)\s+(?:the\s+)?\Z")
"""A source that is the object of a preposition ("… catering to American Jews")."""
_OWNED_RE = re.compile(
    r"(?:(?i:the)\s+)?((?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3})(?:['’]s|(?<=s)['’])\s+"
    r"([a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,2})"
)
"""A description owned by a named speaker ("Clinton's campaign", "Ms. Roe's advisers", "Abrams’ campaign")."""
_DESCRIPTION_OWNED_RE = re.compile(
    r"(?i:the)\s+((?:[\w\-]+\s+){0,3}?[a-z][\w\-]*)['’]s\s+([a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,2})"
)
"""A description owned by a description ("the former vice president's spokeswoman", "the candidate's friends")."""
_DESCRIBED_OWNED_HEADS = frozenset({"friends", "board"})
"""Heads beyond :data:`_OWNED_HEADS` that a described owner has ("the paper's editorial board")."""
_CONTRACTED_RE = re.compile(r"(?i:(i|we|you|he|she|it|they))['’](?i:s|re|m|ve|d|ll)")
_PRONOUN_OWNED_RE = re.compile(rf"(?i:(his|her))\s+({_OWNED_HEADS_RE})")
_IRREGULAR_PLURALS = frozenset("people men women children folks police".split())
"""Plural heads without a plural's "s"."""
_POINTERS = frozenset({"These", "Those", "Such", "Both"})
"""Capitalised words that open a sentence pointing at someone else ("These are odd statements"): no name
the article gives, whatever a source made of them."""
_NOT_APPOSED_RE = re.compile(r"(?:with|and|but|or|while|including)\b")
"""What opens a clause or phrase after a name's comma, where no apposition of the name begins."""
_GOVERNED_NAME_RE = re.compile(r"\b(?:on|in|at|of|to|with|from|into|over|under|about|a|an)\s+\Z")
"""What governs a name that no apposition then describes ("in| Norhaven, strategists think", "a| Hail Mary,
as polls show")."""
_SUFFIX_RE = re.compile(r"\s(?:Jr|Sr)\.?$|\s(?:II|III|IV)$")
"""A generational suffix, which makes a name another person's ("Donald Trump Jr.")."""
_HONORIFIC_BEFORE_RE = re.compile(r"\b(Mr|Mrs|Ms)\.?\s+\Z", re.IGNORECASE)
"""An honorific just before a name, which says the name's gender."""
_RELATIVE_BEFORE_RE = re.compile(r"(?:\A|,\s+)(?:which|that|who|whom)\s+\Z")
"""A relative clause the source is the subject of ("…, which| an audit found", "Ana Soto, who| many had
backed"): the name before it is no apposition of that subject."""
_TIME_WORDS = frozenset("last this next early late mid since until".split())
"""Words that make the month after them a time ("Last May, a federal judge …")."""
_REPORTING_RE = re.compile(r"\b(?:said|says|say|told|tells|according|wrote|writes|added|adds|reported)\b|[\"“”]")


class SpeakerResolver(Pronouns, Descriptions, SourceEdges):
    """Resolve source phrases to the fullest name the article gives, in reading order."""

    def __init__(self, text: str, subjects: Subjects | None = None) -> None:
        self.text = text
        self.subjects = subjects
        """The parsed subjects of the article's sentences, when a parser is installed."""
        self.names: dict[str, list[str]] = {}  # last word -> the names ending in it
        self.named: dict[str, list[tuple[int, str, bool]]] = {}  # last word -> each name, where, opening a sentence
        at = 0
        for line in text.splitlines(keepends=True):
            if not _headline(line):
                for match in _NAME_SPAN_RE.finditer(line):
                    for name in name_runs(match.group()):
                        kind, core = speaker_phrase(name)
                        if kind == "name" and core and " and " not in core and core not in _POINTERS:
                            self.names.setdefault(last_name(core), []).append(core)
                            where = at + match.start() + max(0, match.group().find(core))
                            opens = opens_sentence(text, where)
                            self.named.setdefault(last_name(core), []).append((where, core, opens))
            at += len(line)
        self._opened_by: dict[str, list[str]] = {}  # first word -> the names of several words it opens
        for found in self.names.values():
            for n in found:
                if " " in n:
                    self._opened_by.setdefault(n.split()[0], []).append(n)
        self.paragraphs = paragraphs(text)
        self.described: dict[str, list[tuple[int, str]]] = {}
        self.last_person: str | None = None
        self.last_group: str | None = None  # what "they" stands for
        self.last_group_at = -1  # where the last group spoke
        self.last_described: tuple[str, int] | None = None  # the last unnamed person who spoke, and where
        self.spoken: list[str] = []  # named speakers so far, in reading order
        self.title_end = _title_end(text)
        self.honorifics = article_genders(text)
        self.people = people_of(text)
        self._quotes: list[Extent] | None = None  # found when first needed
        self.owners: dict[str, str] = {}  # "Hillary Clinton campaign" -> "Hillary Clinton"
        self._mentions: list[tuple[int, str]] | None = None  # found when first needed
        self._sentences: list[Extent] | None = None  # found when first needed
        self._extensions: dict[tuple[str, str | None], tuple] = {}  # what fullest() reads, per name
        self._headlines: dict[int, bool] = {}  # whether the line starting here is a headline
        self._the_names: dict[str, bool] = {}  # whether "the" is written before a name ("the Post")
        self._acronyms: dict[str, str] | None = None  # found when first needed
        self._lowercase: frozenset[str] | None = None  # the words the article writes in lowercase
        self._honoured: frozenset[str] | None = None  # surnames given an honorific, found when first needed

    def fullest(
        self, name: str, position: int | None = None, *, honorific: bool = False, gender: str | None = None
    ) -> str:
        """The longest name (at most four words) in the article that ends with ``name``'s last word
        and holds all its words ("Trump" → "Donald Trump").

        A surname two people share ("Bill Clinton", "Hillary Clinton") at ``position`` takes the
        one named last before it in its paragraph or the one before, not the most frequent; the
        surname alone when the context names neither (a name three paragraphs up is no guide), or
        when an honorific ("Mrs. Clinton") tells them apart by what a name cannot show. A ``gender``
        (from "Mr." or "Mrs.") rules out the names of the other one ("Mr. Obama" is not "Michelle Obama").
        """
        key = (name, gender)
        if key not in self._extensions:  # all but the context of a shared surname is the same everywhere
            self._extensions[key] = self._extend(name, gender)
        alone, found, longer, named, people, usual = self._extensions[key]
        if alone is not None:
            return alone
        if position is None or not _two_people(list(people)):
            return usual
        if not honorific and not self._honorific_surname(name) and (held := _surname_holder(name, named, people)):
            return held
        context = self._context_start(position)
        earlier = [n for at, n, _ in named if context <= at < position and n in people]
        if honorific or not earlier:
            return name
        return self._longest(name, [n for n in longer if set(earlier[-1].split()) <= set(n.split())], found)

    def _honorific_surname(self, name: str) -> bool:
        """Whether the article gives this surname an honorific ("Mr. Dalca", "Ms. Dalca"): then the
        honorific, not the order of naming, tells its holders apart."""
        if self._honoured is None:
            self._honoured = honoured_surnames(self.text)
        return name in self._honoured

    def _extend(self, name: str, gender: str | None) -> tuple:
        """What :meth:`fullest` reads of the article for a name, wherever it stands: the full name of
        a first name used alone, the names that hold it, the longer ones, where the article names
        them, the people among them, and the answer where no two people share the surname."""
        if " " not in name and all(n == name for n in self.names.get(name, [])):  # "Hillary" → "Hillary Clinton"
            first = set(self._opened_by.get(name, ()))
            # a first name the lists lack counts where its one full name is a person's ("Amadou", 13)
            if len(first) == 1 and (name.lower() in FIRST_NAMES or is_person(next(iter(first)), self.people)):
                return first.pop(), [], [], [], set(), name
        words = set(name.split()) - {name.split()[-1]}
        found = [n for n in self.names.get(last_name(name), []) if words <= set(n.split()) and len(n.split()) <= 4]
        longer = [
            n
            for n in found
            if len(n.split()) > len(name.split()) and (gender is None or name_gender(n, {}) in (None, gender))
        ]
        plain = [n for n in longer if not _SUFFIX_RE.search(n)]
        if plain and not _SUFFIX_RE.search(name):  # "Hunter" of "Duncan Hunter", not his father "Duncan Hunter Sr."
            longer = plain
        named = self.named.get(last_name(name), [])
        people = {n for _, n, opens in named if n in longer and (not opens or self._opens_as_name(n))}
        usual = self._longest(name, longer, found)
        return None, found, longer, named, people, self._body_in_full(name) if usual == name else usual

    def _opens_as_name(self, name: str) -> bool:
        """Whether a name that opens a sentence is a name from its first word, which the article never
        writes in lowercase: a known first name, or the first of three capitalised words ("Marek Lehel
        Dalca, 44," opening the story), unlike "What Trump" or "Another Slaughter"."""
        words = name.split()
        if self._lowercase is None:
            self._lowercase = frozenset(re.findall(r"\b[a-z][a-z'’\-]*\b", self.text))
        if words[0].lower() in self._lowercase:  # "Will Trump …?" as much as "What Trump"
            return False
        return words[0].lower() in FIRST_NAMES or (len(words) > 2 and all(w[:1].isupper() for w in words))

    def _body_in_full(self, name: str) -> str:
        """A body's name as the article gives it in full, with what it is for or of ("the Brennan
        Center" → "Brennan Center for Justice"), where it gives one such name; else the name."""
        if name.split()[-1].lower() not in NOT_PEOPLE:
            return name  # "Ana Soto of Human Rights Watch" is Ana Soto
        fuller = {n for names in self.names.values() for n in names if n.startswith((f"{name} for ", f"{name} of "))}
        return fuller.pop() if len(fuller) == 1 else name

    def _longest(self, name: str, longer: list[str], found: list[str]) -> str:
        """The extension the article uses most, then one that opens with a first name ("Donald Trump",
        not "Washington Post Trump"), then the longest; never two names run together."""
        longer = [n for n in longer if not self._glued(n, name) and self._shortens(name, n, found)]
        return max(
            longer, key=lambda n: (found.count(n), n.split()[0].lower() in FIRST_NAMES, len(n.split())), default=name
        )

    def _shortens(self, name: str, longer: str, found: list[str]) -> bool:
        """Whether a one-word name short for no known person is short for ``longer``: the article names
        it in full first, calls it "the Post" as short for "the Washington Post", or writes the longer
        name twice; "Twitter" is not short for an account called "Wilayat Twitter" named once later."""
        if len(name.split()) > 1 or name in self.people or longer.split()[0].lower() in FIRST_NAMES:
            return True
        named = self.named.get(last_name(name), [])
        first_long = min((at for at, n, _ in named if n == longer), default=len(self.text))
        first_short = min((at for at, n, _ in named if n == name), default=len(self.text))
        introduced = first_long < first_short  # news names in full first, then short
        called_short = not name.isupper() and self._called_the(name)
        return introduced or found.count(longer) > 1 or called_short  # "the CIA" is no short form

    def _called_the(self, name: str) -> bool:
        """Whether the article writes "the" before a name ("the Post"), looked up once per name."""
        if name not in self._the_names:
            self._the_names[name] = re.search(rf"\bthe {re.escape(name)}\b", self.text) is not None
        return self._the_names[name]

    def _glued(self, longer: str, name: str) -> bool:
        """Whether a longer name is two names run together where no punctuation parts them ("the
        Washington Post Trump said", "network RT"): what comes before ``name`` is a name the article
        uses on its own, of two words or more, or a surname ("Trump RT")."""
        words = longer.split()
        if words[-len(name.split()) :] != name.split():
            return False
        prefix = " ".join(words[: -len(name.split())])
        alone = prefix in self.names.get(prefix.split()[-1], [])
        surname = any(len(n.split()) > 1 for n in self.names.get(prefix, []))
        return alone and (len(prefix.split()) > 1 or (surname and prefix.lower() not in FIRST_NAMES))

    def _context_start(self, position: int, before: int = 1) -> int:
        """Where the paragraph ``before`` paragraphs up from the one holding ``position`` starts."""
        return start_before(self.paragraphs, position, before)

    @property
    def quote_spans(self) -> list[Extent]:
        """The article's direct quotes, found when first needed."""
        if self._quotes is None:
            self._quotes = find_quotes(self.text)
        return self._quotes

    @property
    def sentence_spans(self) -> list[Extent]:
        """The article's sentences, found when first needed."""
        if self._sentences is None:
            self._sentences = sentences(self.text)
        return self._sentences

    @property
    def mentions(self) -> list[tuple[int, str]]:
        """Every name the article gives, where, as its fullest name: resolved once per article, since
        pronouns, roles and "the company" all look back over them."""
        if self._mentions is None:
            named = sorted((at, core) for items in self.named.values() for at, core, _ in items)
            self._mentions = [(at, self._mentioned(core, at)) for at, core in named]
        return self._mentions

    def _between(self, low: int, high: int) -> list[tuple[int, str]]:
        """The mentions written from ``low`` up to ``high``, bisected out of :attr:`mentions` (pronouns and
        descriptions look back over a stretch of the article at every source)."""
        mentions = self.mentions
        return mentions[bisect_left(mentions, (low, "")) : bisect_left(mentions, (high, ""))]

    def _mentioned(self, core: str, at: int) -> str:
        """A mention's fullest name, read with the honorific before it as a source is ("Ms.| Khan" is not
        her son "Humayun Khan")."""
        title = _HONORIFIC_BEFORE_RE.search(self.text, max(0, at - 5), at)
        if title is None:
            return self.fullest(core, at)
        gender = "male" if title.group(1).lower() == "mr" else "female"
        return self.fullest(core, at, honorific=True, gender=gender)

    def _in_headline(self, position: int) -> bool:
        """Whether ``position`` lies on a headline line, where capitalised words are no names: the
        article's title line, or a line whose words are mostly capitalised."""
        if position < self.title_end:
            return True
        start = self.text.rfind("\n", 0, position) + 1
        if start not in self._headlines:  # asked of every name and description: each line read once
            end = self.text.find("\n", position)
            self._headlines[start] = _headline(self.text[start : end if end >= 0 else len(self.text)])
        return self._headlines[start]

    def resolve(self, source: Extent | None, *, continues: bool = False) -> str | None:
        """The speaker for a source span; pronouns and continuations take the last person named, "they"
        the last group, a relative pronoun the name it follows ("Jo Lee, who")."""
        speaker = self._spelled_out(self._resolve(source, continues=continues))
        if speaker and self._plural(speaker):
            self.last_group = speaker
            self.last_group_at = source[0] if source else self.last_group_at
        if speaker and speaker[:1].isupper():
            self.spoken.append(speaker)
        elif speaker and source and _one_person(speaker) and not self._plural(speaker):
            self.last_described = (speaker, source[0])
        return speaker

    def _spelled_out(self, speaker: str | None) -> str | None:
        """A speaker with each acronym of three letters or more spelled out where the article spells
        it out ("FEC filings" → "Federal Election Commission filings"); "NATO" stays where it does not."""
        if speaker in SHORT_NAMES:
            return SHORT_NAMES[speaker]
        if not speaker or not (ACRONYM_RE.search(speaker) or PAIR_RE.fullmatch(speaker)):
            return speaker
        if self._acronyms is None:
            self._acronyms = spelled_acronyms(self.text)
        if PAIR_RE.fullmatch(speaker):  # "the AP" → "Associated Press"
            return self._acronyms.get(speaker, speaker)
        return ACRONYM_RE.sub(lambda m: self._acronyms.get(m.group().replace(".", ""), m.group()), speaker)

    def _plural(self, speaker: str) -> bool:
        """Whether a speaker is several people: speakers joined by "and", a plural description
        ("officials"), a count of people ("Two Americans"), or a plural name that is nobody's
        surname ("Republicans")."""
        words = speaker.split()
        last = words[-1]
        if " and " in speaker or (last.islower() and last.endswith("s") and not last.endswith("ss")):
            return True
        if last.lower() in _IRREGULAR_PLURALS:
            return True  # "two people familiar with the matter", "the men"
        if len(words) > 1 and words[0].lower() in _COUNTS and last.endswith("s"):
            return True
        surname = last in self.people or any(len(n.split()) > 1 for n in self.names.get(last, []))
        return " " not in speaker and last.endswith("s") and not last.endswith("ss") and not surname

    def _resolve(self, source: Extent | None, *, continues: bool = False) -> str | None:
        if source is None:
            return self.last_person if continues else None
        label = self.text[source[0] : source[1] + 1]
        if label in ("Q:", "A:"):  # an interview's transcript: who asks, and who answers (its subject)
            return "interviewer" if label == "Q:" else self.interviewee()
        source = self._mended(source)
        contracted = _CONTRACTED_RE.fullmatch(self.text, *source)
        if contracted:  # "she’s", "they’re", "I’m": the pronoun without its verb
            source = (source[0], source[0] + len(contracted.group(1)))
        owned = (
            self._owned(source)
            or self._coordinated(source)
            or self._owned_by_pronoun(source)
            or self._owned_by_description(source)
        )
        if owned:
            return owned
        kind, words = speaker_phrase(self.text[source[0] : source[1]])
        if kind in ("description", "none", "group") or (
            kind == "name"
            and (
                _OBJECT_RE.search(self.text, max(0, source[0] - 12), source[0])
                or _DESCRIBED_NAME_RE.match(self.text, source[0], source[1])
                or _PARTY_OF_RE.match(self.text, source[0], source[1])
            )
            and not _TITLED_RE.search(self.text, source[0], source[1])  # "of the House Rep. Paul Ryan": a person
        ):
            apposed = self._opening_name(source) or self._apposed(source)
            if apposed:
                return apposed
        if kind == "pronoun" and self.text[source[0] : source[1]].lower() in ("they", "them"):
            return self._they(source)
        if kind == "pronoun" and self.text[source[0] : source[1]].lower() == "it":
            return self._it(source)
        if kind == "pronoun":
            return self._writer(source) or self._pronoun(source)
        if kind == "group":
            return words
        if kind == "relative":
            return self._antecedent(source)
        if kind == "none" or words is None:
            return None
        if kind == "description" and words[:1].isupper() and any(len(n.split()) > 1 for n in self.names.get(words, [])):
            kind = "name"  # "King says": the surname of the article's "Billie Jean King", not a king
        if kind == "description":
            described = self._described(source, words)
            if described:
                self.last_person = described
            return described or words
        if _no_name(words, self.text, source[0]) and self.fullest(words) == words:  # "Jo Boreing" named first
            return None
        if self._in_headline(source[0]):
            words = self._headline_name(words)
            if words is None:
                return None
        said = self.text[source[0] : source[1]].lower()
        title = re.search(r"\b(mr|mrs|ms)\.?\s", said)
        gender = None if title is None else "male" if title.group(1) == "mr" else "female"
        speaker = (
            words  # "Democrats" is all of a party's members, not the "Nevada Democrats" the article names elsewhere
            if " " not in words and words[:-1].lower() in PARTY_WORDS and words.endswith("s")
            else self.fullest(words, source[0], honorific=title is not None, gender=gender)
        )
        document = _AUTHOR_OF_RE.search(self.text, max(0, source[0] - 60), source[0])
        if document:  # "a report released by| the Brookings Institution": the report speaks
            return f"{speaker} {document.group(1).lower()}"
        self.last_person = speaker
        return speaker

    def _described(self, source: Extent, words: str) -> str | None:
        """The named entity a description stands for ("the spokesman", "the Florida senator"), None where
        the article makes none clear."""
        at = source[0]
        return (
            self._predicated(source)
            or self._called(source)
            or self._placed(words, at)
            or named_document(self.text, self.paragraphs, words, at)
            or self._description(words, at)
            or self._named_next(source)
            or self._anaphor(source, words)
            or self._role_holder(source, words)
        )

    def _owned_by_pronoun(self, source: Extent) -> str | None:
        """ "His team", "her aides": the last person named, when the pronoun fits them, with what speaks for
        them ("Ana Soto team"), as a description owned by a name is written."""
        match = _PRONOUN_OWNED_RE.fullmatch(self.text, *source)
        owner = self.last_person
        if match is None or owner is None or not is_person(owner, self.people):
            return None
        if not agrees(match.group(1), owner, self.honorifics):
            return None
        return f"{owner} {match.group(2)}"

    def _owned(self, source: Extent) -> str | None:
        """A description owned by a named speaker, written with the owner's fullest name first ("Clinton's
        campaign" → "Hillary Clinton campaign"); the owner becomes the one "she" stands for."""
        phrase, _ = _clean_phrase(self.text[source[0] : source[1]])
        match = _OWNED_RE.fullmatch(phrase) or _owned_after_role(phrase)
        if not match or match.group(2).split()[-1] not in _OWNED_HEADS:
            return None
        kind, owner = speaker_phrase(match.group(1))
        if kind != "name" or owner is None:
            return None
        owner = self.fullest(owner, source[0])
        self.last_person = owner
        self.owners[f"{owner} {match.group(2)}"] = owner
        return f"{owner} {match.group(2)}"

    def _owned_by_description(self, source: Extent) -> str | None:
        """A description owned by a description the article names ("the former vice president's spokeswoman"
        → "Al Gore spokeswoman", "the paper's editorial board" → "Harbour Times editorial board"): the
        owner resolved as a source is, written first as a named owner is."""
        match = _DESCRIPTION_OWNED_RE.fullmatch(self.text, *source)
        if not match or match.group(2).split()[-1] not in _OWNED_HEADS | _DESCRIBED_OWNED_HEADS:
            return None
        whole = speaker_phrase(self.text[source[0] : source[1]])[1]
        if whole and self._description(whole, source[0]):
            return None  # "the congressman's spokesman" whom the article names ("spokesman Jo Lee"): Jo Lee
        owned = (match.start(), match.end(1))
        kind, words = speaker_phrase(self.text[owned[0] : owned[1]])
        owner = self._described(owned, words) if kind == "description" and words else None
        return f"{owner} {match.group(2)}" if owner and owner[:1].isupper() else None

    def _coordinated(self, source: Extent) -> str | None:
        """Speakers joined by "and", all written out ("Ben Carson, Ted Cruz and Rand Paul"; "Craig Bryan,
        head of …, and other scientists" → "Craig Bryan and other scientists")."""
        phrase = self.text[source[0] : source[1]]
        parts = coordination(phrase) or self._people_joined(phrase, source[0])
        if parts is None:
            return None
        names = [self.fullest(words, source[0]) if kind == "name" else words for kind, words in parts]
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def _people_joined(self, phrase: str, position: int) -> list[tuple[str, str]] | None:
        """People the article names, joined by "and" under their surnames ("Both Soto and Park"), the
        last one perhaps with their own aides ("Soto and his lawyers" → "Ana Soto and lawyers") or others of
        their kind ("Soto, Park and other bundlers")."""
        bare = re.sub(r"^(?i:both|either|neither)\s+", "", phrase.strip(" ,;:"))
        left, found, right = bare.rpartition(" and ")
        items = [item.strip() for item in left.split(",") if item.strip()]
        if not found or not items:
            return None
        parts = [speaker_phrase(item) for item in items]
        if not all(k == "name" and w and is_person(self.fullest(w, position), self.people) for k, w in parts):
            return None
        owned = _PRONOUN_OWNED_RE.fullmatch(right.strip()) or re.fullmatch(r"(?i:his|her|their)\s+([a-z]+s)", right)
        kind, words = ("description", owned.group(owned.lastindex)) if owned else speaker_phrase(right)
        person = kind == "name" and words and is_person(self.fullest(words, position), self.people)
        others = re.fullmatch(r"(other\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})", right.strip(" ,;:"))
        if others and not person and not owned:  # "Ms. Soto, Mr. Park and other harbour bundlers"
            kind, words = "description", others.group(1)
        return [*parts, (kind, words)] if person or owned or others else None

    def _apposed(self, source: Extent) -> str | None:
        """The person a source describes in an apposition the tagger cut from the name ("J.J. Goldberg,
        editor at large of The Forward, …" tagged at "The Forward"; "Yin Myint May, 60, a doctor,"
        tagged at "60, a doctor"): the name before it in its sentence, the apposition between
        them reporting nothing."""
        if re.search(r"\bby\s+\Z", self.text[max(0, source[0] - 4) : source[0]]):
            return None  # "Cain, the radio host, was asked by| a caller": the one who acts, no apposition
        floor = max(0, source[0] - 160)
        ahead = self.text[floor : source[0] + 1]  # the apposition may open at the source
        start = source[0] + 1 - len(re.split(r"[.!?][\"”’']*\s+(?=[A-Z\"“])|\n", ahead)[-1])  # a sentence may too
        found = [m for m in _APPOSITION_RE.finditer(self.text, start, source[1]) if m.end() <= source[0]]
        for match in reversed(found):
            between = self.text[match.end() : source[0]]
            if (
                between.count(",") > 2
                or _REPORTING_RE.search(between)
                or _NOT_APPOSED_RE.match(between)
                or (_RELATIVE_BEFORE_RE.search(between) and self._names_someone(source))
            ):
                continue  # "… South China Sea, with| top officials …": a clause goes on, no apposition
            if _GOVERNED_NAME_RE.search(self.text, max(0, match.start() - 8), match.start()):
                continue  # "… met the Democrats on| Capitol Hill, officials said": a preposition's object
            kind, name = speaker_phrase(match.group(1))
            if kind == "name" and name and name_like(self.fullest(name, source[0])) and not _dated(match):
                return self.fullest(name, source[0])
        return None

    def _names_someone(self, source: Extent) -> bool:
        """Whether a source phrase is one that can speak, not a verb the tagger took ("who| is")."""
        return speaker_phrase(self.text[source[0] : source[1]])[0] != "none"

    def _opening_name(self, source: Extent) -> str | None:
        """The name that opens a source with its apposition ("Jo Lee, a former director of the Harbour
        Party"): the person, not a name inside the apposition."""
        match = _APPOSITION_RE.match(self.text, source[0], source[1])
        kind, name = speaker_phrase(match.group(1)) if match else ("none", None)
        return self.fullest(name, source[0]) if kind == "name" and name else None


def _owned_after_role(phrase: str) -> re.Match | None:
    """A description owned by a name after a role of a few words ("Presidential candidate Marco
    Rubio’s campaign"): the owner without the role; never a name with an apposition ("Jo Lee, who
    worked on Ann Roe's campaign")."""
    for word in re.finditer(r"(?<=\s)[A-Z]", phrase):
        match = _OWNED_RE.fullmatch(phrase, word.start())
        if match:
            role = phrase[: word.start()]
            return match if len(role.split()) <= 4 and "," not in role and not role.istitle() else None
    return None


def _dated(match: re.Match) -> bool:
    """Whether the name before an apposition ends in a weekday, or is a month a time word opens: a
    place and a time ("in Hudson, New Hampshire Monday, the supporter said"; "Last May, a federal
    judge"), not the one the apposition describes (a month may be a name: "Yin Myint May, 60, a doctor")."""
    words = match.group(1).lower().split()
    return words[-1] in WEEKDAYS or (words[0] in _TIME_WORDS and words[-1] in CALENDAR)


def _no_name(name: str, text: str, start: int) -> bool:
    """Whether a capitalised source names no one: a date ("Wednesday", "Last| week") or a participle
    opening its sentence ("Appearing before reporters, …")."""
    words = name.split()
    if all(w.lower() in CALENDAR for w in words) or (len(words) == 1 and _TIME_AFTER_RE.match(text, start)):
        return True
    return len(words) == 1 and words[0].endswith("ing") and opens_sentence(text, start)


def _surname_holder(name: str, named: list[tuple[int, str, bool]], people: set[str]) -> str | None:
    """Who a shared surname alone stands for where the article settled it before naming the second
    one: news names a person in full, then by surname, and calls a relative introduced later by a
    full name ("Marek Dalca … Dalca admitted … his wife, Ilinca Dalca, wrote … Dalca said" is Marek
    Dalca throughout). None where the surname alone first comes after both."""
    first = sorted((min(at for at, n, _ in named if n == person), person) for person in people)
    alone = [at for at, n, _ in named if n == name]
    if len(first) < 2 or not alone or not first[0][0] < alone[0] < first[1][0]:
        return None
    return first[0][1]


def _two_people(names: list[str]) -> bool:
    """Whether names sharing a surname belong to two people: one holds a word the other lacks, and
    the other one it lacks ("Bill Clinton", "Hillary Clinton"; not "Donald Trump", "Donald J. Trump")."""
    sets = {frozenset(n.split()) for n in names}
    return any(not (a <= b or b <= a) for a in sets for b in sets)


_TIME_AFTER_RE = re.compile(
    r"(?:Last|Next|This|Early|Late|Earlier|Later)\s+(?i:week|month|year|night|weekend|spring|summer|fall|autumn|winter)\b"
)
_COUNTS = frozenset("two three four five six seven eight nine ten dozens hundreds thousands both several many".split())
"""Words that open a count of people ("Two Americans", "Several Democrats")."""


_NO_ONE_HEADS = (
    frozenset(DOCUMENTS.split("|"))
    | NOT_PEOPLE
    | frozenset(
        "source sources author interviewer interviewee website site page account affidavit complaint filing lawsuit "
        "suit indictment warrant document record email ad advertisement video footage transcript book article "
        "editorial column story".split()
    )
)
"""Heads of descriptions that speak for no one person a later "he" or "she" could mean."""


def _one_person(speaker: str) -> bool:
    """Whether a resolved speaker is a description of one unnamed person ("agency spokeswoman"), not a
    name, the writer, a thing said or a body."""
    head = speaker.split()[-1].lower()
    return speaker[:1].islower() and head.isalpha() and head not in _NO_ONE_HEADS and head not in _THINGS
