"""Speakers: the fullest name the article gives for a source phrase, in reading order."""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.document import Attribution, Extent
from propwatch.voices.linking import Link
from propwatch.voices.text import _DETERMINERS, _NAME_RE, PRONOUNS, TITLES, _containing, _is_quote, paragraphs


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
