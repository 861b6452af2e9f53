"""The attribution pass: links resolved to speakers and relays in reading order, one article at a time.

:class:`~propwatch.voices.speakers.SpeakerResolver` names each source; this pass decides what else an
attribution takes from the ones before it: a continuation's relays, a quote's speaker for "I"
inside it, and which relays are whole names.
"""

from __future__ import annotations

import re
from dataclasses import replace

from propwatch.document import Attribution, Extent, overlap
from propwatch.voices.links import Link
from propwatch.voices.parse import Subjects
from propwatch.voices.people import CALENDAR
from propwatch.voices.phrases import speaker_phrase
from propwatch.voices.speakers import SpeakerResolver
from propwatch.voices.text import (
    _ADDRESSEE_RE,
    _CUE_WORDS,
    _DATELINE_RE,
    _OPENERS,
    _TELLING_RE,
    TITLES,
    _containing,
    _is_quote,
    is_direct_quote,
    paragraphs,
    sentences,
    unmangled,
)


def attributions_from_links(text: str, links: list[Link], subjects: Subjects | None = None) -> list[Attribution]:
    """Resolve speakers in reading order and turn links into attributions (relays that are whole names)."""
    if subjects is not None:  # the clauses whose subjects the speakers will ask for, parsed as one batch
        subjects.prefetch(clauses_to_parse(text, links))
    return resolve_links(text, links, subjects)[0]


def resolve_links(
    text: str, links: list[Link], subjects: Subjects | None = None
) -> tuple[list[Attribution], list[Attribution]]:
    """The attributions of :func:`attributions_from_links`, and the same with every relay the patterns
    found, names or not: what the content filter was fitted on (its ``relayed`` feature), so that it
    decides as it was calibrated to. One pass resolves both, speakers once. Its callers parse
    :func:`clauses_to_parse` beforehand, as one batch; a clause not parsed yet is parsed when asked."""
    resolver = SpeakerResolver(text, subjects)
    paras = paragraphs(text)
    out: list[Attribution] = []
    fitted: list[Attribution] = []
    for item in sorted(links, key=lambda link_: min(e[0] for e in (link_.content, link_.cue or link_.content))):
        if item.source and _generic(text, item.source):
            continue
        source, speaker = _agent(resolver, item)
        source = _past_told_aside(text, source)
        if speaker is None:
            speaker = _quoted_speaker(text, source, out) or resolver.resolve(source, continues=item.continues)
        if (
            source is None
            and item.continues
            and is_direct_quote(text, *item.content)
            and fitted
            and fitted[-1].speaker == speaker
        ):
            source = fitted[-1].source  # a quote that goes on is said by the mention that named its speaker
        every = [(s, _relay_name(resolver, s)) for _, s in item.via_pairs]
        whole = tuple(dict.fromkeys(n for s, n in every if n and _whole_name(text, s)))
        found = tuple(dict.fromkeys(n for _, n in every if n))
        content = _without_gloss(text, _without_stray_marks(text, _opening(text, item.content, item.cue)))
        cue, content = _whole_cue(text, item.cue, content)
        for kept, via in ((out, whole), (fitted, found)):
            if kept and not via and (item.continues or _continues_report(text, paras, kept[-1], item.content, speaker)):
                via = kept[-1].via
            relays = tuple(v for v in via if v != speaker and not _subject_of(text, content, v))
            kept.append(Attribution(content, source, cue, speaker, relays))
        if speaker and speaker[:1].isupper():
            resolver.last_person = resolver.owners.get(speaker, speaker)
    return _mended(out), fitted  # the filter's copy reads no name, only whether there is one


def _mended(attributions: list[Attribution]) -> list[Attribution]:
    """The attributions with their speakers' and relays' names as their writers spelled them (:func:`unmangled`)."""
    return [replace(a, speaker=unmangled(a.speaker), via=tuple(map(unmangled, a.via))) for a in attributions]


def _agent(resolver: SpeakerResolver, item: Link) -> tuple[Extent | None, str | None]:
    """A link's source, and its speaker where the parser found it: a cue whose source the tagger
    missed ("Trump took a risk …, telling the crowd, '…'") has the subject of the clause that
    governs it, when that subject names someone (a name, not "the issue" or "it"); so has a cue whose
    tagged source a conjunction ends, the object of the verb before ("Ruiz called it a farce and| said"),
    which is no source even where the parse finds none. No parser, or any other link: the link's own
    source, no speaker yet."""
    conjoined = _conjoined(resolver.text, item)
    if resolver.subjects is None:
        return (None, None) if conjoined else (item.source, None)
    if not _may_have_agent(item) and not conjoined:
        return _past_object(resolver, item)
    agent = resolver.subjects.agent(_clause(resolver.sentence_spans, item.cue), item.cue)
    source, speaker = _named_agent(resolver, item, agent)
    return (None, None) if conjoined and speaker is None else (source, speaker)


_CONJOINED_RE = re.compile(r"\s(?:and|but|or)\s*\Z")


def _conjoined(text: str, item: Link) -> bool:
    """Whether the tagged source is the end of a clause that a conjunction joins to the cue's ("Lee
    called the vote a farce and| said"): the object of the verb before, whose subject is the cue's too."""
    return bool(item.source and item.cue and _CONJOINED_RE.search(text, *item.source) and item.source[1] <= item.cue[0])


def _named_agent(resolver: SpeakerResolver, item: Link, agent: Extent | None) -> tuple[Extent | None, str | None]:
    """The agent the parse found and its speaker, when it lies outside the content and the tagged source
    and names someone (a name, not "the issue" or "it"); else the link's own source, no speaker yet."""
    if agent is None or _inside(agent[0], item.content) or (item.source and overlap(agent, item.source)):
        return item.source, None
    speaker = resolver.resolve(agent)
    return (agent, speaker) if speaker and speaker[:1].isupper() else (item.source, None)


def _inside(position: int, extent: Extent) -> bool:
    return extent[0] <= position < extent[1]


def clauses_to_parse(text: str, links: list[Link]) -> list[Extent]:
    """The clauses whose parse resolving ``links`` will read: those of cues with no source, whose subject
    may speak, and of sources that may be a verb's object. Known before resolving, so that they can be
    parsed as one batch, an article's or a whole call's."""
    sents = sentences(text)
    wanted = [_clause(sents, i.cue) for i in links if _may_have_agent(i)]
    return wanted + [_object_clause(sents, i) for i in links if _may_be_object(text, i)]


def _clause(sents: list[Extent], cue: Extent) -> Extent:
    """A cue's sentence (of ``sents``) up to the cue's end: what the cue's subject needs parsed (it comes
    first where no source was tagged: a source after its cue is one the tagger finds)."""
    return _containing(sents, cue[0])[0], cue[1]


def _past_object(resolver: SpeakerResolver, item: Link) -> tuple[Extent | None, str | None]:
    """A tagged source that the parse shows is an object ("Jeb Bush … told| CNN", "urged women to vote
    for| Hillary Clinton, saying"), passed over for the subject that governs the cue, when there is one."""
    if not _may_be_object(resolver.text, item) or item.source is None or item.cue is None:
        return item.source, None
    clause = _object_clause(resolver.sentence_spans, item)
    if not resolver.subjects.governed(clause, item.source):
        return item.source, None
    return _named_agent(resolver, item, resolver.subjects.agent(clause, item.cue))


def _object_clause(sents: list[Extent], item: Link) -> Extent:
    """A cue's sentence up to the cue or its source, whichever ends later ("… told| CNN")."""
    start, end = _clause(sents, item.cue)
    return start, max(end, item.source[1])


_GOVERNING_RE = re.compile(
    r"\b(?:in|of|to|on|for|with|from|at|before|through|over|into|about|against|among|told|"
    rf"(?!(?:{_CUE_WORDS})\b)(?:[a-z]+ed|brought)[ \t]+by|"
    rf"(?!(?:{_CUE_WORDS})\b)[a-z]+(?:ing|ed))[ \t]+(?:(?:the|his|her|their|its)[ \t]+)?"
    r"(?:[A-Z][\w.\-]*[ \t]+){0,3}\Z"
)
"""A preposition or a participle right before a source, which may govern it ("vote for| Ana Ruiz",
"told| CNN", "echoing| Tom Park", "on his| Labour rivals"); never a reporting verb ("said| Ana Ruiz") or a
conjunction, after which a subject follows."""


_REPORTER_RE = re.compile(r"(?:according\s+to|quoted|cited)\s+(?:(?:the|a|an)\s+)?\Z")
"""A source after a mid-sentence "according to", the reporter of the clause before it ("…, according to
court records reported by the Post"), or the one a relay quotes ("The Post quoted| Moor as saying"):
kept as tagged. A sentence that opens "According to neighbours," has its cues' own subjects ("Varga
was banging on the door, demanding …")."""


def _may_be_object(text: str, item: Link) -> bool:
    """Whether a link's source may be an object worth a parse: a lowercase word (a verb or a preposition)
    comes right before it, and it is no "according to" cue's source, nor one :data:`_REPORTER_RE` keeps."""
    if item.source is None or item.cue is None or item.continues:
        return False
    if text[item.cue[0] : item.cue[1]].lower().startswith("according"):
        return False
    before = text[max(0, item.source[0] - 30) : item.source[0]]
    if before[-1:] not in (" ", "\t"):  # both patterns end in a space or a tab before the source
        return False
    return _GOVERNING_RE.search(before) is not None and not _REPORTER_RE.search(before)


def _may_have_agent(item: Link) -> bool:
    """Whether a link's cue may need its subject parsed: a cue with no source, in a link that does
    not go on from an earlier quote."""
    return item.source is None and item.cue is not None and not item.continues and item.joins is None


def _subject_of(text: str, content: Extent, name: str) -> bool:
    """Whether a relay's name opens the content it would relay: the statement is about that one ("While
    not all the mayor says is true, Lee said the mayor is …"), who passes nothing on."""
    opening = text[content[0] : content[1]].lstrip(" \"“”'‘’").split()
    return bool(opening) and re.sub(r"(?:[’']s)?,?$", "", opening[0]) == name.split()[-1]


def _quoted_speaker(text: str, source: Extent | None, earlier: list[Attribution]) -> str | None:
    """ "I" or "we" inside a quote is the quote's speaker ("'I told him no,' Moor said")."""
    if source is None or text[source[0] : source[1]].lower() not in ("i", "we", "me", "us"):
        return None
    holders = [a for a in earlier if a.speaker and a.content[0] <= source[0] and source[1] <= a.content[1]]
    return min(holders, key=lambda a: a.content[1] - a.content[0]).speaker if holders else None


_GENERIC = frozenset("anyone anybody everyone everybody nobody someone somebody".split())
_WHO_RE = re.compile(r"\s*,?\s*who\b", re.IGNORECASE)


def _generic(text: str, source: Extent) -> bool:
    """Whether a source is no one in particular, a hypothetical speaker in a relative clause or the
    impersonal "one": "Anyone who says otherwise is a fool", "Whoever tells you that is lying", "One
    would think …" report nobody's words."""
    words = text[source[0] : source[1]].split()
    first = words[0].lower().strip("\"“”‘’'(),;:.") if words else ""
    after_first = text.index(words[0], source[0]) + len(words[0]) if words else source[1]
    if first == "one" and len(words) == 1:  # "One would think …": the writer's musing, no one's words
        return bool(_MODAL_RE.match(text, source[1]))
    return first == "whoever" or (first in _GENERIC and bool(_WHO_RE.match(text, after_first)))


_MODAL_RE = re.compile(r"\s+(?:would|could|can|might|must|should|may)\b")


_GLOSS_RE = re.compile(
    r",\s+(?:an?\s+)?(?:apparent\s+|veiled\s+|thinly\s+veiled\s+|clear\s+|implicit\s+|oblique\s+)?"
    r"(?:swipe|jab|dig|shot|nod|reference|allusion|rebuke|rebuttal|response)\s+(?:at|to)\b"
)
"""The writer's gloss after reported words (", a swipe at his rival …", ", an apparent
reference to …"): the outlet's comment, not the speaker's."""


def _opening(text: str, content: Extent, cue: Extent | None) -> Extent:
    """A content without what opens it but is no one's words: a wire story's dateline ("NORHAVEN, June
    12 (Newswire) - Dock workers …") and the one told ("They told| you it was about safety")."""
    start, end = content
    dateline = _DATELINE_RE.match(text, start, end)
    if dateline and dateline.end() < end:
        start = dateline.end()
    told = cue is not None and _TELLING_RE.search(text, cue[0], cue[1]) and 0 <= start - cue[1] <= 1
    addressee = _ADDRESSEE_RE.match(text, start, end) if told else None
    if addressee and addressee.end() < end:
        start = addressee.end()
    return start, end


def _without_gloss(text: str, content: Extent) -> Extent:
    """A content without the writer's gloss that closes it."""
    gloss = _GLOSS_RE.search(text, content[0], content[1])
    return (content[0], gloss.start()) if gloss and gloss.start() > content[0] else content


_TOLD_ASIDE_RE = re.compile(r"\s+(?:are|am|were|was)\s+told\s*,")
_BEFORE_ASIDE_RE = re.compile(r"(?:\A|[.!?]\s+|\n)([A-Z][^,.!?\n\"“”]{0,60}?),\s+\Z")


def _past_told_aside(text: str, source: Extent | None) -> Extent | None:
    """The subject before an aside the writer puts in ("Engineers, we are told, have warned …"): "we"
    there is the reader told, not the one who warned."""
    if source is None or text[source[0] : source[1]].lower() not in ("we", "i"):
        return source
    if not _TOLD_ASIDE_RE.match(text, source[1]):
        return source
    before = _BEFORE_ASIDE_RE.search(text, max(0, source[0] - 80), source[0])
    return before.span(1) if before else source


_VERB_AFTER_AUXILIARY_RE = re.compile(
    r"[ \t]+([a-z]+(?:ed|en)|said|told|made|sought|thought|felt|held|kept|taught|brought)"
    r"(?:[ \t]+(?:for|about|on|to|that|against|with))?[ \t]+(?=\S)"
)
"""The verb a cue tagged as its auxiliary alone leaves at the head of its content ("Traders have| asked
for a compensation fund"), with the preposition it takes."""


def _whole_cue(text: str, cue: Extent | None, content: Extent) -> tuple[Extent | None, Extent]:
    """A cue tagged as a bare auxiliary ("have") takes the verb that opens its content, and the
    preposition after it: cue "have asked for", content "a compensation fund"."""
    if cue is None or text[cue[0] : cue[1]].lower() not in _BEFORE_PARTICIPLE or not 0 <= content[0] - cue[1] <= 1:
        return cue, content
    verb = _VERB_AFTER_AUXILIARY_RE.match(text, cue[1], content[1])
    if verb is None or verb.end() >= content[1]:
        return cue, content
    return (cue[0], cue[1] + len(verb.group().rstrip())), (verb.end(), content[1])


_BEFORE_PARTICIPLE = frozenset("have has had is are was were".split())
"""The auxiliaries a participle follows ("have asked", "was told"): a cue of one of them alone lacks its verb."""


def _without_stray_marks(text: str, content: Extent) -> Extent:
    """A content without a closing quote mark whose opening mark lies outside it ('… on the up and up.”'),
    so that an excerpt that quotes the content shows each mark once."""
    start, end = content
    if end - start > 1 and _unopened(text[start : end - 1], text[end - 1]):
        end -= 1
    return start, end


def _unopened(inner: str, mark: str) -> bool:
    """Whether a closing ``mark`` after ``inner`` closes a quote that ``inner`` never opened."""
    if mark == "”":
        return inner.count("“") <= inner.count("”")
    return mark == '"' and inner.count('"') % 2 == 0


def _continues_report(
    text: str, paras: list[Extent], previous: Attribution, content: Extent, speaker: str | None
) -> bool:
    """A quote opening the paragraph right after the paragraph of the same speaker's last statement
    carries on that report.

    (Newswire style: '"…," he added.' after a relayed quote or paraphrase ("X told fighters …,
    Sputnik reported.") is still the relay's material; a paragraph of fresh narration before
    the quote starts a new statement.)
    """
    if speaker is None or speaker != previous.speaker or not _is_quote(text, content):
        return False
    paragraph = _containing(paras, content[0])
    opens_paragraph = not text[paragraph[0] : content[0] - 1].strip()
    before = [p for p in paras if p[1] <= paragraph[0]]
    return opens_paragraph and bool(before) and before[-1][0] <= previous.content[0] < before[-1][1]


def _relay_name(resolver: SpeakerResolver, source: Extent | None) -> str | None:
    """A relaying source's name, without letting it become the 'last person' for pronouns. A reader
    gets only relays that are whole names (see :func:`_whole_name`): a relay is an outlet or a
    person passing the statement on, and a role word or a fragment of a place names neither."""
    if source is None:
        return None
    last = resolver.last_person
    name = resolver.resolve(source)
    resolver.last_person = last
    return name


def _title_or_owner(word: str) -> bool:
    """A capitalised word that may stand before a whole name: a title ("Senator") or an owner ("CNN's")."""
    return word.lower() in TITLES or re.search(r"[’']s$", word) is not None


_GOVERNED_RE = re.compile(r"\b(?:of|in|from|at|for|with|on|near|about)\s+(?:the\s+)?\Z")
"""A preposition right before a relay's name: the name is what the preposition governs, not who reports."""


def _whole_name(text: str, source: Extent) -> bool:
    """Whether a source names someone by a whole name: a name by :func:`speaker_phrase`, not cut out
    of a longer run of capitalised words ("United" of "United States"), not a day or month, and not a
    capitalised sentence opener: one the article also writes in lower case ("According"), or a
    participle ("Asked")."""
    phrase = text[source[0] : source[1]]
    kind, name = speaker_phrase(phrase)
    if kind != "name" or not name:
        return False
    after = re.match(r"[ \t]+([A-Z][\w'’\-]*)", text[source[1] : source[1] + 40])
    before = re.search(r"([A-Z][\w'’\-]*)[ \t]+$", text[max(0, source[0] - 40) : source[0]])
    if (after and after.group(1).lower() not in _OPENERS) or (before and not _title_or_owner(before.group(1))):
        return False
    if _GOVERNED_RE.search(text, max(0, source[0] - 30), source[0]):
        return False  # "an employee in the city of| Dalca reported": a place in the subject, no relay
    words = name.split()
    opener = re.search(r"(?:^|[.!?:][\"”’']*\s+|\n\s*)$", text[max(0, source[0] - 4) : source[0]]) is not None
    ordinary = len(words) == 1 and (
        re.search(rf"\b{re.escape(words[0].lower())}\b", text) is not None
        or (opener and re.search(r"(?:ed|ing)$", words[0]) is not None)  # "Asked about it, …"
    )
    return not ordinary and words[-1].lower() not in CALENDAR
