"""Output formats shared by every command: JSON Lines and a readable terminal view."""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from typing import TextIO

from propwatch.document import Document
from propwatch.techniques import BY_NAME, TECHNIQUES


def to_json_line(doc: Document) -> str:
    """One document as one line of JSON (the stable ``analyze --json`` format)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False)


def _ansi(hex_colour: str, text: str, colour: bool) -> str:
    if not colour:
        return text
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[1;38;2;{r};{g};{b}m{text}\x1b[0m"


def _abbrev(technique: str) -> str:
    return "".join(word[0] for word in BY_NAME[technique].short.replace("/", " ").split()).upper()


def highlight(doc: Document, colour: bool) -> str:
    """The article with each span in its technique's colour and a ``[tag score]`` after it.

    Overlapping spans stay visible: the innermost span colours the characters, and every
    span that ends at a position gets its own tag there.
    """
    spans = sorted(doc.spans, key=lambda s: (s.start, -s.end))
    cuts = sorted({0, len(doc.text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for left, right in itertools.pairwise(cuts):
        active = [s for s in spans if s.start <= left and s.end >= right]
        piece = doc.text[left:right]
        out.append(_ansi(BY_NAME[active[-1].technique].colour, piece, colour) if active else piece)
        for span in spans:
            if span.end == right:
                voice = f" · {span.speaker}" if span.speaker else ""
                tag = f"[{_abbrev(span.technique)} {span.score:.2f}{voice}]"
                out.append(_ansi(BY_NAME[span.technique].colour, tag, colour))
    return "".join(out)


def legend(doc: Document, colour: bool) -> str:
    """Technique counts with their abbreviations, most frequent first."""
    counts = Counter(s.technique for s in doc.spans)
    if not counts:
        return "No propaganda techniques found."
    lines = ["Techniques:"]
    for technique in sorted(TECHNIQUES, key=lambda t: -counts[t.name]):
        if counts[technique.name]:
            tag = _ansi(technique.colour, f"{_abbrev(technique.name):>4}", colour)
            lines.append(f"  {tag}  {technique.short}: {counts[technique.name]}")
    return "\n".join(lines)


def who_said_what(doc: Document, width: int = 70) -> str:
    """One line per attribution: speaker, relays, and the start of what was said."""
    if not doc.attributions:
        return "No attributed speech found."
    lines = ["Who said what:"]
    for item in sorted(doc.attributions, key=lambda a: a.content):
        said = " ".join(doc.text[item.content[0] : item.content[1]].split())
        said = said if len(said) <= width else said[: width - 1] + "…"
        via = f" (via {', '.join(item.via)})" if item.via else ""
        lines.append(f"  {item.speaker or 'unnamed source'}{via}: {said}")
    return "\n".join(lines)


def write_terminal(doc: Document, out: TextIO) -> None:
    """Header, highlighted text, legend and who-said-what for one document."""
    colour = out.isatty() and "NO_COLOR" not in os.environ
    header = doc.title or doc.url or doc.id
    out.write(f"══ {header} ({len(doc.spans)} spans) ══\n")
    out.write(highlight(doc, colour).rstrip() + "\n\n")
    out.write(legend(doc, colour) + "\n\n")
    out.write(who_said_what(doc) + "\n\n")
