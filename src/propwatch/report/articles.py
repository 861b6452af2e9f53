"""The report's articles: the most technique-dense listed, each shown highlighted with who said what.

The texts are read from the store only for the listed articles, so a big store's report stays
small; the spans drawn are those at or above the display score.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Any

from propwatch.document import in_quotes, said_excerpt
from propwatch.report.charts import _fmt, _plural, _short, _technique_segments, esc, legend
from propwatch.report.tables import MIN_WORDS, _rows
from propwatch.store import Store
from propwatch.techniques import BY_NAME, NAMES
from propwatch.voices import is_direct_quote, stance


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
        said = f" {esc(cue)}: {esc(words)}" if cue else f": {esc(in_quotes(words))}" if quoted else f": {esc(words)}"
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
