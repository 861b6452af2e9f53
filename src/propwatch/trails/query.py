"""The read side: the most relayed statements, each with its appearances, for reports, the CLI and the API.

Reads only the tables a build wrote, from a store's own connection or from one that attaches the
store (``prefix`` ``'src.'``, as the dashboard does).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from propwatch.document import said_excerpt
from propwatch.store import Store
from propwatch.trails.members import _ORDER

TOP = 10
"""Trails a report shows: the most relayed statements."""


def has_trails(con: Any, prefix: str = "") -> bool:
    """Whether the store (``prefix`` ``'src.'`` when attached, else the connection's own) has trails.

    A store written before trails existed has no such tables until it is next opened for writing.
    """
    catalog = prefix.rstrip(".")
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'trails' "
        "AND database_name = coalesce(nullif(?, ''), current_database())",
        [catalog],
    ).fetchall()
    return bool(found[0][0])


def most_relayed(con: Any, top: int = TOP, prefix: str = "", documents: str = "documents") -> list[dict[str, Any]]:
    """The ``top`` trails carried by the most outlets, each with its appearances in time order.

    ``prefix`` names where the trail tables live (``'src.'`` in the dashboard, which attaches the
    store) and ``documents`` the documents whose trails to show, so a dashboard's filtered view
    of the documents keeps the trails with an appearance in the filtered articles (each shown
    whole). An appearance
    whose relay names an outlet that carried the trail before it gets ``relayed_from``, that
    appearance's document.
    """
    if not has_trails(con, prefix):
        return []
    cursor = con.execute(
        f"""WITH shown AS (SELECT DISTINCT m.trail_id FROM {prefix}trail_members m
                           JOIN {documents} d ON d.id = m.document_id AND m.kind = 'quote')
        SELECT t.id, t.statement, t.speaker, t.appearances, t.outlets, t.first_document, t.first_published,
               t.echoes, t.techniques FROM {prefix}trails t JOIN shown ON shown.trail_id = t.id
        WHERE len(t.outlets) >= 2 ORDER BY len(t.outlets) DESC, t.appearances DESC, t.first_published, t.id LIMIT ?""",
        [top],
    )
    names = [c[0] for c in cursor.description]
    trails = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    members = _appearances(con, [t["id"] for t in trails], prefix)
    for trail in trails:
        trail["techniques"] = dict(sorted(trail["techniques"].items(), key=lambda kv: (-kv[1], kv[0])))
        trail["members"] = _relays(members.get(trail["id"], []))
        shown = [m["text"] for m in trail["members"] if m.pop("statement") == trail["statement"]]
        trail["statement"] = shown[0] if shown else trail["statement"]
    return trails


def _appearances(con: Any, ids: list[int], prefix: str) -> dict[int, list[dict[str, Any]]]:
    """Each trail's members in time order; ``text`` is what a reader sees of it, without the
    attribution clause a statement in two quotes carries inside it (:func:`said_excerpt`)."""
    cursor = con.execute(
        f"""WITH a AS (SELECT document_id, content_start, content_end, any_value(source_start) AS s0,
                       any_value(source_end) AS s1, any_value(cue_start) AS c0, any_value(cue_end) AS c1
                       FROM {prefix}attributions GROUP BY ALL)
        SELECT m.trail_id, m.document_id, d.title, d.outlet, d.published, m.kind, m.start, m."end",
               d.text[m.start + 1 : m."end"] AS text, m.speaker, m.via, a.s0, a.s1, a.c0, a.c1
        FROM {prefix}trail_members m JOIN {prefix}documents d ON d.id = m.document_id
        LEFT JOIN a ON m.kind = 'quote' AND a.document_id = m.document_id AND a.content_start = m.start
                       AND a.content_end = m."end"
        WHERE m.trail_id IN (SELECT unnest(?::BIGINT[])) ORDER BY m.trail_id, {_ORDER}, m.kind DESC""",
        [ids],
    )
    names = [c[0] for c in cursor.description]
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        s0, s1, c0, c1 = (item.pop(k) for k in ("s0", "s1", "c0", "c1"))
        clause = [(lo - item["start"], hi - item["start"]) for lo, hi in ((s0, s1), (c0, c1)) if lo is not None]
        item["statement"] = item["text"]
        item["text"] = said_excerpt(item["text"], (0, len(item["text"])), clause, len(item["text"]) + 2)
        found[item.pop("trail_id")].append(item)
    return found


def _outlet_name(name: str | None) -> str:
    """An outlet's name as relays write it: lower-cased, without a leading 'the' or hyphens."""
    bare = re.sub(r"[-_]", " ", (name or "").lower()).strip()
    return re.sub(r"^the\s+", "", bare)


def _relays(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each appearance with ``relayed_from``: the earlier appearance of the outlet its relay names."""
    first: dict[str, str] = {}
    for member in members:
        member["relayed_from"] = None
        for relay in member["via"] or []:
            if (source := first.get(_outlet_name(relay))) is not None and source != member["document_id"]:
                member["relayed_from"] = source
                break
        if member["kind"] == "quote":
            first.setdefault(_outlet_name(member["outlet"]), member["document_id"])
    return members


def most_relayed_in(db: Path, top: int = TOP) -> list[dict[str, Any]]:
    """:func:`most_relayed` of the store at ``db``, as JSON-ready rows (the CLI and the API)."""
    with Store(db, read_only=True) as store:
        return most_relayed(store.con, top)


def format_trails(shown: list[dict[str, Any]]) -> str:
    """The most relayed statements as text: statement, speaker, then one line per appearance."""
    lines = []
    for n, trail in enumerate(shown, start=1):
        lines.append(f'{n}. {trail["speaker"] or "(unknown speaker)"}: "{_shorten(trail["statement"])}"')
        for m in trail["members"]:
            relay = f" via {' < '.join(m['via'])}" if m["via"] else ""
            what = "echoes it in its own voice" if m["kind"] == "echo" else f"quotes {m['speaker'] or 'someone'}"
            lines.append(
                f"   {m['published'] or '?':<10}  {m['outlet'] or '(no outlet)'}{relay}: {what} "
                f"[{m['document_id']} {m['start']}:{m['end']}]"
            )
    return "\n".join(lines) if lines else "no statement carried by two outlets or more"


def _shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
