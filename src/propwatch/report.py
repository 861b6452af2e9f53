"""The corpus report: which outlets use which techniques, since when, and in whose voice.

:func:`collect` answers the questions with SQL over the store and returns plain tables (the
``--format json`` output); :func:`render_html` draws the same tables as one self-contained HTML
file: inline SVG charts drawn here, inline CSS, no script and nothing fetched from a network, so
the file can be mailed, archived or opened offline. Every article is listed, the most
technique-dense first, and embedded as a highlighted view with who said what. Every string from
the corpus is HTML-escaped.

A rate is an expected count per 1,000 words (``documents.words``): the sum of the calibrated
scores of the spans, i.e. how many of them the model expects to be right, so a span scored 0.3
counts 0.3 and long and short articles and big and small outlets compare fairly. Each rate per
outlet, month and speaker comes with a 90% bootstrap interval over articles (:func:`interval`):
how far the rate would move with another sample of the same outlet's articles. It says nothing
of the model's own errors, which every rate inherits. Months come from ``published`` when it
starts ``YYYY-MM``. The highlighted views draw the spans at or above the model's display score;
rates count every span by its score.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from propwatch import trails, trails_html
from propwatch.document import said_excerpt
from propwatch.store import Store
from propwatch.techniques import BY_NAME, NAMES
from propwatch.trails import most_relayed
from propwatch.voices import is_direct_quote, stance

NO_OUTLET = "(no outlet)"
TOP = 20
MIN_WORDS = 50
"""Shortest article that may rank as technique-dense: a two-line snippet with one span is not news."""
LEVEL = 0.90
"""Coverage of the bootstrap intervals."""
DRAWS = 1000
"""Bootstrap resamples per interval: enough for steady 5% and 95% quantiles."""
SEED = 2026
"""The resampling is seeded so that a report of the same store is the same report."""
COMPARED = 6
"""Outlets (the most articles first) whose rates are compared pairwise."""
WHAT_A_RATE_IS = (
    "A rate is the number of technique spans the model expects per 1,000 words (the sum of its "
    "calibrated span scores): it measures rhetoric the model finds, not falsehood, and it is not a "
    "verdict on an outlet or a person; it inherits the model's errors. Ranges are 90% bootstrap "
    "intervals over articles."
)

OUTLET_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#999933")
"""Okabe-Ito colours for outlet lines: distinct from the technique colours and colour-blind safe."""

_OK = (
    "(SELECT id, coalesce(outlet, '" + NO_OUTLET + "') AS outlet, words, "
    "nullif(regexp_extract(published, '^(\\d{4}-\\d{2})', 1), '') AS month FROM documents WHERE status = 'ok')"
)


def interval(
    expected: np.ndarray | list[float],
    words: np.ndarray | list[int],
    *,
    level: float = LEVEL,
    draws: int = DRAWS,
    seed: int = SEED,
) -> tuple[float | None, float | None, float | None]:
    """Rate per 1,000 words of articles with ``expected`` counts and ``words``, and its interval.

    The interval is the percentile bootstrap over articles: resample the articles with
    replacement, recompute the pooled rate, take the central ``level`` of the resampled rates.
    Articles, not words, are resampled because spans cluster by article (one angry column).
    One article gives a zero-width interval: a single article says nothing about the spread.
    """
    e = np.asarray(expected, dtype=np.float64)
    w = np.asarray(words, dtype=np.float64)
    if len(w) == 0 or w.sum() <= 0:
        return None, None, None
    rate = 1000.0 * e.sum() / w.sum()
    rng = np.random.default_rng(seed)
    stats = np.empty(draws)
    chunk = max(1, 2_000_000 // len(w))  # bounds memory on big corpora: chunk x articles indexes
    for first in range(0, draws, chunk):
        rows = min(chunk, draws - first)
        picks = rng.integers(0, len(w), size=(rows, len(w)))
        sampled_words = w[picks].sum(axis=1)
        stats[first : first + rows] = np.where(
            sampled_words > 0, 1000.0 * e[picks].sum(axis=1) / np.maximum(sampled_words, 1), np.nan
        )
    low, high = np.nanquantile(stats, [(1 - level) / 2, (1 + level) / 2])
    return round(rate, 3), round(float(low), 3), round(float(high), 3)


def _rated(row: dict[str, Any], expected: list[float], words: list[int]) -> dict[str, Any]:
    """``row`` with its rate (``per_1000_words``) and interval (``low``, ``high``) filled in."""
    rate, low, high = interval(expected, words)
    return {**row, "per_1000_words": rate, "low": low, "high": high}


def _rate(expected: float, words: int | None) -> float | None:
    return round(1000.0 * expected / words, 3) if words else None


def _rows(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = store.con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _summary(store: Store, min_score: float) -> dict[str, Any]:
    summary = _rows(
        store,
        f"""WITH d AS {_OK}, s AS (SELECT spans.* FROM spans JOIN d ON spans.document_id = d.id)
        SELECT (SELECT count(*) FROM d) AS documents,
               (SELECT count(*) FROM documents WHERE status = 'error') AS failed,
               (SELECT coalesce(sum(words), 0) FROM d) AS words,
               (SELECT count(*) FROM s) AS spans,
               (SELECT count(*) FROM s WHERE score >= ?) AS spans_shown,
               (SELECT round(coalesce(sum(score), 0), 3) FROM s) AS expected,
               (SELECT count(DISTINCT outlet) FROM d) AS outlets,
               (SELECT min(month) FROM d) AS first_month,
               (SELECT max(month) FROM d) AS last_month""",
        [min_score],
    )[0]
    return {**summary, "display_score": min_score}


def _articles(store: Store) -> list[dict[str, Any]]:
    """Every analysed article with its outlet, month, words, span count and expected count."""
    return _rows(
        store,
        f"""WITH d AS {_OK}, e AS (SELECT document_id, count(*) AS spans, sum(coalesce(score, 0)) AS expected
                                  FROM spans GROUP BY 1)
        SELECT d.id, d.outlet, d.month, d.words, coalesce(e.spans, 0) AS spans,
               coalesce(e.expected, 0.0) AS expected
        FROM d LEFT JOIN e ON e.document_id = d.id WHERE d.words > 0 ORDER BY d.id""",
    )


def _grouped(articles: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for article in articles:
        groups[tuple(article[k] for k in keys)].append(article)
    return groups


def _group_row(key: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals and rate with interval for one group of articles (an outlet, a month)."""
    row = {
        **key,
        "documents": len(members),
        "words": sum(a["words"] for a in members),
        "spans": sum(a["spans"] for a in members),
        "expected": round(sum(a["expected"] for a in members), 3),
    }
    return _rated(row, [a["expected"] for a in members], [a["words"] for a in members])


def _outlet_tables(store: Store, articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Totals per outlet with intervals, and every outlet x technique pair with its rate (zeros included)."""
    counts = {
        (r["outlet"], r["technique"]): r
        for r in _rows(
            store,
            f"""SELECT d.outlet, s.technique, count(*) AS spans, sum(coalesce(s.score, 0)) AS expected
            FROM spans s JOIN {_OK} d ON s.document_id = d.id GROUP BY ALL""",
        )
    }
    outlets = [_group_row({"outlet": o}, members) for (o,), members in _grouped(articles, "outlet").items()]
    rates = []
    for row in outlets:
        for technique in NAMES:
            found = counts.get((row["outlet"], technique), {"spans": 0, "expected": 0.0})
            rates.append(
                {
                    "outlet": row["outlet"],
                    "technique": technique,
                    "spans": found["spans"],
                    "expected": round(found["expected"], 3),
                    "per_1000_words": _rate(found["expected"], row["words"]),
                }
            )
    outlets.sort(key=lambda r: (-(r["per_1000_words"] or 0), r["outlet"]))
    return outlets, rates


def _monthly_tables(store: Store, articles: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per month: all outlets together and each outlet, with intervals; technique counts per month."""
    dated = [a for a in articles if a["month"]]
    months = [_group_row({"month": m}, members) for (m,), members in sorted(_grouped(dated, "month").items())]
    by_outlet = [
        _group_row({"month": m, "outlet": o}, members)
        for (m, o), members in sorted(_grouped(dated, "month", "outlet").items())
    ]
    techniques = _rows(
        store,
        f"""SELECT d.month, d.outlet, s.technique, count(*) AS spans, round(sum(coalesce(s.score, 0)), 3) AS expected
        FROM spans s JOIN {_OK} d ON s.document_id = d.id WHERE d.month IS NOT NULL GROUP BY ALL ORDER BY ALL""",
    )
    return {"months": months, "monthly": by_outlet, "monthly_techniques": techniques}


def _voices(store: Store, outlets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expected counts in the author's own voice (speaker NULL) against quoted ones, per outlet."""
    counts = {
        r["outlet"]: r
        for r in _rows(
            store,
            f"""SELECT d.outlet, count(*) FILTER (WHERE s.speaker IS NULL) AS author,
            count(*) FILTER (WHERE s.speaker IS NOT NULL) AS quoted,
            coalesce(sum(s.score) FILTER (WHERE s.speaker IS NULL), 0) AS author_expected,
            coalesce(sum(s.score) FILTER (WHERE s.speaker IS NOT NULL), 0) AS quoted_expected
            FROM spans s JOIN {_OK} d ON s.document_id = d.id GROUP BY ALL""",
        )
    }
    rows = []
    for outlet in outlets:
        c = counts.get(outlet["outlet"], {"author": 0, "quoted": 0, "author_expected": 0.0, "quoted_expected": 0.0})
        words = outlet["words"]
        rows.append(
            {
                "outlet": outlet["outlet"],
                "author_spans": c["author"],
                "quoted_spans": c["quoted"],
                "words": words,
                "author_per_1000_words": _rate(c["author_expected"], words),
                "quoted_per_1000_words": _rate(c["quoted_expected"], words),
            }
        )
    return rows


_QUOTED_WORDS = "len(regexp_extract_all(substr(t.text, a.content_start + 1, a.content_end - a.content_start), '\\S+'))"


def _speakers(store: Store, top: int) -> list[dict[str, Any]]:
    """The ``top`` quoted speakers by span count: spans per 1,000 words of what they are quoted saying.

    The interval resamples the articles each speaker is quoted in.
    """
    pairs = _rows(
        store,
        f"""WITH d AS {_OK},
        q AS (SELECT s.speaker, s.document_id, d.outlet, count(*) AS spans, sum(coalesce(s.score, 0)) AS expected
              FROM spans s JOIN d ON s.document_id = d.id WHERE s.speaker IS NOT NULL GROUP BY ALL),
        w AS (SELECT a.speaker, a.document_id, sum({_QUOTED_WORDS}) AS words
              FROM attributions a JOIN documents t ON t.id = a.document_id JOIN d ON d.id = a.document_id
              WHERE a.speaker IS NOT NULL GROUP BY ALL)
        SELECT q.speaker, q.document_id, q.outlet, q.spans, q.expected, coalesce(w.words, 0) AS words
        FROM q LEFT JOIN w ON w.speaker = q.speaker AND w.document_id = q.document_id""",
    )
    techniques: dict[str, Counter[str]] = defaultdict(Counter)
    for row in _rows(
        store, "SELECT speaker, technique, count(*) AS n FROM spans WHERE speaker IS NOT NULL GROUP BY ALL"
    ):
        techniques[row["speaker"]][row["technique"]] = row["n"]
    rows = []
    for (speaker,), members in _grouped(pairs, "speaker").items():
        row = {
            "speaker": speaker,
            "spans": sum(m["spans"] for m in members),
            "expected": round(sum(m["expected"] for m in members), 3),
            "documents": len(members),
            "outlets": len({m["outlet"] for m in members}),
            "words": sum(m["words"] for m in members),
            "techniques": dict(techniques[speaker].most_common()),
        }
        rows.append(_rated(row, [m["expected"] for m in members], [m["words"] for m in members]))
    rows.sort(key=lambda r: (-r["spans"], r["speaker"]))
    return rows[:top]


def _comparisons(outlets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs of the largest outlets (two articles or more): do their intervals overlap?"""
    compared = sorted(
        (o for o in outlets if o["documents"] >= 2 and o["per_1000_words"] is not None),
        key=lambda o: (-o["documents"], o["outlet"]),
    )[:COMPARED]
    rows = []
    for a, b in itertools.combinations(compared, 2):
        high, low = (a, b) if a["per_1000_words"] >= b["per_1000_words"] else (b, a)
        rows.append(
            {
                "higher": high["outlet"],
                "lower": low["outlet"],
                "higher_rate": high["per_1000_words"],
                "lower_rate": low["per_1000_words"],
                "overlap": low["high"] >= high["low"],
            }
        )
    return rows


def _listed(store: Store, top: int, min_words: int, min_score: float) -> list[dict[str, Any]]:
    """Articles of ``min_words`` or more, the most technique-dense first, spanless ones too."""
    return _rows(
        store,
        """WITH c AS (SELECT document_id, count(*) AS spans, count(*) FILTER (WHERE score >= ?) AS shown,
                             sum(coalesce(score, 0)) AS expected FROM spans GROUP BY 1)
        SELECT id, title, outlet, published, url, words, coalesce(c.spans, 0) AS spans,
               coalesce(c.shown, 0) AS shown, round(coalesce(c.expected, 0), 3) AS expected,
               round(1000.0 * coalesce(c.expected, 0) / words, 3) AS per_1000_words
        FROM documents LEFT JOIN c ON c.document_id = documents.id
        WHERE status = 'ok' AND words >= ?
        ORDER BY per_1000_words DESC, id LIMIT ?""",
        [min_score, min_words, top],
    )


def collect(store: Store, *, top: int = TOP, min_words: int = MIN_WORDS, min_score: float = 0.0) -> dict[str, Any]:
    """Every table of the report, as JSON-ready lists of rows (the ``--format json`` output).

    ``min_score`` is the display score: it only decides which spans the article views draw
    (``shown``); every rate counts every span by its score.
    """
    articles = _articles(store)
    outlets, outlet_techniques = _outlet_tables(store, articles)
    return {
        "summary": _summary(store, min_score),
        "outlets": outlets,
        "outlet_techniques": outlet_techniques,
        "comparisons": _comparisons(outlets),
        **_monthly_tables(store, articles),
        "voices": _voices(store, outlets),
        "speakers": _speakers(store, top),
        "dense_articles": _listed(store, top, min_words, min_score),
        "trails": most_relayed(store.con, trails.TOP),
    }


# ---- drawing ---------------------------------------------------------------------------------

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


def _end_tags(ends: list[tuple[float, float, Segment]]) -> list[str]:
    """Each line's tag after its last point, pushed down where it would overprint another."""
    placed: list[tuple[float, float]] = []
    tags = []
    for x, y, segment in sorted(ends, key=lambda e: (e[0], e[1])):
        while any(abs(x - px) < 24 and abs(y - py) < 12 for px, py in placed):
            y += 12
        placed.append((x, y))
        tags.append(f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" fill="{segment.colour}">{segment.tag}</text>')
    return tags


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
    out.extend(_end_tags(ends))
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


# ---- sections --------------------------------------------------------------------------------


def _technique_segments(techniques: list[str]) -> list[Segment]:
    return [Segment(_short(t), BY_NAME[t].colour, BY_NAME[t].tag) for t in techniques]


def outlet_section(tables: dict[str, Any]) -> str:
    rates = {(r["outlet"], r["technique"]): r["per_1000_words"] or 0.0 for r in tables["outlet_techniques"]}
    outlets = tables["outlets"]
    used = [t for t in NAMES if any(rates.get((o["outlet"], t)) for o in outlets)]
    segments = dict(zip(used, _technique_segments(used), strict=True))
    bars = [(o["outlet"], [(segments[t], rates[(o["outlet"], t)]) for t in used]) for o in outlets]
    heat = _heatmap(outlets, rates, used)
    return (
        "<h2 id=outlets>Technique rates per outlet</h2>"
        f"<p class=note>{WHAT_A_RATE_IS}</p>"
        "<p>Expected spans per 1,000 words, split by technique, with the 90% interval of the total; "
        "outlets with the highest overall rate first.</p>"
        + stacked_bars(bars, "per 1,000 words", [_spread(o) for o in outlets])
        + legend(list(segments.values()))
        + table(outlets, [("outlet", "outlet"), ("documents", "articles"), *RATE_COLUMNS])
        + comparison_section(tables)
        + heat
    )


def comparison_section(tables: dict[str, Any]) -> str:
    """One sentence per pair of the largest outlets: whether their intervals overlap."""
    pairs = tables["comparisons"]
    if not pairs:
        return ""
    by_outlet = {o["outlet"]: o for o in tables["outlets"]}
    items = []
    for pair in pairs:
        high, low = by_outlet[pair["higher"]], by_outlet[pair["lower"]]
        verdict = (
            "the intervals overlap, so these articles do not show a difference between them"
            if pair["overlap"]
            else "the intervals do not overlap: a difference that resampling the articles does not explain"
        )
        items.append(
            f"<li><b>{esc(high['outlet'])}</b> {_fmt(high['per_1000_words'])} ({_range(high['low'], high['high'])}) "
            f"and <b>{esc(low['outlet'])}</b> {_fmt(low['per_1000_words'])} ({_range(low['low'], low['high'])}): "
            f"{verdict}.</li>"
        )
    return (
        "<h3 id=compare>Comparing outlets</h3><p>The outlets with the most articles, two by two.</p>"
        f"<ul class=compare>{''.join(items)}</ul>"
    )


def _heatmap(outlets: list[dict[str, Any]], rates: dict[tuple[str, str], float], used: list[str]) -> str:
    """Outlet × technique rates as a shaded table: read down a column to rank outlets."""
    peak = max(rates.values(), default=0.0) or 1.0
    head = "<th>outlet</th><th>articles</th>" + "".join(f"<th>{esc(_short(t))}</th>" for t in used)
    body = []
    for o in outlets:
        cells = []
        for t in used:
            value = rates[(o["outlet"], t)]
            alpha = int(120 * value / peak)
            cells.append(f'<td style="background:{BY_NAME[t].colour}{alpha:02x}">{_fmt(value)}</td>')
        body.append(f"<tr><td>{esc(o['outlet'])}</td><td>{o['documents']:,}</td>{''.join(cells)}</tr>")
    rows = "".join(body)
    return (
        "<p>Expected spans per 1,000 words, outlet by technique.</p>"
        f"<div class=scroll><table class=heat><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def month_range(first: str | None, last: str | None) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive (gaps included)."""
    if not first or not last:
        return []
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def time_section(tables: dict[str, Any]) -> str:
    summary = tables["summary"]
    months = month_range(summary["first_month"], summary["last_month"])
    words = {row["month"]: row["words"] for row in tables["months"]}
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for row in tables["monthly_techniques"]:
        expected[row["technique"]][row["month"]] += row["expected"]
    top = sorted(expected, key=lambda t: -sum(expected[t].values()))[:6]
    by_technique: list[Series] = [
        (seg, [_rate(expected[t][m], words.get(m)) for m in months], None)
        for t, seg in zip(top, _technique_segments(top), strict=True)
    ]
    cells = {(row["outlet"], row["month"]): row for row in tables["monthly"]}
    biggest = [o["outlet"] for o in sorted(tables["outlets"], key=lambda o: -o["documents"])][: len(OUTLET_COLOURS)]
    by_outlet: list[Series] = []
    for outlet, colour in zip(biggest, OUTLET_COLOURS, strict=False):
        row_of = [cells.get((outlet, m)) for m in months]
        by_outlet.append(
            (
                Segment(outlet, colour),
                [r["per_1000_words"] if r else None for r in row_of],
                [_spread(r) if r else (None, None) for r in row_of],
            )
        )
    unit = "expected spans per 1,000 words"
    return (
        "<h2 id=time>Over time</h2><p>By month of publication: the six most used techniques, all outlets together.</p>"
        + line_chart(months, by_technique, unit)
        + legend([s for s, _, _ in by_technique])
        + "<p>All techniques together, per outlet (the largest outlets), with 90% intervals.</p>"
        + line_chart(months, by_outlet, unit)
        + legend([s for s, _, _ in by_outlet])
        + table(tables["monthly"], [("month", "month"), ("outlet", "outlet"), ("documents", "articles"), *RATE_COLUMNS])
    )


AUTHOR = Segment("author's voice", "#4c72b0")
QUOTED = Segment("quoted voice", "#dd8452")


def voice_section(tables: dict[str, Any]) -> str:
    rows = tables["voices"]
    bars = [
        (r["outlet"], [(AUTHOR, r["author_per_1000_words"] or 0.0), (QUOTED, r["quoted_per_1000_words"] or 0.0)])
        for r in rows
    ]
    note = (
        ""
        if any(r["quoted_spans"] for r in rows)
        else "<p class=empty>No span is attributed to a quoted speaker yet, so every span counts as the "
        "author's own voice here.</p>"
    )
    return (
        "<h2 id=voices>Author's voice and quoted voices</h2>"
        "<p>Expected spans per 1,000 words in the outlet's own voice (no speaker) and in quotations.</p>"
        + note
        + stacked_bars(bars, "per 1,000 words")
        + legend([AUTHOR, QUOTED])
    )


SPEAKER = Segment("spans per 1,000 quoted words", "#5b6475")


def speaker_section(tables: dict[str, Any]) -> str:
    speakers = tables["speakers"]
    if not speakers:
        return "<h2 id=speakers>Top speakers</h2><p class=empty>No quoted speakers in this store.</p>"
    bars = [(s["speaker"], [(SPEAKER, s["per_1000_words"] or 0.0)]) for s in speakers]
    rows = [{**s, "most_used": ", ".join(_short(t) for t in list(s["techniques"])[:3])} for s in speakers]
    return (
        "<h2 id=speakers>Top speakers</h2><p>Expected spans per 1,000 words of what each speaker is quoted "
        "saying, with 90% intervals over the articles that quote them.</p>"
        + stacked_bars(bars, "per 1,000 quoted words", [_spread(s) for s in speakers])
        + table(
            rows,
            [
                ("speaker", "speaker"),
                *RATE_COLUMNS,
                ("documents", "articles"),
                ("outlets", "outlets"),
                ("most_used", "most used"),
            ],
        )
    )


def _ending_tags(spans: list[dict[str, Any]], right: int) -> str:
    return " ".join(BY_NAME[s["technique"]].tag for s in spans if s["end"] == right)


def highlight_html(text: str, spans: list[dict[str, Any]]) -> str:
    """Article text with each span marked in its technique's colour (innermost span on top).

    Every piece of text is escaped; a mark's tooltip names all spans covering it, and the piece
    where a span ends carries its two-letter tag (drawn by CSS, so the text stays the article's).
    """
    ordered = sorted(spans, key=lambda s: (s["start"], -s["end"]))
    cuts = sorted({0, len(text), *(s["start"] for s in ordered), *(s["end"] for s in ordered)})
    out = []
    for left, right in itertools.pairwise(cuts):
        piece = esc(text[left:right])
        active = [s for s in ordered if s["start"] <= left and s["end"] >= right]
        if not active:
            out.append(piece)
            continue
        colour = BY_NAME[active[-1]["technique"]].colour
        tip = "; ".join(
            f"{_short(s['technique'])} {s['score']:.2f}" + (f" ({s['speaker']})" if s["speaker"] else "")
            for s in active
        )
        tags = _ending_tags(active, right)
        tag = f' data-tag="{tags}"' if tags else ""
        out.append(
            f'<mark style="background:{colour}26;border-bottom:2px solid {colour}" title="{esc(tip)}"{tag}>'
            f"{piece}</mark>"
        )
    return "".join(out)


def _article_views(store: Store, ids: list[str]) -> dict[str, tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    texts = dict(
        store.con.execute("SELECT id, text FROM documents WHERE id IN (SELECT unnest(?::TEXT[]))", [ids]).fetchall()
    )
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(
        store,
        'SELECT document_id, start, "end", technique, score, speaker FROM spans '
        "WHERE document_id IN (SELECT unnest(?::TEXT[]))",
        [ids],
    ):
        spans[row.pop("document_id")].append(row)
    said: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(
        store,
        "SELECT document_id, content_start, content_end, source_start, source_end, cue_start, cue_end, speaker, via "
        "FROM attributions WHERE document_id IN (SELECT unnest(?::TEXT[])) ORDER BY content_start",
        [ids],
    ):
        said[row.pop("document_id")].append(row)
    return {i: (texts[i], spans[i], said[i]) for i in ids}


EXCERPT = 160


def _extent(row: dict[str, Any], name: str) -> tuple[int, int] | None:
    """A stored attribution's source or cue extent, None when it has none."""
    start, end = row.get(f"{name}_start"), row.get(f"{name}_end")
    return None if start is None or end is None else (start, end)


def who_said_what(text: str, attributions: list[dict[str, Any]], spans: list[dict[str, Any]]) -> str:
    """The article's quoted speakers: who, through whom, the start of what, and the spans in it."""
    if not attributions:
        return "<p class=empty>No quotations attributed to a speaker.</p>"
    items = []
    for a in attributions:
        start, end = a["content_start"], a["content_end"]
        clause = [_extent(a, "source"), _extent(a, "cue")]
        words = said_excerpt(text, (start, end), clause, EXCERPT)
        via = f" <span class=via>via {esc(' → '.join(a['via']))}</span>" if a["via"] else ""
        inside = sum(1 for s in spans if start <= s["start"] and s["end"] <= end)
        cue = stance(text, (start, end), clause[1])  # a stance is no quotation: "dismissed: the message"
        quoted = is_direct_quote(text, start, end)  # a paraphrase is in the outlet's words, not in quotes
        said = f" {esc(cue)}: {esc(words)}" if cue else f": “{esc(words)}”" if quoted else f": {esc(words)}"
        items.append(
            f"<li><b>{esc(a['speaker'] or 'unnamed speaker')}</b>{via}{said} "
            f"<span class=meta>({_plural(inside, 'span')})</span></li>"
        )
    return f"<ul class=said>{''.join(items)}</ul>"


def _dense_section(store: Store, tables: dict[str, Any]) -> str:
    articles = tables["dense_articles"]
    if not articles:
        return f"<h2 id=dense>Articles</h2><p class=empty>No articles of at least {MIN_WORDS} words.</p>"
    min_score = tables["summary"]["display_score"]
    views = _article_views(store, [a["id"] for a in articles])
    rows, sections = [], []
    for n, article in enumerate(articles, start=1):
        text, spans, said = views[article["id"]]
        shown = [s for s in spans if s["score"] >= min_score]
        counts = Counter(s["technique"] for s in shown)
        name = article["title"] or article["id"]
        most = esc(_short(counts.most_common(1)[0][0])) if counts else ""
        rows.append(
            f'<tr><td><a href="#article-{n}">{esc(name)}</a></td><td class=nowrap>{esc(article["outlet"] or "")}</td>'
            f"<td class=nowrap>{esc(article['published'] or '')}</td><td>{article['words']:,}</td>"
            f"<td>{article['shown']:,}</td><td>{_fmt(article['per_1000_words'])}</td><td>{most}</td></tr>"
        )
        link = f' · <a href="{esc(article["url"])}" rel=noreferrer>source</a>' if article["url"] else ""
        meta = " · ".join(esc(x) for x in (article["outlet"], article["published"], f"id {article['id']}") if x)
        hidden = len(spans) - len(shown)
        under = f" · {_plural(hidden, 'span')} under the display score not drawn" if hidden else ""
        sections.append(
            f"<article id=article-{n}><h3>{esc(name)}</h3><p class=meta>{meta}{link}{under} · "
            f'<a href="#dense">back to the list</a></p>'
            + (
                legend(_technique_segments([t for t in NAMES if counts[t]]))
                if counts
                else f"<p class=empty>No span scored {min_score:.2f} or more.</p>"
            )
            + f"<div class=text>{highlight_html(text, shown)}</div>"
            + "<h4>Who said what</h4>"
            + who_said_what(text, said, shown)
            + "</article>"
        )
    head = (
        "<th>article</th><th>outlet</th><th>published</th><th>words</th><th>spans shown</th>"
        "<th>rate</th><th>most used</th>"
    )
    return (
        "<h2 id=dense>Articles</h2>"
        f"<p>The most technique-dense articles of at least {MIN_WORDS} words first (expected spans per 1,000 "
        f"words); each links to its highlighted text below, which draws the spans scored {min_score:.2f} or more "
        "(the model's display score).</p>"
        f"<div class=scroll><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        + "".join(sections)
    )


CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ddd} nav a{margin-right:1em}
.chart{width:100%;height:auto;font-size:12px} .chart .grid{stroke:#e5e5e5} .chart .unit{fill:#666}
.chart .whisker{stroke:#222;stroke-width:1.5;fill:none}
.chart .tag{fill:#fff;font-weight:bold;font-size:11px;text-anchor:middle}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:13px;margin:.4em 0 1em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
table{border-collapse:collapse;font-size:13px;margin:1em 0} td,th{padding:.2em .5em;border-bottom:1px solid #eee;
text-align:left} .heat td{text-align:right} .heat td:first-child{text-align:left}
.empty{color:#666;font-style:italic} .meta{color:#555;font-size:13px}
.nowrap{white-space:nowrap} .note{background:#f4f6f9;border-left:4px solid #5b6475;padding:.5em .8em}
article{border-top:1px solid #ccc;margin-top:2em} .text{white-space:pre-wrap;font:15px/1.7 Georgia,serif}
mark{color:inherit;padding:0} mark[data-tag]::after{content:attr(data-tag);font:bold 10px/1 system-ui,sans-serif;
vertical-align:super;margin-left:1px;color:#333} .scroll{overflow-x:auto} .said li{margin:.3em 0} .via{color:#555}
"""


def _summary_html(summary: dict[str, Any]) -> str:
    period = f", published {summary['first_month']} to {summary['last_month']}" if summary["first_month"] else ""
    failed = (
        f"; {_plural(summary['failed'], 'input')} could not be read (see documents.error)" if summary["failed"] else ""
    )
    return (
        f"<p>{_plural(summary['documents'], 'article')} from {_plural(summary['outlets'], 'outlet')}{period}: "
        f"{_plural(summary['words'], 'word')}, {_plural(summary['spans'], 'technique span')} "
        f"({summary['spans_shown']:,} scored {summary['display_score']:.2f} or more, the model's display score; "
        f"{_fmt(summary['expected'])} expected to be right){failed}.</p>"
    )


def _article_anchor(tables: dict[str, Any]) -> Callable[[str], str | None]:
    """Where an article's highlighted view is in this report (None: not listed)."""
    anchors = {a["id"]: f"#article-{n}" for n, a in enumerate(tables["dense_articles"], start=1)}
    return anchors.get


def render_html(store: Store, tables: dict[str, Any], title: str = "propwatch corpus report") -> str:
    """The whole report as one self-contained HTML page."""
    nav = "".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("outlets", "Outlets"),
            ("time", "Over time"),
            ("voices", "Voices"),
            ("speakers", "Speakers"),
            ("trails", "Relayed statements"),
            ("dense", "Articles"),
        )
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{esc(title)}</title>"
        f"<meta name=viewport content='width=device-width,initial-scale=1'><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{_summary_html(tables['summary'])}<nav>{nav}</nav>"
        + outlet_section(tables)
        + time_section(tables)
        + voice_section(tables)
        + speaker_section(tables)
        + trails_html.section(tables["trails"], _article_anchor(tables))
        + _dense_section(store, tables)
        + "</body></html>\n"
    )


def write_report(db: Path, output: Path | None, *, fmt: str = "html", top: int = TOP, min_score: float = 0.0) -> str:
    """``propwatch report``: the report of the store at ``db`` as HTML or JSON, to ``output`` or returned.

    ``min_score`` is the display score the article views draw spans from (0: every span).
    """
    with Store(db, read_only=True) as store:
        tables = collect(store, top=top, min_score=min_score)
        text = render_html(store, tables) if fmt == "html" else json.dumps(tables, indent=2, ensure_ascii=False)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text
