"""The corpus dashboard: the corpus report's tables and charts over HTTP, narrowed by filters.

The figures are :func:`propwatch.report.collect`'s and the charts are drawn by the report's own
code, so the dashboard and ``propwatch report`` never disagree. Filters are applied underneath
the report: each request opens an in-memory DuckDB, attaches the store read-only, and defines
``documents``, ``spans`` and ``attributions`` as views restricted to the filtered articles (and
technique), so the report's SQL runs unchanged on the narrowed corpus. The store is attached
for one request and released, so ``propwatch ingest`` can write to it between requests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import anyio.to_thread
import duckdb
from markupsafe import Markup

from propwatch import report, trails, trails_html
from propwatch.store import SCHEMA_VERSION
from propwatch.techniques import BY_NAME, TECHNIQUES

PASSED_THROUGH = ("trails", "trail_members")
"""Store tables the report reads beside the three filtered ones (``propwatch trails`` fills them)."""
DENSE_ARTICLES = 50
"""Articles listed for drill-down, the most technique-dense first."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorpusError(Exception):
    """The store cannot be read (missing, locked, another schema): one line naming the file."""


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; None means no restriction."""

    outlet: str | None = None
    technique: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        if self.technique is not None and self.technique not in BY_NAME:
            raise ValueError(f"unknown technique {self.technique!r}")
        for value in (self.date_from, self.date_to):
            if value is not None and not _DATE.match(value):
                raise ValueError(f"date {value!r} is not YYYY-MM-DD")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(
                f"the start date {self.date_from} is after the end date {self.date_to}: "
                "pick a start on or before the end, or leave one of them empty"
            )

    def link(self, **changes: str) -> str:
        """The dashboard URL for these filters with some changed (chart bars link so)."""
        values = {k: v for k, v in asdict(replace(self, **changes)).items() if v}
        return "/dashboard" + ("?" + urlencode(values) if values else "")

    def documents_where(self) -> tuple[str, list[Any]]:
        """SQL condition on the store's ``documents`` and its parameters (dates: first 10 chars)."""
        clauses, params = ["true"], []
        if self.outlet is not None:
            clauses.append("coalesce(outlet, ?) = ?")
            params += [report.NO_OUTLET, self.outlet]
        if self.date_from is not None:
            clauses.append("substr(published, 1, 10) >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("substr(published, 1, 10) <= ?")
            params.append(self.date_to)
        return " AND ".join(clauses), params


@dataclass
class ScopedStore:
    """What the report's functions use of a :class:`~propwatch.store.Store`: its connection."""

    con: Any
    path: Path


@dataclass(frozen=True)
class Bar:
    """One technique's bar: its name (the filter value), label, count, colour, relative length."""

    key: str
    label: str
    value: int
    colour: str
    width: float


@dataclass
class Dashboard:
    """Everything the dashboard page shows for one set of filters."""

    summary: dict[str, Any]
    outlets: list[str]
    techniques: list[Bar]
    charts: list[Markup]
    dense: list[dict[str, Any]]

    @property
    def rate(self) -> float:
        """Expected spans per 1,000 words over the filtered corpus (see :mod:`propwatch.report`)."""
        words = self.summary["words"]
        return 1000.0 * self.summary["expected"] / words if words else 0.0


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def attached(path: Path) -> Iterator[Any]:
    """An in-memory DuckDB with the store attached read-only as ``src``, closed afterwards."""
    if not path.exists():
        raise CorpusError(f"{path}: no such store (create it with propwatch ingest)")
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_sql_string(str(path))} AS src (READ_ONLY)")
        version = con.execute("SELECT value FROM src.meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error as err:
        con.close()
        raise CorpusError(f"{path}: cannot open the store ({str(err).splitlines()[0]})") from None
    if version is None or version[0] != SCHEMA_VERSION:
        con.close()
        raise CorpusError(f"{path}: store schema {version and version[0]!r} is not {SCHEMA_VERSION!r}")
    try:
        yield con
    finally:
        con.close()


def scope(con: Any, filters: Filters) -> None:
    """Define the filtered ``documents``/``spans``/``attributions`` views the report will query.

    The filter values go in as query parameters into temporary tables (views cannot take
    parameters), so no value from a request is ever spliced into SQL text.
    """
    where, params = filters.documents_where()
    con.execute(f"CREATE TEMP TABLE keep AS SELECT id FROM src.documents WHERE {where}", params)
    con.execute("CREATE TEMP TABLE wanted AS SELECT ?::TEXT AS technique", [filters.technique])
    technique = " AND technique = (SELECT technique FROM wanted)" if filters.technique else ""
    con.execute("CREATE TEMP VIEW documents AS SELECT * FROM src.documents WHERE id IN (SELECT id FROM keep)")
    con.execute(
        f"CREATE TEMP VIEW spans AS SELECT * FROM src.spans WHERE document_id IN (SELECT id FROM keep){technique}"
    )
    con.execute(
        "CREATE TEMP VIEW attributions AS SELECT * FROM src.attributions WHERE document_id IN (SELECT id FROM keep)"
    )
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
    stored = {row[0] for row in tables}
    for table in PASSED_THROUGH:
        if table in stored:  # whole: their queries join the filtered documents themselves
            con.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM src.{table}")


def technique_bars(tables: dict[str, Any]) -> list[Bar]:
    """Span counts per technique, most used first, each bar a link that filters to it."""
    counts: Counter[str] = Counter()
    for row in tables["outlet_techniques"]:
        counts[row["technique"]] += row["spans"]
    top = max(counts.values(), default=0) or 1
    used = sorted((t for t in TECHNIQUES if counts[t.name]), key=lambda t: -counts[t.name])
    return [Bar(t.name, t.short, counts[t.name], t.colour, 100.0 * counts[t.name] / top) for t in used]


def build(con: Any, path: Path, filters: Filters, min_score: float = 0.0) -> Dashboard:
    """The report's tables over the filtered views, and its charts as page fragments."""
    outlets = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT coalesce(outlet, ?) AS o FROM src.documents WHERE status = 'ok' ORDER BY o",
            [report.NO_OUTLET],
        ).fetchall()
    ]
    scope(con, filters)
    store = ScopedStore(con, path)
    tables = report.collect(store, top=DENSE_ARTICLES, min_score=min_score)
    # The report's sections are already HTML with every corpus string escaped (see report/charts.py).
    sections = (report.outlet_section, report.time_section, report.voice_section, report.speaker_section)
    return Dashboard(
        summary=tables["summary"],
        outlets=outlets,
        techniques=technique_bars(tables),
        charts=[Markup(section(tables)) for section in sections] + [Markup(trails_section(con))],
        # narrowed to a technique, the list holds the articles that use it
        dense=[a for a in tables["dense_articles"] if a["spans"] or filters.technique is None],
    )


def trails_section(con: Any) -> str:
    """The most relayed statements with an appearance in the filtered articles, linked to their pages."""
    shown = trails.most_relayed(con, trails.TOP, prefix="src.", documents="documents")
    return trails_html.section(shown, lambda doc_id: "/articles/" + quote(doc_id, safe=""))


def _pair(start: int | None, end: int | None) -> list[int] | None:
    return None if start is None else [start, end]


def stored_article(con: Any, doc_id: str) -> dict[str, Any] | None:
    """One analysed article from the store in ``analyze --json`` shape, or None."""
    row = con.execute(
        "SELECT id, title, outlet, published, url, text FROM src.documents WHERE id = ? AND status = 'ok'", [doc_id]
    ).fetchone()
    if row is None:
        return None
    spans = con.execute(
        'SELECT start, "end", technique, score, speaker FROM src.spans WHERE document_id = ? '
        'ORDER BY start, "end", technique',
        [doc_id],
    ).fetchall()
    attributions = con.execute(
        "SELECT content_start, content_end, source_start, source_end, cue_start, cue_end, speaker, via "
        "FROM src.attributions WHERE document_id = ? ORDER BY content_start, content_end",
        [doc_id],
    ).fetchall()
    keys = ("id", "title", "outlet", "published", "url", "text")
    return {
        **dict(zip(keys, row, strict=True)),
        "spans": [{"start": s, "end": e, "technique": t, "score": p, "speaker": who} for s, e, t, p, who in spans],
        "attributions": [
            {"content": [cs, ce], "source": _pair(ss, se), "cue": _pair(qs, qe), "speaker": who, "via": list(via or [])}
            for cs, ce, ss, se, qs, qe, who, via in attributions
        ],
    }


class Corpus:
    """The store at ``path``, read on demand in worker threads (never held open between requests)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def dashboard_sync(self, filters: Filters, min_score: float = 0.0) -> Dashboard:
        """See :meth:`dashboard`."""
        with attached(self.path) as con:
            return build(con, self.path, filters, min_score)

    def article_sync(self, doc_id: str) -> dict[str, Any] | None:
        """See :meth:`article`."""
        with attached(self.path) as con:
            return stored_article(con, doc_id)

    async def dashboard(self, filters: Filters, min_score: float = 0.0) -> Dashboard:
        """The dashboard's figures and charts for ``filters``; articles count spans from ``min_score``."""
        return await anyio.to_thread.run_sync(self.dashboard_sync, filters, min_score)

    async def article(self, doc_id: str) -> dict[str, Any] | None:
        """One stored article in ``analyze --json`` shape, or None if it is not stored as analysed."""
        return await anyio.to_thread.run_sync(self.article_sync, doc_id)

    def trails_sync(self, top: int) -> list[dict[str, Any]]:
        """See :meth:`trails`."""
        with attached(self.path) as con:
            return trails.most_relayed(con, top, prefix="src.", documents="src.documents")

    async def trails(self, top: int) -> list[dict[str, Any]]:
        """The ``top`` most relayed statements, as ``propwatch trails --json`` lists them."""
        return await anyio.to_thread.run_sync(self.trails_sync, top)
