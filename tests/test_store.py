"""The corpus store: ingest is idempotent, resumable after a kill, and records failures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from propwatch.cli import main
from propwatch.document import Document, TechniqueSpan
from propwatch.sources import Record, iter_records
from propwatch.store import Analysed, Store, StoreError, export_parquet, ingest, ingest_corpus

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
INPUTS = [CORPUS / "articles", CORPUS / "corpus.jsonl", CORPUS / "corpus.csv"]
GOOD = 8  # readable documents in INPUTS
BAD = 3  # broken JSON lines in INPUTS
LOADED = re.compile(r"disastrous|reckless|doomed|ruined|worst")


def fake_analyze(docs: list[Document]) -> list[Document]:
    """A stand-in model: every loaded word is a span, so tests know exactly what to expect."""
    for doc in docs:
        doc.spans = []
        for match in LOADED.finditer(doc.text):
            doc.add_span(TechniqueSpan(match.start(), match.end(), "Loaded_Language", 0.75))
    return docs


def expected_spans() -> int:
    return sum(len(LOADED.findall(r.document.text)) for r in iter_records(INPUTS) if r.document)


def counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {
            "ok": store.count("documents", "status = 'ok'"),
            "error": store.count("documents", "status = 'error'"),
            "spans": store.count("spans"),
            "distinct_spans": store.con.execute(
                'SELECT count(*) FROM (SELECT DISTINCT document_id, start, "end", technique FROM spans)'
            ).fetchone()[0],
        }


def run_ingest(db: Path, paths=INPUTS, analyze=fake_analyze, batch_size: int = 3):
    with Store(db) as store:
        return ingest(store, iter_records(paths), analyze, batch_size=batch_size)


def test_ingest_stores_documents_spans_and_failures(tmp_path):
    db = tmp_path / "s.duckdb"
    report = run_ingest(db)
    assert (report.added, report.failed, report.spans) == (GOOD, BAD, expected_spans())
    assert counts(db) == {"ok": GOOD, "error": BAD, "spans": expected_spans(), "distinct_spans": expected_spans()}
    with Store(db) as store:
        row = store.con.execute(
            "SELECT title, outlet, published, url, words, status, error, source FROM documents WHERE id = 'vc-001'"
        ).fetchone()
        text = store.con.execute("SELECT text FROM documents WHERE id = 'md-101'").fetchone()[0]
        error = store.con.execute("SELECT error FROM documents WHERE source LIKE '%corpus.jsonl:3'").fetchone()[0]
    assert row[:3] == ("Valley farmers face a dry summer", "Valley Courier", "2024-05-06")
    assert row[4] == 62 and row[5] == "ok" and row[6] is None and row[7].endswith("corpus.jsonl:1")
    assert "disastrous" in text
    assert "malformed JSON" in error


def test_rerun_adds_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    run_ingest(db)
    before = counts(db)
    again = run_ingest(db)
    assert again.added == 0 and again.skipped == GOOD
    assert counts(db) == before


def test_exception_after_first_batch_then_rerun_finishes(tmp_path):
    db = tmp_path / "s.duckdb"
    calls = []

    def dies_on_second_batch(docs):
        calls.append(len(docs))
        if len(calls) == 2:
            raise KeyboardInterrupt  # like Ctrl-C: not a document's fault, so it stops the run
        return fake_analyze(docs)

    with pytest.raises(KeyboardInterrupt):
        run_ingest(db, analyze=dies_on_second_batch)
    assert 0 < counts(db)["ok"] < GOOD
    run_ingest(db)
    final = counts(db)
    assert final["ok"] == GOOD
    assert final["spans"] == final["distinct_spans"] == expected_spans()


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_store import INPUTS, fake_analyze, run_ingest
    from propwatch.store import Store

    real_insert, seen = Store._insert, []

    def insert_then_die(self, table, rows, conflict=""):
        real_insert(self, table, rows, conflict)
        if table == "documents" and rows and rows[0]["status"] == "ok":
            seen.append(1)
            if len(seen) == 2:  # the second batch's documents are in, its spans are not: SIGKILL
                os.kill(os.getpid(), signal.SIGKILL)

    Store._insert = insert_then_die
    run_ingest({db!r})
    """
)


def test_killed_mid_transaction_then_rerun_has_no_duplicates(tmp_path):
    db = tmp_path / "s.duckdb"
    script = KILLER.format(tests=str(Path(__file__).parent), db=str(db))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr
    partial = counts(db)
    assert partial["ok"] == 3  # the first batch only: the killed batch's documents were rolled back
    assert partial["spans"] == partial["distinct_spans"]
    run_ingest(db)
    final = counts(db)
    assert final["ok"] == GOOD
    assert final["spans"] == final["distinct_spans"] == expected_spans()


def test_one_document_that_breaks_the_model_is_an_error_row(tmp_path):
    def fails_on_storms(docs):
        if any("storm" in d.text for d in docs):
            raise ValueError("cannot read this\nsecond line")
        return fake_analyze(docs)

    db = tmp_path / "s.duckdb"
    report = run_ingest(db, analyze=fails_on_storms)
    assert report.added == GOOD - 1
    with Store(db) as store:
        status, error = store.con.execute(
            "SELECT status, error FROM documents WHERE id = '2024/storm-warning'"
        ).fetchone()
    assert status == "error"
    assert "ValueError: cannot read this" in error and "\n" not in error


def test_fixed_input_replaces_its_failure(tmp_path):
    db = tmp_path / "s.duckdb"
    path = tmp_path / "feed.jsonl"
    text = (CORPUS / "articles" / "library-hours.txt").read_text()
    path.write_text('{"text": "broken\n')
    run_ingest(db, [path])
    assert counts(db)["error"] == 1
    path.write_text(json.dumps({"text": text}) + "\n")
    run_ingest(db, [path])
    assert counts(db)["ok"] == 1 and counts(db)["error"] == 0


def test_a_failure_never_overwrites_an_analysed_document(tmp_path):
    db = tmp_path / "s.duckdb"
    text = (CORPUS / "articles" / "library-hours.txt").read_text()
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "x", "text": text}) + "\n" + json.dumps({"id": "x"}) + "\n")
    run_ingest(db, [path])
    with Store(db) as store:
        assert store.con.execute("SELECT status FROM documents WHERE id = 'x'").fetchall() == [("ok",)]


def test_duplicate_texts_in_one_run_are_stored_once(tmp_path):
    db = tmp_path / "s.duckdb"
    line = json.dumps({"text": (CORPUS / "articles" / "council-vote.txt").read_text()})
    path = tmp_path / "dup.jsonl"
    path.write_text("\n".join([line] * 5) + "\n")
    report = run_ingest(db, [path], batch_size=2)
    assert (report.added, report.skipped) == (1, 4)
    assert counts(db)["spans"] == counts(db)["distinct_spans"]


def test_attributions_are_stored_in_their_table(tmp_path):
    item = Document(text="The mayor said the plan is a disaster.", id="a").to_dict()
    item["attributions"] = [
        {"content": [15, 38], "source": [0, 9], "cue": [10, 14], "speaker": "the mayor", "via": ["the Post"]},
        {"content": [0, 5], "source": None, "cue": None, "speaker": None, "via": []},
    ]
    with Store(tmp_path / "s.duckdb") as store:
        store.write_batch([Analysed(item, "test")], [])
        rows = store.con.execute("SELECT * FROM attributions ORDER BY content_start").fetchall()
    assert rows == [
        ("a", 0, 5, None, None, None, None, None, []),
        ("a", 15, 38, 0, 9, 10, 14, "the mayor", ["the Post"]),
    ]


def test_failed_records_keep_their_reason(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write_batch([], [Record(id="f", source="f.txt", error="f.txt: no such file")])
        assert store.con.execute("SELECT status, error, text FROM documents").fetchall() == [
            ("error", "f.txt: no such file", None)
        ]


def test_export_writes_readable_parquet(tmp_path):
    import pyarrow.parquet as pq

    db = tmp_path / "s.duckdb"
    run_ingest(db)
    written = export_parquet(db, tmp_path / "out")
    assert [p.name for p in written][:3] == ["documents.parquet", "spans.parquet", "attributions.parquet"]
    assert [p.name for p in written][3:] == ["trails.parquet", "trail_members.parquet"]
    assert pq.read_table(written[0]).num_rows == GOOD + BAD
    assert pq.read_table(written[1]).column_names == ["document_id", "start", "end", "technique", "score", "speaker"]


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_ingest_with_the_real_model(tmp_path):
    db = tmp_path / "s.duckdb"
    report = ingest_corpus(db, [str(p) for p in INPUTS], show_progress=False)
    assert (report.added, report.failed, report.stored) == (GOOD, BAD, GOOD)
    with Store(db) as store:
        bad = store.con.execute(
            "SELECT count(*) FROM spans s JOIN documents d ON d.id = s.document_id "
            'WHERE s.start < 0 OR s."end" > length(d.text) OR s.start >= s."end"'
        ).fetchone()[0]
    assert bad == 0


def test_cli_ingest_report_export(tmp_path):
    runner = CliRunner()
    db = tmp_path / "c.duckdb"
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 owners said the new rules are a disaster for the harbour.".encode("latin-1"))
    args = ["ingest", *map(str, INPUTS), str(tmp_path / "missing.txt"), str(latin), "--db", str(db), "--quiet"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1  # some inputs failed, the rest went in
    assert f"added {GOOD} documents" in result.stderr and f"{BAD + 2} failed" in result.stderr
    assert "propwatch: error:" in result.stderr and "missing.txt: no such file" in result.stderr
    assert "latin.txt: not UTF-8" in result.stderr and "malformed JSON" in result.stderr
    assert counts(db)["error"] == BAD + 2
    again = runner.invoke(main, args)
    assert "added 0 documents" in again.stderr and f"{GOOD} already in the store" in again.stderr
    out = tmp_path / "report.html"
    assert runner.invoke(main, ["report", "--db", str(db), "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("<!doctype html>")
    as_json = runner.invoke(main, ["report", "--db", str(db), "-o", "-", "--format", "json"])
    assert json.loads(as_json.stdout)["summary"]["documents"] == GOOD
    assert runner.invoke(main, ["export", "--db", str(db), "-o", str(tmp_path / "pq")]).exit_code == 0
    assert (tmp_path / "pq" / "spans.parquet").exists()


def test_cli_report_on_missing_store_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "nope.duckdb"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("propwatch: error:") and len(result.stderr.strip().splitlines()) == 1
