"""The robust edge: turn files, stdin and HTML into clean :class:`Document` objects.

Everything messy (encodings, binary junk, HTML markup, oversize input) is dealt with here,
once, and reported as an :class:`InputError` whose message is one line naming the input and
the problem. The text handed on is the exact decoded input (CRLF, BOMs and combining marks
kept) so that offsets index what the user gave us.
"""

from __future__ import annotations

import csv
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from propwatch.document import Document

MAX_BYTES = 2_000_000
"""Largest input accepted by default: far above any news article, far below memory trouble."""

SIDECARS = ("metadata.tsv", "metadata.csv")
"""A folder's metadata file: one row per article file (see :func:`read_sidecar`)."""
SIDECAR_COLUMNS = ("file", "title", "outlet", "published", "url")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

_ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "on",
        "was",
        "with",
        "as",
        "he",
        "said",
        "by",
        "be",
        "at",
        "his",
        "from",
        "are",
        "this",
        "have",
        "an",
        "not",
        "but",
        "they",
        "has",
        "were",
        "their",
        "which",
        "or",
        "had",
        "been",
        "its",
        "who",
        "we",
        "will",
        "would",
        "more",
        "there",
        "also",
        "after",
        "than",
        "when",
        "about",
        "her",
        "she",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+")


class InputError(Exception):
    """Bad input: a one-line message naming the input and what is wrong with it."""


class NotEnglishError(InputError):
    """Text that does not look like English; ``name`` is the input, so the web app can say
    what to do on its page where the command line names its flag."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name}: {NOT_ENGLISH} (use --any-language to analyse it anyway)")


NOT_ENGLISH = "does not look like English text; propwatch's model reads English news"


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 bytes exactly, refusing binary and other encodings with a clear message."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8"
        ) from None


def check_english(text: str, name: str) -> None:
    """Refuse text that is clearly not English: the model was trained on English news only."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < 30:
        return
    hits = sum(1 for w in words if w in _ENGLISH_WORDS)
    if hits / len(words) < 0.05:
        raise NotEnglishError(name)


class _TextExtractor(HTMLParser):
    """Collect visible text from HTML, one block element per paragraph."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "nav", "footer"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "tr",
            "section",
            "article",
            "header",
            "title",
            "pre",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title and self.title is None:
            self.title = data.strip() or None
        if not self._skip_depth:
            self.parts.append(" ".join(data.split("\n")))  # source line breaks are not paragraph breaks


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page as paragraphs separated by blank lines, and its title."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.parts)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", raw)]
    return "\n\n".join(p for p in paragraphs if p), parser.title


def looks_like_html(path_name: str, text: str) -> bool:
    """HTML by extension, or by an opening tag at the start of the text."""
    if path_name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing folders, missing files and oversize input by name."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if size > max_bytes:
        raise InputError(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit (see --max-bytes)")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The exact text of a UTF-8 file (no newline translation), or an :class:`InputError`."""
    return decode(read_bytes(path, max_bytes), str(path))


def document_from_bytes(
    data: bytes, name: str, *, doc_id: str = "", any_language: bool = False, max_bytes: int = MAX_BYTES
) -> Document:
    """Make a :class:`Document` from raw bytes: decode, strip HTML markup, check the language."""
    if len(data) > max_bytes:
        raise InputError(f"{name}: {len(data):,} bytes is over the {max_bytes:,}-byte limit (see --max-bytes)")
    text = decode(data, name)
    title = None
    if looks_like_html(name, text):
        text, title = html_to_text(text)
        if not text.strip():
            raise InputError(f"{name}: HTML page has no visible text")
    if not any_language:
        check_english(text, name)
    return Document(text=text, id=doc_id, title=title, url=None if name == "-" else name)


def read_document(path: str, *, any_language: bool = False, max_bytes: int = MAX_BYTES) -> Document:
    """Read one input named on the command line: a text or HTML file, or ``-`` for stdin."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return document_from_bytes(data, "-", doc_id="stdin", any_language=any_language, max_bytes=max_bytes)
    file = Path(path)
    data = read_bytes(file, max_bytes)
    return document_from_bytes(data, path, doc_id=file.stem, any_language=any_language, max_bytes=max_bytes)


Metadata = dict[str, str | None]
"""A sidecar row's metadata: ``title``, ``outlet``, ``published``, ``url`` (None when empty)."""


def sidecar_path(folder: Path) -> Path | None:
    """The folder's ``metadata.tsv`` (or ``metadata.csv``), if it has one."""
    found = [folder / name for name in SIDECARS if (folder / name).is_file()]
    if len(found) > 1:
        raise InputError(f"{folder}: has both {' and '.join(SIDECARS)}; keep one")
    return found[0] if found else None


def _sidecar_row(path: Path, line: int, row: dict[str, str | None], folder: Path) -> tuple[str, Metadata]:
    """One checked row: its file (relative to the folder, as a POSIX path) and its metadata."""
    where = f"{path}:{line}"
    if None in row:
        raise InputError(f"{where}: more cells than the header has columns")
    name = (row.get("file") or "").strip()
    if not name:
        raise InputError(f"{where}: empty 'file' cell")
    if not (folder / name).is_file():
        raise InputError(f"{where}: lists {name!r}, which is not a file in {folder}")
    meta: Metadata = {key: (row.get(key) or "").strip() or None for key in SIDECAR_COLUMNS[1:]}
    published = meta["published"]
    if published is not None and not _ISO_DATE.match(published):
        raise InputError(f"{where}: published {published!r} is not a date as YYYY-MM-DD")
    return Path(name).as_posix(), meta


def read_sidecar(folder: Path) -> dict[str, Metadata]:
    """Metadata for the articles of ``folder`` from its ``metadata.tsv``/``.csv`` sidecar.

    Text and HTML files carry no outlet or date, so a folder may say them in one table: a
    header row naming ``file`` (a path relative to the folder) and any of ``title``, ``outlet``,
    ``published`` (YYYY-MM-DD), ``url``; tab-separated for ``.tsv``, comma for ``.csv``, UTF-8.
    A file the table does not list just has no metadata; a malformed table (unknown column, a
    listed file that does not exist, a file listed twice, a bad date) is an :class:`InputError`
    naming the line, so a typo never silently files articles under no outlet.
    """
    path = sidecar_path(folder)
    if path is None:
        return {}
    delimiter = "\t" if path.suffix == ".tsv" else ","
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = reader.fieldnames or []
            unknown = [c for c in columns if c not in SIDECAR_COLUMNS]
            if "file" not in columns or unknown:
                problem = f"unknown column(s) {', '.join(unknown)}" if unknown else "no 'file' column"
                raise InputError(f"{path}: {problem}; the header names file, title, outlet, published, url")
            table: dict[str, Metadata] = {}
            for row in reader:
                name, meta = _sidecar_row(path, reader.line_num, row, folder)
                if name in table:
                    raise InputError(f"{path}:{reader.line_num}: {name!r} is listed twice")
                table[name] = meta
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; convert it, e.g. iconv -f latin1 -t utf-8") from None
    except csv.Error as err:
        raise InputError(f"{path}: malformed table ({err})") from None
    return table


def with_metadata(doc: Document, meta: Metadata | None) -> Document:
    """``doc`` with a sidecar row's metadata; the row's title wins over an HTML ``<title>``."""
    if meta:
        doc.title = meta["title"] or doc.title
        doc.outlet, doc.published = meta["outlet"], meta["published"]
        doc.url = meta["url"] or doc.url
    return doc
