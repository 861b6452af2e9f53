"""The corpus report: which outlets use which techniques, since when, and in whose voice.

:func:`collect` answers the questions with SQL over the store and returns plain tables (the
``--format json`` output); :func:`render_html` draws the same tables as one self-contained HTML
file: inline SVG charts drawn here, inline CSS, no script and nothing fetched from a network, so
the file can be mailed, archived or opened offline. The most technique-dense articles are
embedded as highlighted views that the table links to by anchor. Every string from the corpus
is HTML-escaped.

Rates are spans per 1,000 words (``documents.words``), so long and short articles and big and
small outlets compare fairly. Months come from ``published`` when it starts ``YYYY-MM``.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propwatch.store import Store
from propwatch.techniques import BY_NAME, NAMES

NO_OUTLET = "(no outlet)"
TOP = 20
MIN_WORDS = 50
"""Shortest article that may rank as technique-dense: a two-line snippet with one span is not news."""

OUTLET_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#999933")
"""Okabe-Ito colours for outlet lines: distinct from the technique colours and colour-blind safe."""

_OK = (
    "(SELECT id, coalesce(outlet, '" + NO_OUTLET + "') AS outlet, words, "
    "nullif(regexp_extract(published, '^(\\d{4}-\\d{2})', 1), '') AS month FROM documents WHERE status = 'ok')"
)


def _rate(spans: int, words: int | None) -> float | None:
    return round(1000.0 * spans / words, 3) if words else None


def _rows(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = store.con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _summary(store: Store) -> dict[str, Any]:
    return _rows(
        store,
        f"""WITH d AS {_OK}
        SELECT (SELECT count(*) FROM d) AS documents,
               (SELECT count(*) FROM documents WHERE status = 'error') AS failed,
               (SELECT coalesce(sum(words), 0) FROM d) AS words,
               (SELECT count(*) FROM spans JOIN d ON spans.document_id = d.id) AS spans,
               (SELECT count(DISTINCT outlet) FROM d) AS outlets,
               (SELECT min(month) FROM d) AS first_month,
               (SELECT max(month) FROM d) AS last_month""",
    )[0]


def _outlet_tables(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Totals per outlet, and every outlet × technique pair with its rate (zeros included)."""
    docs = _rows(store, f"SELECT outlet, count(*) AS documents, sum(words) AS words FROM {_OK} GROUP BY outlet")
    counts = {
        (r["outlet"], r["technique"]): r["spans"]
        for r in _rows(
            store,
            f"SELECT d.outlet, s.technique, count(*) AS spans FROM spans s JOIN {_OK} d ON s.document_id = d.id "
            "GROUP BY ALL",
        )
    }
    outlets, rates = [], []
    for row in docs:
        total = sum(counts.get((row["outlet"], t), 0) for t in NAMES)
        outlets.append({**row, "spans": total, "per_1000_words": _rate(total, row["words"])})
        for technique in NAMES:
            n = counts.get((row["outlet"], technique), 0)
            rates.append(
                {"outlet": row["outlet"], "technique": technique, "spans": n, "per_1000_words": _rate(n, row["words"])}
            )
    outlets.sort(key=lambda r: (-(r["per_1000_words"] or 0), r["outlet"]))
    return outlets, rates


def _monthly_tables(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per month and outlet: totals, and technique counts (only pairs that occur)."""
    totals = _rows(
        store,
        f"""WITH d AS {_OK}, s AS (SELECT document_id, count(*) AS n FROM spans GROUP BY 1)
        SELECT d.month, d.outlet, count(*) AS documents, sum(d.words) AS words, coalesce(sum(s.n), 0) AS spans
        FROM d LEFT JOIN s ON s.document_id = d.id WHERE d.month IS NOT NULL GROUP BY ALL ORDER BY ALL""",
    )
    for row in totals:
        row["per_1000_words"] = _rate(row["spans"], row["words"])
    techniques = _rows(
        store,
        f"""SELECT d.month, d.outlet, s.technique, count(*) AS spans FROM spans s JOIN {_OK} d
        ON s.document_id = d.id WHERE d.month IS NOT NULL GROUP BY ALL ORDER BY ALL""",
    )
    return totals, techniques


def _voices(store: Store, outlets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans in the author's own voice (speaker NULL) against quoted ones, per outlet."""
    counts = {
        r["outlet"]: r
        for r in _rows(
            store,
            f"""SELECT d.outlet, count(*) FILTER (WHERE s.speaker IS NULL) AS author,
            count(*) FILTER (WHERE s.speaker IS NOT NULL) AS quoted
            FROM spans s JOIN {_OK} d ON s.document_id = d.id GROUP BY ALL""",
        )
    }
    rows = []
    for outlet in outlets:
        c = counts.get(outlet["outlet"], {"author": 0, "quoted": 0})
        words = outlet["words"]
        rows.append(
            {
                "outlet": outlet["outlet"],
                "author_spans": c["author"],
                "quoted_spans": c["quoted"],
                "words": words,
                "author_per_1000_words": _rate(c["author"], words),
                "quoted_per_1000_words": _rate(c["quoted"], words),
            }
        )
    return rows


def _speakers(store: Store, top: int) -> list[dict[str, Any]]:
    """The ``top`` speakers by span count, with their techniques, documents and outlets."""
    return _rows(
        store,
        f"""WITH d AS {_OK}, q AS (SELECT s.*, d.outlet FROM spans s JOIN d ON s.document_id = d.id
                                  WHERE s.speaker IS NOT NULL),
        t AS (SELECT speaker, count(*) AS spans, count(DISTINCT document_id) AS documents,
                     count(DISTINCT outlet) AS outlets FROM q GROUP BY speaker
              ORDER BY spans DESC, speaker LIMIT ?)
        SELECT t.*, (SELECT map(list(technique), list(n)) FROM
                       (SELECT technique, count(*) AS n FROM q WHERE q.speaker = t.speaker GROUP BY 1)) AS techniques
        FROM t ORDER BY spans DESC, speaker""",
        [top],
    )


def _dense(store: Store, top: int, min_words: int) -> list[dict[str, Any]]:
    return _rows(
        store,
        """WITH c AS (SELECT document_id, count(*) AS spans FROM spans GROUP BY 1)
        SELECT id, title, outlet, published, url, words, c.spans,
               round(1000.0 * c.spans / words, 3) AS per_1000_words
        FROM documents JOIN c ON c.document_id = documents.id
        WHERE status = 'ok' AND words >= ?
        ORDER BY per_1000_words DESC, id LIMIT ?""",
        [min_words, top],
    )


def collect(store: Store, *, top: int = TOP, min_words: int = MIN_WORDS) -> dict[str, Any]:
    """Every table of the report, as JSON-ready lists of rows (the ``--format json`` output)."""
    outlets, outlet_techniques = _outlet_tables(store)
    monthly, monthly_techniques = _monthly_tables(store)
    speakers = _speakers(store, top)
    for row in speakers:
        row["techniques"] = dict(sorted(row["techniques"].items(), key=lambda kv: -kv[1]))
    return {
        "summary": _summary(store),
        "outlets": outlets,
        "outlet_techniques": outlet_techniques,
        "monthly": monthly,
        "monthly_techniques": monthly_techniques,
        "voices": _voices(store, outlets),
        "speakers": speakers,
        "dense_articles": _dense(store, top, min_words),
    }


# ---- drawing ---------------------------------------------------------------------------------

esc = html.escape


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a bar or one line of a chart."""

    name: str
    colour: str


def _short(technique: str) -> str:
    return BY_NAME[technique].short


def _fmt(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def stacked_bars(rows: list[tuple[str, list[tuple[Segment, float]]]], unit: str) -> str:
    """Horizontal stacked bars as inline SVG: one row per label, one piece per segment."""
    if not rows:
        return "<p class=empty>No data.</p>"
    label_w, bar_w, row_h = 190, 560, 24
    peak = max(sum(v for _, v in parts) for _, parts in rows) or 1.0
    out = [f'<svg class=chart viewBox="0 0 {label_w + bar_w + 80} {row_h * len(rows) + 8}" role=img>']
    for i, (label, parts) in enumerate(rows):
        y = 4 + i * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor=end>{esc(label[:32])}</text>')
        x = float(label_w)
        for segment, value in parts:
            width = bar_w * value / peak
            if width > 0:
                tip = f"{label}: {segment.name} {_fmt(value)} {unit}"
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" '
                    f'fill="{segment.colour}"><title>{esc(tip)}</title></rect>'
                )
            x += width
        out.append(f'<text x="{x + 6:.1f}" y="{y + 16}">{_fmt(sum(v for _, v in parts))}</text>')
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


def line_chart(months: list[str], lines: list[tuple[Segment, list[float | None]]], unit: str) -> str:
    """Lines over months as inline SVG; a month without articles leaves a gap, not a zero."""
    values = [v for _, series in lines for v in series if v is not None]
    if not months or not values:
        return "<p class=empty>No dated articles (published as YYYY-MM-DD) to chart.</p>"
    left, top, width, height = 56, 10, 700, 220
    ticks = _ticks(max(values))
    y_max = ticks[-1]
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
    for segment, series in lines:
        points = [None if v is None else (left + i * step, y_of(v)) for i, v in enumerate(series)]
        for run in _runs(points):
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            out.append(f'<polyline points="{coords}" fill=none stroke="{segment.colour}" stroke-width=2 />')
        for month, value, point in zip(months, series, points, strict=True):
            if point is not None and value is not None:
                tip = f"{segment.name}, {month}: {_fmt(value)} {unit}"
                out.append(
                    f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r=3 fill="{segment.colour}">'
                    f"<title>{esc(tip)}</title></circle>"
                )
    out.append(f'<text x="{left}" y="{top + height + 36}" class=unit>{esc(unit)}</text></svg>')
    return "".join(out)


def legend(segments: list[Segment]) -> str:
    """A row of colour swatches with names."""
    items = "".join(f'<span><i style="background:{s.colour}"></i>{esc(s.name)}</span>' for s in segments)
    return f"<div class=legend>{items}</div>"


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A plain HTML table of ``rows`` with ``(key, heading)`` columns: the numbers behind a chart."""
    head = "".join(f"<th>{esc(h)}</th>" for _, h in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(k))}</td>" for k, _ in columns) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, int):
        return f"{value:,}"
    return esc(str(value))


# ---- sections --------------------------------------------------------------------------------


def _technique_segments(techniques: list[str]) -> list[Segment]:
    return [Segment(_short(t), BY_NAME[t].colour) for t in techniques]


def outlet_section(tables: dict[str, Any]) -> str:
    rates = {(r["outlet"], r["technique"]): r["per_1000_words"] or 0.0 for r in tables["outlet_techniques"]}
    used = [t for t in NAMES if any(rates.get((o["outlet"], t)) for o in tables["outlets"])]
    segments = dict(zip(used, _technique_segments(used), strict=True))
    bars = [(o["outlet"], [(segments[t], rates[(o["outlet"], t)]) for t in used]) for o in tables["outlets"]]
    heat = _heatmap(tables["outlets"], rates, used)
    return (
        "<h2 id=outlets>Technique rates per outlet</h2>"
        "<p>Spans per 1,000 words, split by technique; outlets with the highest overall rate first.</p>"
        + stacked_bars(bars, "per 1,000 words")
        + legend(list(segments.values()))
        + heat
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
            alpha = int(200 * value / peak)
            cells.append(f'<td style="background:{BY_NAME[t].colour}{alpha:02x}">{_fmt(value)}</td>')
        body.append(f"<tr><td>{esc(o['outlet'])}</td><td>{o['documents']:,}</td>{''.join(cells)}</tr>")
    rows = "".join(body)
    return f"<div class=scroll><table class=heat><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"


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
    words: Counter[str] = Counter()
    outlet_words: Counter[tuple[str, str]] = Counter()
    outlet_spans: Counter[tuple[str, str]] = Counter()
    for row in tables["monthly"]:
        words[row["month"]] += row["words"]
        outlet_words[(row["outlet"], row["month"])] += row["words"]
        outlet_spans[(row["outlet"], row["month"])] += row["spans"]
    spans: dict[str, Counter[str]] = defaultdict(Counter)
    for row in tables["monthly_techniques"]:
        spans[row["technique"]][row["month"]] += row["spans"]
    top = sorted(spans, key=lambda t: -sum(spans[t].values()))[:6]
    by_technique = [
        (seg, [_rate(spans[t][m], words[m]) for m in months])
        for t, seg in zip(top, _technique_segments(top), strict=True)
    ]
    biggest = [o["outlet"] for o in sorted(tables["outlets"], key=lambda o: -o["documents"])][: len(OUTLET_COLOURS)]
    by_outlet = [
        (Segment(o, c), [_rate(outlet_spans[(o, m)], outlet_words[(o, m)]) for m in months])
        for o, c in zip(biggest, OUTLET_COLOURS, strict=False)
    ]
    unit = "spans per 1,000 words"
    return (
        "<h2 id=time>Over time</h2><p>By month of publication: the six most used techniques, all outlets together.</p>"
        + line_chart(months, by_technique, unit)
        + legend([s for s, _ in by_technique])
        + "<p>All techniques together, per outlet (the largest outlets).</p>"
        + line_chart(months, by_outlet, unit)
        + legend([s for s, _ in by_outlet])
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
        "<p>Spans per 1,000 words in the outlet's own voice (no speaker) and in quotations.</p>"
        + note
        + stacked_bars(bars, "per 1,000 words")
        + legend([AUTHOR, QUOTED])
    )


def speaker_section(tables: dict[str, Any]) -> str:
    speakers = tables["speakers"]
    if not speakers:
        return "<h2 id=speakers>Top speakers</h2><p class=empty>No quoted speakers in this store.</p>"
    used = [t for t in NAMES if any(t in s["techniques"] for s in speakers)]
    segments = dict(zip(used, _technique_segments(used), strict=True))
    bars = [(s["speaker"], [(segments[t], float(s["techniques"].get(t, 0))) for t in used]) for s in speakers]
    return (
        "<h2 id=speakers>Top speakers and their techniques</h2><p>Spans attributed to each speaker.</p>"
        + stacked_bars(bars, "spans")
        + legend(list(segments.values()))
        + table(
            speakers, [("speaker", "speaker"), ("spans", "spans"), ("documents", "articles"), ("outlets", "outlets")]
        )
    )


def highlight_html(text: str, spans: list[dict[str, Any]]) -> str:
    """Article text with each span marked in its technique's colour (innermost span on top).

    Every piece of text is escaped; a mark's tooltip names all spans covering it.
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
        out.append(
            f'<mark style="background:{colour}40;border-bottom:2px solid {colour}" title="{esc(tip)}">{piece}</mark>'
        )
    return "".join(out)


def _article_views(store: Store, ids: list[str]) -> dict[str, tuple[str, list[dict[str, Any]]]]:
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
    return {i: (texts[i], spans[i]) for i in ids}


def _dense_section(store: Store, tables: dict[str, Any]) -> str:
    articles = tables["dense_articles"]
    if not articles:
        return "<h2 id=dense>Most technique-dense articles</h2><p class=empty>No articles with spans.</p>"
    views = _article_views(store, [a["id"] for a in articles])
    rows, sections = [], []
    for n, article in enumerate(articles, start=1):
        text, spans = views[article["id"]]
        counts = Counter(s["technique"] for s in spans)
        name = article["title"] or article["id"]
        rows.append(
            f'<tr><td><a href="#article-{n}">{esc(name)}</a></td><td>{esc(article["outlet"] or "")}</td>'
            f"<td>{esc(article['published'] or '')}</td><td>{article['words']:,}</td><td>{article['spans']:,}</td>"
            f"<td>{_fmt(article['per_1000_words'])}</td><td>{esc(_short(counts.most_common(1)[0][0]))}</td></tr>"
        )
        link = f' · <a href="{esc(article["url"])}" rel=noreferrer>source</a>' if article["url"] else ""
        meta = " · ".join(esc(x) for x in (article["outlet"], article["published"], f"id {article['id']}") if x)
        sections.append(
            f"<article id=article-{n}><h3>{esc(name)}</h3><p class=meta>{meta}{link} · "
            f'<a href="#dense">back to the list</a></p>'
            + legend(_technique_segments([t for t in NAMES if counts[t]]))
            + f"<div class=text>{highlight_html(text, spans)}</div></article>"
        )
    head = "<th>article</th><th>outlet</th><th>published</th><th>words</th><th>spans</th><th>per 1,000 words</th>"
    return (
        "<h2 id=dense>Most technique-dense articles</h2>"
        f"<p>Spans per 1,000 words, articles of at least {MIN_WORDS} words; each links to its highlighted text "
        "below.</p>"
        f"<table><thead><tr>{head}<th>most used</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + "".join(sections)
    )


CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ddd} nav a{margin-right:1em}
.chart{width:100%;height:auto;font-size:12px} .chart .grid{stroke:#e5e5e5} .chart .unit{fill:#666}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:13px;margin:.4em 0 1em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
table{border-collapse:collapse;font-size:13px;margin:1em 0} td,th{padding:.2em .5em;border-bottom:1px solid #eee;
text-align:left} .heat td{text-align:right} .empty{color:#777;font-style:italic} .meta{color:#555;font-size:13px}
article{border-top:1px solid #ccc;margin-top:2em} .text{white-space:pre-wrap;font:15px/1.6 Georgia,serif}
mark{color:inherit;padding:0} .scroll{overflow-x:auto}
"""


def _summary_html(summary: dict[str, Any]) -> str:
    period = f", published {summary['first_month']} to {summary['last_month']}" if summary["first_month"] else ""
    failed = f"; {summary['failed']:,} inputs could not be read (see documents.error)" if summary["failed"] else ""
    return (
        f"<p>{summary['documents']:,} articles from {summary['outlets']:,} outlets{period}: "
        f"{summary['words']:,} words, {summary['spans']:,} technique spans{failed}.</p>"
    )


def render_html(store: Store, tables: dict[str, Any], title: str = "propwatch corpus report") -> str:
    """The whole report as one self-contained HTML page."""
    nav = "".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("outlets", "Outlets"),
            ("time", "Over time"),
            ("voices", "Voices"),
            ("speakers", "Speakers"),
            ("dense", "Dense articles"),
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
        + _dense_section(store, tables)
        + "</body></html>\n"
    )


def write_report(db: Path, output: Path | None, *, fmt: str = "html", top: int = TOP) -> str:
    """``propwatch report``: the report of the store at ``db`` as HTML or JSON, to ``output`` or returned."""
    with Store(db, read_only=True) as store:
        tables = collect(store, top=top)
        text = render_html(store, tables) if fmt == "html" else json.dumps(tables, indent=2, ensure_ascii=False)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text
