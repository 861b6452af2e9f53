"""The highlighted article as the page shows it, built from the ``analyze --json`` object.

It works from that JSON shape rather than from :class:`~propwatch.document.Document`, so a fresh
analysis, an article read back from the store and (once voices land) attributions and speakers
all go through one path. The text is cut at every span and quotation boundary into pieces; each
piece knows every span covering it, so overlapping spans all stay visible.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from propwatch.document import said_excerpt
from propwatch.techniques import BY_NAME, TECHNIQUES
from propwatch.voices import is_direct_quote, stance

EXCERPT_CHARS = 280
"""Longest quotation shown in full in the "who said what" panel."""


@dataclass(frozen=True)
class Piece:
    """A run of text with the same covering spans (indexes into ``spans``) and quotation.

    ``style`` and ``title`` are the initial paint and tooltip with every span shown, so the page
    reads without JavaScript; ``tags`` are the two-letter tags of the spans that end with this
    piece, drawn after it so that a technique is never told by colour alone.
    """

    text: str
    spans: tuple[int, ...]
    quote: int | None
    anchor: str | None
    style: str
    title: str
    tags: str


@dataclass(frozen=True)
class LegendItem:
    """One technique with the number of its spans in the article."""

    name: str
    short: str
    definition: str
    colour: str
    tag: str
    count: int


@dataclass(frozen=True)
class Voice:
    """One attribution: who said it, the words, the cue and source, relays, spans inside it.

    ``start`` and ``end`` bound the quoted words, so the page's script can count the spans
    inside that the filters leave shown.
    """

    index: int
    start: int
    end: int
    speaker: str | None
    excerpt: str
    cue: str | None
    source: str | None
    via: tuple[str, ...]
    span_count: int
    anchor: str | None
    quoted: bool = True
    """Whether the words are a direct quote; a paraphrase is shown without quotation marks."""
    stance: str | None = None
    """The cue of an attribution that reports no words ("dismissed"): shown before its content, which
    is then no quotation."""


@dataclass(frozen=True)
class ArticleView:
    """Everything the article template needs; ``display_score`` is the slider's starting value."""

    doc: dict[str, Any]
    display_score: float
    pieces: list[Piece]
    legend: list[LegendItem]
    voices: list[Voice]
    author_spans: int
    client_data: dict[str, Any]
    download_href: str
    download_name: str


def voice_label(speaker: str | None) -> str:
    """How a span's voice is named on the page: the author's own, or quoted from someone."""
    return "author" if speaker is None else f"quoted: {speaker}"


def is_web_link(url: str) -> bool:
    """Whether a document's URL may be a link: http(s) only, never ``javascript:`` or a file name."""
    return url.lower().startswith(("http://", "https://"))


def quote_anchor(index: int) -> str:
    """Element id of the first piece of attribution ``index``, the panel's link target."""
    return f"quote-{index}"


def _innermost(ranges: list[tuple[int, int]], left: int, right: int) -> int | None:
    """Index of the shortest range covering ``[left, right)``, or None."""
    covering = [i for i, (s, e) in enumerate(ranges) if s <= left and e >= right]
    return min(covering, key=lambda i: ranges[i][1] - ranges[i][0]) if covering else None


def pieces(doc: dict[str, Any]) -> list[Piece]:
    """Cut the text at every span and quotation boundary; empty ranges cover nothing."""
    text = doc["text"]
    spans = [(s["start"], s["end"]) for s in doc["spans"]]
    quotes = [tuple(a["content"]) for a in doc.get("attributions", [])]
    bounds = itertools.chain(itertools.chain.from_iterable(spans), itertools.chain.from_iterable(quotes))
    cuts = sorted({0, len(text), *(b for b in bounds if 0 < b < len(text))})
    anchored: set[int] = set()
    out = []
    for left, right in itertools.pairwise(cuts):
        covering = tuple(i for i, (s, e) in enumerate(spans) if s <= left and e >= right)
        quote_index = _innermost(quotes, left, right)
        anchor = None
        if quote_index is not None and quote_index not in anchored:
            anchored.add(quote_index)
            anchor = quote_anchor(quote_index)
        over = [doc["spans"][i] for i in covering]
        tags = " ".join(BY_NAME[s["technique"]].tag for s in over if s["end"] == right)
        out.append(Piece(text[left:right], covering, quote_index, anchor, paint(over), describe(over), tags))
    return out


def legend(doc: dict[str, Any]) -> list[LegendItem]:
    """All techniques in table order with their counts (the page hides the zero ones)."""
    counts = Counter(s["technique"] for s in doc["spans"])
    return [LegendItem(t.name, t.short, t.definition, t.colour, t.tag, counts[t.name]) for t in TECHNIQUES]


def _slice(text: str, pair: list[int] | None) -> str | None:
    return None if pair is None else text[pair[0] : pair[1]]


def voices(doc: dict[str, Any], anchors: set[str]) -> list[Voice]:
    """The "who said what" rows, one per attribution, in the order the article gives them."""
    text = doc["text"]
    rows = []
    for index, item in enumerate(doc.get("attributions", [])):
        start, end = item["content"]
        clause = [tuple(e) if e else None for e in (item.get("source"), item.get("cue"))]
        inside = sum(1 for s in doc["spans"] if s["start"] >= start and s["end"] <= end)
        anchor = quote_anchor(index)
        rows.append(
            Voice(
                index=index,
                start=start,
                end=end,
                speaker=item.get("speaker"),
                excerpt=said_excerpt(text, (start, end), clause, EXCERPT_CHARS),
                cue=_slice(text, item.get("cue")),
                source=_slice(text, item.get("source")),
                via=tuple(item.get("via") or ()),
                span_count=inside,
                anchor=anchor if anchor in anchors else None,
                quoted=is_direct_quote(text, start, end),
                stance=stance(text, (start, end), clause[1]),
            )
        )
    return rows


def paint(span_dicts: list[dict[str, Any]]) -> str:
    """Inline style for a piece under the given spans: the innermost span's colour as the
    background, and one underline bar per span so that overlaps show as stacked bars.

    ``static/article.js`` repaints with the same rule when the filters change.
    """
    if not span_dicts:
        return ""
    ordered = sorted(span_dicts, key=lambda s: s["end"] - s["start"])
    bars = ", ".join(
        f"inset 0 -{3 * (depth + 1)}px 0 {BY_NAME[s['technique']].colour}" for depth, s in enumerate(ordered)
    )
    return f"background-color: {BY_NAME[ordered[0]['technique']].colour}33; box-shadow: {bars};"


def describe(span_dicts: list[dict[str, Any]]) -> str:
    """Plain-text details of the spans over a piece, for the title tooltip without JavaScript."""
    return "\n".join(
        f"{BY_NAME[s['technique']].short} ({s['score']:.2f}, {voice_label(s['speaker'])})" for s in span_dicts
    )


def technique_table() -> dict[str, dict[str, str]]:
    """Short name, colour and definition of every technique, for the page's script."""
    return {
        t.name: {"short": t.short, "colour": t.colour, "definition": t.definition, "tag": t.tag} for t in TECHNIQUES
    }


def article_view(doc: dict[str, Any], display_score: float = 0.0) -> ArticleView:
    """The view of one analysed document given as its ``analyze --json`` object.

    ``display_score`` is where the confidence slider starts (the model's display score), so
    the page opens on the spans the model is fairly sure of; the slider shows the rest.
    """
    cut = pieces(doc)
    anchors = {p.anchor for p in cut if p.anchor}
    payload = json.dumps(doc, ensure_ascii=False)
    return ArticleView(
        doc=doc,
        display_score=display_score,
        pieces=cut,
        legend=legend(doc),
        voices=voices(doc, anchors),
        author_spans=sum(1 for s in doc["spans"] if s["speaker"] is None),
        client_data={"spans": doc["spans"], "techniques": technique_table()},
        download_href="data:application/json;charset=utf-8," + quote(payload, safe=""),
        download_name=f"propwatch-{doc['id'] or 'article'}.json",
    )
