"""The incremental build: new statements joined into trails, their echoes found, the tables written.

One transaction per build: the documents stored since the last build are read, their statements
join existing trails or start new ones (existing trails are never merged, split or renumbered),
echoes are added, and the ``trails`` rows of every trail touched are written again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propwatch.store import Store, StoreError
from propwatch.trails.echoes import MIN_SPAN_SCORE, loaded_phrases, new_echoes
from propwatch.trails.grouping import group
from propwatch.trails.members import _ORDER, Cut, Member, _attributions, _new_documents, _watermark, read_members
from propwatch.trails.names import reconcile

DUCKDB_MEMORY = "512MB"
"""DuckDB's memory during a build: the 3-gram join spills to disk beyond it (a million statements
build in 2.8 GB, Python's share included)."""

SCRATCH = """
CREATE OR REPLACE TEMP TABLE trail_echo_candidates (trail_id BIGINT, document_id TEXT, start INTEGER, "end" INTEGER);
CREATE OR REPLACE TEMP TABLE trail_speakers (id BIGINT, speaker TEXT);
"""


@dataclass
class TrailsReport:
    """What one build did."""

    documents: int = 0
    members: int = 0
    new_trails: int = 0
    extended: int = 0
    echoes: int = 0
    trails: int = 0
    relayed: int = 0
    seconds: float = 0.0


def _count(store: Store, table: str, where: str = "true") -> int:
    """Rows of one of the trail tables (fetched whole: a half-read result blocks the connection)."""
    return store.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchall()[0][0]


def _number(store: Store, members: list[Member], labels: dict[int, int | str]) -> dict[int | str, int]:
    """Ids for new groups, in order of first appearance (published, then ingest order)."""
    order = dict(
        store.con.execute(
            "SELECT id, row_number() OVER (ORDER BY published NULLS LAST, ingested_at, id) FROM documents "
            "WHERE id IN (SELECT unnest(?::TEXT[]))",
            [sorted({m.document_id for m in members})],
        ).fetchall()
    )
    first: dict[int | str, tuple[int, int]] = {}
    for m in members:
        label = labels[m.text_key]
        if isinstance(label, str):
            first[label] = min(first.get(label, (1 << 62, 0)), (order[m.document_id], m.start))
    top = store.con.execute("SELECT coalesce(max(trail_id), 0) FROM trail_members").fetchall()[0][0]
    return {label: top + n for n, label in enumerate(sorted(first, key=first.__getitem__), start=1)}


def _write_members(store: Store, members: list[Member], trail_of: Callable[[int], int]) -> None:
    store.insert_columns(
        "trail_members",
        {
            "trail_id": [trail_of(m.text_key) for m in members],
            "document_id": [m.document_id for m in members],
            "start": [m.start for m in members],
            "end": [m.end for m in members],
            "kind": ["quote"] * len(members),
            "speaker": [m.speaker for m in members],
            "via": [m.via for m in members],
            "text_key": [m.text_key for m in members],
        },
    )


def _write_echoes(store: Store, echoes: list[tuple[int, str, int, int]]) -> int:
    """Store echoes not stored yet, and only those published no earlier than the trail's first quote."""
    if not echoes:
        return 0
    trail, doc, start, end = (list(c) for c in zip(*sorted(set(echoes)), strict=True))
    before = _count(store, "trail_members", "kind = 'echo'")
    store.insert_columns("trail_echo_candidates", {"trail_id": trail, "document_id": doc, "start": start, "end": end})
    store.con.execute(
        """INSERT INTO trail_members (trail_id, document_id, start, "end", kind, via)
        SELECT c.trail_id, c.document_id, c.start, c."end", 'echo', []::TEXT[] FROM trail_echo_candidates c
        JOIN documents d ON d.id = c.document_id
        JOIN (SELECT m.trail_id, min(f.published) AS first FROM trail_members m JOIN documents f
              ON f.id = m.document_id WHERE m.kind = 'quote' GROUP BY 1) t ON t.trail_id = c.trail_id
        WHERE (d.published IS NULL OR t.first IS NULL OR d.published >= t.first)
        AND NOT EXISTS (SELECT 1 FROM trail_members o WHERE o.kind = 'echo' AND o.trail_id = c.trail_id
                        AND o.document_id = c.document_id AND o.start = c.start)"""
    )
    return _count(store, "trail_members", "kind = 'echo'") - before


def build(store: Store, *, cut: Cut | None = None) -> TrailsReport:
    """``propwatch trails``: extend the store's trails with the documents stored since the last build.

    ``cut`` cuts contents into words (default: here, one by one; the Ray engine passes its own).
    One transaction: a build killed half way leaves the trails as they were.
    """
    started = time.perf_counter()
    report = TrailsReport()
    store.con.execute(SCRATCH)
    store.con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")  # the join spills to disk beyond it
    with store._transaction():
        documents, newest = _new_documents(store, _watermark(store))
        report.documents = len(documents)
        contents = _attributions(store, [d for d, _ in documents])
        members = read_members(documents, contents, cut) if cut else read_members(documents, contents)
        labels = group(store, members)
        numbers = _number(store, members, labels)
        trail_of = lambda key: labels[key] if isinstance(labels[key], int) else numbers[labels[key]]  # noqa: E731
        old_phrases = loaded_phrases(store)
        _write_members(store, members, trail_of)
        touched = sorted({trail_of(m.text_key) for m in members})
        echoes = new_echoes(store, documents, old_phrases)
        report.echoes = _write_echoes(store, echoes)
        touched = sorted(set(touched) | {t for t, *_ in echoes})
        summarise(store, touched)
        report.members = len(members)
        report.new_trails = len(numbers)
        fresh_ids = set(numbers.values())
        report.extended = len({t for t in touched if t not in fresh_ids})
        if newest is not None:
            store.con.execute(
                "INSERT INTO meta VALUES ('trails_through', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [newest],
            )
    report.trails = _count(store, "trails")
    report.relayed = _count(store, "trails", "len(outlets) >= 2")
    report.seconds = time.perf_counter() - started
    return report


def summarise(store: Store, trail_ids: list[int]) -> None:
    """(Re)write the ``trails`` rows of ``trail_ids`` from their members."""
    if not trail_ids:
        return
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_touched AS SELECT unnest(?::BIGINT[]) AS id", [trail_ids])
    store.con.execute("DELETE FROM trails WHERE id IN (SELECT id FROM trail_touched)")
    store.con.execute(
        f"""INSERT INTO trails
        WITH m AS (SELECT m.*, d.outlet, d.published, d.text, row_number() OVER (PARTITION BY m.trail_id
                   ORDER BY {_ORDER}) AS n
                   FROM trail_members m JOIN documents d ON d.id = m.document_id
                   WHERE m.kind = 'quote' AND m.trail_id IN (SELECT id FROM trail_touched)),
        wording AS (SELECT trail_id, text_key, count(*) AS c, min(n) AS first,
                    arg_min(text[start + 1 : "end"], n) AS t FROM m GROUP BY ALL),
        o AS (SELECT trail_id, coalesce(outlet, '(no outlet)') AS outlet, min(n) AS n FROM m GROUP BY ALL),
        s AS (SELECT m.trail_id, sp.technique, count(*)::INTEGER AS c FROM m JOIN spans sp
              ON sp.document_id = m.document_id AND sp.start < m."end" AND sp."end" > m.start
              AND coalesce(sp.score, 1.0) >= {MIN_SPAN_SCORE} GROUP BY ALL),
        e AS (SELECT trail_id, count(*)::INTEGER AS c FROM trail_members WHERE kind = 'echo'
              AND trail_id IN (SELECT id FROM trail_touched) GROUP BY 1)
        SELECT m.trail_id,
            (SELECT arg_max(t, (c, -first)) FROM wording w WHERE w.trail_id = m.trail_id),
            NULL,
            count(*)::INTEGER,
            (SELECT list(outlet ORDER BY n) FROM o WHERE o.trail_id = m.trail_id),
            arg_min(m.document_id, m.n),
            arg_min(m.published, m.n),
            coalesce((SELECT c FROM e WHERE e.trail_id = m.trail_id), 0),
            coalesce((SELECT map(list(technique ORDER BY technique), list(c ORDER BY technique)) FROM s
                      WHERE s.trail_id = m.trail_id), map())
        FROM m GROUP BY m.trail_id"""
    )
    speakers: dict[int, list[str | None]] = defaultdict(list)
    for trail, speaker in store.con.execute(
        "SELECT trail_id, speaker FROM trail_members "
        "WHERE kind = 'quote' AND trail_id IN (SELECT id FROM trail_touched)"
    ).fetchall():
        speakers[trail].append(speaker)
    store.insert_columns("trail_speakers", {"id": list(speakers), "speaker": [reconcile(v) for v in speakers.values()]})
    store.con.execute("UPDATE trails SET speaker = s.speaker FROM trail_speakers s WHERE trails.id = s.id")
    store.con.execute("DELETE FROM trail_speakers")


def build_db(db: Path, *, engine: str = "local", ray_options: dict[str, Any] | None = None) -> TrailsReport:
    """``propwatch trails --db``: open the store and extend its trails (``engine``: local or ray)."""
    if not Path(db).exists():
        raise StoreError(f"{db}: no such store (create it with propwatch ingest)")
    with Store(db) as store:
        if engine == "ray":
            from propwatch.scale import words_ray

            return build(store, cut=lambda texts: words_ray(texts, **(ray_options or {})))
        return build(store)
