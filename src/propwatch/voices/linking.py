"""Linking: contents to their cues and sources, quotes that continue a statement, relays, and the
attributions of reporting patterns and cue objects the tagger only half saw."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from propwatch.document import Extent, overlap, overlaps_any
from propwatch.model.decode import DecodeSettings, decode_spans
from propwatch.voices.cues import _noun_phrase_before, _SentencePairs, _tagged_source, _trim_source
from propwatch.voices.links import Link, taken_extents
from propwatch.voices.runs import RELATIVES
from propwatch.voices.statements import (
    appearances,
    around_asides,
    as_appearance,
    as_noun_object,
    as_source_before_cue,
    as_undergone,
    interrupted_sentences,
    labelled_lines,
    within_statements,
)
from propwatch.voices.text import (
    _ABBREVIATION_RE,
    _CLAUSE_END_RE,
    _CUE_RE,
    _CUE_WORDS,
    _HEAD_BEFORE_PP_RE,
    _OPENERS,
    _TRAILING_MARKS_RE,
    ADJACENT_CUE,
    ADJACENT_SOURCE,
    LINK_DISTANCE,
    MAX_OBJECT,
    MIN_OBJECT,
    MIN_PIECE,
    ROLES,
    SPEECH_WORDS,
    _containing,
    _gap,
    _inside,
    _is_quote,
    _is_when,
    _lines,
    _Nearby,
    _nearest,
    _strip,
    find_quotes,
    paragraphs,
    sentences,
)

if TYPE_CHECKING:
    from propwatch.voices.ranker import SourceRanker


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


_CONTINUES_BELOW_RE = re.compile(r"(?:[ \t]+continues)?[ \t]+below\b")
"""What follows the source and the cue of a web page's "story continues below", which report no one's words."""


_NAMED_AFTER_RE = re.compile(r"\b(?:according\s+to|by)\s*\Z", re.IGNORECASE)
"""A cue that names its source after it ("according to| …", "reported by| …")."""
_ASKED_BY_RE = re.compile(
    r"\b((?i:asked))\s+by\s+((?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’\-]*"
    r"|(?:the|a|an)\s+(?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*)"
    r"(?:\s+(?:on|last|this)\s+\w+)?\s+(?=(?:if|whether|about|why|how|what|when)\b)"
)
"""A question and who asked it ("Asked by| Starnes| if he believed …", "was asked by| a caller| why …"):
the asker's words, not the answer's."""
_COPULAS = frozenset("is are was were be been".split())
_WHO_BEFORE_RE = re.compile(
    r"(?:\b|,\s*)(?P<who>who|whom|(?<=,\s)which|(?<=,)which)\s+(?:(?:has|have|had|also|later|then|first|once)\s+)?\Z",
    re.IGNORECASE,
)
"""A relative pronoun right before a cue: "who", or "which" after a comma ("the report, which notes"); a
"which" without one may stand for a noun far before it ("documents they obtained which claims")."""


_AUXILIARIES_RE = re.compile(r"[ \t]+(?:(?:has|have|had|did|does|do|would|will|could|also|not|never|already)[ \t]+)+\Z")


def _subject_past_auxiliaries(text: str, cue: Extent, sentence: Extent) -> Extent | None:
    """The noun phrase right before a cue's auxiliaries ("the board had not| explained"): the cue's
    subject, whatever source the tagger tagged further off (the speaker of the clause around it)."""
    verb = _AUXILIARIES_RE.search(text, max(sentence[0], cue[0] - 40), cue[0])
    return _noun_phrase_before(text, verb.start(), sentence[0]) if verb else None


def _relative_subject(text: str, cue: Extent, source: Extent | None) -> Extent | None:
    """The "who" right before a cue, which is its subject, where the source chosen is not what "who"
    stands for ("Ana Soto, the harbour chief who| admitted …": not the sentence's subject before it;
    "the Beacon's report, which| notes": not the one who linked to it)."""
    verb = text[cue[0] : cue[1]].split()[0].lower()
    found = _WHO_BEFORE_RE.search(text, max(0, cue[0] - 30), cue[0])
    if not found or verb.endswith("ly") or verb in _COPULAS:  # "who rightly", "who was": no verb of saying
        return None
    who = found.start("who")
    antecedent = _noun_phrase_before(text, who, max(0, who - 100))
    if source is not None and (source[1] >= who - 3 or (antecedent and overlap(source, antecedent))):
        return None
    return found.span("who")


_JOINED_VERB_RE = re.compile(r"\b(?:and|but)\s+(?:(?:also|then|later|quickly)\s+)?\Z")
"""A conjunction right before a cue, which joins it to a verb before with the same subject ("said … but| added")."""


def _shared_subject(
    text: str, cue: Extent, source: Extent | None, links: list[Link], sentence: Extent
) -> Extent | None:
    """The source of the cue before in the same sentence, for a cue a conjunction joins to it ("Suu Kyi
    said it was too early but added, …"): the two verbs share their subject, whatever was tagged; a
    source that holds that one's is the same subject, read more fully, and stays."""
    if not _JOINED_VERB_RE.search(text, max(0, cue[0] - 20), cue[0]):
        return None
    before = [item for item in links if item.cue and sentence[0] <= item.cue[0] < cue[0] and item.source]
    if not before or (source is not None and overlap(source, before[-1].source)):
        return None
    return before[-1].source


_IN_RELATIVE_RE = re.compile(r",[ \t]+(?:which|whom)[ \t]+\Z")
"""A comma and a relative pronoun before a tagged source: the source is inside the relative clause."""


def _before_relative_clause(text: str, cue: Extent, source: Extent | None, sentence: Extent) -> Extent | None:
    """The sentence's subject that a relative clause hangs on, for a source inside that clause before
    the cue ("Exit polls from the primary, which| Mr. Trump won decisively, showed …": the polls)."""
    if source is None or source[1] > cue[0] or not _IN_RELATIVE_RE.search(text, max(0, source[0] - 10), source[0]):
        return None
    if not re.fullmatch(r"[^,.;:!?\"“”]{0,40},\s*", text[source[1] : cue[0]]):
        return None  # the clause closes with a comma right before the cue
    comma = text.rfind(",", max(0, source[0] - 10), source[0])
    subject = _strip(text, (sentence[0], comma))
    words = text[subject[0] : subject[1]].split()
    return subject if 0 < len(words) <= 8 and "," not in text[subject[0] : subject[1]] else None


def _someone(text: str, source: Extent) -> bool:
    """Whether a tagged source can name anyone: a lone "But" or "particular" ("in particular, voters …")
    or a web page's "story| continues below" cannot."""
    words = text[source[0] : source[1]].lower().split()
    if _CONTINUES_BELOW_RE.match(text, source[1]):
        return False
    return not (len(words) == 1 and (words[0] in _OPENERS or words[0] in _NO_ONE))


_NO_ONE = frozenset("particular however instead meanwhile still now then there here".split())


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
    quotes = [quote for quote in find_quotes(text) if quote[0] >= _title_end(text)]
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
    done = pairs.deeds  # "the flu that claimed| 50 million lives": no cue, and no one's words after it
    spoken = [c for c in spans["cue"] if not overlaps_any(c, done)]
    spans = {**spans, "cue": [c for c in spoken if not _CONTINUES_BELOW_RE.match(text, c[1])]}
    # a trimmed source may reach past its tag; "Sunday" is when, not who
    trimmed = [(s, _trim_source(text, s)) for s in spans["source"] if not _is_when(text, s)]
    trimmed = [(s, t) for s, t in trimmed if _someone(text, t)]
    sources = _Nearby([((min(s[0], t[0]), max(s[1], t[1])), (s, t)) for s, t in trimmed])
    cues = _Nearby([(c, None) for c in spans["cue"]])
    links: list[Link] = []
    used_cues: set[Extent] = set()
    for content in _contents(text, spans, sents):
        if any(0 <= content[0] - end <= 2 for _, end in done):
            continue
        sentence = _containing(sents, content[0])  # a quote of several sentences reaches the cue after its last
        window = (min(sentence[0], content[0]), max(_containing(sents, content[1] - 1)[1], content[1]))
        patterns = pairs[window]
        local_cues = [c for c, _ in cues.around(window) if overlap(c, window) and not _inside(c, content)]
        local_cues += [cue for _, cue in patterns if not _inside(cue, content)]
        cue = _nearest(local_cues, content, LINK_DISTANCE)
        asked = _ASKED_BY_RE.search(text, max(window[0], content[0] - 90), min(content[1], content[0] + 40))
        if asked and asked.end() >= content[0]:  # "Asked by Starnes if he believed …": Starnes asks
            used_cues.add(asked.span(1))
            links.append(Link((asked.end(), content[1]), asked.span(2), asked.span(1)))
            continue
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
        source = _subject_past_auxiliaries(text, cue, sentence) or _listed_last(
            text, (by_rule or tagged_source) if quote else (tagged_source or by_rule), cue
        )
        source = _relative_subject(text, cue, source) or _shared_subject(text, cue, source, links, sentence) or source
        source = _before_relative_clause(text, cue, source, sentence) or source
        joins = previous if quote and previous is not None and previous.cue == cue else None
        links.append(Link(_outside(text, content, source), source, cue, joins=joins))
    links = around_asides(text, links, sents)
    objects = _cue_objects(text, spans["cue"], links, used_cues, sents, pairs, sources, ranker)
    _add_relays(links + objects, sents, used_cues, pairs)
    reported = _reported_sentences(text, links + objects, sents, pairs, sources)
    for item in links + objects:
        as_source_before_cue(text, item)
        as_appearance(text, item, sents)
        as_undergone(text, item)
        as_noun_object(text, item)
    reported += appearances(text, links + objects + reported, sents)
    reported += labelled_lines(text, links + objects + reported)
    reported += interrupted_sentences(text, links + objects + reported, sents)
    found = [_relayed_speaker(text, item) for item in within_statements(text, _join_parts(links) + objects + reported)]
    return sorted((item for item in found if _reported_if_titled(text, item)), key=lambda item: item.content)


_SPEAKER_NP = r"(?:(?:[a-z\-]+|[A-Z][\w'’.\-]*)[ \t]+){0,4}?[A-Z][\w'’\-]*|he|she|they|[a-z][a-z\- ]{2,40}?"
_RELAYED_RES = (
    re.compile(  # "The Post quoted Moor as saying (that) …"
        rf"(?P<relay>(?:[Tt]he[ \t]+)?[A-Z][^,.;]{{0,60}}?)[ \t]+(?P<cue>quoted|cited)[ \t]+(?:(?:the|a|an)[ \t]+)?"
        rf"(?P<speaker>{_SPEAKER_NP})[ \t]+as[ \t]+(?:saying|writing|telling[ \t]+[^,.]{{1,40}}?)"
        r"(?:[ \t]+that)?[ \t,:]*[\"“]?\Z"
    ),
    re.compile(  # "According to the Post, Moor (also) said (that) …"
        rf"(?P<cue>[Aa]ccording[ \t]+to)[ \t]+(?P<relay>[^,;]{{1,80}}),[ \t]+(?P<speaker>{_SPEAKER_NP})[ \t]+"
        r"(?:also[ \t]+)?(?:said|says|told[ \t]+[^,.]{1,40}?|claimed|claims|added|warned|argued|insisted)"
        r"(?:[ \t]+that)?[ \t,:]*[\"“]?\Z"
    ),
)
"""Sentences that pass on someone else's words: the speaker is who said them, the relay who reports them."""


def _relayed_speaker(text: str, item: Link) -> Link:
    """A statement that a relaying source passes on in someone else's name takes that someone as its
    source and the relay as its outermost ``via``: "The Post quoted Moor as saying that …" and
    "According to the Post, Moor said …" are Moor's words, via the Post."""
    if item.source is None or item.source[0] > item.content[0]:
        return item
    start = max(text.rfind("\n", 0, item.source[0]), text.rfind(". ", 0, item.source[0]) + 1) + 1
    for pattern in _RELAYED_RES:
        found = pattern.search(text, start, item.content[0])
        if found and found.start() <= item.source[0] < found.end():
            item.via_pairs = [*item.via_pairs, (found.span("cue"), found.span("relay"))]
            item.source = found.span("speaker")
            return item
    return item


def _listed_last(text: str, source: Extent | None, cue: Extent) -> Extent | None:
    """Of a source that runs over a comma right up to its cue ("In Norhaven, exit polls showed"; "the
    column, critics say"), the part next to the cue: what comes before the comma is another phrase."""
    if source is None or source[1] > cue[0] or text[source[1] : cue[0]].strip():
        return source
    comma = text.rfind(", ", *source)
    if comma <= source[0]:
        return source
    last = _strip(text, (comma + 1, source[1]))
    words = text[last[0] : last[1]].split()
    if not words or words[0].lower() in _NOT_OPENING_A_SOURCE or not any(c.isalpha() for c in words[-1]):
        return source
    return last


_NOT_OPENING_A_SOURCE = _OPENERS | RELATIVES | {"including", "such"}
"""What opens a clause or a phrase after a comma, not a source ("…, including Mr. Roe", "…, who")."""


def _reported_if_titled(text: str, item: Link) -> bool:
    """A title's attribution needs a reporting verb ("Minister says …"): "Council approves school
    funding" reports nothing, though the tagger reads a source and a cue into it."""
    if item.content[0] >= _title_end(text):
        return True
    return item.cue is not None and _CUE_RE.fullmatch(text, *item.cue) is not None


def _title_end(text: str) -> int:
    """Where a title line ends (0 without one): a first line under 200 characters, set off by a blank
    line and not ending a sentence. Its quote marks quote nobody ('Leader says fighters "still hold" towns')."""
    first = text.split("\n", 1)[0]
    ends_sentence = re.search(r"[.!?][\"”’']*\s*$", first)
    return len(first) if len(first) < 200 and text.startswith("\n\n", len(first)) and not ends_sentence else 0


def _choose_source(
    text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent], ranker: SourceRanker | None
) -> Extent | None:
    """The cue's source among the candidates within reach of it: the ranker's choice, or the rule's."""
    reachable = [c for c in candidates if _gap(c, cue) <= LINK_DISTANCE]
    named = _NAMED_AFTER_RE.search(text, max(0, cue[1] - 15), cue[1])
    after = [c for c in reachable if 0 <= c[0] - cue[1] <= 5 and not content[0] <= c[0] < content[1]]
    if named and after:  # "according to| the Valley Herald", "asked by| Ana Soto": who said it
        return min(after)
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
    taken = taken_extents(links)
    found = []
    for cue in cues:
        if cue in used_cues or overlaps_any(cue, taken):
            continue
        sentence = _containing(sents, cue[0])
        if overlaps_any(cue, (p for _, p in pairs[sentence])):
            continue
        content = _clause_after(text, cue[1])
        if content is None or overlaps_any(content, taken):
            continue
        window = (sentence[0], max(sentence[1], content[1]))
        nearby = sources.around(content, 2 * LINK_DISTANCE + cue[1] - cue[0])
        candidates = [source for _, (tag, source) in nearby if not _inside(tag, content)]
        source = _choose_source(text, content, cue, window, candidates, ranker)
        if source is not None:
            found.append(Link(content, source, cue))
            taken.append(content)
    return found


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
    taken = taken_extents(links)
    relaying = {cue for item in links for cue, _ in item.via_pairs}
    found = []
    for sentence in sents:
        for by_rule, cue in pairs[sentence]:
            if cue in relaying or overlaps_any(cue, taken):
                continue
            tagged = [trimmed for _, (_, trimmed) in sources.around(cue, ADJACENT_CUE) if _inside(trimmed, sentence)]
            source = next((t for t in tagged if by_rule and overlap(t, by_rule)), None) or _nearest(
                tagged, cue, ADJACENT_CUE
            )
            if source is None and by_rule is not None and _gap(by_rule, cue) <= ADJACENT_CUE:
                source = by_rule if text[by_rule[0] : by_rule[1]].lower() in ("he", "she") else None
            if source is None:
                continue
            head = _HEAD_BEFORE_PP_RE.search(text, sentence[0], source[0])
            if head:  # "Traders near [the bridge] say" (or "the [bridge]"): the tagger saw the end of the phrase
                source = (head.start(), source[1])
            content = _left_by_pattern(text, _strip(text, sentence), (min(source[0], cue[0]), max(source[1], cue[1])))
            if content is None or overlaps_any(content, (p for _, p in pairs[sentence])):
                continue
            if not overlaps_any(content, taken):
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
    trimmed = _strip(text, trimmed, ",;:")
    return trimmed if trimmed[1] > trimmed[0] else content


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
    introduced = _introduced(text, content)
    if introduced is not None:
        return introduced
    if previous and _is_quote(text, previous.content) and previous.content[0] >= paragraph[0]:
        return Link(content, previous.source, continues=True)
    source = _nearest([s for s in sources if _inside(s, paragraph)], content, LINK_DISTANCE)
    return Link(content, source, continues=source is None)


_INTRODUCER_RE = re.compile(
    rf"\b(?P<cue>tell(?:[ \t]+(?:you|us|them))?|put[ \t]+it|{_CUE_WORDS})\b[^:\n\"“”]{{0,40}}:[ \t]*\Z"
)
"""A line that hands the word to the quote below it ("Ana Soto said on Monday:", "Let Ana Soto tell you:")."""


def _introduced(text: str, quote: Extent) -> Link | None:
    """A quote that opens its line under a line naming its speaker and ending in a colon: that speaker's,
    by the cue on that line."""
    start = text.rfind("\n", 0, quote[0]) + 1
    if text[start : quote[0]].strip(' \t"“«') or start == 0:
        return None
    line_start = text.rfind("\n", 0, start - 1) + 1
    match = _INTRODUCER_RE.search(text, line_start, start - 1)
    if match is None:
        return None
    source = _noun_phrase_before(text, match.start("cue"), line_start)
    return Link(quote, source, match.span("cue")) if source else None


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
            if source is not None and _gap(source, cue) > ADJACENT_CUE:
                continue  # a sentence's opening word standing in as subject relays nothing ("Recently, …")
            relays.append((cue, source))
        relays.sort(key=lambda pair: _gap(pair[0], item.content))
        item.via_pairs = [(cue, source) for cue, source in relays if source is not None]
