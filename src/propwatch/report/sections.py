"""The report's figure sections: outlets and their comparison, months, voices, speakers.

Each section turns :func:`~propwatch.report.tables.collect`'s tables into HTML on its own, so the
dashboard can show the same sections over a filtered store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from propwatch.report.charts import (
    RATE_COLUMNS,
    Segment,
    Series,
    _fmt,
    _range,
    _short,
    _spread,
    _technique_segments,
    esc,
    legend,
    line_chart,
    stacked_bars,
    table,
)
from propwatch.report.tables import _rate
from propwatch.techniques import BY_NAME, NAMES

WHAT_A_RATE_IS = (
    "A rate is the number of technique spans the model expects per 1,000 words (the sum of its "
    "calibrated span scores): it measures rhetoric the model finds, not falsehood, and it is not a "
    "verdict on an outlet or a person; it inherits the model's errors. Ranges are 90% bootstrap "
    "intervals over articles."
)

OUTLET_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#999933")
"""Okabe-Ito colours for outlet lines: distinct from the technique colours and colour-blind safe."""


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
