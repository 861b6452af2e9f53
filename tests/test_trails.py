"""Quote trails: one statement followed across outlets, with its relays and its echoes.

The corpus below is our own writing: a spokeswoman's statement carried by four outlets over three
days (two of them through the first), truncated and re-punctuated on the way, a second statement
of hers that shares a phrase with the first and must stay apart, and an outlet that repeats the
statement's loaded words in its own narration.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from propwatch import trails
from propwatch.cli import main
from propwatch.store import Analysed, Store, export_parquet

FIRST = "We will drive the invaders from every valley, and the traitors who serve them will answer for their crimes."
SECOND = "We will drive no farmer from his field; our quarrel is with the invaders from every valley and their masters."
OTHER = "The ministry has received no request for talks and sees no reason to expect one this month."

DAY_ONE = [
    {
        "id": "wire-1",
        "outlet": "Valley Wire",
        "published": "2026-03-02",
        "text": f'Fighting spread overnight. "{FIRST}" said Marta Kovel, spokeswoman of the Northern Front.\n\n'
        f'Kovel added: "{SECOND}"',
        "quotes": [(FIRST, "Marta Kovel", []), (SECOND, "Marta Kovel", [])],
        "spans": [("traitors who serve them", "Name_Calling,Labeling"), ("invaders", "Loaded_Language")],
    },
]
DAY_TWO = [
    {
        "id": "harbor-1",
        "outlet": "Harbor Times",
        "published": "2026-03-03",
        "text": "“We will drive the invaders from every valley …” the group's spokeswoman, Marta Kovel, said, "
        "according to Valley Wire. The ministry did not comment.",
        "quotes": [("We will drive the invaders from every valley …", "Marta Kovel", ["Valley Wire"])],
        "spans": [("invaders", "Loaded_Language")],
    },
    {
        "id": "meridian-1",
        "outlet": "Daily Meridian",
        "published": "2026-03-03",
        "text": "WE WILL DRIVE THE INVADERS FROM EVERY VALLEY - and the traitors who serve them will answer for "
        "their crimes!!! Kovel said in a message, Valley Wire reported.\n\nA ministry official said: "
        f"'{OTHER}'",
        "quotes": [
            (
                "WE WILL DRIVE THE INVADERS FROM EVERY VALLEY - and the traitors who serve them will answer for "
                "their crimes!!!",
                "Kovel",
                ["Valley Wire"],
            ),
            (OTHER, "a ministry official", []),
        ],
        "spans": [],
    },
]
DAY_THREE = [
    {
        "id": "ledger-1",
        "outlet": "Eastern Ledger",
        "published": "2026-03-04",
        "text": "Kovel warned that 'the traitors who serve them will answer for their crimes'. Earlier she had said "
        f'that "{SECOND.lower()}"',
        "quotes": [
            ("the traitors who serve them will answer for their crimes", "Kovel", []),
            (SECOND.lower(), "Kovel", []),
        ],
        "spans": [],
    },
    {
        "id": "meridian-2",
        "outlet": "Daily Meridian",
        "published": "2026-03-04",
        "text": "The capital braced for a long spring. Few here doubt that the traitors who serve them are already "
        "packing, and the invaders are named on every wall.",
        "quotes": [],
        "spans": [],
    },
]


def _item(article: dict[str, Any]) -> dict[str, Any]:
    """An article as the store receives it, its offsets found in its own text."""
    text = article["text"]

    def where(piece: str, after: int = 0) -> list[int]:
        start = text.index(piece, after)
        return [start, start + len(piece)]

    def cue(content: list[int]) -> list[int]:  # the reporting word nearest the content
        found = [m.span() for m in re.finditer(r"\b(?:said|warned|added)\b", text)]
        return list(min(found, key=lambda c: min(abs(c[0] - content[1]), abs(content[0] - c[1]))))

    attributions = [
        {"content": where(q), "source": None, "cue": cue(where(q)), "speaker": who, "via": via}
        for q, who, via in article["quotes"]
    ]
    spans = []
    for piece, technique in article["spans"]:
        start = -1
        while (start := text.find(piece, start + 1)) != -1:
            spans.append(
                {
                    "start": start,
                    "end": start + len(piece),
                    "technique": technique,
                    "score": 0.9,
                    "speaker": "Marta Kovel",
                }
            )
    return {
        "id": article["id"],
        "title": f"{article['outlet']} on the Northern Front",
        "outlet": article["outlet"],
        "published": article["published"],
        "url": None,
        "text": text,
        "spans": spans,
        "attributions": attributions,
    }


def write_trail_store(db: Path, *days: list[dict[str, Any]]) -> Path:
    """Store the days' articles (each day one ingest batch), as ``propwatch ingest`` would."""
    with Store(db) as store:
        for day in days or (DAY_ONE, DAY_TWO, DAY_THREE):
            store.write_batch([Analysed(_item(a), "trails-corpus") for a in day], [])
    return db


def _trails(db: Path) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return trails.most_relayed(store.con, top=10)


def _ids(db: Path) -> list[int]:
    with Store(db, read_only=True) as store:
        return [r[0] for r in store.con.execute("SELECT id FROM trails ORDER BY id").fetchall()]


def _build(db: Path) -> trails.TrailsReport:
    with Store(db) as store:
        return trails.build(store)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    db = write_trail_store(tmp_path / "t.duckdb")
    _build(db)
    return db


def test_one_statement_one_trail_in_time_order(built: Path) -> None:
    first = _trails(built)[0]
    assert first["speaker"] == "Marta Kovel"
    assert first["statement"] == FIRST
    assert first["outlets"] == ["Valley Wire", "Harbor Times", "Daily Meridian", "Eastern Ledger"]
    assert first["first_document"] == "wire-1" and first["first_published"] == "2026-03-02"
    quotes = [m for m in first["members"] if m["kind"] == "quote"]
    assert [m["document_id"] for m in quotes] == ["wire-1", "harbor-1", "meridian-1", "ledger-1"]
    assert first["appearances"] == 4
    assert first["techniques"] == {"Loaded_Language": 2, "Name_Calling,Labeling": 1}


def test_relays_point_to_the_outlet_they_came_through(built: Path) -> None:
    members = [m for m in _trails(built)[0]["members"] if m["kind"] == "quote"]
    assert [m["via"] for m in members] == [[], ["Valley Wire"], ["Valley Wire"], []]
    assert [m["relayed_from"] for m in members] == [None, "wire-1", "wire-1", None]


def test_the_second_statement_of_the_same_speaker_stays_apart(built: Path) -> None:
    second = _trails(built)[1]
    assert second["statement"] == SECOND
    assert second["speaker"] == "Marta Kovel"
    assert [(m["document_id"], m["speaker"]) for m in second["members"]] == [
        ("wire-1", "Marta Kovel"),
        ("ledger-1", "Kovel"),
    ]
    with Store(built, read_only=True) as store:
        lone = store.con.execute("SELECT outlets FROM trails WHERE statement LIKE 'The ministry%'").fetchall()
    assert lone == [(["Daily Meridian"],)]


def test_an_unattributed_repeat_of_the_loaded_words_is_an_echo(built: Path) -> None:
    first, second = _trails(built)
    echoes = [m for m in first["members"] if m["kind"] == "echo"]
    assert [(m["document_id"], m["outlet"], m["text"], m["speaker"]) for m in echoes] == [
        ("meridian-2", "Daily Meridian", "traitors who serve", None)
    ]
    assert first["echoes"] == 1 and second["echoes"] == 0


def test_offsets_index_the_stored_text(built: Path) -> None:
    with Store(built, read_only=True) as store:
        texts = dict(store.con.execute("SELECT id, text FROM documents").fetchall())
    for trail in _trails(built):
        for m in trail["members"]:
            assert texts[m["document_id"]][m["start"] : m["end"]] == m["text"]


def test_a_later_ingest_extends_the_trails_without_rebuilding_them(tmp_path: Path) -> None:
    db = write_trail_store(tmp_path / "t.duckdb", DAY_ONE, DAY_TWO)
    _build(db)
    before = _ids(db)
    with Store(db) as store:
        store.write_batch([Analysed(_item(a), "trails-corpus") for a in DAY_THREE], [])
    report = _build(db)
    assert (report.documents, report.new_trails, report.echoes) == (2, 0, 1)
    assert _ids(db) == before
    after = _trails(db)
    at_once = write_trail_store(tmp_path / "all.duckdb")
    _build(at_once)
    assert after == _trails(at_once)


def test_a_second_build_with_nothing_new_changes_nothing(built: Path) -> None:
    before = _trails(built)
    report = _build(built)
    assert (report.documents, report.members, report.echoes) == (0, 0, 0)
    assert _trails(built) == before


def test_a_quote_joining_two_statements_does_not_bridge_them(tmp_path: Path) -> None:
    joined = {
        "id": "joined-1",
        "outlet": "Upland Post",
        "published": "2026-03-05",
        "text": f'"{FIRST} {SECOND}" Kovel said.',
        "quotes": [(f"{FIRST} {SECOND}", "Kovel", [])],
        "spans": [],
    }
    db = write_trail_store(tmp_path / "t.duckdb", DAY_ONE, DAY_TWO, DAY_THREE, [joined])
    _build(db)
    statements = [t["statement"] for t in _trails(db)]
    assert statements.count(FIRST) == 1 and statements.count(SECOND) == 1


def test_a_short_text_differing_in_its_first_word_is_another_statement(tmp_path: Path) -> None:
    tail = "should chair the board of the harbor trust next year"
    articles = [
        {
            "id": f"w-{n}",
            "outlet": outlet,
            "published": "2026-04-02",
            "text": f'"{who} {tail}," she said.',
            "quotes": [(f"{who} {tail},", "Ana Berg", [])],
            "spans": [],
        }
        for n, (outlet, who) in enumerate([("A", "Lund"), ("B", "Lund"), ("C", "Moor")])
    ]
    db = write_trail_store(tmp_path / "t.duckdb", articles)
    _build(db)
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT outlets FROM trails ORDER BY id").fetchall()
    assert rows == [(["A", "B"],), (["C"],)]


def test_different_speakers_saying_the_same_words_are_two_trails(tmp_path: Path) -> None:
    line = "Nobody in this government will ever sign away a single village of the north."
    articles = [
        {
            "id": f"s-{n}",
            "outlet": outlet,
            "published": "2026-04-01",
            "text": f'"{line}" said {who}.',
            "quotes": [(line, who, [])],
            "spans": [],
        }
        for n, (outlet, who) in enumerate([("A", "Ivo Marek"), ("B", "Ivo Marek"), ("C", "Lena Hart")])
    ]
    db = write_trail_store(tmp_path / "t.duckdb", articles)
    _build(db)
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT speaker, outlets FROM trails ORDER BY id").fetchall()
    assert rows == [("Ivo Marek", ["A", "B"]), ("Lena Hart", ["C"])]


def test_words_ignore_quote_marks_ellipses_case_and_apostrophes() -> None:
    assert (
        trails.words("“WE’LL drive them …” – out!")
        == trails.words("we'll Drive... them out")
        == ["well", "drive", "them", "out"]
    )


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("Donald J. Trump", "trump"),
        ("Republican Donald Trump", "trump"),
        ("United States. Trump", "trump"),
        ("Sen. Bernie Sanders", "sanders"),
        ("one senior administration official", "official"),
        ("officials familiar with the talks", "official"),
        ("she", None),
        (None, None),
    ],
)
def test_speakers_match_by_surname_or_head_noun(speaker: str | None, expected: str | None) -> None:
    assert trails.surname(speaker) == expected


def test_reconcile_prefers_the_most_common_full_name() -> None:
    assert trails.reconcile(["Kovel", "Marta Kovel", "she", "Marta Kovel", "Ivo Marek"]) == "Marta Kovel"
    assert trails.reconcile(["she", None]) == "she"
    assert trails.reconcile([None]) is None


def test_cli_builds_and_prints_json(tmp_path: Path) -> None:
    db = write_trail_store(tmp_path / "t.duckdb")
    result = CliRunner().invoke(main, ["trails", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert [t["statement"] for t in shown["trails"]] == [FIRST, SECOND]
    assert shown["build"]["documents"] == 5


def test_cli_names_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["trails", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "none.duckdb" in result.output and "\n" not in result.output.strip()


def test_trails_are_exported_to_parquet(built: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    written = {p.name: p for p in export_parquet(built, tmp_path / "out")}
    assert pq.read_table(written["trail_members.parquet"]).num_rows == 8
    assert "outlets" in pq.read_table(written["trails.parquet"]).column_names


def test_the_ray_engine_builds_the_same_trails(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    local = write_trail_store(tmp_path / "local.duckdb")
    _build(local)
    on_ray = write_trail_store(tmp_path / "ray.duckdb")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        report = trails.build_db(on_ray, engine="ray")
    finally:
        ray.shutdown()
    assert report.members == 8 - 1  # every quote; the echo is found afterwards
    assert _trails(on_ray) == _trails(local)


@pytest.mark.parametrize("text", ["İstanbul’s MAYOR said 'no'", "ΣΟΦΊΑ's café", "rock 'n' roll", "o'clock, don’t"])
def test_word_spans_index_the_text_and_agree_with_words(text: str) -> None:
    spans = trails.word_spans(text)
    assert [w for w, _, _ in spans] == trails.words(text)
    for word, start, end in spans:
        assert trails.words(text[start:end]) == [word]


def test_a_short_paraphrase_is_no_statement_but_a_short_quote_is() -> None:
    text = 'Critics attacked her record as a senator. "We will never sign it," she said.'
    paraphrase = (text.index("her record"), text.index(" as a senator") + len(" as a senator"))
    quote = (text.index("We will"), text.index('," she'))
    assert not trails.is_direct_quote(text, *paraphrase)
    assert trails.is_direct_quote(text, *quote)
    said = text.index("said")
    contents = {"d": [(*paraphrase, "Critics", [], None, None), (*quote, "Ana Berg", [], (said, said + 4), None)]}
    long_enough = trails.read_members([("d", text + " It is final now, and the council knows it well.")], contents)
    assert [text[m.start : m.end] for m in long_enough] == []  # five words quoted, six paraphrased: both short
    quote_six = 'Then: "We will never sign it now," she said.'
    found = trails.read_members([("e", quote_six)], {"e": [(7, 33, "Ana Berg", [], (36, 40), None)]})
    assert [quote_six[m.start : m.end] for m in found] == ["We will never sign it now,"]


def test_an_article_stored_before_the_quote_is_scanned_for_its_echo_later(tmp_path: Path) -> None:
    echo_first = [a for a in DAY_THREE if a["id"] == "meridian-2"]
    rest = [a for a in DAY_THREE if a["id"] != "meridian-2"]
    db = write_trail_store(tmp_path / "t.duckdb", echo_first)
    assert _build(db).echoes == 0
    with Store(db) as store:
        store.write_batch([Analysed(_item(a), "trails-corpus") for a in DAY_ONE + DAY_TWO + rest], [])
    assert _build(db).echoes == 1
    echoes = [m for m in _trails(db)[0]["members"] if m["kind"] == "echo"]
    assert [(m["document_id"], m["text"]) for m in echoes] == [("meridian-2", "traitors who serve")]


def test_overlapping_contents_of_one_article_are_one_appearance():
    contents = [
        (0, 60, "Ada", [], None, None),
        (40, 90, "Ada", [], None, None),
        (10, 20, "Tom", [], None, None),
        (95, 99, None, [], None, None),
    ]
    assert trails.outermost(contents) == [(0, 60, "Ada", [], None, None), (95, 99, None, [], None, None)]


def test_boilerplate_stances_and_unspoken_contents_are_no_statements() -> None:
    note = "Editor's note: the mayor is a serial liar, a rampant bully and a danger to the harbor."
    documents = [(f"n-{k}", note) for k in range(3)]
    start = note.index("the mayor")
    contents = {d: [(start, len(note) - 1, "Bully", [], (0, 13), None)] for d, _ in documents}
    assert trails.read_members(documents, contents) == []  # one outlet's editor's note, three times
    text = "He defended his plan of closing the harbor to every foreign ship by citing a poll, the report said."
    plan = (text.index("his plan"), text.index(" by citing"))
    defended = (text.index("defended"), text.index("defended") + 8)
    said = (text.index("said"), text.index("said") + 4)
    assert trails.read_members([("d", text)], {"d": [(*plan, "Ana Berg", [], defended, None)]}) == []
    assert len(trails.read_members([("d", text)], {"d": [(*plan, "Ana Berg", [], said, None)]})) == 1
    assert trails.read_members([("d", text)], {"d": [(*plan, None, [], said, None)]}) == []


def test_anonymous_counted_and_clause_sources_start_no_trail() -> None:
    text = (
        "The proportion of harbor voters saying they want the bridge closed is as high as three-quarters. "
        "Jo Park regularly promotes beyond-the-fringe ideas: alleged plots in the harbor office and the mint. "
        '"He can say it, but it seems most unlikely" that the mayor wins, said Tom Reyes, the analyst.'
    )
    share = (text.index("they want"), text.index(" is as high"))
    saying = (text.index("saying"), text.index("saying") + 6)
    voters = (text.index("The proportion"), text.index(" saying"))
    plots = (text.index("plots"), text.index(" and the mint"))
    alleged = (text.index("alleged"), text.index("alleged") + 7)
    quote = (text.index("He can say"), text.index('" that'))
    said = (text.index("said Tom"), text.index("said Tom") + 4)
    clause = (text.index("that the mayor"), text.index(", said"))
    assert trails.read_members([("d", text)], {"d": [(*share, "harbor voters", [], saying, voters)]}) == []
    assert trails.read_members([("d", text)], {"d": [(*plots, "Jo Park", [], alleged, None)]}) == []
    assert trails.read_members([("d", text)], {"d": [(*quote, "group", [], said, None)]}) == []
    assert trails.read_members([("d", text)], {"d": [(*quote, "Reyes", [], said, clause)]}) == []
    assert len(trails.read_members([("d", text)], {"d": [(*quote, "Tom Reyes", [], said, None)]})) == 1


def test_transcripts_and_written_things_are_no_statements() -> None:
    speech = "We will build the bridge. " * 40
    text = f'Jo Park wrote an in-depth assessment of the ferry contracts of the harbor office. "{speech}" Park said.'
    thing = (text.index("an in-depth"), text.index('. "'))
    wrote = (text.index("wrote"), text.index("wrote") + 5)
    transcript = (text.index("We will"), text.index('" Park'))
    said = (text.index("said"), text.index("said") + 4)
    assert trails.read_members([("d", text)], {"d": [(*thing, "Jo Park", [], wrote, None)]}) == []
    assert trails.read_members([("d", text)], {"d": [(*transcript, "Jo Park", [], said, None)]}) == []


def test_a_dependent_clause_and_a_share_of_majorities_are_no_statements() -> None:
    text = (
        '"Many would call that a defeat for Reyes" if she did not win by a margin larger than that, said '
        "Tom Cole. Most voters back the bridge, but majorities in all five towns say they want the ferry kept."
    )
    clause = (text.index("if she"), text.index(", said"))
    said = (text.index("said"), text.index("said") + 4)
    kept = (text.index("they want"), len(text) - 1)
    say = (text.index("say they"), text.index("say they") + 3)
    towns = (text.index("majorities"), text.index(" say they"))
    assert trails.read_members([("d", text)], {"d": [(*clause, "Tom Cole", [], said, None)]}) == []
    assert trails.read_members([("d", text)], {"d": [(*kept, "towns", [], say, towns)]}) == []


def test_added_to_something_reports_no_words() -> None:
    text = "Dana Reyes, who in 2012 added to her portfolio of fourteen harbor ferries and three bridges, spoke."
    content = (text.index("her portfolio"), text.index(", spoke"))
    added = (text.index("added"), text.index("added") + 5)
    assert trails.read_members([("d", text)], {"d": [(*content, "Dana Reyes", [], added, None)]}) == []
