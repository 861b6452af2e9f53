"""Pronouns and relative pronouns: whom "he", "she", "it" and "who" stand for, in reading order.

A part of :class:`~propwatch.voices.speakers.SpeakerResolver`, kept apart because it is its own
question: which earlier mention a pronoun takes. The rules look at the pronoun's own sentence, the
last speaker and the nearest person of its gender; where spaCy's parser is installed
(:mod:`~propwatch.voices.parse`), the subjects of the sentences before it come first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache, partial

from propwatch.document import Extent
from propwatch.voices.cues import _noun_phrase_before
from propwatch.voices.descriptions import _BODIES, _NAMED_BODIES
from propwatch.voices.parse import Subjects
from propwatch.voices.people import (
    FIRST_NAMES,
    NOT_PEOPLE,
    agrees,
    agrees_described,
    is_person,
    name_gender,
    name_like,
)
from propwatch.voices.phrases import _THINGS, speaker_phrase
from propwatch.voices.runs import RELATIVES
from propwatch.voices.text import _NAME_RE, _OPENERS, PRONOUNS, _containing, opens_sentence

AUTHOR = "author"
"""The speaker of an article's own first person ("I", "we" outside quotes): its writer, whose words are
the outlet's own voice."""

_TOPIC_RE = re.compile(
    r"(?:^|[.!?][\"”’']*\s+|\n)(?:But\s+|And\s+)?As\s+(?:for|to)\s+((?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’\-]*),\s*\Z"
)
"""A topic set up before a pronoun ("As for Trump,| he said")."""

_APPOSED_AFTER_RE = re.compile(r",[ \t]+(?!(?:and|or|but|nor)\b)[a-z\d]")
"""An apposition or a clause right after a name (", a senior adviser …", ", one of the candidates …", ", 54,",
", who …"), not a name joined to it (", and Ana Soto")."""

_POSSESSOR_RE = re.compile(r"\b([A-Z][\w\-]+(?:[ \t][A-Z][\w\-]+)*)['’]s\b")


_PARTY_OF_RE = re.compile(r"(?:Republican|Democrat|Independent) of [A-Z][\w.]*(?: [A-Z][\w.]*)*")
"""A party and state in apposition to a lawmaker ("Jeff Lee, Republican of Ohio, who"): the lawmaker speaks."""

_COMMON_NP_RE = re.compile(
    r"\b(?:a|an|the|his|her|its|their|this)\s+(?:(?!(?:of|with|from|in|at|on|for|a|an|the)\b)[a-z][\w\-]*\s+){0,3}"
    r"[a-z][\w\-]*\s*\Z"
)
"""A common noun phrase in lowercase, with its determiner ("a camera phone", "the harbour district")."""

_NAMED_NP_RE = re.compile(r"\b((?:the|a|an)\s+(?:[A-Z][\w'’.\-]*\s+){1,3}(?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*)\s*\Z")
"""A common noun that names qualify, with its determiner ("the Harbour Trust report")."""

_LAST_WORD_RE = re.compile(r"(?:\b[A-Z][\w\-]*\s+(?:[a-z][a-z\-]+\s+)?)?[a-z][a-z\-]+\Z")
"""The bare plural before a preposition, with the name that qualifies it ("Twitter staff members| around")."""

_HUNG_RE = re.compile(r",?\s+(?:[a-z]+ed\s+)?(?:of|with|from|in|at|on|for|near|among|across|around|throughout)\s+\Z")
"""A preposition, after a participle or not, before a common noun ("armed with| a camera phone")."""

_PLURAL_WORD_RE = re.compile(r"\b(?:[A-Za-z]+[^\Wsiu]s|those|these|people|police|staff|many|some|both|all|most)\b")
"""A word that may name several people; a sentence without one, or without two names joined
(:data:`_JOINED_NAMES_RE`), holds no group for "they" (and is not parsed)."""

_JOINED_NAMES_RE = re.compile(r"\b[A-Z][\w'’\-]*[ \t]+and[ \t]+(?:(?:Mr|Mrs|Ms|Dr)\.[ \t]+)?[A-Z]")
"""Two names joined by "and" ("Tom Baker and Carl Dunn", "Mr. Rubio and Mr. Cruz")."""

_VERB_OBJECT_RE = re.compile(r"[ \t]+(?:[a-z]+ly[ \t]+)?[a-z]+[ \t]+(?:(?:to|with|about|at|for)[ \t]+)?")
"""A pronoun's verb, up to the name after it ("he told |Park", "she later thanked |Ruiz", "he
insisted |Ruiz had …"): a name the pronoun's own verb governs is someone else."""


_EXPLETIVE_IT_RE = re.compile(r"\s+(?:seems|seemed|appears|appeared|is|was|has been|had been|would be|will be)\b")
"""What follows an "it" that stands for no one ("it seems that …", "it is believed …")."""

_READS_RE = re.compile(r"\s+(?:reads|read|states|stated|says|said|adds|added|continues|continued)\b")
"""The verbs an "it" that is a document takes ("“…,” it reads")."""

_DOCUMENT_RE = re.compile(
    r"(?:^|[.!?][\"”’']*\s+|\n)(?:The|This|That|An?)\s+(?:[a-z][\w\-]*\s+)?"
    r"(email|e-mail|letter|memo|message|note|post|tweet|statement|document|editorial|ad|advertisement|flyer)\b"
)
"""A sentence that opens with a document ("The email, released by …"), which a later "it reads" quotes."""

_QUOTE_MARK_RE = re.compile(r"[\"“”]")
"""A double quote mark: between a speaker and a pronoun, it closes the words the speaker was inside."""

_UNNAMING = frozenset({"it", "there", "he", "she", "they", "we", "you", "i"})
"""Subjects that name no one themselves: expletives ("It's implied that …", "There were …") and
pronouns, which take up someone named before ("Tom Baker leaves today. … they will hold banners. But he
leaves"; "Ana Soto helped. He helped. And he is advising"): the sentence before them is read."""


_OPENING_RE = re.compile(
    r"(?:In|As|When|After|Before|While|Since|Although|Though|Despite|With|During|Unlike|Like|Because|Once|If"
    r"|Until|At|On|For)\b"
)
"""A sentence that opens with a clause or a phrase before its main clause ("When Tom Baker took Ben Ruiz on, he …")."""

_MAIN_NAME_RE = re.compile(r"[”\"’']?\s+((?:[A-Z][\w.'’\-]*\s+){0,4}[A-Z][\w'’\-]+)")
"""The capitalised run that opens a main clause after its opening's comma ("…,| President Ana Soto took")."""


_FILLER_RE = re.compile(r",?\s+(?:however|though|too|as well|also|instead|again|meanwhile|in turn)\s*\Z")
"""An adverb between a relative pronoun and its antecedent ("Tom Ruiz as well,| who", "Those, however,| who")."""


_DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish|ans)")
"""A people's adjective ("Valdorian", "Chinese", "Turkish"), which a story's "he" never stands for."""


_TITLE_JOINS = frozenset("of the and a in".split())
"""Lowercase words a title of capitalised words may hold ("The Lord of the Rings")."""

_KIND_NAMED_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(_BODIES | _NAMED_BODIES | {'party'}))})\s+(?:the\s+)?"
    r"([A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*)"
)
"""A name after the kind of organisation it is, as the descriptions know them ("the Dutch newspaper
Harbour Blad"): an organisation, whatever "he" seems to say of it."""


_SUBJECT_FORM = {"his": "he", "him": "he", "her": "she", "hers": "she"}
"""The pronoun a possessive or an object stands for, read as its subject form is ("his" as "he")."""

_ANSWER_RE = re.compile(r"A:\s")
"""An interview's answer, as a transcript opens it ("A: Because they needed help")."""

_SIGNATURE_RE = re.compile(
    r"(?:(?:Rep|Sen|Gov|Dr)\.\s+)?((?:[A-Z][\w.'’\-]*\s+){1,3}[A-Z][\w'’\-]+)(?:,\s+[RDI]-[A-Z][\w.]*,)?\s+"
    r"(?:is|was|chairs|edits|writes|teaches)\s"
)
"""The line that signs a column with its writer and who they are ("Ana Soto is the governor of Norhaven.")."""


@lru_cache(maxsize=8)
def _signed_by(text: str, last: tuple[Extent, ...]) -> str | None:
    """The writer a column is signed with in one of its last two paragraphs (not the "I"'s own), a short
    line that opens with a person's name and says who they are; None for an unsigned article."""
    for start, end in last:
        match = _SIGNATURE_RE.match(text, start, end)
        if match and end - start < 300 and match.group(1).split()[0].lower() in FIRST_NAMES:
            return match.group(1)
    return None


@lru_cache(maxsize=8)
def _kind_named(text: str) -> frozenset[str]:
    """The names an article introduces by their kind of organisation ("the Dutch newspaper Harbour
    Blad"), found once per article."""
    return frozenset(m.group(1) for m in _KIND_NAMED_RE.finditer(text))


class Pronouns:
    """What pronouns stand for; mixed into the resolver, whose article state it reads."""

    text: str
    subjects: Subjects | None
    people: frozenset[str]
    honorifics: dict[str, str]
    paragraphs: list[Extent]
    spoken: list[str]
    last_person: str | None
    last_group: str | None
    last_group_at: int
    last_described: tuple[str, int] | None
    quote_spans: list[Extent]
    sentence_spans: list[Extent]
    mentions: list[tuple[int, str]]
    _between: Callable[[int, int], list[tuple[int, str]]]
    resolve: Callable[..., str | None]
    fullest: Callable[..., str]
    _protagonist: Callable[..., str | None]
    _in_headline: Callable[[int], bool]
    _plural: Callable[[str], bool]
    _context_start: Callable[..., int]

    def _last_body(self) -> str | None:
        """What "it" stands for when no subject before says: the last speaker that is a body (an
        organisation, a country, a report), never a person."""
        bodies = [n for n in self.spoken if self._body(n)]
        return bodies[-1] if bodies else None

    def _body(self, name: str) -> bool:
        """Whether a name is one body, what "it" can stand for: no person and no group."""
        return not self._plural(name) and not is_person(name, self.people)

    def _writer(self, source: Extent) -> str | None:
        """Who says an "I" or "we" outside every quote: in an interview's answer ("A: I think …"), the one
        interviewed; else the article's own writer, by the name the column is signed with ("Ana Soto is
        the governor of Norhaven.") or, unsigned, "author"."""
        if self.text[source[0] : source[1]].lower() not in ("i", "we"):
            return None
        if any(start <= source[0] < end for start, end in self.quote_spans):
            return None
        paragraph = _containing(self.paragraphs, source[0])
        if _ANSWER_RE.match(self.text, paragraph[0]):
            return self.interviewee()
        signature = self.paragraphs[-2:] if len(self.paragraphs) > 2 else []
        return _signed_by(self.text, tuple(p for p in signature if p != paragraph)) or AUTHOR

    def interviewee(self) -> str:
        """Who answers an interview's questions: the first person the article's lead names ("Former first
        lady Laura Bush … sat down this week"), else the one it names most."""
        first = next(
            (n for at, n in self.mentions if not self._in_headline(at) and is_person(n, self.people) and " " in n),
            None,
        )
        return first or self._protagonist(len(self.text)) or "interviewee"

    def _pronoun(self, source: Extent) -> str | None:
        """The speaker "he" or "she" stands for: the name whose thing opens its sentence, else a person
        named before it in its own sentence, else the last speaker; when that one is of the other
        gender or no person ("Republicans", "CNN"), the nearest person named before of the pronoun's
        gender."""
        pronoun = self.text[source[0] : source[1]].lower()
        earlier = self._same_before(pronoun, source[0])
        if earlier is not None:  # "she's Ana Soto's equal, and she vows …": the first "she" says whom
            return self._pronoun(earlier)
        pronoun = _SUBJECT_FORM.get(pronoun, pronoun)  # "his" is whom "he" would be
        candidate = self._possessor(source) or self.last_person
        if pronoun not in ("he", "she"):
            return candidate
        here = (
            self._named_after_opening(pronoun, source)
            or self._topic(source)
            or self._in_sentence(pronoun, source[0])
            or self._described_before(pronoun, source)
        )
        if here is not None:
            return here
        others = self._objects_after(source)
        if candidate in others:
            candidate = None
        if (
            candidate is not None
            and (is_person(candidate, self.people) or name_like(candidate))
            and agrees(pronoun, candidate, self.honorifics)
            and not self._organisation(candidate)
        ):
            otherwise = candidate
        else:
            found = self._nearest_person(pronoun, source[0], others)
            fits = candidate is not None and agrees(pronoun, candidate, self.honorifics) and self._named(candidate)
            otherwise = found or (candidate if fits and not self._organisation(candidate) else None)
        return self._subject_before(
            source[0], lambda name: name not in others and self._may_be(pronoun, name), otherwise
        )

    def _named(self, name: str) -> bool:
        """Whether a speaker is written as someone's name, what "he" or "she" may fall back on: a person,
        a name's capitalised words, or one capitalised word that is no people's adjective ("Social
        media", the subject of a sentence the tagger took for a speaker, is none, nor is "Valdorian")."""
        one = " " not in name and name[:1].isupper() and not _DEMONYM_RE.fullmatch(name)
        return is_person(name, self.people) or name_like(name) or one

    def _same_before(self, pronoun: str, position: int) -> Extent | None:
        """The first "he" or "she" (the same one) earlier in this sentence, outside quotes, which a later
        one of the sentence goes on from."""
        if pronoun not in ("he", "she"):
            return None
        start = _containing(self.sentence_spans, position)[0]
        for found in re.finditer(rf"\b{pronoun}\b", self.text[start:position], re.IGNORECASE):
            at = start + found.start()
            if self._quote_at(at) is None:
                return at, at + len(pronoun)
        return None

    def _organisation(self, name: str) -> bool:
        """Whether a speaker is an organisation by its name, which "he" or "she" never stands for, even
        where the article seems to say "he" of it ("the NHT wrote that he …"): an acronym, a name that
        ends in an organisation's word ("White House", "UK Home Office"), or one the article introduces
        by its kind ("the Dutch newspaper Harbour Blad")."""
        if name.isupper() or name.split()[-1].lower() in NOT_PEOPLE:
            return True
        return name in _kind_named(self.text)

    def _described_before(self, pronoun: str, source: Extent) -> str | None:
        """The unnamed person who spoke in the sentence right before, when the pronoun opens its own and no
        one is named between them ("An agency spokeswoman said …. She said …"): the last named speaker,
        paragraphs up, is someone else."""
        if self.last_described is None or not opens_sentence(self.text, source[0]):
            return None
        speaker, at = self.last_described
        before = self._two_before(source[0])[-1:]
        if not before or not before[0][0] <= at < before[0][1] or not agrees_described(pronoun, speaker):
            return None
        if any(start <= at < end for start, end in self.quote_spans) or _QUOTE_MARK_RE.search(self.text, at, source[0]):
            return None  # "… My therapist released records ….” She added": the therapist is inside a quote
        named = [name for start, name in self._between(at + 1, source[0]) if is_person(name, self.people)]
        return None if named else speaker

    def _objects_after(self, source: Extent) -> set[str]:
        """The people a pronoun's own clause names after it ("he told Park", "she thanked Ruiz"),
        whom the pronoun cannot stand for: a clause's subject and object are two people."""
        verb = _VERB_OBJECT_RE.match(self.text, source[1])
        if verb is None:
            return set()
        at = bisect_left(self.mentions, (verb.end(), ""))
        return {name for start, name in self.mentions[at : at + 2] if start == verb.end()}

    def _in_sentence(self, pronoun: str, position: int) -> str | None:
        """The person named last before the pronoun in its own sentence, of its gender or of unknown
        gender ("critical for Trump as he seeks"); where two or more are, the one in the subject of a
        clause before it, where the parse finds one ("Ana Soto gave Tom Baker a gift when he …": Ana
        Soto; "Tom Baker said the plan had stalled, though he …": Tom Baker)."""
        fits = partial(self._may_be, pronoun)
        found = self._named_before(position, fits)
        if found is None or self.subjects is None or len(set(self._named_in_sentence(position, fits))) < 2:
            return found  # one person named: nothing to choose, nothing to parse
        for clause in self.subjects.of(_containing(self.sentence_spans, position))[::-1]:
            subjects = [(low, high) for low, high in clause if high <= position]
            spanned = self._between(min(lo for lo, _ in subjects), max(hi for _, hi in subjects)) if subjects else []
            named = [name for at, name in spanned if any(lo <= at < hi for lo, hi in subjects) and fits(name)]
            if named:
                return named[0]
        return found

    def _it(self, source: Extent) -> str | None:
        """What "it" stands for: a body named before it in its own sentence ("a firm called Harbour
        Data, which builds what it calls …"; not "it seems that …"), else the body that is the subject
        before, else the last body that spoke."""
        named = None if _EXPLETIVE_IT_RE.match(self.text, source[1]) else self._named_before(source[0], self._body)
        return named or self._subject_before(source[0], self._body, self._last_body() or self._document(source))

    def _document(self, source: Extent) -> str | None:
        """What an "it" that reads or states stands for where no body spoke: the document a sentence
        opened with in its paragraph or the two before ("The email, released on Friday, was sent by …
        “…,” it reads")."""
        if not _READS_RE.match(self.text, source[1]):
            return None
        floor = self._context_start(source[0], 2)
        found = list(_DOCUMENT_RE.finditer(self.text, max(0, floor - 1), source[0]))
        return found[-1].group(1).lower() if found else None

    def _opening(self, position: int) -> str | None:
        """The words of ``position``'s sentence before it, where the sentence opens with a clause or a
        phrase before its main one ("In what| he called …", "When Tom Baker took Ben Ruiz on,| he …") and no
        quote mark comes between."""
        opening = self.text[_containing(self.sentence_spans, position)[0] : position]
        return opening if _OPENING_RE.match(opening) and not _QUOTE_MARK_RE.search(opening) else None

    def _named_after_opening(self, pronoun: str, source: Extent) -> str | None:
        """The person who opens the main clause after an opening that holds the pronoun ("In what he
        called a rant, President Ana Soto took …"): that person, of the pronoun's gender."""
        opening = self._opening(source[0])
        comma = self.text.find(",", source[1], source[1] + 200) if opening is not None and "," not in opening else -1
        main = _MAIN_NAME_RE.match(self.text, comma + 1) if comma >= 0 else None
        if main is None:
            return None
        named = [name for _, name in self._between(main.start(1), main.end(1))]
        return next((n for n in named if is_person(n, self.people) and agrees(pronoun, n, self.honorifics)), None)

    def _named_before(self, position: int, fits: Callable[[str], bool]) -> str | None:
        """The last name that ``fits`` before ``position`` in its own sentence, outside quotes; none
        right after a quote or a comma ("…, he added": the names before are the content's), unless the
        comma ends the sentence's opening, whose first name is then the one ("When Tom Baker took Ben Ruiz on,
        he …": Tom Baker)."""
        opening = self._opening(position)
        after_opening = opening is not None and opening.count(",") == 1
        if re.search(r"[,\"”'’]\s*\Z", self.text[max(0, position - 4) : position]) and not after_opening:
            return None
        found = self._named_in_sentence(position, fits)
        if after_opening and found:
            return found[0]
        return found[-1] if found else None

    def _named_in_sentence(self, position: int, fits: Callable[[str], bool]) -> list[str]:
        """The names that ``fits`` before ``position`` in its own sentence (300 characters at most),
        outside quotes, in reading order."""
        floor = max(_containing(self.sentence_spans, position)[0], position - 300)
        quoted = [(start, end) for start, end in self.quote_spans if start < position and end > floor]
        return [
            name
            for at, name in self._between(floor, position)
            if not any(start <= at < end for start, end in quoted) and fits(name)
        ]

    def _subject_before(self, position: int, fits: Callable[[str], bool], otherwise: str | None) -> str | None:
        """The last name that ``fits`` in the nearest main-clause subject outside quotes, in the two
        sentences before ``position``'s (parsed: "Rubio was asked about it. He said" is
        Rubio, even when Christie spoke last); ``otherwise`` without a parser, when that subject names
        none that fits, and, unparsed, when no other name that fits is near."""
        before = self._two_before(position)
        if self.subjects is None or self._near(before, position, fits) <= {otherwise}:
            return otherwise
        for i, sentence in enumerate(before[::-1]):
            clauses = self.subjects.of(sentence)
            for clause in clauses:
                heads = [
                    (lo, hi)
                    for lo, hi in clause
                    if not any(a <= lo < b for a, b in self.quote_spans) and self.text[lo:hi].lower() not in _UNNAMING
                ]
                named = [
                    (at, name)
                    for at, name in self.mentions
                    if any(lo <= at < hi and not self._owner(at, hi) for lo, hi in heads) and fits(name)
                ]
                if named:
                    return self._asked(sentence, named, fits) or self._head_name(named)
                if heads:
                    return otherwise
            alone = self._near([sentence], sentence[1], fits) if i == 0 and not any(clauses) else set()
            if len(alone) == 1:  # "Just look at Speaker Jo Lee. He said …": a sentence with no subject names him
                return alone.pop()
        return otherwise

    def _asked(self, sentence: Extent, named: list[tuple[int, str]], fits: Callable[[str], bool]) -> str | None:
        """The one a subject asked ("Tom Park asked Ben Ruiz whether …. “Sure,” he said"): who answers."""
        asked = self.subjects.asked(sentence) if self.subjects else None
        if asked is None:
            return None
        found = [name for _, name in self._between(*asked) if fits(name)]
        return found[-1] if found and found[-1] not in {name for _, name in named} else None

    def _head_name(self, named: list[tuple[int, str]]) -> str:
        """The name a subject is about: the first where an apposition follows it ("Jo Lee, a senior
        adviser to Mr. Park,"), else the last ("VALDORA, May 20 (Newswire) - rail operator Ferrovia")."""
        at, name = named[0]
        return name if _APPOSED_AFTER_RE.match(self.text, self._name_end(at)) else named[-1][1]

    def _name_end(self, at: int) -> int:
        """Where the name written at ``at`` ends."""
        match = _NAME_RE.match(self.text, at)
        return match.end() if match else at

    def _owner(self, at: int, end: int) -> bool:
        """Whether the name at ``at`` owns the subject that ends at ``end`` rather than heads it ("Mr.
        Trump's jabs were …": the jabs, whose owner no later "he" stands for)."""
        owned = _POSSESSOR_RE.match(self.text, at)
        return owned is not None and owned.end() < end

    def _they(self, source: Extent) -> str | None:
        """What "they" stands for: the last group that spoke, unless the parse finds another group as
        the nearest main-clause subject before it, in its own sentence ("Many pilots say …, though
        they use it") or, where no group spoke just now, in the sentence before ("The dock workers were
        skeptical. They booed"). A subject that is one person or words said ("The remarks …") leaves
        the last group. Only those sentences are parsed, and only where the parser is installed."""
        here = _containing(self.sentence_spans, source[0])
        if self.subjects is None or self.last_group_at >= here[0]:  # a group spoke in this very sentence
            return self.last_group
        before = self._two_before(source[0])[-1:]
        places = [(here[0], source[0])] if source[0] - here[0] > 2 else []
        places = places or ([] if before and self.last_group_at >= before[0][0] else before)
        for sentence in places:
            several = _PLURAL_WORD_RE.search(self.text, *sentence) or _JOINED_NAMES_RE.search(self.text, *sentence)
            subject = self._last_subject(sentence) if several else None
            if subject is not None:
                kind, words = speaker_phrase(self.text[subject[0] : subject[1]])
                joined = _JOINED_NAMES_RE.search(self.text, *subject)  # "Tom Baker and Carl Dunn"
                many = words is not None and (kind == "group" or self._plural(words) or joined is not None)
                return self.resolve(subject) if many and words.split()[-1].lower() not in _THINGS else self.last_group
        return self.last_group

    def _last_subject(self, sentence: Extent) -> Extent | None:
        """The last main-clause subject of a sentence outside quotes that names someone (not "it" or "who")."""
        for clause in self.subjects.of(sentence) if self.subjects else []:
            for low, high in clause[::-1]:
                if any(a <= low < b for a, b in self.quote_spans):
                    continue
                if speaker_phrase(self.text[low:high])[0] not in ("pronoun", "relative", "none"):
                    return low, high
        return None

    def _two_before(self, position: int) -> list[Extent]:
        """The two sentences before the one at ``position``."""
        index = next(i for i, s in enumerate(self.sentence_spans) if s[0] <= position < s[1] or s[0] > position)
        return self.sentence_spans[max(0, index - 2) : index]

    def _near(self, before: list[Extent], position: int, fits: Callable[[str], bool]) -> set[str]:
        """The names that fit in the sentences ``before`` (those before ``position``'s)."""
        floor, start = (before[0][0], before[-1][1]) if before else (position, position)
        return {name for _, name in self._between(floor, min(start, position)) if fits(name)}

    def _may_be(self, pronoun: str, name: str) -> bool:
        """Whether "he" or "she" can stand for a name: a person of the pronoun's gender or of none known,
        by the name as written and as the article gives it in full ("Park" of "Tom Park" is no "she")."""
        return (
            is_person(name, self.people)
            and agrees(pronoun, name, self.honorifics)
            and agrees(pronoun, self.fullest(name), self.honorifics)
        )

    def _nearest_person(self, pronoun: str, position: int, others: set[str] = frozenset()) -> str | None:
        """The person named last before ``position``, in its paragraph or the two before, who is of the
        pronoun's gender, else of unknown gender."""
        wanted = "male" if pronoun == "he" else "female"
        floor = self._context_start(position, 2)
        people = [name for at, name in self._between(floor, position) if not self._in_title(at)]
        people = [p for p in people if is_person(p, self.people) and p not in others]
        genders = [name_gender(p, self.honorifics) for p in people]
        for gender in (wanted, None):
            found = [p for p, g in zip(people, genders, strict=True) if g == gender]
            if found:
                return found[-1]
        return None

    def _in_title(self, at: int) -> bool:
        """Whether a name stands in a quoted title ("“The Harbour Show.”"): a short quote of capitalised
        words, which names a work, not a person a pronoun may stand for."""
        quote = self._quote_at(at)
        if quote is None:
            return False
        words = self.text[quote[0] : quote[1]].strip(" \"“”‘’'.,!?").split()
        return 0 < len(words) <= 6 and all(w[:1].isupper() or w.lower() in _TITLE_JOINS for w in words)

    def _quote_at(self, position: int) -> Extent | None:
        """The article's quote that holds ``position``, if one does."""
        return next(((a, b) for a, b in self.quote_spans if a <= position < b), None)

    def _possessor(self, pronoun: Extent) -> str | None:
        """The name whose thing opens the pronoun's sentence ("In Haddad's recording, he claims"), which
        the pronoun stands for rather than the last speaker."""
        if self.text[pronoun[0] : pronoun[1]].lower() not in ("he", "she"):
            return None
        before = self.text[max(0, pronoun[0] - 80) : pronoun[0]]
        clause = re.split(r"[.!?][\"”’']*\s+|\n", before)[-1]
        owners = [speaker_phrase(owner) for owner in _POSSESSOR_RE.findall(clause)]
        names = [name for kind, name in owners if kind == "name" and name]
        return self.fullest(names[-1]) if names else None

    def _topic(self, pronoun: Extent) -> str | None:
        """The name a sentence sets up as its topic right before the pronoun ("As for Trump, he said"),
        whom the pronoun stands for, whoever spoke last."""
        topic = _TOPIC_RE.search(self.text, max(0, pronoun[0] - 60), pronoun[0])
        kind, name = speaker_phrase(topic.group(1)) if topic else ("none", None)
        return self.fullest(name, pronoun[0]) if kind == "name" and name else None

    def _hung_on(self, end: int) -> Extent | None:
        """The noun phrase that the common noun phrase ending at ``end`` hangs on by a preposition, which
        "who" stands for ("a woman armed with a camera phone, who", "the mayor of the town, who"); None
        where that phrase is no common noun's ("a friend of Jo Lee, who" is Jo Lee)."""
        common = _COMMON_NP_RE.search(self.text, max(0, end - 60), end)
        hung = common and _HUNG_RE.search(self.text, max(0, common.start() - 30), common.start())
        if not hung:
            return None
        word = _LAST_WORD_RE.search(self.text, max(0, hung.start() - 40), hung.start())  # "residents| of"
        found = _noun_phrase_before(self.text, hung.start(), max(0, hung.start() - 100))
        return found or (word.span() if word and word.group().split()[-1] not in _OPENERS | PRONOUNS else None)

    def _antecedent(self, relative: Extent) -> str | None:
        """The speaker a relative pronoun stands for: the phrase right before it ("Jo Lee, who"), or the
        noun that ends it ("retired generals and admirals, who" → "admirals")."""
        comma = self.text.rfind(",", max(0, relative[0] - 3), relative[0])
        end = comma if comma >= 0 else relative[0]
        filler = _FILLER_RE.search(self.text, max(0, end - 20), end)
        end = filler.start() if filler else end  # "Tom Ruiz as well, who", "Those, however, who"
        antecedent = _noun_phrase_before(self.text, end, max(0, end - 100))
        if antecedent and _PARTY_OF_RE.fullmatch(self.text, *antecedent):  # "Jo Lee, Republican of Ohio, who"
            before = self.text.rfind(",", max(0, antecedent[0] - 3), antecedent[0])
            antecedent = _noun_phrase_before(self.text, before, max(0, before - 100)) if before >= 0 else antecedent
        if comma >= 0 and self.text[relative[0] : relative[1]].lower() == "who":  # not "a firefighter who"
            antecedent = self._hung_on(end) or antecedent
        if antecedent is None:  # "the Harbour Trust report, which": a name qualifying a common noun
            named = _NAMED_NP_RE.search(self.text, max(0, end - 80), end)
            antecedent = named.span(1) if named else None
        if antecedent is None:
            head = re.search(r"\b([a-z][a-z\-]+)\s*$", self.text[max(0, end - 40) : end])  # "… admirals, who"
            word = head.group(1) if head else ""
            return word if word and word not in _OPENERS | PRONOUNS | RELATIVES else self.last_person
        if speaker_phrase(self.text[antecedent[0] : antecedent[1]])[0] == "relative":
            return self.last_person
        return self.resolve(antecedent)
