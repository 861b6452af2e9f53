"""Documents and the spans that point into them.

A :class:`Document` owns its text; a :class:`TechniqueSpan` is only a pair of character offsets
plus a label, so a span can never drift from the text it describes. Offsets are Python string
indices (code points), end exclusive, into the exact input text: no normalisation of line ends,
quotes or Unicode happens between reading a file and placing a span.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from propwatch.techniques import INDEX


class OffsetError(ValueError):
    """A span whose offsets do not fit the text it claims to index."""


def check_offsets(start: int, end: int, length: int) -> None:
    """Refuse offsets outside ``[0, length]`` or with ``end < start``; the one offset gate."""
    if not (0 <= start <= end <= length):
        raise OffsetError(f"span [{start}, {end}) does not fit a text of {length} characters")


@dataclass(frozen=True)
class TechniqueSpan:
    """A propaganda technique used in ``[start, end)`` of a document's text.

    ``score`` is the model's confidence that the span is propaganda (1.0 for gold labels);
    ``speaker`` is ``None`` for the author's own voice, else the speaker the span is attributed to.
    """

    start: int
    end: int
    technique: str
    score: float = 1.0
    speaker: str | None = None

    def __post_init__(self) -> None:
        if self.technique not in INDEX:
            raise ValueError(f"unknown technique {self.technique!r}")
        if self.start < 0 or self.end < self.start:
            raise OffsetError(f"span [{self.start}, {self.end}) is not a valid range")

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used by ``propwatch analyze --json``."""
        return {
            "start": self.start,
            "end": self.end,
            "technique": self.technique,
            "score": round(float(self.score), 4),
            "speaker": self.speaker,
        }


Extent = tuple[int, int]


def overlap(a: Extent, b: Extent) -> int:
    """Characters two extents share (0 when they only touch or are apart)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlaps_any(a: Extent, extents: Iterable[Extent]) -> bool:
    """Whether ``a`` shares a character with any of ``extents``: :func:`overlap` above 0 for one of them,
    tested inline (the linker asks it of every cue and content against every extent taken)."""
    start, end = a
    return start < end and any(low < end and start < high and low < high for low, high in extents)


@dataclass(frozen=True)
class Attribution:
    """Something said, claimed or thought, and by whom.

    ``content``, ``source`` and ``cue`` are ``[start, end)`` offsets (source and cue may be
    absent); ``speaker`` is the source resolved to the fullest name the article gives;
    ``via`` lists the relaying sources ("…, the Post reported"), innermost first, outermost last.
    """

    content: Extent
    source: Extent | None = None
    cue: Extent | None = None
    speaker: str | None = None
    via: tuple[str, ...] = ()

    def extents(self) -> list[Extent]:
        """Every extent this attribution points at, for offset checks."""
        return [e for e in (self.content, self.source, self.cue) if e is not None]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used by ``propwatch analyze --json``."""
        return {
            "content": list(self.content),
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue) if self.cue else None,
            "speaker": self.speaker,
            "via": list(self.via),
        }


_QUOTE_MARKS = '"“”'


def said_excerpt(text: str, content: Extent, inside: list[Extent | None], width: int) -> str:
    """What a speaker said, as a reader should see it: the content's words with the attribution clause
    that a statement in two quotes carries inside it ('…," she said. "…') replaced by " … ", a quote
    the content opens closed, and cut to ``width`` characters.

    The offsets stay the content's (PolNeAR marks such a statement as one content); only the words
    shown leave out the clause, which is the source's and the cue's, not the speaker's.
    """
    start, end = content
    clause = [e for e in inside if e is not None and start <= e[0] and e[1] <= end]
    if clause:
        low, high = min(e[0] for e in clause), max(e[1] for e in clause)
        before, after = text[start:low], text[high:end]
        closing = max(before.rfind(mark) for mark in _QUOTE_MARKS)
        opening = min((i for i in (after.find(mark) for mark in _QUOTE_MARKS) if i >= 0), default=-1)
        head = (before[:closing] if closing >= 0 else before).rstrip(" ,;:—-")
        tail = after[opening + 1 :] if opening >= 0 else ""
        words = f"{head} … {tail}" if tail.strip() else head
    else:
        words = text[start:end]
    words = " ".join(words.split()).rstrip(" ,")
    if words.count('"') % 2 or words.count("“") > words.count("”"):
        words += "”" if "“" in words else '"'
    return words if len(words) <= width else words[: width - 1] + "…"


def in_quotes(words: str) -> str:
    """An excerpt of a direct quote between curly marks, shown once: a content that holds its own
    marks ('"they want the waterfront."') is not marked again."""
    if words[:1] in _QUOTE_MARKS:
        words = words[1:]
        if words[-1:] in _QUOTE_MARKS:
            words = words[:-1]
    return f"“{words}”"


def _span_order(span: TechniqueSpan) -> tuple[int, int, str]:
    return span.start, span.end, span.technique


def content_id(text: str) -> str:
    """A stable id from the text itself, so re-reading the same text gives the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Document:
    """One article: the exact text plus optional metadata and the spans found in it."""

    text: str
    id: str = ""
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    spans: list[TechniqueSpan] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def add_span(self, span: TechniqueSpan) -> TechniqueSpan:
        """Attach ``span`` after checking that it indexes this document's text."""
        check_offsets(span.start, span.end, len(self.text))
        self.spans.append(span)
        return span

    def add_attribution(self, attribution: Attribution) -> Attribution:
        """Attach ``attribution`` after checking that all its extents index this text."""
        for start, end in attribution.extents():
            check_offsets(start, end, len(self.text))
        self.attributions.append(attribution)
        return attribution

    def span_text(self, span: TechniqueSpan) -> str:
        """The characters a span covers, computed from the document (spans carry no copy)."""
        return self.text[span.start : span.end]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used by ``propwatch analyze --json`` (one object per document)."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "text": self.text,
            "spans": [s.to_dict() for s in sorted(self.spans, key=_span_order)],
            "attributions": [a.to_dict() for a in sorted(self.attributions, key=lambda a: a.content)],
        }
