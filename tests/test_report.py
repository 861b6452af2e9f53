"""The corpus report: rates from known spans, a self-contained escaped HTML page, JSON tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from propwatch.report import collect, highlight_html, month_range, render_html, write_report
from propwatch.store import Analysed, Store

FEAR, LOADED, DOUBT = "Appeal_to_fear-prejudice", "Loaded_Language", "Doubt"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def article(doc_id, outlet, published, words, spans, title=None):
    """A stored document of ``words`` words with spans given as (technique, speaker) pairs."""
    text = " ".join(["word"] * words)
    return Analysed(
        {
            "id": doc_id,
            "title": title,
            "outlet": outlet,
            "published": published,
            "url": None,
            "text": text,
            "spans": [
                {"start": 5 * i, "end": 5 * i + 4, "technique": t, "score": 0.5, "speaker": s}
                for i, (t, s) in enumerate(spans)
            ],
            "attributions": [],
        },
        f"test:{doc_id}",
    )


@pytest.fixture()
def store(tmp_path):
    """Two outlets over three months, with author and quoted spans and one undated article."""
    with Store(tmp_path / "r.duckdb") as s:
        s.write_batch(
            [
                article("h1", "Herald", "2016-01-05", 1000, [(FEAR, None), (FEAR, None), (LOADED, "the mayor")]),
                article("h2", "Herald", "2016-03-20T08:00:00Z", 1000, [(FEAR, "the mayor")]),
                article("c1", "Courier", "2016-01-09", 500, [(DOUBT, None)], title=HOSTILE),
                article("c2", "Courier", "last Tuesday", 500, []),
                article("n1", None, None, 60, [(LOADED, None)] * 6),
            ],
            [],
        )
        yield s


def by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def test_outlet_rates_per_thousand_words(store):
    tables = collect(store)
    outlets = by(tables["outlets"], "outlet")
    assert outlets["Herald"] == {"outlet": "Herald", "documents": 2, "words": 2000, "spans": 4, "per_1000_words": 2.0}
    assert outlets["Courier"]["per_1000_words"] == 1.0
    assert "(no outlet)" in outlets
    rates = by(tables["outlet_techniques"], "outlet", "technique")
    assert rates[("Herald", FEAR)]["spans"] == 3 and rates[("Herald", FEAR)]["per_1000_words"] == 1.5
    assert rates[("Courier", FEAR)]["spans"] == 0  # every technique is listed for every outlet
    assert len(tables["outlet_techniques"]) == 3 * 14


def test_monthly_uses_iso_dates_only(store):
    tables = collect(store)
    months = {r["month"] for r in tables["monthly"]}
    assert months == {"2016-01", "2016-03"}  # "last Tuesday" and a missing date are left out
    jan = by([r for r in tables["monthly"] if r["month"] == "2016-01"], "outlet")
    assert jan["Herald"]["per_1000_words"] == 3.0 and jan["Courier"]["words"] == 500
    fear = [r for r in tables["monthly_techniques"] if r["technique"] == FEAR]
    assert {(r["month"], r["spans"]) for r in fear} == {("2016-01", 2), ("2016-03", 1)}
    assert tables["summary"]["first_month"] == "2016-01" and tables["summary"]["last_month"] == "2016-03"


def test_author_and_quoted_voices(store):
    voices = by(collect(store)["voices"], "outlet")
    assert (voices["Herald"]["author_spans"], voices["Herald"]["quoted_spans"]) == (2, 2)
    assert voices["Herald"]["quoted_per_1000_words"] == 1.0
    assert voices["Courier"]["quoted_spans"] == 0


def test_top_speakers_and_their_techniques(store):
    (mayor,) = collect(store)["speakers"]
    assert mayor["speaker"] == "the mayor"
    assert (mayor["spans"], mayor["documents"], mayor["outlets"]) == (2, 2, 1)
    assert mayor["techniques"] == {FEAR: 1, LOADED: 1}


def test_dense_articles_skip_snippets(store):
    dense = collect(store)["dense_articles"]
    assert [(d["id"], d["per_1000_words"]) for d in dense] == [("n1", 100.0), ("h1", 3.0), ("c1", 2.0), ("h2", 1.0)]
    assert "n1" not in {d["id"] for d in collect(store, min_words=100)["dense_articles"]}


def test_html_is_self_contained_and_escaped(store):
    page = render_html(store, collect(store))
    assert "<svg" in page
    assert not re.search(r"<script|<link|<img|<iframe|\ssrc=|@import|url\(", page, re.IGNORECASE)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    for target in re.findall(r'href="#(article-\d+)"', page):
        assert f"id={target}>" in page


def test_html_marks_spans_in_the_article_views(store):
    page = render_html(store, collect(store))
    assert page.count("<article id=article-") == len(collect(store)["dense_articles"])
    assert "<mark " in page and "Fear / prejudice" in page


def test_empty_store_still_reports(tmp_path):
    with Store(tmp_path / "empty.duckdb") as s:
        tables = collect(s)
        page = render_html(s, tables)
    assert tables["summary"]["documents"] == 0
    assert "No data." in page and "No articles with spans" in page


def test_json_format_round_trips(store, tmp_path):
    path = tmp_path / "r.json"
    store.close()
    write_report(store.path, path, fmt="json")
    tables = json.loads(path.read_text())
    assert set(tables) == {
        "summary",
        "outlets",
        "outlet_techniques",
        "monthly",
        "monthly_techniques",
        "voices",
        "speakers",
        "dense_articles",
    }


def test_highlight_escapes_and_nests():
    text = "a <b> & c"
    spans = [
        {"start": 0, "end": 9, "technique": LOADED, "score": 0.9, "speaker": None},
        {"start": 2, "end": 5, "technique": DOUBT, "score": 0.4, "speaker": "Ann <x>"},
    ]
    out = highlight_html(text, spans)
    assert re.sub(r"<[^>]+>", "", out) == "a &lt;b&gt; &amp; c"
    assert out.count("<mark ") == 3  # outer, inner, outer again
    assert 'title="Loaded language 0.90; Doubt 0.40 (Ann &lt;x&gt;)"' in out


def test_month_range_fills_gaps_across_years():
    assert month_range("2015-11", "2016-02") == ["2015-11", "2015-12", "2016-01", "2016-02"]
    assert month_range(None, None) == []


def test_report_path_must_exist(tmp_path):
    from propwatch.store import StoreError

    with pytest.raises(StoreError):
        write_report(Path(tmp_path / "none.duckdb"), None)
