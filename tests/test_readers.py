"""Tests for propwatch.readers: every messy input becomes a Document or a one-line InputError."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propwatch.readers import (
    MAX_BYTES,
    InputError,
    decode,
    document_from_bytes,
    html_to_text,
    looks_like_html,
    read_bytes,
    read_document,
    read_text,
)

ENGLISH = (
    "The council voted on Thursday to raise school funding, and the mayor said that it was "
    "the least the city could do for the children who had been waiting for years. "
) * 2
RUSSIAN = (
    "Городской совет в четверг проголосовал за увеличение финансирования школ после долгих "
    "споров между депутатами которые обвиняли друг друга в безответственности и популизме "
) * 3


def check_message(err: pytest.ExceptionInfo[InputError], name: str) -> str:
    """An InputError message is exactly one line and names the input."""
    message = str(err.value)
    assert message
    assert "\n" not in message and "\r" not in message, message
    assert len(message.splitlines()) == 1, message
    assert name in message, message
    return message


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- bad bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty input"),
        (b" \n\t\r\n  \n", "empty input"),
        (b"abc\x00\x01\x02def", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Café au lait, naïve résumé".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "png-header", "latin-1"],
)
def test_bad_files_refused_by_read_text(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = write(tmp_path, "article-input.txt", data)
    with pytest.raises(InputError) as err:
        read_text(path)
    message = check_message(err, path.name)
    assert str(path) in message
    assert fragment in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty input"),
        (b"   \r\n\r\n", "empty input"),
        (b"hello\x00world", "binary"),
        ("d\xe9j\xe0 vu".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "latin-1"],
)
def test_bad_files_refused_by_read_document(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = write(tmp_path, "story.txt", data)
    with pytest.raises(InputError) as err:
        read_document(str(path))
    assert fragment in check_message(err, "story.txt")


def test_latin1_message_names_byte_and_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.txt", "abc é".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_text(path)
    message = check_message(err, "latin.txt")
    assert "0xe9" in message
    assert "offset 4" in message


def test_nul_beyond_sniffing_window_is_not_called_binary() -> None:
    # Only the first 8 KiB are sniffed for NUL bytes; later ones decode as ordinary characters.
    data = b"a" * 9000 + b"\x00"
    assert decode(data, "x") == "a" * 9000 + "\x00"


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_decode_returns_exact_text_or_one_line_error(data: bytes) -> None:
    try:
        text = decode(data, "blob.bin")
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message
        assert message.startswith("blob.bin: ")
    else:
        assert text.encode("utf-8") == data


# --- size limits -----------------------------------------------------------------------------


def test_oversize_refused_with_small_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"x" * 11)
    with pytest.raises(InputError) as err:
        read_bytes(path, max_bytes=10)
    message = check_message(err, "big.txt")
    assert "limit" in message
    assert read_bytes(path, max_bytes=11) == b"x" * 11
    with pytest.raises(InputError) as err:
        read_text(path, max_bytes=10)
    check_message(err, "big.txt")
    with pytest.raises(InputError) as err:
        read_document(str(path), max_bytes=10)
    check_message(err, "big.txt")


def test_oversize_bytes_refused_by_document_from_bytes() -> None:
    with pytest.raises(InputError) as err:
        document_from_bytes(b"Hello there." * 10, "pasted.txt", max_bytes=50)
    assert "limit" in check_message(err, "pasted.txt")
    doc = document_from_bytes(b"Hello there.", "pasted.txt", max_bytes=12)
    assert doc.text == "Hello there."


def test_real_five_megabyte_file_refused_by_default(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"The quick brown fox jumps over the lazy dog.\n"
    with open(path, "wb") as fh:
        fh.write(line * (5 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 5 * 1024 * 1024 > MAX_BYTES
    with pytest.raises(InputError) as err:
        read_text(path)
    assert "limit" in check_message(err, "huge.txt")
    with pytest.raises(InputError) as err:
        read_document(str(path))
    check_message(err, "huge.txt")


def test_stdin_oversize_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"word " * 100)))
    with pytest.raises(InputError) as err:
        read_document("-", max_bytes=40)
    assert "limit" in check_message(err, "-")


# --- missing files and folders ---------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as err:
        read_text(path)
    assert "no such file" in check_message(err, "nowhere.txt")
    with pytest.raises(InputError) as err:
        read_document(str(path))
    check_message(err, "nowhere.txt")


def test_folder_given_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        read_text(folder)
    assert "folder" in check_message(err, "articles")
    with pytest.raises(InputError) as err:
        read_document(str(folder))
    check_message(err, "articles")


# --- language --------------------------------------------------------------------------------


def test_non_english_refused_unless_any_language(tmp_path: Path) -> None:
    path = write(tmp_path, "novosti.txt", RUSSIAN.encode("utf-8"))
    with pytest.raises(InputError) as err:
        read_document(str(path))
    message = check_message(err, "novosti.txt")
    assert "English" in message
    assert "--any-language" in message
    doc = read_document(str(path), any_language=True)
    assert doc.text == RUSSIAN


def test_non_english_bytes_refused_unless_any_language() -> None:
    data = RUSSIAN.encode("utf-8")
    with pytest.raises(InputError) as err:
        document_from_bytes(data, "ru.txt")
    check_message(err, "ru.txt")
    assert document_from_bytes(data, "ru.txt", any_language=True).text == RUSSIAN


def test_english_accepted() -> None:
    doc = document_from_bytes(ENGLISH.encode("utf-8"), "en.txt")
    assert doc.text == ENGLISH


def test_short_text_is_not_language_checked() -> None:
    short = "Городской совет проголосовал."
    assert document_from_bytes(short.encode("utf-8"), "short.txt").text == short


# --- exact text ------------------------------------------------------------------------------


def test_crlf_and_bom_preserved_by_read_text(tmp_path: Path) -> None:
    data = "\ufeffFirst line.\r\nSecond line, “quoted”.\r\n\r\nCafe\u0301 😀\r\n".encode()
    path = write(tmp_path, "crlf.txt", data)
    text = read_text(path)
    assert text == data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.count("\r\n") == 4
    assert text.encode("utf-8") == data


def test_crlf_and_bom_preserved_by_document_from_bytes() -> None:
    data = b"\xef\xbb\xbfThey lie.\r\nThey always lie.\r\n"
    doc = document_from_bytes(data, "wire.txt")
    assert doc.text == "\ufeffThey lie.\r\nThey always lie.\r\n"
    assert doc.text.encode("utf-8") == data


def test_crlf_and_bom_preserved_by_read_document(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfA\r\nB\r\n"
    path = write(tmp_path, "bom.txt", data)
    doc = read_document(str(path))
    assert doc.text == "\ufeffA\r\nB\r\n"
    assert doc.id == "bom"
    assert doc.url == str(path)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", " ", "\r\n", "\n", "\r", "\ufeff", "😀", "e\u0301", "“", "”", "中文", "\t"]),
        min_size=1,
        max_size=30,
    )
)
def test_document_from_bytes_keeps_text_exact(pieces: list[str]) -> None:
    text = "x" + "".join(pieces)
    doc = document_from_bytes(text.encode("utf-8"), "prop.txt", any_language=True)
    assert doc.text == text


def test_read_document_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"They are traitors.\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    doc = read_document("-")
    assert doc.text == "They are traitors.\r\n"
    assert doc.id == "stdin"
    assert doc.url is None


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en">
<head>
<title>Council &amp; mayor clash</title>
<style>body { color: red; }</style>
<script>var secret = "not article text";</script>
</head>
<body>
<nav>Home | News | Sport</nav>
<article>
<h1>Council clash</h1>
<p>The mayor said it was &ldquo;the bare minimum&rdquo; &mdash; nothing more.</p>
<p>Critics   called it   <b>a disgrace</b> &amp; a scandal.</p>
<ul><li>First point</li><li>Second point</li></ul>
<noscript>Enable JavaScript</noscript>
</article>
<footer>Copyright the Gazette</footer>
</body>
</html>
"""


def test_html_extraction() -> None:
    text, title = html_to_text(PAGE)
    assert title == "Council & mayor clash"
    for dropped in ("color: red", "secret", "not article text", "Home | News", "Copyright", "Enable JavaScript"):
        assert dropped not in text
    assert "<" not in text and ">" not in text
    assert "&amp;" not in text and "&ldquo;" not in text
    paragraphs = text.split("\n\n")
    assert paragraphs == [
        "Council clash",
        "The mayor said it was “the bare minimum” — nothing more.",
        "Critics called it a disgrace & a scandal.",
        "First point",
        "Second point",
    ]


def test_html_document_from_bytes() -> None:
    doc = document_from_bytes(PAGE.encode("utf-8"), "page.html", doc_id="p1")
    assert doc.title == "Council & mayor clash"
    assert doc.id == "p1"
    assert doc.url == "page.html"
    assert doc.text.startswith("Council clash\n\nThe mayor said")
    assert "secret" not in doc.text


def test_html_detected_by_doctype_without_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode("utf-8"))))
    doc = read_document("-")
    assert doc.title == "Council & mayor clash"
    assert "<p>" not in doc.text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.html", "plain words", True),
        ("a.HTM", "plain words", True),
        ("a.xhtml", "plain words", True),
        ("a.txt", "  \n<!DOCTYPE html><p>x</p>", True),
        ("a.txt", "<html><body>x</body></html>", True),
        ("a.txt", "We use <b>bold</b> here.", False),
        ("-", "The <html> tag is discussed.", False),
    ],
)
def test_looks_like_html(name: str, text: str, expected: bool) -> None:
    assert looks_like_html(name, text) is expected


def test_html_file_read_from_disk(tmp_path: Path) -> None:
    path = write(tmp_path, "school.htm", PAGE.encode("utf-8"))
    doc = read_document(str(path))
    assert doc.title == "Council & mayor clash"
    assert doc.id == "school"


def test_html_without_visible_text_refused() -> None:
    page = b"<html><head><title>Only a title</title><script>x()</script></head><body> </body></html>"
    with pytest.raises(InputError) as err:
        document_from_bytes(page, "blank.html")
    assert "no visible text" in check_message(err, "blank.html")


def test_html_break_tags_separate_lines() -> None:
    text, title = html_to_text("<p>line one<br>line two</p>")
    assert text == "line one\n\nline two"
    assert title is None


def test_html_wrapped_source_lines_stay_in_one_paragraph() -> None:
    text, _ = html_to_text("<p>This is one long\nwrapped sentence.</p><p>Next.</p>")
    assert text == "This is one long wrapped sentence.\n\nNext."


def test_html_with_bom_detected_without_extension() -> None:
    doc = document_from_bytes(b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "-")
    assert doc.title == "Council & mayor clash"


def _sidecar_folder(tmp_path, table: str, name: str = "metadata.tsv"):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("The harbour board met on Monday and said the crane is late again.\n")
    (folder / "b.html").write_text("<title>Page title</title><p>The council met on Tuesday.</p>")
    (folder / name).write_text(table)
    return folder


def test_sidecar_gives_metadata_and_its_title_wins(tmp_path):
    from propwatch.readers import read_sidecar

    folder = _sidecar_folder(
        tmp_path,
        "file\ttitle\toutlet\tpublished\turl\n"
        "a.txt\tCrane late\tHarbour News\t2026-03-04\thttps://news.example/a\n"
        "b.html\tSidecar title\tTown Crier\t2026-04-01\t\n",
    )
    table = read_sidecar(folder)
    assert table["a.txt"] == {
        "title": "Crane late",
        "outlet": "Harbour News",
        "published": "2026-03-04",
        "url": "https://news.example/a",
    }
    assert table["b.html"]["url"] is None


def test_sidecar_csv_and_unlisted_files(tmp_path):
    from propwatch.readers import read_sidecar

    folder = _sidecar_folder(tmp_path, "file,outlet\nb.html,Town Crier\n", name="metadata.csv")
    assert read_sidecar(folder) == {"b.html": {"title": None, "outlet": "Town Crier", "published": None, "url": None}}
    assert read_sidecar(tmp_path) == {}  # no sidecar, no metadata


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("name\toutlet\na.txt\tX\n", "unknown column(s) name"),
        ("title\toutlet\nA\tX\n", "no 'file' column"),
        ("file\toutlet\nmissing.txt\tX\n", "lists 'missing.txt', which is not a file"),
        ("file\toutlet\na.txt\tX\na.txt\tY\n", "'a.txt' is listed twice"),
        ("file\tpublished\na.txt\t04/03/2026\n", "is not a date as YYYY-MM-DD"),
        ("file\toutlet\na.txt\tX\textra\n", "more cells than the header"),
        ("file\toutlet\n\tX\n", "empty 'file' cell"),
    ],
)
def test_malformed_sidecar_is_one_line_naming_the_file(tmp_path, table, problem):
    from propwatch.readers import read_sidecar

    folder = _sidecar_folder(tmp_path, table)
    with pytest.raises(InputError) as info:
        read_sidecar(folder)
    message = str(info.value)
    assert problem in message and str(folder / "metadata.tsv") in message and "\n" not in message


def test_two_sidecars_are_refused(tmp_path):
    from propwatch.readers import read_sidecar

    folder = _sidecar_folder(tmp_path, "file\na.txt\n")
    (folder / "metadata.csv").write_text("file\na.txt\n")
    with pytest.raises(InputError, match="keep one"):
        read_sidecar(folder)
