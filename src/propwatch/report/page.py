"""The report as one self-contained page, and ``propwatch report`` itself.

The page inlines its CSS and puts the sections together in the order of its navigation, so the
file can be mailed, archived or opened offline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from propwatch import trails_html
from propwatch.report.articles import _dense_section
from propwatch.report.charts import _fmt, _plural, esc
from propwatch.report.sections import outlet_section, speaker_section, time_section, voice_section
from propwatch.report.tables import TOP, collect
from propwatch.store import Store

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
