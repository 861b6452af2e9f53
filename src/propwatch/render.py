"""Output formats shared by every command: JSON Lines and a readable terminal view.

Also the one place that knows the model's display score: views meant for reading (this
terminal view, the web page's default slider, the HTML report) show the spans scored at or
above it, while ``--json`` and the store keep every span with its score.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from propwatch.document import Document, in_quotes, said_excerpt
from propwatch.techniques import BY_NAME, TECHNIQUES
from propwatch.voices import is_direct_quote, stance

DISPLAY_FALLBACK = 0.5
"""Display score for a model whose ``model.json`` names none: the calibrated scores' even odds."""
OPEN, CLOSE = "⟦", "⟧"
"""Marks around a span in the terminal, so its start shows without colour too."""


def display_score(analyzer: Any = None, model_dir: Path | None = None) -> float:
    """The lowest span score the reading views show by default: the model's ``display_score``.

    Read from the analyzer when it has the attribute, else from ``model.json`` of its model (or
    of ``model_dir``, or the shipped model), else :data:`DISPLAY_FALLBACK`.
    """
    value = getattr(analyzer, "display_score", None)
    if isinstance(value, int | float):
        return float(value)
    model = getattr(analyzer, "model", None)
    folder = getattr(model, "folder", None) or model_dir
    if folder is None:
        from propwatch.model.runtime import DEFAULT_MODEL_DIR

        folder = DEFAULT_MODEL_DIR
    try:
        settings = json.loads((Path(folder) / "model.json").read_text())
    except (OSError, ValueError):
        return DISPLAY_FALLBACK
    return float(settings.get("display_score", DISPLAY_FALLBACK))


def to_json_line(doc: Document) -> str:
    """One document as one line of JSON (the stable ``analyze --json`` format)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False)


def _ansi(hex_colour: str, text: str, colour: bool) -> str:
    if not colour:
        return text
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[1;38;2;{r};{g};{b}m{text}\x1b[0m"


def highlight(doc: Document, colour: bool) -> str:
    """The article with each span between ``⟦`` and ``⟧[tag score]`` and, in colour, coloured.

    Both ends are marked so that a span reads without colour (piped, NO_COLOR). Overlapping
    spans stay visible: the innermost span colours the characters, and each span opens and
    closes its own marks.
    """
    spans = sorted(doc.spans, key=lambda s: (s.start, -s.end))
    cuts = sorted({0, len(doc.text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for left, right in itertools.pairwise(cuts):
        for span in spans:
            if span.start == left:
                out.append(_ansi(BY_NAME[span.technique].colour, OPEN, colour))
        active = [s for s in spans if s.start <= left and s.end >= right]
        piece = doc.text[left:right]
        out.append(_ansi(BY_NAME[active[-1].technique].colour, piece, colour) if active else piece)
        for span in reversed(spans):
            if span.end == right:
                voice = f" · {span.speaker}" if span.speaker else ""
                tag = f"{CLOSE}[{BY_NAME[span.technique].tag} {span.score:.2f}{voice}]"
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
            tag = _ansi(technique.colour, f"{technique.tag:>4}", colour)
            lines.append(f"  {tag}  {technique.short}: {counts[technique.name]}")
    return "\n".join(lines)


def who_said_what(doc: Document, width: int = 70) -> str:
    """One line per attribution: speaker, relays, and the start of what was said."""
    if not doc.attributions:
        return "No attributed speech found."
    lines = ["Who said what:"]
    for item in sorted(doc.attributions, key=lambda a: a.content):
        said = said_excerpt(doc.text, item.content, [item.source, item.cue], width)
        via = f" (via {', '.join(item.via)})" if item.via else ""
        cue = stance(doc.text, item.content, item.cue)  # "Rami Nasser dismissed: the message"
        if not cue and is_direct_quote(doc.text, *item.content):  # a paraphrase is the outlet's words
            said = in_quotes(said)
        lines.append(f"  {item.speaker or 'unnamed source'}{via}{' ' + cue if cue else ''}: {said}")
    return "\n".join(lines)


def headline(doc: Document) -> str:
    """What a document is called: its title (HTML, sidecar), else its first line if short, else its id.

    Text files have no title field, but news copy opens with its headline; using it makes the
    header of a text file and of an HTML page the same kind of thing.
    """
    if doc.title:
        return doc.title
    first = next((line.strip() for line in doc.text.splitlines() if line.strip()), "")
    return first if 0 < len(first) <= 120 else doc.id or "(untitled)"


def _header(doc: Document, shown: int, min_score: float) -> str:
    where = " · ".join(x for x in (doc.outlet, doc.published, doc.url or doc.id) if x)
    hidden = len(doc.spans) - shown
    count = f"{shown} span{'' if shown == 1 else 's'}"
    if hidden:
        count += f" scored {min_score:.2f} or more ({hidden} below it: --all shows them)"
    return f"══ {headline(doc)} ══\n{where} · {count}\n"


def write_terminal(doc: Document, out: TextIO, *, min_score: float = 0.0) -> None:
    """Header, highlighted text, legend and who-said-what for one document.

    Only spans scored ``min_score`` or more are drawn (the caller passes the display score).
    """
    colour = out.isatty() and "NO_COLOR" not in os.environ
    shown = replace(doc, spans=[s for s in doc.spans if s.score >= min_score])
    out.write(_header(doc, len(shown.spans), min_score))
    out.write(highlight(shown, colour).rstrip() + "\n\n")
    hidden = len(doc.spans) - len(shown.spans)
    empty = f"No span scored {min_score:.2f} or more ({hidden} below it: --all shows them)." if hidden else None
    out.write((empty if empty and not shown.spans else legend(shown, colour)) + "\n\n")
    out.write(who_said_what(shown) + "\n\n")
