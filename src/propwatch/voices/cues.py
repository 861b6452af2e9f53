"""Reporting patterns found by rule (a cue and the phrase next to it), and the choice of a cue's source
among the tagged ones, which the learned ranker starts from."""

from __future__ import annotations

import re
from bisect import bisect_left

from propwatch.document import Extent
from propwatch.voices.text import (
    _ACCORDING_LEAD_RE,
    _ACCORDING_RE,
    _ARTICLES,
    _DATELINE_RE,
    _DETERMINERS,
    _NAME_RE,
    _NEXT_WORD_RE,
    _OPENERS,
    _PARTY_LABEL_RE,
    _PP_TAIL_RE,
    _QUOTE_OPEN,
    _TELLING_RE,
    _TRAILING,
    LINK_DISTANCE,
    PRONOUNS,
    TITLES,
    _inside,
    _is_when,
    _nearest,
    _strip,
    deeds,
    reporting_verbs,
)

_DETERMINED_RE = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w\-]*\s+){0,2}$")
"""A determiner a few lowercase words before: the noun that ends "the militant commander added" is a source."""


def _determined(text: str, floor: int, position: int) -> bool:
    """Whether a determiner a few lowercase words before ``position`` opens a noun phrase that is no
    preposition's object ("the commander added", not "a spokesman for the transport ministry said")."""
    found = _DETERMINED_RE.search(text, floor, position)
    return found is not None and not re.search(
        r"\b(?:for|of|at|from|in|near|with|on|to|by)\s+$", text[floor : found.start()]
    )


def _noun_phrase_before(text: str, position: int, floor: int) -> Extent | None:
    """The name, pronoun or short noun phrase ending just before ``position``.

    "Minister Elena Varga told", "he added", and the appositive "a spokeswoman, Anna Berg, said".
    """
    age = re.search(r",\s*\d{1,3},\s*$", text[floor:position])  # "Ana Soto, 49, told": the age in apposition
    if age:
        position = floor + age.start()
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
            or (not chosen and token.islower() and _determined(text, floor, floor + word.start()))
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
    role = _ROLE_NEXT_RE.match(text, position + match.end(1)) if match.group(1).startswith("the") else None
    return position + match.start(1), role.end() if role else position + match.end(1)  # "said the Florida senator"


def _sentence_subject(text: str, sentence: Extent) -> Extent | None:
    """The noun phrase opening a sentence ("The transport minister on Tuesday…" → "The transport minister")."""
    start = sentence[0]
    for prefix in (_DATELINE_RE, _ACCORDING_RE):
        match = prefix.match(text, start, sentence[1])
        if match:
            start = match.end()
    sentence = (start, sentence[1])
    if text[start : start + 1] in _QUOTE_OPEN + "'":  # '"If we …," the commander added': no subject opens it
        return None
    words = list(re.finditer(r"[\w'’.\-]+", text[sentence[0] : sentence[1]]))[:6]
    if not words or words[0].group().lower() in _OPENERS or text[sentence[0] + words[0].end() :].startswith(","):
        return None  # "If …", "Recently, …", "Asked …": an opening word, not who speaks
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


def rule_pairs(text: str, sentence: Extent, cues: list[re.Match] | None = None) -> list[tuple[Extent | None, Extent]]:
    """(source, cue) pairs a reporting verb gives in one sentence, found by pattern alone.

    The source is the phrase next to the cue ("Varga told", "said Osei", "according to
    Reuters") or, for a cue standing alone ("…, saying"), the sentence's subject. ``cues``: the
    reporting verbs of the whole text, found once, of which those inside the sentence are read.
    """
    pairs = []
    s_start, s_end = sentence
    found = _within(_spoken_verbs(text, deeds(text)) if cues is None else cues, s_start, s_end)
    for cue in found:
        if cue.group().lower() == "according to":
            source = _noun_phrase_after(text, cue.end(), s_end)
        else:
            inverted = _INVERTED_RE.search(text, max(s_start, cue.start() - 4), cue.start()) is not None
            helped = _HELPERS_RE.search(text, max(s_start, cue.start() - 60), cue.start())
            before = helped.start() if helped else cue.start()  # "Geert Wilders has| said", "The boy also| told"
            source = _noun_phrase_before(text, before, s_start) or (
                _noun_phrase_after(text, cue.end(), s_end) if inverted and not _TELLING_RE.search(cue.group()) else None
            )  # the one told ("…,” she told| the Beacon") is no source
        if source is None or text[source[0] : source[1]].startswith(tuple(_QUOTE_OPEN)):
            source = _sentence_subject(text, sentence)
        if source is not None and source[1] < cue.start():
            tail = _PP_TAIL_RE.fullmatch(text, source[1], cue.start())
            if tail:  # "A spokesman for the transport ministry said"
                source = (source[0], source[1] + len(tail.group().rstrip()))
        pairs.append((source, (cue.start(), cue.end())))
    return pairs


_HELPERS_RE = re.compile(
    r"(?:[ \t]+(?:has|have|had|will|would|could|did|does|also|later|previously|again|then|once|never|often|still"
    r"|already|just|[a-z]+ly))+[ \t]*\Z"
)
"""Auxiliaries and adverbs between a source and its cue ("Wilders has| said", "the boy also| told")."""

_INVERTED_RE = re.compile(r"(?:^|[,:;\"”’'\n]|[.!?])[ \t]*\Z")
"""What a cue follows when its source comes after it ('…," said Osei'; not "he also warned| China")."""


def _possessive(text: str, source: Extent) -> bool:
    """'his', 'their', "Clinton's": a possessor, which names whose thing, not who spoke."""
    phrase = text[source[0] : source[1]].strip().lower()
    return phrase in {"his", "her", "its", "their", "our", "my"} or phrase.endswith(("’s", "'s"))


_HALF_SEEN_RE = re.compile(r"\b(?:[a-z]+(?:able|ible|ous|ful|less)|average|multiple|innocent|\d+-[a-z]+)\Z")
"""An adjective ending a tagged source ("an average|", "the 31-page|"): the noun
after it is the source's head."""


_DOMAIN_RE = re.compile(r"\.(?:com|org|net|gov|edu|info|fr|de|uk|co\.uk|ru|it|es|ca|au|in)\b(?![\w-])")
"""A web address's ending, which the tagger may leave off a site's name ("ouest-france|.fr")."""


_ROLE_NEXT_RE = re.compile(
    r"\s+(?:senator|governor|congressman|congresswoman|mayor|lawmaker|representative|candidate|nominee"
    r"|frontrunner|front-runner|hopeful|billionaire|businessman|businesswoman)\b"
)
"""A role after a place or party ("said the Florida| senator", "the GOP| candidate"): the role's holder speaks."""


def _past_next_word(text: str, end: int, *, lower_case: bool = False) -> int:
    """The end of the word after ``end`` (only a lower-case word with ``lower_case``), else ``end``."""
    noun = _NEXT_WORD_RE.match(text, end, end + 40)
    word = noun.group().strip() if noun else ""
    return noun.end() if noun and (not lower_case or (word.isalpha() and word.islower())) else end


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
        end = _past_next_word(text, end)
    if _HALF_SEEN_RE.search(text, start, end):  # "an average| citizen": the tagger stopped at the adjective
        end = _past_next_word(text, end, lower_case=True)
    domain = _DOMAIN_RE.match(text, end)
    if domain and end > start and not text[end - 1].isspace():  # "ouest-france|.fr": the site's whole name
        end = domain.end()
    last = text[start:end].split()[-1] if end > start else ""
    if last[-1:] in ",;:" or (last.endswith(".") and last[:-1].isalpha() and last[:-1].islower()):
        end -= 1  # a clause's comma or a sentence's full stop; "Mr." and "U.S." keep theirs
    return start, end


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


def _spoken_verbs(text: str, done: list[Extent]) -> list[re.Match]:
    """The article's reporting verbs, less those that tell deeds (``done``: "claimed| 50 million lives")."""
    return [m for m in reporting_verbs(text) if m.span() not in done]


class _SentencePairs(dict):
    """:func:`rule_pairs` of each sentence of one article, found once (linking asks per content and per
    cue), from the article's reporting verbs, themselves found once, less those that tell deeds."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.deeds = deeds(text)
        self.cues = _spoken_verbs(text, self.deeds)

    def __missing__(self, sentence: Extent) -> list[tuple[Extent | None, Extent]]:
        self[sentence] = rule_pairs(self.text, sentence, self.cues)
        return self[sentence]


def _within(matches: list[re.Match], start: int, end: int) -> list[re.Match]:
    """The matches, in text order, that lie wholly between ``start`` and ``end``."""
    first = bisect_left(matches, start, key=lambda m: m.start())
    last = bisect_left(matches, end, lo=first, key=lambda m: m.start())
    return [m for m in matches[first:last] if m.end() <= end]
