"""The report's figures: SQL over the store, rates per 1,000 words and their bootstrap intervals.

:func:`collect` returns every table as JSON-ready rows, so ``--format json``, the HTML page and
the dashboard all read the same numbers; nothing here draws.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from propwatch import trails
from propwatch.scoring import ratio_interval
from propwatch.store import Store
from propwatch.techniques import NAMES
from propwatch.trails import most_relayed

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
    spread = ratio_interval(e, w, level=level, draws=draws, seed=seed)
    if spread is None:
        return None, None, None
    rate = 1000.0 * e.sum() / w.sum()
    low, high = (1000.0 * bound for bound in spread)
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
