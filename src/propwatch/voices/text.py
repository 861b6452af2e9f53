"""Text structure the voice rules read: paragraphs, sentences, direct quotes, and the word lists and
patterns (reporting verbs, titles, pronouns) shared by the other modules."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Generic, TypeVar

from propwatch.document import Extent, overlap
from propwatch.model.decode import DecodeSettings

ROLES = ("content", "source", "cue")


DEFAULT_ROLE_DECODING = {
    "content": DecodeSettings(threshold=0.5, max_gap=2, min_chars=3),
    "source": DecodeSettings(threshold=0.5, max_gap=1, min_chars=1),
    "cue": DecodeSettings(threshold=0.5, max_gap=1, min_chars=2),
}


LINK_DISTANCE = 160


"""Furthest (characters) a cue may sit from its content, and a source from its cue."""


SPEECH_WORDS = 8


"""A quote this long (words) is speech even without closing punctuation."""


MIN_PIECE = 30


"""Shortest piece (characters) of a tagged content kept beside a quote that cuts it."""


ADJACENT_SOURCE = 40


"""A cue-less content keeps a tagged source ending this close before it (characters); else it is narration."""


MIN_OBJECT, MAX_OBJECT = 10, 300


"""Shortest and longest clause (characters) taken as the content of a cue no content took."""


ADJACENT_CUE = 2


"""Characters between a cue and a source next to it ("the harbour authority said", "said Osei,")."""


def alternation(words: list[str]) -> str:
    """Words as one regex alternation shaped as a trie ("c(?:h(?:ief|airman)|andidate)"): Python's
    ``re`` tries an alternation's branches one by one at every word it scans, a trie one letter at
    a time. For words that a non-word character must follow, it matches what the plain alternation does."""
    tree: dict = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict) -> str:
    """The pattern of one trie node: its letters' branches, optional where a word ends here."""
    branches = [re.escape(letter) + _branches(node[letter]) for letter in sorted(node) if letter]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_CUE_VERBS = (
    "said says say saying told tells added adds asked asks wrote writes stated states declared insisted "
    "argued argues warned warns claimed claims explained noted notes continued replied responded "
    "announced tweeted posted reported reports recalled acknowledged admitted conceded predicted vowed "
    "promised suggested urged charged alleged countered cautioned confirmed denied believes believed "
    "thinks thought"
).split()
_CUE_WORDS = alternation(_CUE_VERBS)


_CUE_RE = re.compile(rf"\b(?:{alternation(['according to', 'told reporters', *_CUE_VERBS])})\b", re.IGNORECASE)
_LOWER_CUE_RE = re.compile(_CUE_RE.pattern)


def reporting_verbs(text: str) -> list[re.Match]:
    """Every match of :data:`_CUE_RE` in ``text``, found in its lowercase copy where that keeps every
    offset (no character lowercases to two): a third of the time of matching without case.
    The matches' words are in lowercase; their offsets are the text's."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowercases to two characters: offsets would shift
        return list(_CUE_RE.finditer(text))
    return list(_LOWER_CUE_RE.finditer(lowered))


_DEED_RE = re.compile(
    r"\b[Cc]laim(?:s|ed|ing)?(?=\s+(?:the\s+)?(?:[\d,.]+\s+(?:million\s+|billion\s+)?|many\s+|(?:thousands|hundreds)\s+of\s+"
    r"|countless\s+)?lives\b)"
)
"""A reporting verb that tells a deed, not words ("the flu that claimed| 50 million lives")."""


_NOUNS_BEFORE = (
    r"\b(?:[Tt]he|[Tt]heir|[Ii]ts|[Oo]ur|[Hh]is|[Hh]er|[Tt]hese|[Tt]hose|[Oo]ther|[Mm]any|[Ss]ome|[Ss]everal|[Bb]oth"
    r"|[Aa]ll|red|blue|swing|member|media|news|press|false|unconfirmed|early|initial|recent)[ \t]+\Z"
)
_PARTICIPLES = "denied charged claimed reported noted declared admitted confirmed stated promised predicted alleged"
_NO_VERB_BEFORE = {
    "States": re.compile(r"[A-Z][\w'’.\-]*[ \t]+\Z"),  # "the United States", "the Gulf States": a name's word
    **dict.fromkeys(("states", "claims", "reports", "notes"), re.compile(_NOUNS_BEFORE)),  # "their claims"
    "said": re.compile(r"\b(?:That|Having been)[ \t]+\Z"),  # "That said,"
    "told": re.compile(r"\b[Aa]ll[ \t]+\Z"),  # "All told"
    "say": re.compile(r"\bLet['’]s[ \t]+\Z"),  # "Let's say"
    **dict.fromkeys(_PARTICIPLES.split(), re.compile(r"\w-\Z")),  # "the now-denied pipeline"
}
_NO_VERB_BEFORE["charged"] = re.compile(r"\w-\Z|\b\w+ly[ \t]+\Z")  # "racially charged"
_NO_VERB_AFTER = {"said": re.compile(r"[ \t]*,")}
"""What must follow the word as well ("That said,"; not "That said more about him")."""
_NO_VERB_WORD_RE = re.compile(rf"\b(?:{'|'.join(_NO_VERB_BEFORE)})\b")
"""Reporting verbs' words that report nothing where they stand (nouns, adjectives, set phrases), by
what comes before them: found at the words themselves, not tried at every character of the text."""


def deeds(text: str) -> list[Extent]:
    """Where a reporting verb's word reports no words: a deed ("claimed| 50 million lives"), a noun ("the
    United States", "their claims"), an adjective ("the now-denied pipeline") or a set phrase ("That
    said,", "All told"). No cue, and what follows no content."""
    found = [m.span() for m in _DEED_RE.finditer(text)]
    for word in _NO_VERB_WORD_RE.finditer(text):
        before = _NO_VERB_BEFORE[word.group()].search(text, max(0, word.start() - 40), word.start())
        after = _NO_VERB_AFTER.get(word.group())
        if before and (after is None or after.match(text, word.end())):
            found.append(word.span())
    return sorted(found)


_ADDRESSEE_RE = re.compile(r"(?:you|me|us|him|her|them|reporters)\s+(?=\S)", re.IGNORECASE)
"""The one told, before what they were told ("They told| you| it was about safety")."""
_TELLING_RE = re.compile(r"(?:told|tells|tell|telling)\Z", re.IGNORECASE)

_OPENING = "\"'“‘«"
_CLOSING = "\"'”’»"


def is_direct_quote(text: str, start: int, end: int) -> bool:
    """Whether a content is in quotation marks: one opens at (or just before) its start and one
    closes at (or just after) its end, a comma or stop between the words and the mark allowed."""
    opens = text[start : start + 1] in tuple(_OPENING) or text[start - 1 : start] in tuple(_OPENING)
    after = text[end - 1 : end + 2]
    closes = any(mark in after for mark in _CLOSING) or text[end - 2 : end] in ("''",)
    return opens and closes


def is_statement(text: str, content: Extent, cue: Extent | None) -> bool:
    """Whether an attribution reports someone's words: a direct quote, or words whose cue reports them
    ("said", "told", "according to"), not a stance ("dismissed the message", "backs the plan")."""
    if is_direct_quote(text, *content):
        return True
    if cue is not None and re.search(r"(?i:according)\s+\Z", text[max(0, cue[0] - 12) : cue[0]]):
        return True  # "According| to a doctor": the tagger cut the cue
    return (
        cue is not None
        and reports(text[cue[0] : cue[1]])
        and not _attributive(text, cue)
        and not _ASKED_FOR_RE.search(text[cue[0] : cue[1]])
        and not _OPENS_WITH_OBJECT_RE.match(text, content[0])
    )


_OBJECT_PREPOSITION = "(?:for|about|against|of)"
_ASKED_FOR_RE = re.compile(rf"\s{_OBJECT_PREPOSITION}\Z")
_OPENS_WITH_OBJECT_RE = re.compile(rf"{_OBJECT_PREPOSITION}\s(?!course\b)")
"""A reporting verb with the preposition of a request or a stance, in the cue or opening the content
("asked for", "called for", "warned| of collapse"): what follows is what is asked for or warned of,
not words said."""


def _attributive(text: str, cue: Extent) -> bool:
    """Whether a cue reports no words: an adjective before a noun ("ideas: alleged government
    conspiracies", "the reported deal"), or "added" to something ("added to her fleet of 14
    courses")."""
    word = text[cue[0] : cue[1]].lower()
    if word in ("added", "adds", "adding") and re.match(r"\s+to\b", text[cue[1] : cue[1] + 5]):
        return True
    if word not in ("alleged", "reported", "purported", "claimed"):
        return False
    before = re.search(r"(\S+)\s*\Z", text[max(0, cue[0] - 30) : cue[0]])
    word = before.group(1).lower() if before else ""
    return word[-1:] in ":,;(" or word in _DETERMINERS | {"of", "and", "or", "these", "those", "such"}


def stance(text: str, content: Extent, cue: Extent | None) -> str | None:
    """The cue of an attribution that is no statement, for a reader to see it with its content ("Rami
    Nasser dismissed: the message" rather than "Rami Nasser: the message"); None for a statement."""
    if cue is None or is_statement(text, content, cue):
        return None
    words = text[cue[0] : cue[1]].split()
    while len(words) > 1 and words[0].lower() in ("to", "that", "and"):  # "(everyone you talk) to agrees"
        words.pop(0)
    shown = " ".join(words).strip(" :;,")
    return shown if re.search(r"\b[a-z]{2,}", shown) else None  # a headline's "Chief:" is no verb


def reports(cue: str) -> bool:
    """Whether a cue reports words ("said", "told", "according to"), not a stance or an act ("defended",
    "backs", "wants")."""
    return _CUE_RE.search(cue) is not None


_ABBREVIATION_RE = re.compile(
    r"(?:^|(?<=[\s(“\"']))(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Prof|Rev|Pres|[A-Z])$"
)


_TIME_RE = re.compile(
    r"(?:(?:on|last|this|next|early|late)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday|tonight|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)


"""When, not who: "said Sunday" names no source, though the tagger sometimes marks it as one (:func:`_is_when`)."""


_CLAUSE_END_RE = re.compile(r"[,;:!?()\n]|\.(?=[\"”'’]*(?:\s|$))")


_TRAILING_MARKS_RE = re.compile(r"[\s\"“”’']+$")


_PARTY_LABEL_RE = re.compile(r"\s*\([A-Z]{1,2}[-–][\w. ]{1,20}\)\s*$")


_DATELINE_RE = re.compile(r"[A-Z][A-Z .'\-]+,[^-–—\n]{0,40}[-–—]+\s*")


_PP_TAIL_RE = re.compile(r"\s+(?:for|of|at|from)\s+[^,.;:“”\"\n]{1,50}?\s+")


_HEAD_BEFORE_PP_RE = re.compile(r"\b[\w'’\-]+\s+(?:near|of|for|at|from|in|outside)\s+(?:the\s+|an?\s+)?$")


_ACCORDING_LEAD_RE = re.compile(r"according to\s+", re.IGNORECASE)


_NEXT_WORD_RE = re.compile(r"\s+[\w'’\-]+")


_ACCORDING_RE = re.compile(r"according to [^,]{1,80},\s*", re.IGNORECASE)


_NAME_WORD = (
    r"(?:[A-Z][\w'’.\-]*|(?:al|el|abu|bin|ibn)-[A-Z][\w'’\-]*"
    r"|(?:de|van|von|al|bin|da|di|del|la|le)(?![\w'’\-]))"  # a particle is a whole word ("di", not "dismissed")
)


_NAME_RE = re.compile(rf"[A-Z][\w'’.\-]*(?:[ \t]+{_NAME_WORD})*")


PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her", "his", "their"})


TITLES = frozenset(
    [
        "minister",
        "prince",
        "princess",
        "sheikh",
        "president",
        "pres.",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "gov.",
        "governor",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "mr",  # British and wire styles write titles without a stop ("Mr Farage", "GOP Rep McCaul")
        "mrs",
        "ms",
        "dr",
        "rep",
        "sen",
        "gov",
        "prof.",
        "professor",
        "chancellor",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen.",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "prime",
        "leader",
        "councillor",
        "councilman",
        "councilwoman",
        "officer",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "pope",
        "rev.",
        "speaker",
        "ambassador",
        "commissioner",
        "sheriff",
        "captain",
        "capt.",
        "lt.",
        "sgt.",
        "coach",
        "moderator",
        "co-moderator",
        "anchor",
        "ceo",
        "founder",
        "attorney",
        "mp",
        "prosecutor",
        "counselor",
        "counsel",
        "detective",
        "deputy",
        "inspector",
        "superintendent",
        "sergeant",
        "lieutenant",
        "colonel",
        "col.",
        "admiral",
        "adm.",
        "rabbi",
        "pastor",
        "reverend",
        "imam",
        "bishop",
        "cardinal",
        "archbishop",
    ]
)


_TRAILING = frozenset({"on", "in", "at", "of", "for", "to", "by", "with", "from", "and", "the", "a"})


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their", "our"})


_ARTICLES = frozenset({"the", "a", "an", "every", "each", "some", "many", "several", "most", "all", "both"})


_OPENERS = frozenset(
    "about after against along among around at before behind by despite during for from in inside into like near "
    "of on over since through to toward towards under until upon via with within without and but or nor so yet "
    "because although though if once unless whereas while when where whether than as even only also neither "
    "either besides beside between beyond except amid across why how".split()
)
"""Words a speaker never opens with ("In Mujahir", "But Mrs. Clinton", "Even China", "Neither Mr. Ruiz",
"Besides Harbour Fund", a title's "Why Obama"): dropped from a source."""
_QUOTE_OPEN = '“"«„'


_QUOTE_CLOSE = '”"»“'


def paragraphs(text: str) -> list[Extent]:
    """Paragraph extents: runs of text separated by line breaks."""
    return list(_paragraphs(text))


IN_HAND = 64
"""Articles whose paragraphs, sentences and quotes stay found: a whole batch of them (``propwatch analyze``
sends 32 at a time) is linked before any of its speakers is resolved."""


@lru_cache(maxsize=IN_HAND)
def _paragraphs(text: str) -> tuple[Extent, ...]:
    """The paragraphs of the article in hand, found once: every stage of the voices asks for them."""
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text))


def sentences(text: str) -> list[Extent]:
    """Sentence extents, split after . ! ? (and closing quotes) followed by space and a capital,
    but not after a title or an initial ("Mr. Obama", "Benjamin J. Rhodes")."""
    return list(_sentences(text))


_SENTENCE_BREAK_RE = re.compile(r"[.!?][”\"’')]*\s+(?=[“\"'A-Z])")


@lru_cache(maxsize=IN_HAND)
def _sentences(text: str) -> tuple[Extent, ...]:
    """The sentences of the article in hand, found once (the linker and the resolver both read them)."""
    out = []
    for start, end in paragraphs(text):
        last = start
        for match in _SENTENCE_BREAK_RE.finditer(text[start:end]):
            if _ABBREVIATION_RE.search(text, last, start + match.start()):
                continue
            out.append((last, start + match.end()))
            last = start + match.end()
        out.append((last, end))
    return tuple((s, e) for s, e in out if text[s:e].strip())


def start_before(extents: list[Extent], position: int, before: int) -> int:
    """Where the extent of sorted ``extents`` (sentences, paragraphs) ``before`` extents up from the one
    holding ``position`` starts; the text's start where there are fewer."""
    starts = [start for start, _ in extents if start <= position]
    return starts[-1 - before] if len(starts) > before else 0


def _containing(extents: list[Extent], position: int) -> Extent:
    """The extent of sorted, disjoint ``extents`` (sentences, paragraphs) holding ``position``; an
    empty one at ``position`` where none does."""
    at = bisect_right(extents, (position, float("inf"))) - 1
    if at >= 0 and extents[at][0] <= position < extents[at][1]:
        return extents[at]
    return position, position


def _gap(a: Extent, b: Extent) -> int:
    """Characters between two extents (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


T = TypeVar("T")


class _Nearby(Generic[T]):
    """Items keyed by extent, and those within reach of a place, found by bisection rather than a
    scan of the whole article (linking asks for every content)."""

    def __init__(self, items: list[tuple[Extent, T]]) -> None:
        self.items = sorted(items, key=lambda item: item[0])
        self.starts = [extent[0] for extent, _ in self.items]
        self.longest = max((extent[1] - extent[0] for extent, _ in self.items), default=0)

    def around(self, place: Extent, reach: int = 0) -> list[tuple[Extent, T]]:
        """The items within ``reach`` characters of ``place`` (touching counts), in extent order."""
        lo = bisect_left(self.starts, place[0] - reach - self.longest)
        hi = bisect_right(self.starts, place[1] + reach)
        return [item for item in self.items[lo:hi] if _gap(item[0], place) <= reach]


def find_quotes(text: str) -> list[Extent]:
    """Direct quotes as extents of their inner text, within paragraphs.

    Marks are straight, curly, guillemets, or two apostrophes (''like this'', the archive
    convention of some wire and newspaper feeds). An opening mark without a close runs to the
    end of its paragraph (the newswire convention for a quote that continues in the next
    paragraph, and the safe reading of a stray mark).
    """
    return list(_quotes(text))


@lru_cache(maxsize=IN_HAND)
def _quotes(text: str) -> tuple[Extent, ...]:
    """The quotes of the article in hand, found once (the linker and the resolver both read them)."""
    quotes = []
    for start, end in paragraphs(text):
        i = start
        while (found := _MARK_RE.search(text, i, end)) is not None:
            i = found.start()
            mark = found.group()
            symmetric = mark in ('"', "''")
            if symmetric and i > start and text[i - 1].isalnum():
                i += 1
                continue
            closers = (mark,) if symmetric else ("»",) if mark == "«" else ("”", "»", "“", '"')  # “mixed"
            j = _next_mark(text, closers, i + len(mark), end)
            while mark == "“" and text.startswith("“", j) and text[j - 1].isspace():  # “… “singing,” …
                nested = text.find("”", j + 1, end)
                if nested < 0:
                    break
                j = _next_mark(text, closers, nested + 1, end)
            inner = (i + len(mark), j)
            if inner[1] - inner[0] >= 3 and len(text[inner[0] : inner[1]].split()) >= 2:
                quotes.append(inner)
            i = j + len(mark if symmetric else text[j : j + 1])
    return tuple(quotes)


_MARK_RE = re.compile("''|[\"“«„]")


"""Where a quote may open; :func:`find_quotes` decides whether it does."""


def _next_mark(text: str, marks: tuple[str, ...], start: int, end: int) -> int:
    """The first position in ``start .. end-1`` where one of ``marks`` begins (it may run past
    ``end``), else ``end``: a quote without its close runs to the end of its paragraph."""
    found = (text.find(mark, start, end + len(mark) - 1) for mark in marks)
    return min((position for position in found if position >= 0), default=end)


def _is_when(text: str, extent: Extent) -> bool:
    """Whether the phrase is a day or a month ("Sunday", "last Tuesday", "June"), which no one says anything."""
    return _TIME_RE.fullmatch(text, *extent) is not None


_LINE_RE = re.compile(r"[^\r\n]+")


def _lines(text: str, extent: Extent) -> list[Extent]:
    """The parts of an extent on each line, without surrounding whitespace."""
    start, end = extent
    parts = [(start + m.start(), start + m.end()) for m in _LINE_RE.finditer(text[start:end])]
    return [part for part in (_strip(text, p) for p in parts) if part[1] > part[0]]


def _nearest(candidates: list[Extent], anchor: Extent, limit: int, avoid: Extent | None = None) -> Extent | None:
    best = None
    for cand in candidates:
        if avoid and overlap(cand, avoid) == cand[1] - cand[0]:
            continue
        distance = _gap(cand, anchor)
        if distance <= limit and (best is None or distance < _gap(best, anchor)):
            best = cand
    return best


def _strip(text: str, extent: Extent, leading: str = "", trailing: str = "") -> Extent:
    """The extent without surrounding whitespace (nor any of ``leading`` before it, ``trailing`` after it)."""
    start, end = extent
    while start < end and (text[start].isspace() or text[start] in leading):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in trailing):
        end -= 1
    return start, end


def _inside(inner: Extent, outer: Extent) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _is_quote(text: str, content: Extent) -> bool:
    before = text[max(0, content[0] - 1) : content[0]]
    return bool(before) and before in _QUOTE_OPEN + "'"


_CONTINUATIONS = "".join(bytes([byte]).decode("cp1252", "ignore") for byte in range(0x80, 0xC0))
_MANGLED_RE = re.compile(f"[ÂÃÄÅâ][{re.escape(_CONTINUATIONS)}]")
"""A UTF-8 lead byte read as Windows-1252, and a continuation byte after it ("PeÃ±a" for "Peña")."""


def unmangled(name: str | None) -> str | None:
    """A speaker's name as its writer spelled it, where the article's text decoded UTF-8 as Windows-1252
    ("Enrique PeÃ±a Nieto", its "Ã" at times decomposed, → "Enrique Peña Nieto"); any other name as it
    is. The offsets stay those of the text: only the name shown is mended."""
    if not name:
        return name
    composed = unicodedata.normalize("NFC", name)
    if not _MANGLED_RE.search(composed):
        return name
    try:
        return composed.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return name


_HEADLINE_SHARE = 0.6
"""A line whose words are mostly capitalised is a headline: its capitalised runs are not names."""


def _headline(line: str) -> bool:
    """Whether a line reads as a headline (most of its words capitalised), not as a sentence that ends
    in a verb in lowercase ("Now,” Sen. Elizabeth Warren of Massachusetts tweeted.")."""
    if line.rstrip().endswith(".") and _SENTENCE_END_RE.search(line):  # the pattern's full stop ends the line
        return False
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= _HEADLINE_SHARE * len(words)


_SENTENCE_END_RE = re.compile(r"\b[a-z]{3,}ed\.\s*\Z")
"""A line's end in a verb's past form and a full stop ("… tweeted."): a sentence's, which no headline has."""


def opens_sentence(text: str, start: int) -> bool:
    """Whether what starts at ``start`` opens a sentence or a quote, where a capitalised word may be no name at all
    ("What Trump did", "Besides Clinton's age"): a name found only there is no second person."""
    return _OPENS_RE.search(text[max(0, start - 5) : start]) is not None


_OPENS_RE = re.compile(r"(?:^|[.!?:][\"”’']*\s+|\n\s*)[\"“‘']?$")
