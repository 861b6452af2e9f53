"""Statements in the shapes the tagger half sees: a sentence its source and cue interrupt ("…, officials
said, …"), an impression in nobody's name ("is expected to"), a passive cue whose subject says nothing,
a line a name or an interview's Q and A opens, and what lies inside a statement but was not said (the
narration between two of its quotes, the one told). PolNeAR marks each so; every rule was chosen on
the held-out PolNeAR fold."""

from __future__ import annotations

import re

from propwatch.document import Extent, overlaps_any
from propwatch.voices.links import Link, taken_extents
from propwatch.voices.phrases import speaker_phrase
from propwatch.voices.text import (
    _ADDRESSEE_RE,
    _DETERMINERS,
    _OPENERS,
    _TELLING_RE,
    MIN_OBJECT,
    _containing,
    _inside,
    _is_quote,
    _strip,
)


def _interrupted(text: str, item: Link, sents: list[Extent]) -> Extent | None:
    """The sentence (without its full stop) that a link's source and cue interrupt, set off by commas
    with words on both sides and no quote marks in it ("…, officials said, …"); else None."""
    if item.cue is None or item.source is None or _is_quote(text, item.content):
        return None
    start, end = min(item.source[0], item.cue[0]), max(item.source[1], item.cue[1])
    if text[max(0, start - 2) : start].strip() != "," or text[end : end + 1] != ",":
        return None
    sentence = _strip(text, _containing(sents, start), trailing=".")
    if not _inside(item.content, sentence) or start - sentence[0] < 10 or sentence[1] - end < 10:
        return None
    return None if any(mark in text[sentence[0] : sentence[1]] for mark in '"“”') else sentence


def around_asides(text: str, links: list[Link], sents: list[Extent]) -> list[Link]:
    """A statement that its source and cue interrupt ("The new timetable, the rail council said, would
    leave …") is one content over the whole sentence, as PolNeAR marks it, not the pieces either side."""
    out: list[Link] = []
    spanned: set[Extent] = set()
    for item in links:
        sentence = _interrupted(text, item, sents)
        if sentence is not None and sentence in spanned:
            continue  # the other piece of a statement already spanned
        if sentence is not None:
            item.content = sentence
            spanned.add(sentence)
        out.append(item)
    return out


_APPEARANCE_RE = re.compile(
    r"\b(?:seem(?:s|ed)?|reportedly|appear(?:s|ed)?(?![ \t]+(?:on|at|in|before|with|alongside|as|onstage)\b)"
    r"|(?:is|are|was|were)[ \t]+(?:widely[ \t]+|also[ \t]+|not[ \t]+)?expected)\b"
)
"""How a sentence reads as an impression rather than a fact: "X appears to …", "X is expected to …"."""


def as_appearance(text: str, item: Link, sents: list[Extent]) -> None:
    """A content the tagger saw after an impression's cue ("is expected| to run again") is the whole
    clause from its sentence's start, in nobody's name: the subject only seems, it says nothing."""
    if item.cue is None or _is_quote(text, item.content) or not 0 <= item.content[0] - item.cue[1] <= 2:
        return
    if not _APPEARANCE_RE.search(text, max(0, item.cue[0] - 12), item.cue[1] + 4):
        return
    sentence = _containing(sents, item.cue[0])
    if sentence[0] <= item.content[0] < sentence[1]:
        item.content = (_strip(text, sentence)[0], item.content[1])
        item.source = None


_PASSIVE_RE = re.compile(
    r"\b(?:is|are|was|were|been|being)[ \t]+(?:\w+ly[ \t]+)?(?P<verb>\w+ed|told|known|shown|seen)\b"
)
_STATES = frozenset(
    "convinced concerned thrilled startled worried pleased disappointed surprised satisfied interested inclined "
    "frustrated excited determined committed opposed divided confused alarmed scared angered outraged shocked "
    "troubled encouraged quoted prepared".split()
)
"""Participles of a state of mind ("were thrilled with"): their subject holds the view, it is no passive."""


def as_source_before_cue(text: str, item: Link) -> None:
    """A count ends where its cue begins: the tagger's "Many spoke" over the cue "spoke about" is "Many", not
    a speaker called "spoke"; and "the| announcement that" has no source. A name whose last word the cue
    took ("Richards| said") stays whole, and so does a noun's adjective ("multiple| reports")."""
    if item.cue is None or item.source is None or not item.source[0] < item.cue[0] < item.source[1]:
        return
    if not text[item.cue[0]].islower():
        return
    before = text[item.source[0] : item.cue[0]].rstrip(" \t,")
    word = before.strip().lower()
    if word in _DETERMINERS:
        item.source = None
    elif word in _COUNTS:
        item.source = (item.source[0], item.source[0] + len(before))


_COUNTS = frozenset("many some most few several others all both".split())
"""Words that speak for a group they count ("Many| spoke about"), whom a source cut at its cue keeps."""


def as_undergone(text: str, item: Link) -> None:
    """A passive cue's subject ("Mr. Roe was challenged over …") undergoes the act and says nothing:
    PolNeAR gives such an attribution no source, or its agent after "by", which the tagger finds."""
    if item.cue is None or item.source is None or item.source[1] > item.cue[0]:
        return
    passive = _PASSIVE_RE.search(text, max(0, item.cue[0] - 12), item.cue[1])
    if passive and passive.group("verb").lower() not in _STATES:
        item.source = None


_NOUN_CUES = frozenset("plan plans proposal decision promise pledge bid attempt effort vow threat move".split())
"""Cues that are nouns, whose infinitive ("the plan| to shut the bridge") is the subject of a verb after it."""
_MAIN_VERB_RE = re.compile(r"[ \t]+(?:is|are|was|were|will|would|has|have|had|remains|seems)[ \t]")


def as_noun_object(text: str, item: Link) -> None:
    """A noun cue's infinitive ends where the sentence's own verb begins: in "The minister's plan to shut
    the bridge is a land grab", the plan is to shut the bridge, and the charge is the writer's."""
    if item.cue is None or text[item.cue[0] : item.cue[1]].lower() not in _NOUN_CUES:
        return
    said = text[item.content[0] : item.content[1]]
    if not 0 <= item.content[0] - item.cue[1] <= 2 or not said.startswith("to "):
        return
    verb = _MAIN_VERB_RE.search(said)
    if verb and not re.search(r"\b(?:that|which|who|if|when|because)\b", said[: verb.start()]):
        item.content = (item.content[0], item.content[0] + verb.start())


def appearances(text: str, links: list[Link], sents: list[Extent]) -> list[Link]:
    """Sentences that give an impression in nobody's name ("The council is expected to approve the budget"):
    PolNeAR marks each as an attribution without a source over the whole clause, cue inside."""
    taken = taken_extents(links)
    found = []
    for sentence in sents:
        match = _APPEARANCE_RE.search(text, *sentence)
        if match is None:
            continue
        content = _strip(text, sentence, trailing=".")
        if overlaps_any(content, taken) or any(m in text[content[0] : content[1]] for m in '"“”'):
            continue
        found.append(Link(content, None, match.span()))
    return found


_LABELLED_RE = re.compile(
    r"^(?P<source>Q|A|[A-Z][\w.'’\-]+(?:[ \t]+[A-Z][\w.'’\-]+){0,3})[ \t]*:[ \t]+(?P<content>\S[^\n]*?)[ \t]*$",
    re.MULTILINE,
)
"""A line a label opens: an interview's "Q: …" and "A: …", a headline's "Varga: The bridge will be rebuilt"."""
_NOT_SPEAKERS = frozenset(
    "note update editor editor's photo source related watch read correction disclosure video latest breaking "
    "revealed report exclusive contributing byline name analysis opinion editorial live".split()
)


def _label_names(label: str) -> bool:
    """Whether a line's label names a speaker ("Varga", "Harbour Post", "Q"), not a kicker ("The Latest",
    "Breaking", "Update"), a byline ("BYLINE") or a headline's own verb ("Varga Hits Back")."""
    words = label.lower().split()
    if label in ("Q", "A"):
        return True
    return (
        len(words) <= 2
        and not label.isupper()
        and not any(w in _NOT_SPEAKERS or w in _OPENERS for w in words)
        and speaker_phrase(label)[0] == "name"
    )


def labelled_lines(text: str, links: list[Link]) -> list[Link]:
    """Lines that a speaker's name or an interview's Q and A open, in transcript and headline style:
    the label is the source and the rest of the line what it says (a colon is the cue)."""
    taken = taken_extents(links)
    found = []
    for match in _LABELLED_RE.finditer(text):
        source, content = match.span("source"), match.span("content")
        label = match.group("source")
        if not _label_names(label) or content[1] - content[0] < MIN_OBJECT:
            continue
        if label not in ("Q", "A") and not re.search(rf"\b{re.escape(label.split()[-1])}\b(?!:)", text):
            continue  # a name the story uses elsewhere ("Varga"), not a kicker ("Watch")
        if not overlaps_any(content, taken):
            colon = text.index(":", source[1])
            found.append(Link(content, source, (colon, colon + 1)))
    return found


_ASIDE_RES = (
    re.compile(r",[ \t]+(?P<cue>according[ \t]+to)[ \t]+(?P<source>[^,;:()\"“”\n]{2,80}?),[ \t]"),
    re.compile(
        r",[ \t]+(?P<source>(?:[\w.'’\-]+[ \t]+){0,4}?[\w.'’\-]+)[ \t]+(?P<cue>(?:also[ \t]+)?(?:say|says|said|believe"
        r"|believes|believed|think|thinks|thought|argue|argues|argued|contend|contends|contended|insist|insists"
        r"|insisted|warn|warns|warned|predict|predicts|predicted|estimated"
        r"|noted|added|explained|acknowledged|conceded|claimed|wrote|writes)),[ \t]"
    ),
)
"""A source and its cue set off by commas inside a sentence ("Ticket sales, according to the operator, have
fallen"; "Their leverage, the dock workers believe, will only grow")."""


def interrupted_sentences(text: str, links: list[Link], sents: list[Extent]) -> list[Link]:
    """Sentences that a source and its cue interrupt are that source's, whole, as PolNeAR marks them
    ("The next day, according to the harbour master, the ferry company raised its fares"), where nothing
    else took them."""
    taken = taken_extents(links)
    found = []
    for sentence in sents:
        match = next((m for m in (r.search(text, *sentence) for r in _ASIDE_RES) if m), None)
        if match is None:
            continue
        content = _strip(text, sentence, trailing=".")
        if match.end() >= content[1] or overlaps_any(content, taken):
            continue
        if set(match.group("source").lower().split()) <= _DETERMINERS:  # ", a thought," is no one's aside
            continue
        found.append(Link(content, match.span("source"), match.span("cue")))
    return found


_NEXT_CLAUSE_RE = re.compile(r"\s*[,;]\s+(?:and|but|yet)\s+(?:(?:a|an|the|any|every)\s+)?[\w\-]+(?:\s+[\w\-]+){0,3}\s+")
"""What parts a cue from a relative clause of the next clause's subject (", and a ministry| that …")."""
_RELATIVE_OPENING_RE = re.compile(r"(?:that|which|who)\b")


def within_statements(text: str, links: list[Link]) -> list[Link]:
    """Without what was not said: the narration between two quotes of one statement ('"…," Varga said,
    in reply to a question. "…"'), and the one told ("she told the crowd at the pier.")."""
    quotes = [item for item in links if item.cue is not None and _is_quote(text, item.content)]
    return [
        item
        for item in links
        if _is_quote(text, item.content)
        or not (
            _addressee(text, item)
            or _relative_in_next_clause(text, item)
            or any(q.cue == item.cue and q is not item and _inside(item.content, q.content) for q in quotes)
        )
    ]


def _relative_in_next_clause(text: str, item: Link) -> bool:
    """A content that is a relative clause of a noun in the clause after its cue ("The ministry will not
    say, and a ministry| that will not show its numbers has something to hide"): the cue says nothing,
    and the writer's clause says what follows."""
    if item.cue is None or item.cue[1] > item.content[0]:
        return False
    return (
        _NEXT_CLAUSE_RE.fullmatch(text, item.cue[1], item.content[0]) is not None
        and _RELATIVE_OPENING_RE.match(text, item.content[0]) is not None
    )


def _addressee(text: str, item: Link) -> bool:
    """A short content right after "told" is whom the words were told to ("she told the dock workers."),
    unless what they were told follows ("told| you it was about safety")."""
    if item.cue is None or not 0 <= item.content[0] - item.cue[1] <= 1 or item.content[1] - item.content[0] >= 40:
        return False
    told = _TELLING_RE.search(text, *item.cue) is not None
    return told and _ADDRESSEE_RE.match(text, *item.content) is None
