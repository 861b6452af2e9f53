"""Edges of a tagged source: where the phrase a reader would name really starts and ends.

A part of :class:`~propwatch.voices.speakers.SpeakerResolver`, kept apart as
:mod:`~propwatch.voices.pronouns` and :mod:`~propwatch.voices.descriptions` are. The tagger cuts a
source a word short or a word long ("Sen.| Ana Soto", "told| the Beacon", "an optimistic| spiel",
"belying| budget hawks’"); each mend here reads the article around the cut before the phrase is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from propwatch.document import Extent
from propwatch.voices.descriptions import _PERSON_ROLES
from propwatch.voices.parse import Subjects
from propwatch.voices.people import capitalised
from propwatch.voices.phrases import speaker_phrase
from propwatch.voices.text import _CUE_RE, TITLES, _containing

_OWNED_HEADS = frozenset(
    "campaign camp team aides aide advisers adviser advisors allies supporters staff spokesman spokeswoman "
    "spokesperson lawyer lawyers attorney attorneys office administration government family wife husband son "
    "daughter manager officials party".split()
)
"""What a named speaker has that speaks for them ("Clinton's campaign", "Moor's lawyers"); a possessive
before other words ("Trump's recent evidence-free claims") is no speaker of its own."""
_OWNED_HEADS_RE = "|".join(sorted(_OWNED_HEADS))
_WORD_REST_RE = re.compile(r"(?:-[^\W\d_]|[^\W\d_])[\w'’\-]*")
"""The rest of a word a source was cut inside: letters, or a hyphen and letters ("-law")."""
_TOLD_RE = re.compile(r"\btold\s+(?:the\s+)?\Z")
_TELLER_RE = re.compile(r"(?:^|[,;:\"”“]\s*|[.!?]\s+)((?:[\w'’.\-]+\s+){0,3}?[\w'’.\-]+)\s+\Z")
"""The phrase that opens the clause before "told" ('…," one trader told')."""
_APPOSED_TELLER_RE = re.compile(
    r"(?:^|[,;:\"”“]\s*|[.!?]\s+|['’]{2}\s*)"
    r"((?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}),\s+(?:the|a|an)\s+[^,“”\"]{1,120},\s+\Z"
)
"""A name with its apposition opening the clause before "told" ('…," Ana Soto, the harbour chief, told')."""
_ROLE_THEN_NAME_RE = re.compile(
    r"(?:[ \t]+[a-z][a-z\-]+){0,2}?"
    r"[ \t]+(?:nominee|candidate|chairman|chairwoman|senator|governor|congressman|congresswoman|leader|mayor"
    r"|president|director|spokesman|spokeswoman|spokesperson|founder|executive|consultant|scientist|strategist"
    r"|analyst|pollster|economist|professor|chief|editor|correspondent|reporter|columnist|adviser|advisor"
    r"|activist|researcher|attorney|lawyer)"
    r"[ \t]+[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)*"
)
"""A role and a name after a source cut at its adjective or organisation ("Democratic| nominee Ana Soto",
"Norhaven University| political scientist Ana Soto")."""

_TITLED_NAME_RE = re.compile(
    r"\.?(?:[ \t]+of(?:[ \t]+the)?[ \t]+[A-Z][\w'’\-]+)?[ \t]+[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)*"
)
"""The name after a title, past the title's office ("Secretary| of State Ada Moor")."""
_PARTICIPLE_RE = re.compile(r"[a-z]+ing\s+(?=\S)")
"""A lowercase participle opening a source, with a word after it."""

_NEXT_LOWER_RE = re.compile(r"[ \t]+([a-z][a-z\-]*)\b")
_NOT_NOUNS = frozenset(
    "that who which whom whose what when where why how to of on in at for with by from as and or but nor if than "
    "also still has have had is are was were be been will would could should may might can must did does do not "
    "never again then now later soon once even just only himself herself itself themselves this these those "
    "there here about after before over under into against during since until while he she it we you they i "
    "his her its our your their my me him us them one".split()
)
"""Words that open no noun after a description (verbs' helpers, prepositions, conjunctions, adverbs), nor end one."""

_ADJECTIVE_RE = re.compile(r"(?:al|ic|ive|ous|ful|less|able|ible|ar|est|ent|ant|ary)\Z")
"""Endings of an adjective ("political", "optimistic", "newest"), the only words the parse is asked about:
a noun before a lowercase word is mostly its verb's subject ("the statement| read")."""


class SourceEdges:
    """Mends of a tagged source's edges; mixed into the resolver, whose article state it reads."""

    text: str
    subjects: Subjects | None
    sentence_spans: list[Extent]
    _in_headline: Callable[[int], bool]

    def _mended(self, source: Extent) -> Extent:
        """A source with every mend of its edges: past a title, back to who told, past a governing
        participle, on to the noun an adjective qualifies."""
        return self._whole_noun(self._past_participle(self._teller(self._past_title(self._whole_words(source)))))

    def _whole_words(self, source: Extent) -> Extent:
        """A source the tagger ended inside a word, on to the word's end ("the minister's son-in|-law")."""
        rest = _WORD_REST_RE.match(self.text, source[1]) if source[1] > source[0] else None
        if rest is None or not self.text[source[1] - 1].isalpha():
            return source
        return source[0], rest.end()

    def _past_title(self, source: Extent) -> Extent:
        """A source the tagger cut short, made whole: one that ends at a title ("Mr", "Sen.", "Democratic
        nominee") reaches over the name after it; one that ends inside an initial ("Rep. G.K" of "G.K.
        Butterfield") over the rest of the name; one that starts inside a word ("U. nations" of "E.U.
        nations") at the word's start."""
        start, end = source
        while start > 0 and (self.text[start - 1].isalnum() or self.text[start - 1] in ".’'-"):
            start -= 1
        words = self.text[start:end].split()
        last = words[-1] if words else ""
        after = self.text[end : end + 80]
        if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last):
            initial = re.match(r"\.[ \t]+[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)*", after)
            return (start, end + initial.end()) if initial else (start, end)
        owner = re.match(rf"(?:[’']s)?[ \t]+(?:{_OWNED_HEADS_RE})\b", self.text[end : end + 40])
        possessive = re.search(r"[A-Z][\w.\-]*[’']s\Z", self.text[start:end]) or (
            owner and owner.group().startswith(("’s", "'s"))
        )
        if owner and possessive:  # "Trump’s| campaign" is the campaign's words
            return start, end + owner.end()
        abbreviated = last.lower().rstrip(".") + "." in TITLES
        titled = abbreviated or last.lower() in TITLES | _PERSON_ROLES
        role = _ROLE_THEN_NAME_RE.match(after)
        if (titled or (role and capitalised(last))) and not self._in_headline(start):  # headlines capitalise all
            name = _TITLED_NAME_RE.match(after) if titled else role
            if name and name.group().startswith(".") and not abbreviated:  # "a spokesman. The emails …" ends there
                name = None
            return (start, end + name.end()) if name else (start, end)
        return start, end

    def _teller(self, source: Extent) -> Extent:
        """Who told, not whom: a source right after "told" ("one trader told the Beacon") is the one
        who listened; the speaker is the noun phrase before "told", or the name an apposition
        follows ("Ana Soto, the harbour chief, told the Beacon")."""
        told = _TOLD_RE.search(self.text, max(0, source[0] - 12), source[0])
        if told is None:
            return source
        apposed = _APPOSED_TELLER_RE.search(self.text, max(0, told.start() - 160), told.start())
        if apposed:  # "Jeb Bush, the former Florida governor, told| CNN"
            return apposed.span(1)
        floor = max(0, told.start() - 60)
        teller = _TELLER_RE.search(self.text, floor, told.start())
        if teller is None or speaker_phrase(teller.group(1))[0] == "none":
            return source
        return teller.start(1), teller.end(1)

    def _past_participle(self, source: Extent) -> Extent:
        """A source without the participle the tagger took with it ("belying| budget hawks’", "uniting|
        liberals who"), where the parse shows it is a verb governing the rest, not an adjective
        ("leading| candidates"); only sources that open with a lowercase word in "-ing" are parsed."""
        opening = _PARTICIPLE_RE.match(self.text, source[0], source[1])
        if self.subjects is None or opening is None:
            return source
        if not self.subjects.verb_opens(_containing(self.sentence_spans, source[0]), source):
            return source
        return opening.end(), source[1]

    def _whole_noun(self, source: Extent) -> Extent:
        """A description the tagger cut at an adjective ("The abrupt| announcement", "an optimistic| spiel"),
        up to the noun the parse says the adjective qualifies; only where a lowercase word that is no
        verb or function word follows, so that "an official| said" is never parsed."""
        words = self.text[source[0] : source[1]].split()
        after = _NEXT_LOWER_RE.match(self.text, source[1])
        last = words[-1] if words else ""
        if self.subjects is None or len(words) > 4 or not (last.isalpha() and last.islower()) or last in _NOT_NOUNS:
            return source
        if after is None or after.group(1) in _NOT_NOUNS or after.group(1).endswith(("ed", "ly", "ing")):
            return source
        if not _ADJECTIVE_RE.search(last) or _CUE_RE.fullmatch(after.group(1)):
            return source  # "the return| shows", "a spokesman| said": a noun and its verb
        end = self.subjects.noun_end(_containing(self.sentence_spans, source[0]), source)
        return (source[0], end) if end else source
