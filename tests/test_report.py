"""The corpus report: rates from known spans, a self-contained escaped HTML page, JSON tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from propwatch.report import collect, highlight_html, interval, month_range, render_html, write_report
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


def test_outlet_rates_are_expected_counts_per_thousand_words(store):
    tables = collect(store)
    outlets = by(tables["outlets"], "outlet")
    herald = outlets["Herald"]
    assert (herald["documents"], herald["words"], herald["spans"], herald["expected"]) == (2, 2000, 4, 2.0)
    assert herald["per_1000_words"] == 1.0  # four spans scored 0.5 in 2,000 words
    assert herald["low"] <= herald["per_1000_words"] <= herald["high"]
    assert outlets["Courier"]["per_1000_words"] == 0.5
    assert "(no outlet)" in outlets
    rates = by(tables["outlet_techniques"], "outlet", "technique")
    assert rates[("Herald", FEAR)]["spans"] == 3 and rates[("Herald", FEAR)]["per_1000_words"] == 0.75
    assert rates[("Courier", FEAR)]["spans"] == 0  # every technique is listed for every outlet
    assert len(tables["outlet_techniques"]) == 3 * 14


def test_monthly_uses_iso_dates_only(store):
    tables = collect(store)
    months = {r["month"] for r in tables["monthly"]}
    assert months == {"2016-01", "2016-03"}  # "last Tuesday" and a missing date are left out
    jan = by([r for r in tables["monthly"] if r["month"] == "2016-01"], "outlet")
    assert jan["Herald"]["per_1000_words"] == 1.5 and jan["Courier"]["words"] == 500
    assert by(tables["months"], "month")["2016-01"]["documents"] == 2
    fear = [r for r in tables["monthly_techniques"] if r["technique"] == FEAR]
    assert {(r["month"], r["spans"]) for r in fear} == {("2016-01", 2), ("2016-03", 1)}
    assert tables["summary"]["first_month"] == "2016-01" and tables["summary"]["last_month"] == "2016-03"


def test_author_and_quoted_voices(store):
    voices = by(collect(store)["voices"], "outlet")
    assert (voices["Herald"]["author_spans"], voices["Herald"]["quoted_spans"]) == (2, 2)
    assert voices["Herald"]["quoted_per_1000_words"] == 0.5
    assert voices["Courier"]["quoted_spans"] == 0


def test_top_speakers_and_their_techniques(store):
    (mayor,) = collect(store)["speakers"]
    assert mayor["speaker"] == "the mayor"
    assert (mayor["spans"], mayor["documents"], mayor["outlets"]) == (2, 2, 1)
    assert mayor["techniques"] == {FEAR: 1, LOADED: 1}
    assert mayor["per_1000_words"] is None  # no attributed words in this store: no rate


def test_speaker_rate_is_per_thousand_quoted_words(tmp_path):
    item = article("q1", "Herald", "2016-01-05", 200, [(FEAR, "the mayor"), (LOADED, "the mayor")])
    item.item["attributions"] = [{"content": [0, 99], "source": None, "cue": None, "speaker": "the mayor", "via": []}]
    with Store(tmp_path / "q.duckdb") as s:
        s.write_batch([item], [])
        (mayor,) = collect(s)["speakers"]
    assert mayor["words"] == 20  # "word " x 20 in the first 99 characters
    assert mayor["per_1000_words"] == 50.0  # 2 x 0.5 expected in 20 quoted words


def test_articles_listed_densest_first_with_spanless_ones(store):
    listed = collect(store)["dense_articles"]
    assert [(d["id"], d["per_1000_words"]) for d in listed] == [
        ("n1", 50.0),
        ("h1", 1.5),
        ("c1", 1.0),
        ("h2", 0.5),
        ("c2", 0.0),
    ]
    assert "n1" not in {d["id"] for d in collect(store, min_words=100)["dense_articles"]}


def test_display_score_decides_what_is_drawn_not_the_rates(store):
    everything, shown = collect(store), collect(store, min_score=0.6)
    assert shown["outlets"] == everything["outlets"]
    assert shown["summary"]["spans_shown"] == 0 and everything["summary"]["spans_shown"] == 11
    page = render_html(store, shown)
    assert "<mark " not in page and "No span scored 0.60 or more." in page


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
    assert "No data." in page and "No articles of at least" in page


def test_json_format_round_trips(store, tmp_path):
    path = tmp_path / "r.json"
    store.close()
    write_report(store.path, path, fmt="json")
    tables = json.loads(path.read_text())
    assert set(tables) >= {
        "summary",
        "outlets",
        "outlet_techniques",
        "comparisons",
        "months",
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


def _poisson_corpus(rng, rate: float, articles: int, words: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Articles whose span counts are drawn around a known rate per 1,000 words (score 1 each)."""
    sizes = rng.integers(words // 2, 2 * words, size=articles)
    return rng.poisson(rate * sizes / 1000.0).astype(float), sizes


def test_interval_covers_known_rates_about_ninety_percent_of_the_time():
    rng = np.random.default_rng(7)
    covered = 0
    for replicate in range(300):
        counts, sizes = _poisson_corpus(rng, 5.0, 40)
        rate, low, high = interval(counts, sizes, seed=replicate)
        assert low <= rate <= high
        covered += low <= 5.0 <= high
    assert 0.8 <= covered / 300 <= 0.97


def test_interval_narrows_with_more_articles_and_one_article_is_a_point():
    rng = np.random.default_rng(3)
    few = interval(*_poisson_corpus(rng, 5.0, 10))
    many = interval(*_poisson_corpus(rng, 5.0, 500))
    assert many[2] - many[1] < few[2] - few[1]
    assert interval([3.0], [1000]) == (3.0, 3.0, 3.0)
    assert interval([], []) == (None, None, None)


def _known_rate_store(path, rates: dict[str, float], articles: int = 60):
    """A store whose outlets have known rates: spans per article drawn around each rate, score 1."""
    rng = np.random.default_rng(11)
    items = []
    for outlet, rate in rates.items():
        for n in range(articles):
            counts, sizes = _poisson_corpus(rng, rate, 1)
            item = article(
                f"{outlet}-{n}", outlet, f"2016-0{1 + n % 3}-10", int(sizes[0]), [(FEAR, None)] * int(counts[0])
            )
            for span in item.item["spans"]:
                span["score"] = 1.0
            items.append(item)
    with Store(path) as s:
        s.write_batch(items, [])
    return Store(path, read_only=True)


def test_outlet_intervals_on_a_corpus_with_known_rates(tmp_path):
    with _known_rate_store(tmp_path / "k.duckdb", {"Loud": 12.0, "Calm": 3.0, "Calm too": 3.0}) as s:
        tables = collect(s)
    outlets = by(tables["outlets"], "outlet")
    for name, true_rate in (("Loud", 12.0), ("Calm", 3.0), ("Calm too", 3.0)):
        assert outlets[name]["low"] <= true_rate <= outlets[name]["high"], name
    pairs = {(p["higher"], p["lower"]): p["overlap"] for p in tables["comparisons"]}
    assert pairs[("Loud", "Calm")] is False and pairs[("Loud", "Calm too")] is False
    assert next(v for k, v in pairs.items() if set(k) == {"Calm", "Calm too"}) is True
    with _known_rate_store(tmp_path / "k2.duckdb", {"Loud": 12.0, "Calm": 3.0}) as s:
        page = render_html(s, collect(s))
    assert "the intervals do not overlap" in page
    assert "rhetoric the model finds, not falsehood" in page


def test_report_wording_plurals_counts_and_long_labels(tmp_path):
    name = "A spokeswoman for the regional health board of the eastern coast"
    item = article("s1", "Herald", "2016-01-05", 300, [(FEAR, name), (FEAR, name)])
    item.item["attributions"] = [{"content": [0, 50], "source": None, "cue": None, "speaker": name, "via": ["Post"]}]
    with Store(tmp_path / "w.duckdb") as s:
        s.write_batch([item], [])
        page = render_html(s, collect(s))
    assert "from 1 outlet," in page and "1 outlets" not in page
    assert "<td>2</td>" in page and "2.00</td><td>" not in page.split("id=speakers")[1].split("</table>")[0]
    assert f"<title>{name}</title>" in page  # the full name stays in the tooltip of a shortened label
    label_x = int(re.search(r'<text x="(\d+)" y="\d+" text-anchor=end>A spokeswoman', page).group(1))
    assert label_x >= 7 * 40  # the label column is as wide as the label, so nothing is cut at the left
    assert "Who said what" in page and "via Post" in page


def test_line_tags_ending_near_zero_stack_up_not_into_the_month_labels():
    from propwatch.report.charts import Segment, line_chart

    lines = [(Segment(f"technique {n}", "#333333", f"T{n}"), [5.0, 0.0], None) for n in range(4)]
    svg = line_chart(["2026-05", "2026-06"], lines, "spans per 1,000 words")
    floor = 10 + 220  # the chart's top margin and plot height
    tags = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" fill=', svg)]
    assert len(tags) == 4 and len(set(tags)) == 4  # one line each, none over another
    assert all(y <= floor + 4 for y in tags)
