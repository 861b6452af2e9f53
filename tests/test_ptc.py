"""Tests for propwatch.ptc: PTC articles and SI/TC label files, read, checked and written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propwatch.ptc import (
    LabelRow,
    article_paths,
    check_rows_fit,
    read_articles,
    read_labels,
    write_si,
    write_tc,
)
from propwatch.readers import InputError
from propwatch.techniques import NAMES

ARTICLES = {
    "111": "Title line\r\n\r\nThey are traitors, and everyone knows it.\r\n",
    "222": "\ufeffA plain article.\nWith two lines.\n",
    "333": "Short one. 😀 Cafe\u0301!\n",
}


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        (folder / f"article{article_id}.txt").write_bytes(text.encode("utf-8"))
    # Files that are not articles are ignored.
    (folder / "README.md").write_text("not an article")
    (folder / "article999.txt.bak").write_text("not an article either")
    (folder / "notes.txt").write_text("ignored")
    return folder


def one_line(err: pytest.ExceptionInfo[InputError]) -> str:
    message = str(err.value)
    assert "\n" not in message and "\r" not in message
    return message


# --- articles --------------------------------------------------------------------------------


def test_article_paths_finds_only_articles(articles_dir: Path) -> None:
    paths = article_paths(articles_dir)
    assert list(paths) == ["111", "222", "333"]
    assert paths["222"] == articles_dir / "article222.txt"


def test_read_articles_keeps_exact_text(articles_dir: Path) -> None:
    docs = read_articles(articles_dir)
    assert set(docs) == set(ARTICLES)
    for article_id, doc in docs.items():
        assert doc.id == article_id
        assert doc.text == ARTICLES[article_id]
        assert doc.url == str(articles_dir / f"article{article_id}.txt")
    assert "\r\n" in docs["111"].text
    assert docs["222"].text.startswith("\ufeff")


def test_read_articles_refuses_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_articles(tmp_path / "absent")
    assert "absent" in one_line(err)


def test_read_articles_refuses_file_instead_of_folder(tmp_path: Path) -> None:
    path = tmp_path / "article1.txt"
    path.write_text("text")
    with pytest.raises(InputError) as err:
        read_articles(path)
    assert "article1.txt" in one_line(err)


def test_read_articles_refuses_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_text("x")
    with pytest.raises(InputError) as err:
        read_articles(tmp_path)
    assert "no article" in one_line(err)


def test_read_articles_reports_bad_article(tmp_path: Path) -> None:
    (tmp_path / "article5.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_articles(tmp_path)
    assert "article5.txt" in one_line(err)


# --- labels ----------------------------------------------------------------------------------

SI_TEXT = "111\t12\t20\n111\t22\t51\n\n222\t0\t5\n"
TC_TEXT = "111\tName_Calling,Labeling\t12\t20\n111\tLoaded_Language\t12\t20\r\n333\t?\t0\t5\n"


def test_read_si_labels_from_file(tmp_path: Path) -> None:
    path = tmp_path / "si.labels"
    path.write_text(SI_TEXT)
    assert read_labels(path) == [
        LabelRow("111", 12, 20),
        LabelRow("111", 22, 51),
        LabelRow("222", 0, 5),
    ]


def test_read_tc_labels_from_file(tmp_path: Path) -> None:
    path = tmp_path / "tc.labels"
    path.write_bytes(TC_TEXT.encode("utf-8"))
    assert read_labels(path) == [
        LabelRow("111", 12, 20, "Name_Calling,Labeling"),
        LabelRow("111", 12, 20, "Loaded_Language"),
        LabelRow("333", 0, 5, "?"),
    ]


def test_read_labels_from_folder_in_file_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "article222.task1-SI.labels").write_text("222\t0\t5\n")
    (folder / "article111.task1-SI.labels").write_text("111\t12\t20\n111\t22\t51\n")
    (folder / ".hidden").write_text("garbage line\n")
    (folder / "sub").mkdir()
    assert read_labels(folder) == [
        LabelRow("111", 12, 20),
        LabelRow("111", 22, 51),
        LabelRow("222", 0, 5),
    ]


def test_read_tc_labels_from_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tc"
    folder.mkdir()
    (folder / "a.labels").write_text("111\tDoubt\t1\t4\n")
    (folder / "b.labels").write_text("222\tSlogans\t0\t3\n222\tRepetition\t0\t3\n")
    rows = read_labels(folder)
    assert [r.technique for r in rows] == ["Doubt", "Slogans", "Repetition"]


def test_read_labels_empty_folder_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        read_labels(folder)
    assert "empty" in one_line(err)


def test_read_labels_missing_path_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_labels(tmp_path / "gone.labels")
    assert "gone.labels" in one_line(err)


def test_read_labels_empty_file_gives_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "none.labels"
    path.write_text("\n\n")
    assert read_labels(path) == []


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("111\t1\t4\n111\t5\n", 2, "got 2"),  # too few fields
        ("111\tDoubt\t1\t4\textra\n", 1, "got 5"),  # too many fields
        ("111 1 4\n", 1, "got 1"),  # spaces instead of tabs
        ("111\t1\tfour\n", 1, "integers"),
        ("111\t1.5\t4\n", 1, "integers"),
        ("111\tDoubt\t\t4\n", 1, "integers"),
        ("111\t1\t4\n\n111\t-1\t4\n", 3, "invalid span"),  # blank lines still count
        ("111\t9\t4\n", 1, "invalid span"),
        ("111\tDoubt\t9\t4\n", 1, "invalid span"),
        ("111\tNot_A_Technique\t1\t4\n", 1, "unknown technique"),
        ("111\tloaded_language\t1\t4\n", 1, "unknown technique"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.labels"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        read_labels(path)
    message = one_line(err)
    assert f"{path}:{line}:" in message
    assert fragment in message


def test_malformed_line_in_folder_names_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "a.labels").write_text("111\t1\t4\n")
    (folder / "b.labels").write_text("222\t1\t4\n222\tx\t4\n")
    with pytest.raises(InputError) as err:
        read_labels(folder)
    assert f"{folder / 'b.labels'}:2:" in one_line(err)


def test_non_utf8_label_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.labels"
    path.write_bytes("111\tDoubt\t1\t4\n111\tCaf\xe9\t1\t4\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_labels(path)
    message = one_line(err)
    assert str(path) in message
    assert "UTF-8" in message


# --- rows against articles -------------------------------------------------------------------


def test_check_rows_fit_accepts_rows_inside_articles(articles_dir: Path) -> None:
    docs = read_articles(articles_dir)
    n = len(ARTICLES["111"])
    check_rows_fit([LabelRow("111", 0, n), LabelRow("222", 3, 3), LabelRow("333", 0, 1, "Doubt")], docs)
    check_rows_fit([], docs)


def test_check_rows_fit_refuses_unknown_article(articles_dir: Path) -> None:
    docs = read_articles(articles_dir)
    with pytest.raises(InputError) as err:
        check_rows_fit([LabelRow("111", 0, 4), LabelRow("444", 0, 4)], docs)
    assert "444" in one_line(err)


def test_check_rows_fit_refuses_out_of_range_offsets(articles_dir: Path) -> None:
    docs = read_articles(articles_dir)
    n = len(ARTICLES["333"])
    with pytest.raises(InputError) as err:
        check_rows_fit([LabelRow("333", 0, n + 1)], docs)
    message = one_line(err)
    assert "333" in message
    assert str(n) in message


def test_check_rows_fit_counts_code_points_not_bytes(articles_dir: Path) -> None:
    docs = read_articles(articles_dir)
    text = ARTICLES["333"]
    assert len(text.encode("utf-8")) > len(text)
    check_rows_fit([LabelRow("333", 0, len(text))], docs)
    with pytest.raises(InputError):
        check_rows_fit([LabelRow("333", 0, len(text.encode("utf-8")))], docs)


def test_fixture_corpus_labels_fit_its_articles(ptc_fixture: Path) -> None:
    root = ptc_fixture
    docs = read_articles(root / "articles")
    for folder in ("labels-si", "labels-tc"):
        rows = read_labels(root / folder)
        assert rows
        check_rows_fit(rows, docs)


# --- writing ---------------------------------------------------------------------------------


def test_write_si_round_trip(tmp_path: Path) -> None:
    rows = [LabelRow("111", 12, 20), LabelRow("222", 0, 5), LabelRow("111", 0, 0)]
    path = tmp_path / "out-si.txt"
    write_si(rows, path)
    assert path.read_bytes() == b"111\t12\t20\n222\t0\t5\n111\t0\t0\n"
    assert read_labels(path) == rows


def test_write_si_drops_technique(tmp_path: Path) -> None:
    path = tmp_path / "si.txt"
    write_si([LabelRow("1", 2, 3, "Doubt")], path)
    assert read_labels(path) == [LabelRow("1", 2, 3)]


def test_write_tc_round_trip(tmp_path: Path) -> None:
    rows = [
        LabelRow("111", 12, 20, "Name_Calling,Labeling"),
        LabelRow("111", 12, 20, "Loaded_Language"),
        LabelRow("222", 0, 5, "Whataboutism,Straw_Men,Red_Herring"),
    ]
    path = tmp_path / "out-tc.txt"
    write_tc(rows, path)
    assert read_labels(path) == rows


rows_strategy = st.lists(
    st.builds(
        LabelRow,
        article_id=st.from_regex(r"[0-9A-Za-z_-]{1,12}", fullmatch=True),
        start=st.integers(0, 10_000),
        end=st.integers(0, 5_000),
        technique=st.sampled_from(NAMES),
    ).map(lambda r: LabelRow(r.article_id, r.start, r.start + r.end, r.technique)),
    max_size=20,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows_strategy)
def test_write_read_round_trip_property(tmp_path: Path, rows: list[LabelRow]) -> None:
    tc_path = tmp_path / "tc.txt"
    si_path = tmp_path / "si.txt"
    write_tc(rows, tc_path)
    write_si(rows, si_path)
    assert read_labels(tc_path) == rows
    assert read_labels(si_path) == [LabelRow(r.article_id, r.start, r.end) for r in rows]
