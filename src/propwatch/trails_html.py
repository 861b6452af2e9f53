"""The "most relayed statements" section of the corpus report and of the dashboard.

One block per trail (:func:`propwatch.trails.most_relayed`): the statement and its speaker, a
timeline drawn as inline SVG (one lane per outlet in order of first appearance, one dot per
appearance by date, an arrow from the appearance a relay came through), and the appearances as
a list linked to the highlighted articles. Every string from the corpus is HTML-escaped; the
SVG needs no script, so it works in the mailed report and under the dashboard's strict CSP.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from propwatch.techniques import BY_NAME

esc = html.escape
Link = Callable[[str], str | None]
"""Where an appearance's document is shown highlighted (None: nowhere)."""

LANE = 22
LEFT = 150
WIDTH = 640
QUOTE_COLOUR = "#0072b2"
ECHO_COLOUR = "#d55e00"


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _positions(members: list[dict[str, Any]]) -> list[float]:
    """Each appearance's x: by date between the first and last dated ones (undated at the right)."""
    days = [_day(m["published"]) for m in members]
    known = [d for d in days if d is not None]
    first, last = (min(known), max(known)) if known else (None, None)
    span = max(((last - first).days if first and last else 0), 1)
    right = WIDTH - 20
    out = []
    for day in days:
        if day is None or first is None:
            out.append(float(right))
        else:
            out.append(LEFT + 10 + (right - LEFT - 10) * (day - first).days / span)
    return out


def timeline(members: list[dict[str, Any]]) -> str:
    """The trail as an SVG: outlets as lanes, appearances as dots by date, relays as arrows."""
    lanes: dict[str, int] = {}
    for m in members:
        lanes.setdefault(m["outlet"] or "(no outlet)", len(lanes))
    xs = _positions(members)
    y = {i: 18 + LANE * lanes[m["outlet"] or "(no outlet)"] for i, m in enumerate(members)}
    by_doc = {m["document_id"]: i for i, m in enumerate(members) if m["kind"] == "quote"}
    height = 18 + LANE * len(lanes)
    parts = [
        f'<text x="{LEFT - 8}" y="{18 + LANE * n + 4}" text-anchor="end">{esc(name[:22])}</text>'
        f'<line class=grid x1="{LEFT}" x2="{WIDTH - 10}" y1="{18 + LANE * n}" y2="{18 + LANE * n}"/>'
        for name, n in lanes.items()
    ]
    for i, m in enumerate(members):
        source = by_doc.get(m["relayed_from"] or "")
        if source is not None:
            parts.append(
                f'<line x1="{xs[source]:.1f}" y1="{y[source]}" x2="{xs[i]:.1f}" y2="{y[i]}" '
                f'stroke="{QUOTE_COLOUR}" stroke-width="1.5" marker-end="url(#relay)"/>'
            )
    for i, m in enumerate(members):
        echo = m["kind"] == "echo"
        fill = "white" if echo else QUOTE_COLOUR
        stroke = ECHO_COLOUR if echo else QUOTE_COLOUR
        what = "echo in its own voice" if echo else f"quotes {m['speaker'] or 'someone'}"
        parts.append(
            f'<circle cx="{xs[i]:.1f}" cy="{y[i]}" r="5" fill="{fill}" stroke="{stroke}" stroke-width="2">'
            f"<title>{esc(m['published'] or 'undated')} · {esc(m['outlet'] or '')} · {esc(what)}</title></circle>"
        )
    marker = (
        '<defs><marker id="relay" viewBox="0 0 10 10" refX="14" refY="5" markerWidth="6" markerHeight="6" '
        f'orient="auto"><path d="M0,0L10,5L0,10z" fill="{QUOTE_COLOUR}"/></marker></defs>'
    )
    return (
        f'<svg class="chart trail-timeline" viewBox="0 0 {WIDTH} {height + 6}" role="img" '
        f'aria-label="Outlets carrying the statement, by date">{marker}{"".join(parts)}</svg>'
    )


def _appearance(m: dict[str, Any], link: Link, outlets: dict[str, str]) -> str:
    target = link(m["document_id"])
    where = esc(m["outlet"] or "(no outlet)")
    where = f'<a href="{esc(target)}">{where}</a>' if target else where
    if m["kind"] == "echo":
        what = f"<span class=echo>echoes “{esc(m['text'])}” in its own voice</span>"
    else:
        what = f"quotes {esc(m['speaker'] or 'someone')}"
    relay = f" via {esc(' < '.join(m['via']))}" if m["via"] else ""
    came = outlets.get(m["relayed_from"] or "")
    through = f" (carried from {esc(came)})" if came else ""
    return f"<li><time>{esc(m['published'] or 'undated')}</time> {where} {what}{relay}{through}</li>"


def _techniques(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    items = ", ".join(f"{esc(BY_NAME[t].short if t in BY_NAME else t)} {n}" for t, n in counts.items())
    return f"<p class=meta>Technique spans inside its quotes: {items}</p>"


def section(trails: list[dict[str, Any]], link: Link) -> str:
    """The whole section: one block per trail, or a line saying why there is none."""
    head = (
        "<h2 id=trails>Most relayed statements</h2><p>Statements carried by two outlets or more, "
        "from <code>propwatch trails</code>: each outlet by date, the relays it names, and echoes, "
        "where an outlet repeats the statement's loaded words in its own voice.</p>"
    )
    if not trails:
        return head + (
            "<p class=empty>No statement is carried by two outlets yet (run <code>propwatch trails</code> "
            "after each ingest).</p>"
        )
    blocks = []
    for trail in trails:
        members = trail["members"]
        outlets = {m["document_id"]: m["outlet"] or "(no outlet)" for m in members}
        statement = " ".join(trail["statement"].split())
        blocks.append(
            f"<section class=trail id=trail-{trail['id']}><h3>“{esc(statement)}”</h3>"
            f"<p class=meta>{esc(trail['speaker'] or 'unknown speaker')} · first {esc(trail['first_published'] or '')}"
            f" · {len(trail['outlets'])} outlets · {trail['appearances']} quotes · {trail['echoes']} echoes</p>"
            + _techniques(trail["techniques"])
            + timeline(members)
            + f"<ol class=appearances>{''.join(_appearance(m, link, outlets) for m in members)}</ol></section>"
        )
    return head + "".join(blocks)
