"""Reading and writing the Propaganda Techniques Corpus (SemEval-2020 Task 11) formats.

Articles are ``article<ID>.txt``; SI labels are ``ID<TAB>start<TAB>end``; TC labels are
``ID<TAB>technique<TAB>start<TAB>end``. Label files may be one file or a folder of files.
Offsets index the article text exactly as Python reads it, so articles are read with
``newline=""`` semantics (no CRLF translation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from propwatch.document import Document, check_offsets
from propwatch.readers import InputError, read_text
from propwatch.techniques import INDEX

ARTICLE_RE = re.compile(r"^article(?P<id>[^.]+)\.txt$")


@dataclass(frozen=True)
class LabelRow:
    """One gold or predicted row: an article id, a span and (for TC) a technique."""

    article_id: str
    start: int
    end: int
    technique: str | None = None


def article_paths(articles_dir: Path) -> dict[str, Path]:
    """Map article id to path for every ``article*.txt`` in a folder, sorted by id."""
    if not articles_dir.is_dir():
        raise InputError(f"{articles_dir}: not a folder of PTC articles")
    found = {}
    for path in sorted(articles_dir.iterdir()):
        match = ARTICLE_RE.match(path.name)
        if match:
            found[match["id"]] = path
    if not found:
        raise InputError(f"{articles_dir}: no article*.txt files found")
    return found


def read_articles(articles_dir: Path) -> dict[str, Document]:
    """Read every article in a folder as a :class:`Document` keyed by article id."""
    docs = {}
    for article_id, path in article_paths(articles_dir).items():
        docs[article_id] = Document(text=read_text(path), id=article_id, url=str(path))
    return docs


def _label_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if not files:
            raise InputError(f"{path}: no label files found")
        return files
    if path.is_file():
        return [path]
    raise InputError(f"{path}: no such label file or folder")


def _parse_row(fields: list[str], where: str) -> LabelRow:
    if len(fields) == 3:
        article_id, start, end = fields
        technique = None
    elif len(fields) == 4:
        article_id, technique, start, end = fields
        if technique not in INDEX and technique != "?":
            raise InputError(f"{where}: unknown technique {technique!r}")
    else:
        raise InputError(f"{where}: expected 3 (SI) or 4 (TC) tab-separated fields, got {len(fields)}")
    try:
        start_i, end_i = int(start), int(end)
    except ValueError:
        raise InputError(f"{where}: offsets must be integers, got {start!r} and {end!r}") from None
    if start_i < 0 or end_i < start_i:
        raise InputError(f"{where}: invalid span [{start_i}, {end_i})")
    return LabelRow(article_id, start_i, end_i, technique)


def read_labels(path: Path) -> list[LabelRow]:
    """Read SI or TC rows from a file or folder, in file order; malformed lines name file:line."""
    rows = []
    for file in _label_files(path):
        with open(file, encoding="utf-8", errors="strict", newline="") as fh:
            try:
                lines = fh.read().splitlines()
            except UnicodeDecodeError:
                raise InputError(f"{file}: label file is not UTF-8 text") from None
        for number, line in enumerate(lines, start=1):
            if line.strip():
                rows.append(_parse_row(line.rstrip("\r").split("\t"), f"{file}:{number}"))
    return rows


def check_rows_fit(rows: list[LabelRow], docs: dict[str, Document]) -> None:
    """Refuse labels that name unknown articles or fall outside the article text."""
    for row in rows:
        doc = docs.get(row.article_id)
        if doc is None:
            raise InputError(f"labels name article {row.article_id}, which is not among the articles")
        try:
            check_offsets(row.start, row.end, len(doc.text))
        except ValueError as err:
            raise InputError(f"labels for article {row.article_id}: {err}") from None


def write_si(rows: list[LabelRow], path: Path) -> None:
    """Write ``id<TAB>start<TAB>end`` rows (the SemEval SI submission format)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(f"{row.article_id}\t{row.start}\t{row.end}\n")


def write_tc(rows: list[LabelRow], path: Path) -> None:
    """Write ``id<TAB>technique<TAB>start<TAB>end`` rows (the SemEval TC submission format)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(f"{row.article_id}\t{row.technique}\t{row.start}\t{row.end}\n")
