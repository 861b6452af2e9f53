"""Voices: who says what in an article, through whom, and whose voice each technique span is.

The model's role tagger (trained on PolNeAR) marks content, source and cue spans; this module
links them into attributions, and rules carry what the data cannot: direct quotes the tagger
missed (curly or straight, spanning paragraphs, unbalanced), quote paragraphs that continue an
earlier speaker, the fullest name for "she" or "the spokesman", and relay chains
("…, the minister said, the Post reported"). A technique span inside attributed content takes
that attribution's speaker; anything else is the author's own voice (``speaker`` None).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

import numpy as np

from propwatch.document import Attribution, Extent, TechniqueSpan, overlap
from propwatch.model.decode import DecodeSettings, decode_spans
from propwatch.model.encoding import char_span_to_tokens

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

_CUE_WORDS = (
    "said|says|say|saying|told|tells|added|adds|asked|asks|wrote|writes|stated|states|declared|insisted|"
    "argued|argues|warned|warns|claimed|claims|explained|noted|notes|continued|replied|responded|"
    "announced|tweeted|posted|reported|reports|recalled|acknowledged|admitted|conceded|predicted|vowed|"
    "promised|suggested|urged|charged|alleged|countered|cautioned|confirmed|denied|believes|believed|"
    "thinks|thought"
)
_CUE_RE = re.compile(rf"\b(?:according to|told reporters|{_CUE_WORDS})\b", re.IGNORECASE)
_ABBREVIATION_RE = re.compile(
    r"(?:^|(?<=[\s(“\"']))(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Prof|Rev|[A-Z])$"
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
_NAME_WORD = r"(?:[A-Z][\w'’.\-]*|de|van|von|al|bin|da|di|del|la|le)"
_NAME_RE = re.compile(rf"[A-Z][\w'’.\-]*(?:\s+{_NAME_WORD})*")
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her", "his", "their"})
TITLES = frozenset(
    [
        "minister",
        "president",
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
        "prof.",
        "professor",
        "chancellor",
        "mayor",
        "judge",
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
        "ceo",
        "founder",
        "attorney",
    ]
)
_TRAILING = frozenset({"on", "in", "at", "of", "for", "to", "by", "with", "from", "and", "the", "a"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their", "our"})
_ARTICLES = frozenset({"the", "a", "an", "every", "each", "some", "many", "several", "most", "all", "both"})
_QUOTE_OPEN = '“"«„'
_QUOTE_CLOSE = '”"»“'


@dataclass
class Link:
    """An attribution under construction, before speaker resolution."""

    content: Extent
    source: Extent | None = None
    cue: Extent | None = None
    continues: bool = False
    joins: Link | None = None
    """The earlier quote of the same statement this one goes on from (its content is extended)."""
    via_pairs: list[tuple[Extent, Extent | None]] = field(default_factory=list)


# ---------------------------------------------------------------- text structure


def paragraphs(text: str) -> list[Extent]:
    """Paragraph extents: runs of text separated by line breaks."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]


def sentences(text: str) -> list[Extent]:
    """Sentence extents, split after . ! ? (and closing quotes) followed by space and a capital,
    but not after a title or an initial ("Mr. Obama", "Benjamin J. Rhodes")."""
    out = []
    for start, end in paragraphs(text):
        last = start
        for match in re.finditer(r"[.!?][”\"’')]*\s+(?=[“\"'A-Z])", text[start:end]):
            if _ABBREVIATION_RE.search(text, last, start + match.start()):
                continue
            out.append((last, start + match.end()))
            last = start + match.end()
        out.append((last, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _containing(extents: list[Extent], position: int) -> Extent:
    for start, end in extents:
        if start <= position < end:
            return start, end
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


# ---------------------------------------------------------------- direct quotes


def find_quotes(text: str) -> list[Extent]:
    """Direct quotes as extents of their inner text, within paragraphs.

    Marks are straight, curly, guillemets, or two apostrophes (''like this'', the archive
    convention of some wire and newspaper feeds). An opening mark without a close runs to the
    end of its paragraph (the newswire convention for a quote that continues in the next
    paragraph, and the safe reading of a stray mark).
    """
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
            inner = (i + len(mark), j)
            if inner[1] - inner[0] >= 3 and len(text[inner[0] : inner[1]].split()) >= 2:
                quotes.append(inner)
            i = j + len(mark if symmetric else text[j : j + 1])
    return quotes


_MARK_RE = re.compile("''|[\"“«„]")
"""Where a quote may open; :func:`find_quotes` decides whether it does."""


def _next_mark(text: str, marks: tuple[str, ...], start: int, end: int) -> int:
    """The first position in ``start .. end-1`` where one of ``marks`` begins (it may run past
    ``end``), else ``end``: a quote without its close runs to the end of its paragraph."""
    found = (text.find(mark, start, end + len(mark) - 1) for mark in marks)
    return min((position for position in found if position >= 0), default=end)


# ---------------------------------------------------------------- rule-found cues and sources


def _noun_phrase_before(text: str, position: int, floor: int) -> Extent | None:
    """The name, pronoun or short noun phrase ending just before ``position``.

    "Minister Elena Varga told", "he added", and the appositive "a spokeswoman, Anna Berg, said".
    """
    if re.search(r"[A-Z][\w'’.\-]*,\s*$", text[floor:position]):
        position = text.rindex(",", floor, position)
    label = _PARTY_LABEL_RE.search(text, floor, position)  # "Rep. Paul Ryan (R-WI) said"
    if label:
        position = label.start()
    words = list(re.finditer(r"[\w'’.\-]+", text[floor:position]))
    chosen: list[re.Match] = []
    for word in reversed(words):
        between = text[floor + word.end() : (floor + chosen[0].start()) if chosen else position]
        if between.strip(" "):
            break
        token = word.group()
        lowered = token.lower()
        if lowered in PRONOUNS and not chosen:
            return floor + word.start(), floor + word.end()
        if (
            token[0].isupper()
            or lowered in TITLES
            or lowered in _DETERMINERS
            or (chosen and token.islower() and len(chosen) < 4)
        ):
            chosen.insert(0, word)
            if lowered in _DETERMINERS:
                break
        else:
            break
    while chosen and chosen[0].group().islower() and chosen[0].group().lower() not in _DETERMINERS | TITLES:
        chosen.pop(0)
    if not chosen:
        return None
    return floor + chosen[0].start(), floor + chosen[-1].end()


def _noun_phrase_after(text: str, position: int, ceiling: int) -> Extent | None:
    """The name or pronoun starting just after ``position`` (e.g. "said Mira Osei")."""
    match = re.match(rf"\s+((?:the\s+)?{_NAME_RE.pattern}|he|she|they|we|I)\b", text[position:ceiling])
    if not match or _is_when(text, (position + match.start(1), position + match.end(1))):  # "said Sunday"
        return None
    return position + match.start(1), position + match.end(1)


def _is_when(text: str, extent: Extent) -> bool:
    """Whether the phrase is a day or a month ("Sunday", "last Tuesday", "June"), which no one says anything."""
    return _TIME_RE.fullmatch(text, *extent) is not None


def _sentence_subject(text: str, sentence: Extent) -> Extent | None:
    """The noun phrase opening a sentence ("The transport minister on Tuesday…" → "The transport minister")."""
    start = sentence[0]
    for prefix in (_DATELINE_RE, _ACCORDING_RE):
        match = prefix.match(text, start, sentence[1])
        if match:
            start = match.end()
    sentence = (start, sentence[1])
    words = list(re.finditer(r"[\w'’.\-]+", text[sentence[0] : sentence[1]]))[:6]
    end = None
    for word in words:
        token = word.group()
        named = token[0].isupper() or token.lower() in TITLES
        if end is not None and not named:
            break
        if named and token.lower() not in _DETERMINERS:
            end = word.end()
        elif not (token.lower() in _DETERMINERS or token.islower()):
            break
    if end is None or _is_when(text, (sentence[0] + words[0].start(), sentence[0] + end)):
        return None
    return sentence[0] + words[0].start(), sentence[0] + end


def rule_pairs(text: str, sentence: Extent) -> list[tuple[Extent | None, Extent]]:
    """(source, cue) pairs a reporting verb gives in one sentence, found by pattern alone.

    The source is the phrase next to the cue ("Varga told", "said Osei", "according to
    Reuters") or, for a cue standing alone ("…, saying"), the sentence's subject.
    """
    pairs = []
    s_start, s_end = sentence
    for cue in _CUE_RE.finditer(text, s_start, s_end):
        if cue.group().lower() == "according to":
            source = _noun_phrase_after(text, cue.end(), s_end)
        else:
            source = _noun_phrase_before(text, cue.start(), s_start) or _noun_phrase_after(text, cue.end(), s_end)
        if source is None or text[source[0] : source[1]].startswith(tuple(_QUOTE_OPEN)):
            source = _sentence_subject(text, sentence)
        if source is not None and source[1] < cue.start():
            tail = _PP_TAIL_RE.fullmatch(text, source[1], cue.start())
            if tail:  # "A spokesman for the transport ministry said"
                source = (source[0], source[1] + len(tail.group().rstrip()))
        pairs.append((source, (cue.start(), cue.end())))
    return pairs


# ---------------------------------------------------------------- linking


def role_spans(text: str, offsets: np.ndarray, roles: np.ndarray, decoding: dict[str, DecodeSettings]) -> dict:
    """Decoded content, source and cue extents from role BIO probabilities (tokens, 3, 3).

    PolNeAR's contents cover most of a news text, so the content score is high almost
    everywhere; a token that is likely a source or a cue is never content, which is what
    separates "the senator said" from what the senator said.
    """
    in_role = roles[:, :, 1] + roles[:, :, 2]
    content = roles[:, 0, :].copy()
    content[(in_role[:, 1] > 0.5) | (in_role[:, 2] > 0.5)] = (1.0, 0.0, 0.0)
    source = roles[:, 1, :].copy()
    source[in_role[:, 2] > 0.5] = (1.0, 0.0, 0.0)  # "Anna Berg told reporters": the cue ends the source
    probs = {"content": content, "source": source, "cue": roles[:, 2, :]}
    spans = {
        role: [(s.start, s.end) for s in decode_spans(text, offsets, probs[role], decoding[role])] for role in ROLES
    }
    for role in ("source", "cue"):  # who and how are said within a paragraph, never across one
        spans[role] = [line for extent in spans[role] for line in _lines(text, extent)]
    return spans


def _lines(text: str, extent: Extent) -> list[Extent]:
    """The parts of an extent on each line, without surrounding whitespace."""
    start, end = extent
    parts = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\r\n]+", text[start:end])]
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


def _possessive(text: str, source: Extent) -> bool:
    """'his', 'their', "Clinton's": a possessor, which names whose thing, not who spoke."""
    phrase = text[source[0] : source[1]].strip().lower()
    return phrase in {"his", "her", "its", "their", "our", "my"} or phrase.endswith(("’s", "'s"))


def _trim_source(text: str, source: Extent) -> Extent:
    """A tagged source without a dateline or an "according to" before it, or a dangling
    preposition or a full stop after it.

    ("3 (Newswire) - The transport minister on" → "The transport minister";
    "according to industry officials." → "industry officials")
    """
    start, end = source
    dash = max(text.rfind(sep, start, end) for sep in (" - ", " – ", " — "))
    if dash >= 0:
        start = dash + 3
    lead = _ACCORDING_LEAD_RE.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    words = text[start:end].split()
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        end = text.rindex(words.pop(), start, end)
    start, end = _strip(text, (start, end))
    if text[start:end].lower() in _ARTICLES:  # "the", "every": the tagger half saw the phrase; take its noun too
        noun = _NEXT_WORD_RE.match(text, end, end + 40)
        end = noun.end() if noun else end
    last = text[start:end].split()[-1] if end > start else ""
    if last[-1:] in ",;:" or (last.endswith(".") and last[:-1].isalpha() and last[:-1].islower()):
        end -= 1  # a clause's comma or a sentence's full stop; "Mr." and "U.S." keep theirs
    return start, end


def _is_speech(text: str, quote: Extent) -> bool:
    """Quoted speech, not a scare-quoted or partial quote.

    Speech opens a sentence, follows a comma or colon, or follows "said"; and it ends in
    punctuation inside the marks, or is long. ('more than “one or two instances.”' is a
    partial quote inside the author's or a paraphrased clause.)
    """
    line = text[max(0, quote[0] - 40) : quote[0] - 1].rsplit("\n", 1)[-1]
    before = _TRAILING_MARKS_RE.sub("", line)  # spaces (no-break ones too), an opening '' mark's first half
    if before and before[-1] not in ",:.!?" and not before.endswith(("said", "says", "say")):
        return False
    inner = text[quote[0] : quote[1]]
    return inner.rstrip()[-1:] in ".,!?" or len(inner.split()) >= SPEECH_WORDS


def _contents(text: str, spans: dict[str, list[Extent]], sents: list[Extent]) -> list[Extent]:
    """The tagger's contents and the direct quotes, in reading order.

    Quoted speech is always a content of its own, and tagged contents are cut around it, at
    line breaks and sentence ends, and around tagged cues and the sources inside them (another
    attribution's "According to Brenner," inside a run of content tokens), keeping pieces of at least
    ``MIN_PIECE`` characters, without a leading comma or the end of a dateline ("(Newswire) - ");
    a scare-quoted phrase counts only where the tagger saw no content over it.
    """
    tagged = spans["content"]
    quotes = find_quotes(text)
    speech = [q for q in quotes if _is_speech(text, q)]
    out = [q for q in quotes if q not in speech and not any(2 * overlap(q, c) >= q[1] - q[0] for c in tagged)] + speech
    holes = [(q[0] - 1, q[1] + 1) for q in speech] + [(m.start(), m.end()) for m in re.finditer(r"\n\s*", text)]
    holes += spans["cue"] + spans["source"] + [(_strip(text, sentence)[1], sentence[1]) for sentence in sents]
    nearby_holes = _Nearby([(hole, None) for hole in holes])
    opening = set(spans["source"])
    for content in tagged:
        cut, pieces = content[0], []
        for hole, _ in nearby_holes.around(content):
            if not overlap(hole, content) or (hole in opening and hole[0] <= content[0]):
                continue  # a content that opens with its own source keeps it (see _outside)
            pieces.append((cut, hole[0]))
            cut = max(cut, hole[1])
        pieces.append((cut, content[1]))
        out += [p for p in (_strip(text, piece, ",;:)-–—") for piece in pieces) if p[1] - p[0] >= MIN_PIECE]
    return sorted(set(out))


def _strip(text: str, extent: Extent, leading: str = "", trailing: str = "") -> Extent:
    """The extent without surrounding whitespace (nor any of ``leading`` before it, ``trailing`` after it)."""
    start, end = extent
    while start < end and (text[start].isspace() or text[start] in leading):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in trailing):
        end -= 1
    return start, end


def link(text: str, spans: dict[str, list[Extent]], ranker: SourceRanker | None = None) -> list[Link]:
    """Attach each content to its nearest cue in the same sentence, and the cue to its source.

    Contents are the tagger's plus the direct quotes (see :func:`_contents`); contents with no
    cue go to :func:`_link_without_cue`. The cue's source is the ranker's choice among the
    tagged sources where the model has a calibrated ranker, else :func:`_tagged_source`'s.
    Tagged cues that no content took govern the rest of their clause (:func:`_cue_objects`).
    Reporting patterns of a sentence that serve no content of their own become relays of the
    contents they report. (Each choice was measured on the held-out PolNeAR fold.)
    """
    sents, paras = sentences(text), paragraphs(text)
    pairs = _SentencePairs(text)
    # a trimmed source may reach past its tag; "Sunday" is when, not who
    trimmed = [(s, _trim_source(text, s)) for s in spans["source"] if not _is_when(text, s)]
    sources = _Nearby([((min(s[0], t[0]), max(s[1], t[1])), (s, t)) for s, t in trimmed])
    cues = _Nearby([(c, None) for c in spans["cue"]])
    links: list[Link] = []
    used_cues: set[Extent] = set()
    for content in _contents(text, spans, sents):
        sentence = _containing(sents, content[0])  # a quote of several sentences reaches the cue after its last
        window = (min(sentence[0], content[0]), max(_containing(sents, content[1] - 1)[1], content[1]))
        patterns = pairs[window]
        local_cues = [c for c, _ in cues.around(window) if overlap(c, window) and not _inside(c, content)]
        local_cues += [cue for _, cue in patterns if not _inside(cue, content)]
        cue = _nearest(local_cues, content, LINK_DISTANCE)
        # every later choice lies within LINK_DISTANCE of a cue, itself within LINK_DISTANCE of the content
        nearby = sources.around(content, 2 * LINK_DISTANCE + cues.longest)
        candidates = [source for _, (tag, source) in nearby if not _inside(tag, content)]
        previous = next((item for item in reversed(links) if _is_quote(text, item.content)), None)
        quote = _is_quote(text, content)
        if cue is None:
            paragraph = _containing(paras, content[0])
            found = _link_without_cue(text, content, previous, window, paragraph, candidates)
            if found:
                if found.continues and previous is not None and found.source == previous.source:
                    found.joins = previous
                links.append(found)
            continue
        used_cues.add(cue)
        # the pattern's own source for this cue ("…," Varga said), however far (a subject)
        by_rule = next((s for s, c in patterns if overlap(c, cue) and s is not None), None)
        tagged_source = _choose_source(text, content, cue, window, candidates, ranker)
        source = (by_rule or tagged_source) if quote else (tagged_source or by_rule)
        joins = previous if quote and previous is not None and previous.cue == cue else None
        links.append(Link(_outside(text, content, source), source, cue, joins=joins))
    objects = _cue_objects(text, spans["cue"], links, used_cues, sents, pairs, sources, ranker)
    _add_relays(links + objects, sents, used_cues, pairs)
    reported = _reported_sentences(text, links + objects, sents, pairs, sources)
    return sorted(_join_parts(links) + objects + reported, key=lambda item: item.content)


def _choose_source(
    text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent], ranker: SourceRanker | None
) -> Extent | None:
    """The cue's source among the candidates within reach of it: the ranker's choice, or the rule's."""
    reachable = [c for c in candidates if _gap(c, cue) <= LINK_DISTANCE]
    if ranker is None:
        return _tagged_source(text, content, cue, window, reachable)
    return ranker.choose(text, content, cue, window, reachable)


def _cue_objects(
    text: str,
    cues: list[Extent],
    links: list[Link],
    used_cues: set[Extent],
    sents: list[Extent],
    pairs: _SentencePairs,
    sources: _Nearby,
    ranker: SourceRanker | None,
) -> list[Link]:
    """Attributions of tagged cues that no content took: the cue's source and the rest of its clause.

    PolNeAR marks stances and acts as attributions ("Mr. Carson endorsed [Mr. Trump]", "has
    disputed [both critiques]"); their short contents are below what the content tagger finds,
    but the cue tagger often sees the verb. Reporting patterns are left to relays, and an object
    needs a tagged source (without one it was mostly wrong on the held-out fold).
    """
    taken = _taken(links)
    found = []
    for cue in cues:
        if cue in used_cues or any(overlap(cue, extent) for extent in taken):
            continue
        sentence = _containing(sents, cue[0])
        if any(overlap(cue, pattern) for _, pattern in pairs[sentence]):
            continue
        content = _clause_after(text, cue[1])
        if content is None or any(overlap(content, extent) for extent in taken):
            continue
        window = (sentence[0], max(sentence[1], content[1]))
        nearby = sources.around(content, 2 * LINK_DISTANCE + cue[1] - cue[0])
        candidates = [source for _, (tag, source) in nearby if not _inside(tag, content)]
        source = _choose_source(text, content, cue, window, candidates, ranker)
        if source is not None:
            found.append(Link(content, source, cue))
            taken.append(content)
    return found


def _taken(links: list[Link]) -> list[Extent]:
    """The contents and cues the links already use, which no further attribution may overlap."""
    return [item.content for item in links] + [item.cue for item in links if item.cue]


def _reported_sentences(
    text: str, links: list[Link], sents: list[Extent], pairs: _SentencePairs, sources: _Nearby
) -> list[Link]:
    """Attributions of reporting patterns that serve and relay nothing: the rest of their sentence.

    "…, the Guardian reported.", "Fox News confirmed that …", "according to the poll, …": the
    content tagger often sees too little of a plain reported sentence to mark it, though the
    pattern leaves no doubt. The content is what the pattern leaves of its sentence: the part
    after it, the part before it, or, for a pattern set off by commas in the middle ("…, analysts
    say, …"), the whole sentence, as PolNeAR marks it. The source is a tagged one, the pattern's
    own or one next to its cue ("the harbour authority said"): a sentence's first word standing
    in as subject ("Now, according to …") was mostly wrong on the held-out fold.
    """
    taken = _taken(links)
    relaying = {cue for item in links for cue, _ in item.via_pairs}
    found = []
    for sentence in sents:
        for by_rule, cue in pairs[sentence]:
            if cue in relaying or any(overlap(cue, extent) for extent in taken):
                continue
            tagged = [trimmed for _, (_, trimmed) in sources.around(cue, ADJACENT_CUE) if _inside(trimmed, sentence)]
            source = next((t for t in tagged if by_rule and overlap(t, by_rule)), None) or _nearest(
                tagged, cue, ADJACENT_CUE
            )
            if source is None:
                continue
            head = _HEAD_BEFORE_PP_RE.search(text, sentence[0], source[0])
            if head:  # "Traders near [the bridge] say" (or "the [bridge]"): the tagger saw the end of the phrase
                source = (head.start(), source[1])
            content = _left_by_pattern(text, _strip(text, sentence), (min(source[0], cue[0]), max(source[1], cue[1])))
            if content is None or any(overlap(content, other) for _, other in pairs[sentence]):
                continue
            if not any(overlap(content, extent) for extent in taken):
                found.append(Link(content, source, cue))
                taken.append(content)
    return found


def _left_by_pattern(text: str, sentence: Extent, pattern: Extent) -> Extent | None:
    """What a reporting pattern leaves of its sentence (see :func:`_reported_sentences`)."""
    before = _strip(text, (sentence[0], pattern[0]), trailing=",;:-–—")
    after = _strip(text, (pattern[1], sentence[1]), ",;:", ".,;:")
    long_before, long_after = (part[1] - part[0] >= MIN_OBJECT for part in (before, after))
    if long_before and long_after:
        return sentence if text[pattern[1] : after[0]].strip().startswith(",") else after
    return after if long_after else before if long_before else None


def _clause_after(text: str, position: int) -> Extent | None:
    """The rest of the clause from ``position``: up to punctuation, a quote mark or a sentence's end
    (the full stop of "Mr." or "J." ends nothing)."""
    ceiling = min(len(text), position + MAX_OBJECT)
    end = next(
        (
            match.start()
            for match in _CLAUSE_END_RE.finditer(text, position, ceiling)
            if match.group() != "." or not _ABBREVIATION_RE.search(text, position, match.start())
        ),
        ceiling,
    )
    content = _strip(text, (position, end))
    return content if content[1] - content[0] >= MIN_OBJECT else None


def _join_parts(links: list[Link]) -> list[Link]:
    """One link per statement: a quote that goes on ('"…," she said. "…"', '"…," she said, "…"')
    extends the content of the quote it continues, from its first mark to its last, as PolNeAR
    marks it (an attribution between the two, "…," Manchin said, referring to …, stays its own)."""
    joined: list[Link] = []
    root: dict[int, Link] = {}
    for item in links:
        if item.joins is None:
            joined.append(item)
            root[id(item)] = item
            continue
        target = root[id(item.joins)]
        target.content = (target.content[0], item.content[1])
        root[id(item)] = target
    return joined


def _outside(text: str, content: Extent, source: Extent | None) -> Extent:
    """The content without the part its own source covers ("These so-called experts want …")."""
    if source is None or not overlap(content, source):
        return content
    if source[0] <= content[0]:
        trimmed = (source[1], content[1])
    elif source[1] >= content[1]:
        trimmed = (content[0], source[0])
    else:
        return content
    trimmed = _strip(text, trimmed)
    return trimmed if trimmed[1] > trimmed[0] else content


def _tagged_source(text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent]) -> Extent | None:
    """The tagged source for a cue among candidates within reach of it: the nearest one across the
    cue from the content, within the sentence ("X said [content]", "[content], X said"), else the
    nearest one anywhere around.

    Possessives ("his", "Clinton's") are never sources.
    """
    return _rule_source(content, cue, *_plausible_sources(text, content, cue, window, candidates))


def _rule_source(content: Extent, cue: Extent, plausible: list[Extent], across: list[Extent]) -> Extent | None:
    return _nearest(across, cue, LINK_DISTANCE) or _nearest(plausible, cue, LINK_DISTANCE, avoid=content)


def _plausible_sources(
    text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent]
) -> tuple[list[Extent], list[Extent]]:
    """The non-possessive candidates, and those of them across the cue from the content in the sentence."""
    plausible = [c for c in candidates if not _possessive(text, c)]
    if content[0] >= cue[1]:
        side = (window[0], cue[0])
    elif content[1] <= cue[0]:
        side = (content[1], window[1])
    else:
        side = None
    return plausible, [c for c in plausible if side and _inside(c, side)]


# ---------------------------------------------------------------- learned source choice

SOURCE_FEATURES = (
    "none",
    "across",
    "log_gap",
    "nearest_across",
    "nearest",
    "before_cue",
    "in_sentence",
    "possessive",
    "pronoun",
    "capitalised",
    "log_words",
    "overlaps_content",
    "content_before_cue",
    "source_cue_content",
    "content_cue_source",
    "touches_cue",
    "log_sources_between",
    "comma_between",
    "relative_pronoun",
    "mean_probability",
    "begin_probability",
    "min_probability",
    "rule_choice",
)
"""What the source ranker sees of each candidate (and of choosing none), in weight order."""


@dataclass
class SourceRanker:
    """Chooses a cue's source among the tagged sources near it, or none, by a learned score.

    The weights are a conditional logit fitted on the held-out PolNeAR fold at calibration
    (:mod:`propwatch.train.calibrate`); besides where a candidate sits (across the cue from the
    content, how far, what lies between), it sees how sure the tagger was of it, which the
    nearest-source rule ignores. With ``weights`` None it chooses as the rule does and only
    records each choice's features (in ``record``), which is how calibration gathers them.
    """

    offsets: np.ndarray
    probs: np.ndarray
    """Source BIO probabilities per token, (tokens, 3)."""
    weights: np.ndarray | None = None
    record: list | None = None
    _confidence: dict[Extent, tuple[float, float, float]] = field(default_factory=dict, repr=False)

    def choose(
        self, text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent]
    ) -> Extent | None:
        """The chosen source (None: no tagged source) for a content and its cue, among candidates
        within reach of the cue."""
        plausible, across = _plausible_sources(text, content, cue, window, candidates)
        rule = _rule_source(content, cue, plausible, across)
        nearest = {
            "nearest_across": min(across, key=lambda c: _gap(c, cue), default=None),
            "nearest": min(plausible, key=lambda c: _gap(c, cue), default=None),
            "rule_choice": rule,
        }
        options: list[Extent | None] = [None, *candidates]
        features = np.stack([self.features(text, content, cue, window, c, plausible, across, nearest) for c in options])
        if self.record is not None:
            self.record.append((content, cue, options, features))
        if self.weights is None:
            return rule
        return options[int(np.argmax(features @ self.weights))]

    def features(
        self,
        text: str,
        content: Extent,
        cue: Extent,
        window: Extent,
        candidate: Extent | None,
        plausible: list[Extent],
        across: list[Extent],
        nearest: dict[str, Extent | None],
    ) -> np.ndarray:
        """One row of :data:`SOURCE_FEATURES`; ``nearest`` names the candidates the rules would pick."""
        row = dict.fromkeys(SOURCE_FEATURES, 0.0)
        if candidate is None:
            row["none"] = 1.0
            return np.array(list(row.values()))
        phrase = text[candidate[0] : candidate[1]].strip()
        before = candidate[1] <= cue[0]
        between = (candidate[1], cue[0]) if before else (cue[1], candidate[0])
        gap = _gap(candidate, cue)
        row.update({name: candidate == chosen for name, chosen in nearest.items()})
        row.update(
            across=candidate in across,
            log_gap=np.log1p(gap),
            before_cue=before,
            in_sentence=_inside(candidate, window),
            possessive=_possessive(text, candidate),
            pronoun=phrase.lower() in PRONOUNS,
            capitalised=phrase[:1].isupper(),
            log_words=np.log1p(len(phrase.split())),
            overlaps_content=overlap(candidate, content) > 0,
            content_before_cue=content[1] <= cue[0],
            source_cue_content=before and content[0] >= cue[1],
            content_cue_source=not before and content[1] <= cue[0],
            touches_cue=gap <= 2,
            log_sources_between=np.log1p(sum(1 for c in plausible if c != candidate and _inside(c, between))),
            comma_between="," in text[between[0] : between[1]],
            relative_pronoun=phrase.lower() in ("who", "which", "that"),
        )
        if candidate not in self._confidence:  # a source is a candidate for every cue near it
            self._confidence[candidate] = role_confidence(self.offsets, self.probs, candidate)
        confidence = self._confidence[candidate]
        row.update(zip(("mean_probability", "begin_probability", "min_probability"), confidence, strict=True))
        return np.array([float(v) for v in row.values()])


def source_ranker_json(weights: np.ndarray) -> dict:
    """The ranker's weights for model.json, with the feature names they belong to."""
    return {"features": list(SOURCE_FEATURES), "weights": [round(float(w), 5) for w in weights]}


def source_ranker_weights(data: dict) -> np.ndarray:
    """The ranker's weights from model.json, refusing ones fitted on other features."""
    if data.get("features") != list(SOURCE_FEATURES):
        raise ValueError("the source ranker uses other features than this propwatch")
    return np.asarray(data["weights"], dtype=np.float64)


def role_confidence(offsets: np.ndarray, probs: np.ndarray, extent: Extent) -> tuple[float, float, float]:
    """How sure the tagger was of a role over an extent's tokens: mean P(B)+P(I), B of the first, lowest."""
    first, last = char_span_to_tokens(offsets, *extent)
    piece = offsets[first:last]
    tokens = first + np.flatnonzero(piece[:, 1] > piece[:, 0])
    if not len(tokens):
        return 0.0, 0.0, 0.0
    inside = probs[tokens, 1] + probs[tokens, 2]
    # sum / n is numpy's mean to the bit, without its overhead on a few values (called per candidate)
    return float(inside.sum() / len(inside)), float(probs[tokens[0], 1]), float(inside.min())


# ---------------------------------------------------------------- learned content filter

CONTENT_FEATURES = (
    "log_chars",
    "log_words",
    "quote",
    "has_cue",
    "has_source",
    "content_mean",
    "content_min",
    "source_mean",
    "cue_mean",
    "ends_sentence",
    "named_speaker",
    "relayed",
    "cue_before",
    "capitalised",
    "follows_cue",
)
"""What the content filter sees of each attribution, in weight order (after the bias)."""


def content_features(text: str, attribution: Attribution, offsets: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """One row of :data:`CONTENT_FEATURES` for an attribution found in ``text``."""
    content, source, cue = attribution.content, attribution.source, attribution.cue
    piece = text[content[0] : content[1]]
    mean, _, lowest = role_confidence(offsets, roles[:, 0, :], content)
    row = {
        "log_chars": np.log1p(len(piece)),
        "log_words": np.log1p(len(piece.split())),
        "quote": _is_quote(text, content),
        "has_cue": cue is not None,
        "has_source": source is not None,
        "content_mean": mean,
        "content_min": lowest,
        "source_mean": role_confidence(offsets, roles[:, 1, :], source)[0] if source else 0.0,
        "cue_mean": role_confidence(offsets, roles[:, 2, :], cue)[0] if cue else 0.0,
        "ends_sentence": piece.rstrip()[-1:] in '.!?"”',
        "named_speaker": bool(attribution.speaker and attribution.speaker[:1].isupper()),
        "relayed": bool(attribution.via),
        "cue_before": bool(cue and cue[1] <= content[0]),
        "capitalised": piece[:1].isupper(),
        "follows_cue": bool(cue and 0 <= content[0] - cue[1] <= 1),
    }
    return np.array([float(row[name]) for name in CONTENT_FEATURES])


@dataclass(frozen=True)
class ContentFilter:
    """Drops attributions the tagger only half saw, by a learned probability that gold has them.

    A logistic model over :data:`CONTENT_FEATURES` (standardised), fitted on the held-out
    PolNeAR fold at calibration with a cross-validated threshold; it trades the recall of a
    few true attributions for the precision of many spurious ones.
    """

    weights: np.ndarray
    """Bias first, then one weight per feature."""
    mean: np.ndarray
    scale: np.ndarray
    threshold: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(the attribution matches a gold one) for feature rows (attributions, features)."""
        scores = self.weights[0] + ((rows - self.mean) / self.scale) @ self.weights[1:]
        return 1.0 / (1.0 + np.exp(-scores))

    def to_json(self) -> dict:
        """For model.json."""
        return {
            "features": list(CONTENT_FEATURES),
            **{k: [round(float(v), 6) for v in getattr(self, k)] for k in ("weights", "mean", "scale")},
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict) -> ContentFilter:
        """From model.json, refusing one fitted on other features."""
        if data.get("features") != list(CONTENT_FEATURES):
            raise ValueError("the content filter uses other features than this propwatch")
        arrays = {k: np.asarray(data[k], dtype=np.float64) for k in ("weights", "mean", "scale")}
        return cls(threshold=float(data["threshold"]), **arrays)


def _link_without_cue(
    text: str, content: Extent, previous: Link | None, sentence: Extent, paragraph: Extent, sources: list[Extent]
) -> Link | None:
    """A content with no cue in its sentence: a continued quote, a quote with a nearby source, or narration.

    '"…," she said. "…"': a quote right after another quote of its paragraph goes on in the
    same voice. Another quote takes the nearest tagged source of its paragraph ('"…," Anthony
    says'), or continues the last speaker. Narration keeps only a source right before it;
    otherwise it is the author's own and yields no attribution.
    """
    if not _is_quote(text, content):
        before = [s for s in sources if _inside(s, sentence) and s[0] < content[0]]
        source = _nearest(before, content, ADJACENT_SOURCE)
        return Link(_outside(text, content, source), source) if source else None
    if previous and _is_quote(text, previous.content) and previous.content[0] >= paragraph[0]:
        return Link(content, previous.source, continues=True)
    source = _nearest([s for s in sources if _inside(s, paragraph)], content, LINK_DISTANCE)
    return Link(content, source, continues=source is None)


def _inside(inner: Extent, outer: Extent) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _is_quote(text: str, content: Extent) -> bool:
    before = text[max(0, content[0] - 1) : content[0]]
    return bool(before) and before in _QUOTE_OPEN + "'"


class _SentencePairs(dict):
    """:func:`rule_pairs` of each sentence of one article, found once (linking asks per content and per cue)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, sentence: Extent) -> list[tuple[Extent | None, Extent]]:
        self[sentence] = rule_pairs(self.text, sentence)
        return self[sentence]


def _add_relays(links: list[Link], sents: list[Extent], used_cues: set[Extent], pairs: _SentencePairs) -> None:
    """Reporting patterns of a sentence that serve no content of their own relay its contents.

    Only pattern-found pairs count ("…, the Post reported", "according to Reuters"): the
    tagger also marks verbs of thinking and deciding, which report nothing onward.
    """
    for item in links:
        if item.cue is None:
            continue
        sentence = _containing(sents, item.cue[0])
        relays = []
        for source, cue in pairs[sentence]:
            if cue in used_cues or overlap(cue, item.cue) or _inside(cue, item.content):
                continue
            if source is not None and overlap(source, item.source or item.cue):
                continue
            relays.append((cue, source))
        relays.sort(key=lambda pair: _gap(pair[0], item.content))
        item.via_pairs = [(cue, source) for cue, source in relays if source is not None]


# ---------------------------------------------------------------- speakers


def _name_core(phrase: str) -> str | None:
    """The proper name inside a source phrase, titles and determiners dropped."""
    words = phrase.replace("’s", "").replace("'s", "").split()
    while words and (words[0].lower() in TITLES or words[0].lower() in _DETERMINERS or words[0].islower()):
        words.pop(0)
    name = " ".join(words)
    return name if name and name[0].isupper() and name.lower() not in PRONOUNS else None


def _named_part(phrase: str) -> str:
    """The comma-separated part of a source that names someone ("Peter Lind, who voted against"
    → "Peter Lind"; "a spokeswoman, Anna Berg," → "Anna Berg"), else the first part."""
    parts = [p.strip() for p in phrase.strip(" ,;:").split(",") if p.strip()]
    if not parts:
        return phrase.strip()
    return next((p for p in parts if _name_core(p)), parts[0])


class SpeakerResolver:
    """Resolve source phrases to the fullest name the article gives, in reading order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.longest: dict[str, str] = {}  # last word -> the longest name ending in it, first seen
        for match in _NAME_RE.finditer(text):
            core = _name_core(match.group())
            last = core.split()[-1] if core else ""
            if core and len(core) > len(self.longest.get(last, "")):
                self.longest[last] = core
        self.described: dict[str, list[tuple[int, str]]] = {}
        self.last_person: str | None = None

    def fullest(self, name: str) -> str:
        """The longest name in the article that ends with ``name``'s last word."""
        longest = self.longest.get(name.split()[-1], "")
        return longest if len(longest) > len(name) else name

    def _description(self, phrase: str, position: int) -> str | None:
        """'the spokesman' → the name an earlier 'spokesman Anna Berg' or 'Anna Berg, the spokesman' gave
        (else the first one the article gives)."""
        named = self._named_as(phrase.split()[-1].lower())
        earlier = [name for start, name in named if start < position]
        found = earlier[-1] if earlier else named[0][1] if named else None
        return self.fullest(found) if found else None

    def _named_as(self, head: str) -> list[tuple[int, str]]:
        """Where the article names someone by this description, and the name, once per head word."""
        if head not in self.described:
            found = ((m.start(), _name_core(m.group(1) or m.group(2) or "")) for m in _naming(head).finditer(self.text))
            self.described[head] = [(start, name) for start, name in found if name]
        return self.described[head]

    def resolve(self, source: Extent | None, *, continues: bool = False) -> str | None:
        """The speaker for a source span; pronouns and continuations take the last person named."""
        if source is None:
            return self.last_person if continues else None
        phrase = _named_part(self.text[source[0] : source[1]])
        if phrase.lower() in PRONOUNS:
            return self.last_person
        name = _name_core(phrase)
        if name is None:
            described = self._description(phrase, source[0]) if phrase.split() else None
            if described:
                self.last_person = described
            return described or phrase
        speaker = self.fullest(name)
        self.last_person = speaker
        return speaker


@lru_cache(maxsize=4096)
def _naming(head: str) -> re.Pattern:
    """'spokesman Anna Berg' or 'Anna Berg, the spokesman': compiled once per description word."""
    head_re = rf"(?i:{re.escape(head)})"
    return re.compile(
        rf"\b{head_re}\s+({_NAME_RE.pattern})|({_NAME_RE.pattern}),\s+(?i:the|a|an)\s+(?:[\w\-]+\s+){{0,3}}{head_re}\b"
    )


def attributions_from_links(text: str, links: list[Link]) -> list[Attribution]:
    """Resolve speakers in reading order and turn links into attributions."""
    resolver = SpeakerResolver(text)
    paras = paragraphs(text)
    out: list[Attribution] = []
    for item in sorted(links, key=lambda link_: min(e[0] for e in (link_.content, link_.cue or link_.content))):
        speaker = resolver.resolve(item.source, continues=item.continues)
        via = tuple(dict.fromkeys(v for v in (_relay_name(resolver, s) for _, s in item.via_pairs) if v))
        if out and not via and (item.continues or _continues_report(text, paras, out[-1], item.content, speaker)):
            via = out[-1].via
        resolver.last_person = speaker or resolver.last_person
        out.append(Attribution(item.content, item.source, item.cue, speaker, tuple(v for v in via if v != speaker)))
    return out


def _continues_report(
    text: str, paras: list[Extent], previous: Attribution, content: Extent, speaker: str | None
) -> bool:
    """A quote opening the paragraph right after the same speaker's quote carries on that report.

    (Newswire style: '"…," he added.' after a relayed quote is still the relay's material;
    a paragraph of fresh narration before the quote starts a new statement.)
    """
    if speaker is None or speaker != previous.speaker or not _is_quote(text, content):
        return False
    paragraph = _containing(paras, content[0])
    opens_paragraph = not text[paragraph[0] : content[0] - 1].strip()
    between = text[previous.content[1] : paragraph[0]]
    return opens_paragraph and between.count("\n\n") <= 1 and not re.search(r"[\w]{3}", between[2:])


def _relay_name(resolver: SpeakerResolver, source: Extent | None) -> str | None:
    """A relaying source's name, without letting it become the 'last person' for pronouns."""
    last = resolver.last_person
    name = resolver.resolve(source)
    resolver.last_person = last
    return name


def extract_attributions(
    text: str,
    offsets: np.ndarray | None = None,
    roles: np.ndarray | None = None,
    decoding: dict[str, DecodeSettings] | None = None,
    ranker_weights: np.ndarray | None = None,
    record: list | None = None,
    content_filter: ContentFilter | None = None,
) -> list[Attribution]:
    """Attributions of one article, from role probabilities when the model has them, else rules.

    ``ranker_weights`` (from calibration) let a :class:`SourceRanker` choose sources; ``record``
    collects the ranker's features of every choice, for calibration; ``content_filter`` drops
    the attributions it finds unlikely.
    """
    if roles is None or offsets is None:
        return attributions_from_links(text, link(text, {role: [] for role in ROLES}))
    spans = role_spans(text, offsets, roles, decoding or DEFAULT_ROLE_DECODING)
    ranker = None
    if ranker_weights is not None or record is not None:
        ranker = SourceRanker(np.asarray(offsets), roles[:, 1, :], ranker_weights, record)
    found = attributions_from_links(text, link(text, spans, ranker))
    if content_filter is None or not found:
        return found
    rows = np.stack([content_features(text, a, offsets, roles) for a in found])
    return [a for a, p in zip(found, content_filter.probabilities(rows), strict=True) if p >= content_filter.threshold]


def voice_of(span: TechniqueSpan, attributions: list[Attribution]) -> str | None:
    """The speaker of the innermost attribution whose content holds most of the span."""
    best: Attribution | None = None
    for attribution in attributions:
        if overlap((span.start, span.end), attribution.content) * 2 > span.end - span.start and (
            best is None or attribution.content[1] - attribution.content[0] < best.content[1] - best.content[0]
        ):
            best = attribution
    return best.speaker if best else None
