"""Input records for ``propwatch ingest``: folders of text/HTML files, JSON Lines and CSV.

A corpus of thousands to millions of articles always holds some broken items, so every input
is read lazily into :class:`Record` objects, one per item: either a document ready for the model
or the one-line reason the item could not be read. Nothing here stops on a bad item; the store
records it and the rest go on.

Decoding, HTML stripping and the language check are the ones of :mod:`propwatch.readers`, so an
article ingested from a folder, a JSON line or a CSV row gets exactly the text (and offsets) that
``propwatch analyze`` would give it.

Ids must be the same on every run, since the store skips ids it already holds:

* a JSON line or CSV row: its ``id`` field, else a hash of its text (:func:`content_id`);
* a file inside a folder: its path below that folder without the suffix (``2016/a``);
* a file named directly: its stem, as ``propwatch analyze`` does;
* an item that could not be read at all: its ``source`` (``file.jsonl:12``, or the path).

A folder's text and HTML files take their title, outlet, date and URL from the folder's
``metadata.tsv`` or ``metadata.csv`` sidecar (:func:`propwatch.readers.read_sidecar`), the same
table ``propwatch analyze`` reads.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propwatch.document import Document
from propwatch.readers import (
    MAX_BYTES,
    InputError,
    Metadata,
    decode,
    document_from_bytes,
    read_bytes,
    read_sidecar,
    with_metadata,
)

TEXT_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
METADATA = ("title", "outlet", "published", "url")
"""Optional fields of a JSON line or CSV row besides ``id`` and ``text``."""


@dataclass(frozen=True)
class Record:
    """One input item: a document to analyse, or why it could not be read (``error``).

    ``source`` says where the item came from (a path, or ``path:line``); the store keeps it so
    that a failure can be found again and cleared once the item is fixed.
    """

    id: str
    source: str
    document: Document | None = None
    error: str | None = None


def _failed(source: str, error: str, doc_id: str = "") -> Record:
    return Record(id=doc_id or source, source=source, error=error)


def _field(row: dict[str, Any], name: str, where: str) -> str | None:
    """A metadata value as text: strings as given, numbers as written, empty as missing."""
    value = row.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{where}: field {name!r} must be a string, not {type(value).__name__}")


def record_from_fields(row: dict[str, Any], source: str, *, any_language: bool, max_bytes: int) -> Record:
    """A record from one JSON object or CSV row with the columns id, text, title, outlet, ..."""
    doc_id = ""
    try:
        doc_id = _field(row, "id", source) or ""
        text = row.get("text")
        if not isinstance(text, str):
            raise InputError(f"{source}: no 'text' field" if text is None else f"{source}: 'text' must be a string")
        meta = {name: _field(row, name, source) for name in METADATA}
        doc = document_from_bytes(
            text.encode("utf-8"), source, doc_id=doc_id, any_language=any_language, max_bytes=max_bytes
        )
    except InputError as err:
        return _failed(source, str(err), doc_id)
    doc.title = meta["title"] or doc.title
    doc.outlet, doc.published, doc.url = meta["outlet"], meta["published"], meta["url"]
    return Record(id=doc.id, source=source, document=doc)


def _jsonl_records(path: Path, *, any_language: bool, max_bytes: int) -> Iterator[Record]:
    """One record per non-blank line, decoded line by line so one bad line spoils nothing else."""
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            source = f"{path}:{number}"
            try:
                row = json.loads(decode(raw, source))
            except InputError as err:
                yield _failed(source, str(err))
                continue
            except json.JSONDecodeError as err:
                yield _failed(source, f"{source}: malformed JSON ({err.msg}, column {err.colno})")
                continue
            if not isinstance(row, dict):
                yield _failed(source, f"{source}: expected a JSON object, got {type(row).__name__}")
                continue
            yield record_from_fields(row, source, any_language=any_language, max_bytes=max_bytes)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` pairs of a UTF-8 CSV file whose header row names a ``text`` column.

    The file is streamed, so a huge CSV costs no more memory than its largest row; a byte that
    is not UTF-8 stops the file there with an error naming the line it was reached on.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            if "text" not in (reader.fieldnames or []):
                found = ", ".join(reader.fieldnames or []) or "nothing"
                raise InputError(f"{path}: CSV header has no 'text' column (found: {found})")
            line = reader.line_num + 1
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise InputError(
                f"{path}: not UTF-8 text (near line {reader.line_num + 1}); convert it, e.g. iconv -f latin1 -t utf-8"
            ) from None
        except csv.Error as err:
            raise InputError(f"{path}:{reader.line_num}: malformed CSV ({err})") from None


def _csv_records(path: Path, *, any_language: bool, max_bytes: int) -> Iterator[Record]:
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))
    for line, row in _csv_rows(path):
        source = f"{path}:{line}"
        if None in row:
            yield _failed(source, f"{source}: more cells than the header has columns")
            continue
        yield record_from_fields(row, source, any_language=any_language, max_bytes=max_bytes)


def _file_record(
    path: Path, doc_id: str, *, any_language: bool, max_bytes: int, meta: Metadata | None = None
) -> Record:
    source = str(path)
    try:
        doc = document_from_bytes(
            read_bytes(path, max_bytes), source, doc_id=doc_id, any_language=any_language, max_bytes=max_bytes
        )
    except InputError as err:
        return _failed(source, str(err), doc_id)
    return Record(id=doc.id, source=source, document=with_metadata(doc, meta))


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def _folder_records(folder: Path, *, any_language: bool, max_bytes: int) -> Iterator[Record]:
    """Every text/HTML file of a folder with its sidecar metadata; a bad sidecar fails the folder.

    The whole folder waits for a fixed sidecar rather than being stored without outlets and
    dates, which a rerun would then skip as already analysed.
    """
    try:
        sidecar = read_sidecar(folder)
    except InputError as err:
        yield _failed(str(folder), str(err))
        return
    files = _folder_files(folder)
    if not files:
        yield _failed(str(folder), f"{folder}: folder has no {'/'.join(TEXT_SUFFIXES)} files")
    for file in files:
        relative = file.relative_to(folder)
        yield _file_record(
            file,
            relative.with_suffix("").as_posix(),
            any_language=any_language,
            max_bytes=max_bytes,
            meta=sidecar.get(relative.as_posix()),
        )


def _records_of(path: Path, *, any_language: bool, max_bytes: int) -> Iterator[Record]:
    options = {"any_language": any_language, "max_bytes": max_bytes}
    if path.is_dir():
        yield from _folder_records(path, **options)
        return
    if not path.exists():
        yield _failed(str(path), f"{path}: no such file")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(path, **options)
        elif suffix in CSV_SUFFIXES:
            yield from _csv_records(path, **options)
        else:
            yield _file_record(path, path.stem, **options)
    except (InputError, OSError) as err:
        message = str(err) if isinstance(err, InputError) else f"{path}: cannot be read ({err.strerror})"
        yield _failed(str(path), message)


def iter_records(
    paths: Iterable[str | Path], *, any_language: bool = False, max_bytes: int = MAX_BYTES
) -> Iterator[Record]:
    """Every item of every input, in a stable order: folders sorted, files line by line."""
    for path in paths:
        yield from _records_of(Path(path), any_language=any_language, max_bytes=max_bytes)


def _count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for raw in lines if raw.strip())


def _count_csv(path: Path) -> int:
    count = 0
    try:
        for _ in _csv_rows(path):
            count += 1
    except InputError:
        count += 1
    return count


def count_records(paths: Iterable[str | Path]) -> int:
    """About how many records :func:`iter_records` will yield: the total of the progress bar.

    It is a cheap first pass (no decoding of JSON, no model) so that a long ingest can show an
    ETA; a whole file that turns out to be unreadable counts as one.
    """
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += len(_folder_files(path)) or 1
        elif path.is_file() and path.suffix.lower() in JSONL_SUFFIXES:
            total += _count_lines(path)
        elif path.is_file() and path.suffix.lower() in CSV_SUFFIXES:
            total += _count_csv(path)
        else:
            total += 1
    return total
