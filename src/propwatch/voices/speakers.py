"""Speakers: the fullest name the article gives for a source phrase, in reading order."""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.document import Attribution, Extent
from propwatch.voices.cues import _noun_phrase_before
from propwatch.voices.linking import Link
from propwatch.voices.text import _DETERMINERS, _NAME_RE, _OPENERS, PRONOUNS, TITLES, _containing, _is_quote, paragraphs

_RELATIVES = frozenset({"who", "which", "that", "whom", "whose"})
_CUT_WORDS = _OPENERS | _RELATIVES
_LEADING = _DETERMINERS | {"these", "those", "my", "your", "some", "any"}
_HEADLINE_SHARE = 0.6
"""A line whose words are mostly capitalised is a headline: its capitalised runs are not names."""
_SENTENCE_BREAK_RE = re.compile(
    r"(?<!\bMrs)(?<!\b(?:Sen|Rep|Gov|Gen|Col|Sgt|Rev|Ave))(?<=[a-z\d’'\-]{2})[.!?][\"”’']*\s+|[.!?][\"”’']+\s+|:\s+"
)


@lru_cache(maxsize=16384)
def _name_runs(phrase: str) -> tuple[str, ...]:
    """Capitalised runs of a phrase that may be names: split at sentence ends ("Enquirer. Donald Trump")
    and at titles ("Wells Fargo CEO John Stumpf" → "Wells Fargo", "John Stumpf"), with the office after
    a title left out ("Secretary of State John Kerry" → "John Kerry") and "of" kept inside a name
    ("Bank of America")."""
    runs: list[list[str]] = []
    for piece in _SENTENCE_BREAK_RE.split(phrase):
        runs.append([])
        words = [word.strip("\"“”‘’'(),;:") for word in piece.split()]
        office = False  # inside "of (the) State" after a title
        for i, bare in enumerate(words):
            lowered = bare.lower()
            following = words[i + 1] if i + 1 < len(words) else ""
            if lowered in ("of", "the") and (office or (lowered == "of" and i and words[i - 1].lower() in TITLES)):
                office = True
                continue
            if office and _capitalised(bare) and _capitalised(following):
                office = False
                continue  # the office's one word; the name follows
            office = False
            surname = lowered in TITLES and i and words[i - 1].lower().rstrip(".") in _HONORIFICS  # "Mr. King"
            titled = lowered in TITLES or (lowered.endswith("s") and lowered[:-1] in TITLES)  # "Senators"
            if (titled and not surname) or lowered in _DETERMINERS or not bare:
                runs.append([])
            elif _capitalised(bare) or (runs[-1] and lowered in _NAME_PARTICLES):
                runs[-1].append(re.sub(r"[’']s$", "", bare))
            elif lowered == "of" and runs[-1] and _capitalised(following):
                runs[-1].append(bare)
            else:
                runs.append([])
    names = [" ".join(run).rstrip(".") if not _keeps_stop(run) else " ".join(run) for run in runs if run]
    return tuple(name for name in names if name and name.lower() not in PRONOUNS)


_PARTY_RE = re.compile(r"\(?[RDI](?:-[A-Z][\w. ]*)?\)?\.?")
"""A party label standing alone as a source ("R-Ky.", "(D)")."""
_POSSESSOR_RE = re.compile(r"\b([A-Z][\w\-]+(?:[ \t][A-Z][\w\-]+)*)['’]s\b")
_NAME_SPAN_RE = re.compile(rf"{_NAME_RE.pattern}(?:[ \t]+of(?:[ \t]+the)?[ \t]+{_NAME_RE.pattern})*")
"""Names as the article writes them, with an office between ("Secretary of State John Kerry", "Bank of America")."""
_QUANTITY_RE = re.compile(
    r"(?i:(?:a|the)\s+)?(?i:\d[\d,.]*(?:\s*%|\s+(?:percent|per\s+cent))?(?:\s+in\s+\d+)?"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)(?:[\s\-]\w+)?\s+(?:percent|per\s+cent|in\s+\w+)"
    r"|majority|minority|plurality|most|many|half|third|thirds|quarter|quarters|handful|few)"
    r"(?=[\s,;:.]|$)(?:\s+(?i:of)(?:\s+(?i:the|them|those|all))?(?=\s|$))?"
)
"""A quantity or share opening a source ("46 percent", "4 in 10", "a majority of", "most"): how many
of a group spoke, never a speaker itself; the group after it is."""
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
_NAME_PARTICLES = frozenset({"de", "van", "von", "al", "el", "abu", "bin", "ibn", "da", "di", "del", "la", "le"})
_THINGS = frozenset("recording message statement video letter tweet post speech interview remarks".split())
"""What a speaker's words come in: "Haddad's recording" speaks for Haddad."""


def _capitalised(word: str) -> bool:
    """A name's word: capitalised, or a particle and a capitalised name joined by a hyphen ("al-Haddad")."""
    head, _, rest = word.partition("-")
    return word[:1].isupper() or (head.lower() in _NAME_PARTICLES and rest[:1].isupper())


def _last_name(name: str) -> str:
    """A name's last word without a particle before a hyphen ("al-Haddad" → "Haddad")."""
    last = name.split()[-1]
    head, _, rest = last.partition("-")
    return rest if head.lower() in _NAME_PARTICLES and rest else last


def _keeps_stop(run: list[str]) -> bool:
    """Whether a name's full stop is its own ("Donald J.", "John Roberts Jr.", "U.S.")."""
    last = run[-1]
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|Jr\.|Sr\.", last))


def _clean_phrase(phrase: str) -> tuple[str, list[str]]:
    """A source phrase without a party label, opening prepositions or conjunctions, and trailing
    punctuation; and its words. ("But Mrs. Clinton" → "Mrs. Clinton"; "Ted Cruz (R-Tex)" → "Ted Cruz")"""
    phrase = re.sub(r"\s*\([^)]*\)?\s*$", "", phrase.strip(" ,;:"))
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in _OPENERS:
        words.pop(0)
    return " ".join(words), words


def _description(words: list[str]) -> str | None:
    """A role phrase without its article or possessive, cut before a preposition or relative pronoun
    ("the source" → "source"; "Experts on North Korea" → "Experts"; "his advisers" → "advisers")."""
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _CUT_WORDS and not _role_of(words, i)), len(words))
    kept = re.sub(r"[’']s$", "", " ".join(words[:cut]).strip(" ,;:.\"“”'’"))
    return kept if kept and kept.lower() not in PRONOUNS | _CUT_WORDS else None


def _role_of(words: list[str], i: int) -> bool:
    """Whether words[i] ties a role to whom it serves ("spokesman for the ministry", "director of the
    agency"), which stays part of the description."""
    return words[i].lower() in ("for", "of", "at") and words[i - 1].lower() in TITLES


@lru_cache(maxsize=16384)
def speaker_phrase(phrase: str) -> tuple[str, str | None]:
    """What kind of speaker a source phrase names, and the words that name it.

    ("name", "Pat Caddell") for "longtime Democratic pollster Pat Caddell": a phrase that ends in a
    name is that name, titles and role words before it dropped; ("pronoun", None) for "she";
    ("relative", None) for "who"; ("description", "campaign spokesman") for "a campaign spokesman";
    ("none", None) for what names no one ("If", "Once").
    """
    phrase, words = _clean_phrase(_named_part(phrase))
    if not words:
        return "none", None
    lowered = phrase.lower()
    if lowered in PRONOUNS or lowered in {"me", "us", "them", "you"}:
        return "pronoun", None
    if lowered in _RELATIVES or _PARTY_RE.fullmatch(phrase):  # "who"; "R-Ky." after the name it labels
        return "relative", None
    if lowered in _OPENERS:
        return "none", None
    if _QUANTITY_RE.match(phrase):  # "46 percent of voters" speaks for the voters; "46 percent" for no one
        group = _QUANTITY_RE.sub("", phrase, count=1)
        return speaker_phrase(group) if group.strip(" ,;:.") else ("none", None)
    last = words[-1].strip("\"“”‘’'(),;:.")
    if last.lower() in _THINGS and len(words) > 1 and re.search(r"[’']s$", words[-2]):
        return speaker_phrase(" ".join(words[:-1]))  # "Haddad's recording" -> "Haddad"
    if len(words) > 2 and words[1].lower() in _OPENERS and re.fullmatch(r"[A-Z][a-z]+[^s]s", words[0]):
        return "description", words[0]  # "Residents of Qalat Teral": a group, not the place
    runs = _name_runs(phrase)
    if _capitalised(last) and runs and (last.lower() not in TITLES or runs[-1].endswith(last)):
        return "name", runs[-1]
    described = _description(words)
    return ("description", described) if described else ("none", None)


def _named_part(phrase: str) -> str:
    """The comma-separated part of a source that names someone ("Peter Lind, who voted against"
    → "Peter Lind"; "a spokeswoman, Anna Berg," → "Anna Berg"), else the first part."""
    parts = [p.strip() for p in phrase.strip(" ,;:").split(",") if p.strip()]
    if not parts:
        return phrase.strip()
    return next((p for p in parts if _name_runs(p) and _capitalised(p.split()[-1])), parts[0])


def _headline(line: str) -> bool:
    """Whether a line reads as a headline (most of its words capitalised)."""
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= _HEADLINE_SHARE * len(words)


class SpeakerResolver:
    """Resolve source phrases to the fullest name the article gives, in reading order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.names: dict[str, list[str]] = {}  # last word -> the names ending in it
        self.named: dict[str, list[tuple[int, str, bool]]] = {}  # last word -> each name, where, opening a sentence
        at = 0
        for line in text.splitlines(keepends=True):
            if not _headline(line):
                for match in _NAME_SPAN_RE.finditer(line):
                    for name in _name_runs(match.group()):
                        kind, core = speaker_phrase(name)
                        if kind == "name" and core:
                            self.names.setdefault(_last_name(core), []).append(core)
                            opens = _opens_sentence(text, at + match.start() + match.group().find(core))
                            self.named.setdefault(_last_name(core), []).append((at + match.start(), core, opens))
            at += len(line)
        self.paragraphs = paragraphs(text)
        self.described: dict[str, list[tuple[int, str]]] = {}
        self.last_person: str | None = None

    def fullest(self, name: str, position: int | None = None, *, honorific: bool = False) -> str:
        """The longest name (at most four words) in the article that ends with ``name``'s last word
        and holds all its words ("Trump" → "Donald Trump").

        A surname two people share ("Bill Clinton", "Hillary Clinton") at ``position`` takes the
        one named last before it in its paragraph or the one before, not the most frequent; the
        surname alone when the context names neither (a name three paragraphs up is no guide), or
        when an honorific ("Mrs. Clinton") tells them apart by what a name cannot show.
        """
        words = set(name.split()) - {name.split()[-1]}
        found = [n for n in self.names.get(_last_name(name), []) if words <= set(n.split()) and len(n.split()) <= 4]
        longer = [n for n in found if len(n.split()) > len(name.split())]
        named = self.named.get(_last_name(name), [])
        people = {n for _, n, opens in named if n in longer and not opens}  # "What Trump" is no one
        if position is not None and _two_people(list(people)):
            context = self._context_start(position)
            earlier = [n for at, n, _ in named if context <= at < position and n in people]
            if honorific or not earlier:
                return name
            longer = [n for n in longer if set(earlier[-1].split()) <= set(n.split())]
        # the extension the article uses most ("Donald Trump", not "Washington Post Trump"), then the longest
        return max(longer, key=lambda n: (found.count(n), len(n.split())), default=name)

    def _context_start(self, position: int) -> int:
        """Where the paragraph before the one holding ``position`` starts."""
        starts = [start for start, _ in self.paragraphs if start <= position]
        return starts[-2] if len(starts) > 1 else 0

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
            found = ((m.start(), _name_runs(m.group(1) or m.group(2) or "")) for m in _naming(head).finditer(self.text))
            self.described[head] = [(start, names[-1]) for start, names in found if names]
        return self.described[head]

    def resolve(self, source: Extent | None, *, continues: bool = False) -> str | None:
        """The speaker for a source span; pronouns and continuations take the last person named, a
        relative pronoun the name it follows ("Jo Lee, who")."""
        if source is None:
            return self.last_person if continues else None
        source = self._past_title(source)
        kind, words = speaker_phrase(self.text[source[0] : source[1]])
        if kind == "pronoun":
            return self._possessor(source) or self.last_person
        if kind == "relative":
            return self._antecedent(source)
        if kind == "none" or words is None:
            return None
        if kind == "description":
            described = self._description(words, source[0])
            if described:
                self.last_person = described
            return described or words
        said = self.text[source[0] : source[1]].lower()
        speaker = self.fullest(words, source[0], honorific=re.search(r"\b(?:mr|mrs|ms)\.?\s", said) is not None)
        self.last_person = speaker
        return speaker

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

    def _past_title(self, source: Extent) -> Extent:
        """A source the tagger ended at a title ("Mr", "Sen.") reaches over the name after it."""
        last = self.text[source[0] : source[1]].split()[-1:] or [""]
        if last[0].lower().rstrip(".") + "." not in TITLES:
            return source
        name = re.match(r"\.?[ \t]+[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)*", self.text[source[1] : source[1] + 60])
        return (source[0], source[1] + name.end()) if name else source

    def _antecedent(self, relative: Extent) -> str | None:
        """The speaker a relative pronoun stands for: the phrase right before it ("Jo Lee, who"), or the
        noun that ends it ("retired generals and admirals, who" → "admirals")."""
        comma = self.text.rfind(",", max(0, relative[0] - 3), relative[0])
        end = comma if comma >= 0 else relative[0]
        antecedent = _noun_phrase_before(self.text, end, max(0, end - 100))
        if antecedent is None:
            head = re.search(r"\b([a-z][a-z\-]+)\s*$", self.text[max(0, end - 40) : end])  # "… admirals, who"
            word = head.group(1) if head else ""
            return word if word and word not in _OPENERS | PRONOUNS | _RELATIVES else self.last_person
        if speaker_phrase(self.text[antecedent[0] : antecedent[1]])[0] == "relative":
            return self.last_person
        return self.resolve(antecedent)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a name opens a sentence or a quote, where a capitalised word may be no name at all
    ("What Trump did", "Besides Clinton's age"): a name found only there is no second person."""
    return re.search(r"(?:^|[.!?:][\"”’']*\s+|\n\s*)[\"“‘']?$", text[max(0, start - 5) : start]) is not None


def _two_people(names: list[str]) -> bool:
    """Whether names sharing a surname belong to two people: one holds a word the other lacks, and
    the other one it lacks ("Bill Clinton", "Hillary Clinton"; not "Donald Trump", "Donald J. Trump")."""
    sets = {frozenset(n.split()) for n in names}
    return any(not (a <= b or b <= a) for a in sets for b in sets)


@lru_cache(maxsize=4096)
def _naming(head: str) -> re.Pattern:
    """'spokesman Anna Berg' or 'Anna Berg, the spokesman': compiled once per description word."""
    head_re = rf"(?i:{re.escape(head)})"
    return re.compile(
        rf"\b{head_re}\s+({_NAME_RE.pattern})"
        rf"|({_NAME_RE.pattern}),\s+(?i:the|a|an)\s+(?:[\w\-]+\s+){{0,3}}{head_re}\b(?=\s*[,.;])"
    )


def attributions_from_links(text: str, links: list[Link], *, whole_relays: bool = True) -> list[Attribution]:
    """Resolve speakers in reading order and turn links into attributions.

    ``whole_relays=False`` keeps every relay the patterns found, names or not: what the content
    filter was fitted on (its ``relayed`` feature), so that it decides as it was calibrated to.
    """
    resolver = SpeakerResolver(text)
    paras = paragraphs(text)
    out: list[Attribution] = []
    for item in sorted(links, key=lambda link_: min(e[0] for e in (link_.content, link_.cue or link_.content))):
        if item.source and _generic(text, item.source):
            continue
        speaker = resolver.resolve(item.source, continues=item.continues)
        relays = (_relay_name(resolver, s, whole=whole_relays) for _, s in item.via_pairs)
        via = tuple(dict.fromkeys(v for v in relays if v))
        if out and not via and (item.continues or _continues_report(text, paras, out[-1], item.content, speaker)):
            via = out[-1].via
        resolver.last_person = speaker if speaker and speaker[:1].isupper() else resolver.last_person
        content = _without_stray_marks(text, item.content)
        out.append(Attribution(content, item.source, item.cue, speaker, tuple(v for v in via if v != speaker)))
    return out


_GENERIC = frozenset("anyone anybody everyone everybody nobody someone somebody".split())
_WHO_RE = re.compile(r"\s*,?\s*who\b", re.IGNORECASE)


def _generic(text: str, source: Extent) -> bool:
    """Whether a source is no one in particular, a hypothetical speaker in a relative clause: "Anyone who
    says otherwise is a fool", "Whoever tells you that is lying" report nobody's words."""
    words = text[source[0] : source[1]].split()
    first = words[0].lower().strip("\"“”‘’'(),;:.") if words else ""
    after_first = text.index(words[0], source[0]) + len(words[0]) if words else source[1]
    return first == "whoever" or (first in _GENERIC and bool(_WHO_RE.match(text, after_first)))


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


def _relay_name(resolver: SpeakerResolver, source: Extent | None, *, whole: bool = True) -> str | None:
    """A relaying source's name, without letting it become the 'last person' for pronouns; None
    for a source that is not a whole name (see :func:`_whole_name`): a relay is an outlet or a
    person passing the statement on, and a role word or a fragment of a place names neither."""
    if source is None or (whole and not _whole_name(resolver.text, source)):
        return None
    last = resolver.last_person
    name = resolver.resolve(source)
    resolver.last_person = last
    return name


def _title_or_owner(word: str) -> bool:
    """A capitalised word that may stand before a whole name: a title ("Senator") or an owner ("CNN's")."""
    return word.lower() in TITLES or re.search(r"[’']s$", word) is not None


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


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
    words = name.split()
    opener = re.search(r"(?:^|[.!?:][\"”’']*\s+|\n\s*)$", text[max(0, source[0] - 4) : source[0]]) is not None
    ordinary = len(words) == 1 and (
        re.search(rf"\b{re.escape(words[0].lower())}\b", text) is not None
        or (opener and re.search(r"(?:ed|ing)$", words[0]) is not None)  # "Asked about it, …"
    )
    return not ordinary and words[-1].lower() not in _CALENDAR
