"""Input records: every item of a folder, JSON Lines or CSV file is a document or a recorded failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propwatch.document import content_id
from propwatch.sources import count_records, iter_records

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
TEXT = (
    "The harbour board said on Monday that the new crane will be working by the end of the month, "
    "and that the port will stay open while it is installed."
)


def records(*paths):
    return list(iter_records(paths))


def write_jsonl(path: Path, *lines: str | dict) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def test_folder_ids_are_relative_paths_without_suffix():
    found = {r.id: r for r in records(CORPUS / "articles")}
    assert set(found) == {"council-vote", "library-hours", "2024/storm-warning"}
    storm = found["2024/storm-warning"].document
    assert storm.title == "Storm warning for the coast"
    assert "console.log" not in storm.text
    assert found["council-vote"].document.text == (CORPUS / "articles" / "council-vote.txt").read_text()


def test_jsonl_fields_and_content_hash_id():
    by_source = {r.source.rsplit(":", 1)[1]: r for r in records(CORPUS / "corpus.jsonl")}
    first = by_source["1"].document
    assert (first.id, first.outlet, first.published) == ("vc-001", "Valley Courier", "2024-05-06")
    assert first.url == "https://example.org/vc-001"
    no_id = by_source["4"].document
    assert no_id.id == content_id(no_id.text)


def test_jsonl_bad_lines_are_failures_and_the_rest_still_read():
    result = records(CORPUS / "corpus.jsonl")
    failed = {r.source.rsplit(":", 1)[1]: r for r in result if r.error}
    assert set(failed) == {"3", "5", "6"}
    assert "malformed JSON" in failed["3"].error
    assert "no 'text' field" in failed["5"].error
    assert failed["5"].id == "vc-004"  # the id is known, so a fixed line replaces this failure
    assert "expected a JSON object" in failed["6"].error
    assert all("\n" not in r.error for r in failed.values())
    assert sum(1 for r in result if r.document) == 3


def test_jsonl_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "a", "text": TEXT}).encode()
    bad = '{"id": "b", "text": "caf\xe9 society news"}'.encode("latin-1")
    path.write_bytes(good + b"\n" + bad + b"\n" + good.replace(b'"a"', b'"c"') + b"\n")
    result = records(path)
    assert [r.id for r in result if r.document] == ["a", "c"]
    assert "not UTF-8" in next(r.error for r in result if r.error)


def test_jsonl_keeps_exact_text_and_coerces_numbers(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", {"id": 17, "text": TEXT.replace(" and", "\r\nand"), "published": 2016}, "")
    (record,) = records(path)
    assert record.id == "17"
    assert record.document.published == "2016"
    assert "\r\n" in record.document.text


def test_jsonl_rejects_structured_metadata(tmp_path):
    (record,) = records(write_jsonl(tmp_path / "a.jsonl", {"text": TEXT, "title": {"en": "x"}}))
    assert "field 'title' must be a string" in record.error


def test_jsonl_refuses_non_english_unless_asked(tmp_path):
    text = "Der Stadtrat hat am Montag beschlossen, dass die neue Brücke im Frühling gebaut wird. " * 4
    path = write_jsonl(tmp_path / "de.jsonl", {"id": "de", "text": text})
    assert "English" in records(path)[0].error
    assert next(iter_records([path], any_language=True)).document is not None


def test_csv_rows_with_line_sources():
    result = records(CORPUS / "corpus.csv")
    assert [r.id for r in result] == ["md-101", "md-102"]
    assert result[0].source.endswith("corpus.csv:2")
    assert result[1].document.url is None  # an empty cell is a missing value
    assert "\n\n" in result[0].document.text


def test_csv_without_text_column_is_one_failure(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("id,title\n1,hello\n")
    (record,) = records(path)
    assert "no 'text' column" in record.error


def test_csv_not_utf8_is_recorded(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(("id,text\n1," + TEXT + " caf\xe9\n").encode("latin-1"))
    (record,) = records(path)
    assert "not UTF-8" in record.error


def test_csv_row_with_too_many_cells(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(f'id,text\n1,"{TEXT}",extra\n2,"{TEXT}"\n')
    result = records(path)
    assert "more cells" in result[0].error
    assert result[1].id == "2"


def test_missing_file_and_empty_folder_are_failures(tmp_path):
    (tmp_path / "empty").mkdir()
    missing, empty = records(tmp_path / "missing.jsonl", tmp_path / "empty")
    assert "no such file" in missing.error
    assert "has no" in empty.error


def test_non_utf8_file_in_folder_does_not_stop_the_others(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT)
    (tmp_path / "bad.txt").write_bytes(("Caf\xe9 " + TEXT).encode("latin-1"))
    result = {r.id: r for r in records(tmp_path)}
    assert result["good"].document is not None
    assert "not UTF-8" in result["bad"].error


def test_count_matches_records(tmp_path):
    paths = [CORPUS / "articles", CORPUS / "corpus.jsonl", CORPUS / "corpus.csv", tmp_path / "missing.txt"]
    assert count_records(paths) == len(records(*paths)) == 12


@pytest.mark.parametrize("name", ["a.txt", "a.html"])
def test_named_file_uses_its_stem(tmp_path, name):
    path = tmp_path / name
    path.write_text(TEXT)
    assert records(path)[0].id == "a"


def test_folder_sidecar_metadata_reaches_the_records(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(TEXT + " Again.")
    (folder / "metadata.tsv").write_text("file\ttitle\toutlet\tpublished\na.txt\tCrane\tHarbour News\t2026-03-04\n")
    found = {r.id: r.document for r in records(folder)}
    assert (found["a"].title, found["a"].outlet, found["a"].published) == ("Crane", "Harbour News", "2026-03-04")
    assert (found["b"].outlet, found["b"].published) == (None, None)  # not listed: no metadata


def test_folder_with_a_bad_sidecar_fails_as_a_whole(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "metadata.tsv").write_text("file\toutlet\nnone.txt\tX\n")
    (failure,) = records(folder)
    assert failure.document is None and "none.txt" in failure.error and "metadata.tsv:2" in failure.error


def test_examples_folder_has_outlets_and_months():
    examples = Path(__file__).parent.parent / "examples"
    docs = [r.document for r in records(examples)]
    assert all(d is not None for d in docs) and len(docs) >= 12
    assert len({d.outlet for d in docs}) >= 3
    assert len({d.published[:7] for d in docs if d.published}) >= 3
    assert sum(1 for d in docs if d.title and d.outlet and d.published) >= 12
