"""The report's HTML pieces: inline SVG bars and lines, legends, tables and number formats.

Drawn here rather than by a charting library so that the page needs no script and nothing
fetched from a network; the dashboard draws its figures with the same pieces. Every string from
the corpus passes through :data:`esc`.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from propwatch.techniques import BY_NAME

esc = html.escape


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a bar or one line of a chart; ``tag`` is written on it where it fits,
    so that a technique is never told by colour alone."""

    name: str
    colour: str
    tag: str = ""


Interval = tuple[float | None, float | None]


def _short(technique: str) -> str:
    return BY_NAME[technique].short


def _fmt(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _range(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{_fmt(low)}–{_fmt(high)}"


LABEL_CHARS = 44
"""Longest bar label drawn in full; longer ones end in "…" (the tooltip has the whole name)."""


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def stacked_bars(
    rows: list[tuple[str, list[tuple[Segment, float]]]], unit: str, intervals: list[Interval] | None = None
) -> str:
    """Horizontal stacked bars as inline SVG: one row per label, one piece per segment.

    The label column is as wide as the longest label (so none is cut at the left); a row with
    an interval gets a whisker from its low to its high end, and the range after the bar.
    """
    if not rows:
        return "<p class=empty>No data.</p>"
    label_w = 16 + 7 * max(len(_label(label)) for label, _ in rows)
    bar_w, row_h = 520, 24
    tops = [sum(v for _, v in parts) for _, parts in rows]
    peak = max([*tops, *(hi or 0 for _, hi in intervals or [])]) or 1.0
    out = [f'<svg class=chart viewBox="0 0 {label_w + bar_w + 150} {row_h * len(rows) + 8}" role=img>']
    for i, (label, parts) in enumerate(rows):
        y = 4 + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor=end>{esc(_label(label))}'
            f"<title>{esc(label)}</title></text>"
        )
        x = float(label_w)
        for segment, value in parts:
            width = bar_w * value / peak
            if width > 0:
                tip = f"{label}: {segment.name} {_fmt(value)} {unit}"
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" '
                    f'fill="{segment.colour}"><title>{esc(tip)}</title></rect>'
                )
                if segment.tag and width >= 22:
                    out.append(f'<text x="{x + width / 2:.1f}" y="{y + 16}" class=tag>{segment.tag}</text>')
            x += width
        text = _fmt(tops[i])
        low, high = intervals[i] if intervals else (None, None)
        if low is not None and high is not None:
            x0, x1 = label_w + bar_w * low / peak, label_w + bar_w * high / peak
            mid = y + row_h / 2
            out.append(
                f'<path class=whisker d="M{x0:.1f} {mid - 5}v10M{x0:.1f} {mid}H{x1:.1f}M{x1:.1f} {mid - 5}v10" />'
            )
            x, text = max(x, x1), f"{text} ({_range(low, high)})"
        out.append(f'<text x="{x + 6:.1f}" y="{y + 16}">{text}</text>')
    out.append("</svg>")
    return "".join(out)


def _ticks(peak: float) -> list[float]:
    """About four round tick values (steps of 1, 2, 2.5 or 5 × 10^k) from 0 to at least ``peak``."""
    raw = (peak or 1.0) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(peak / step) + 1)]


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Split a series into runs of consecutive months, so a month without articles stays a gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


Series = tuple[Segment, list[float | None], list[Interval] | None]


def _end_tags(ends: list[tuple[float, float, Segment]], floor: float) -> list[str]:
    """Each line's tag after its last point, pushed down where it would overprint another, or up where
    pushing down would run past the chart's floor into the month labels (lines ending near zero)."""
    placed = _stacked(sorted(ends, key=lambda e: (e[0], e[1])), 12)
    if any(y > floor for _, y, _ in placed):
        placed = _stacked(sorted(ends, key=lambda e: (e[0], -e[1])), -12)
    return [f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" fill="{s.colour}">{s.tag}</text>' for x, y, s in placed]


def _stacked(ends: list[tuple[float, float, Segment]], step: float) -> list[tuple[float, float, Segment]]:
    """The tags in order, each moved by ``step`` until it overprints none placed before it."""
    placed: list[tuple[float, float, Segment]] = []
    for x, y, segment in ends:
        while any(abs(x - px) < 24 and abs(y - py) < 12 for px, py, _ in placed):
            y += step
        placed.append((x, y, segment))
    return placed


def line_chart(months: list[str], lines: list[Series], unit: str) -> str:
    """Lines over months as inline SVG; a month without articles leaves a gap, not a zero.

    A series with intervals draws a whisker through each point from its low to its high end.
    """
    values = [v for _, series, _ in lines for v in series if v is not None]
    values += [hi for _, _, spread in lines for _, hi in spread or [] if hi is not None]
    if not months or not values:
        return "<p class=empty>No dated articles (published as YYYY-MM-DD) to chart.</p>"
    left, top, width, height = 56, 10, 700, 220
    ticks = _ticks(max(values))
    y_max = ticks[-1] or 1.0
    step = width / max(len(months) - 1, 1)

    def y_of(value: float) -> float:
        return top + height * (1 - value / y_max)

    out = [f'<svg class=chart viewBox="0 0 {left + width + 40} {top + height + 40}" role=img>']
    for tick in ticks:
        out.append(
            f'<line x1="{left}" x2="{left + width}" y1="{y_of(tick):.1f}" y2="{y_of(tick):.1f}" class=grid />'
            f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor=end>{tick:g}</text>'
        )
    every = max(1, len(months) // 12)
    for i, month in enumerate(months):
        if i % every == 0:
            out.append(f'<text x="{left + i * step:.1f}" y="{top + height + 18}" text-anchor=middle>{month}</text>')
    ends: list[tuple[float, float, Segment]] = []
    for n, (segment, series, spread) in enumerate(lines):
        shift = (n - (len(lines) - 1) / 2) * 3 if spread else 0  # whiskers of several lines side by side
        points = [None if v is None else (left + i * step + shift, y_of(v)) for i, v in enumerate(series)]
        for run in _runs(points):
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            out.append(f'<polyline points="{coords}" fill=none stroke="{segment.colour}" stroke-width=2 />')
        last = next((p for p in reversed(points) if p is not None), None)
        if segment.tag and last is not None:
            ends.append((last[0], last[1], segment))
        for i, (month, value, point) in enumerate(zip(months, series, points, strict=True)):
            if point is None or value is None:
                continue
            low, high = spread[i] if spread else (None, None)
            tip = f"{segment.name}, {month}: {_fmt(value)} {unit}" + (
                f" ({_range(low, high)})" if low is not None else ""
            )
            if low is not None and high is not None:
                out.append(
                    f'<line x1="{point[0]:.1f}" x2="{point[0]:.1f}" y1="{y_of(low):.1f}" y2="{y_of(high):.1f}" '
                    f'stroke="{segment.colour}" stroke-width=1.5 />'
                )
            out.append(
                f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r=3 fill="{segment.colour}">'
                f"<title>{esc(tip)}</title></circle>"
            )
    out.extend(_end_tags(ends, top + height))
    out.append(f'<text x="{left}" y="{top + height + 36}" class=unit>{esc(unit)}</text></svg>')
    return "".join(out)


def legend(segments: list[Segment]) -> str:
    """A row of colour swatches with names."""
    items = "".join(f'<span><i style="background:{s.colour}"></i>{esc(s.name)}</span>' for s in segments)
    return f"<div class=legend>{items}</div>"


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A plain HTML table of ``rows`` with ``(key, heading)`` columns: the numbers behind a chart."""
    head = "".join(f"<th>{esc(h)}</th>" for _, h in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row, k)}</td>" for k, _ in columns) + "</tr>" for row in rows)
    return f"<div class=scroll><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _cell(row: dict[str, Any], key: str) -> str:
    if key == "interval":
        return "one article" if row.get("documents") == 1 else _range(row.get("low"), row.get("high"))
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, int):
        return f"{value:,}"
    return esc(str(value))


def _spread(row: dict[str, Any]) -> Interval:
    """A row's interval for a chart; none for one article, whose interval is a point."""
    return (None, None) if row["documents"] < 2 else (row["low"], row["high"])


RATE_COLUMNS = [("per_1000_words", "rate"), ("interval", "90% interval"), ("spans", "spans"), ("words", "words")]


def _technique_segments(techniques: list[str]) -> list[Segment]:
    return [Segment(_short(t), BY_NAME[t].colour, BY_NAME[t].tag) for t in techniques]
