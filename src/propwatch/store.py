"""The corpus store: analysed documents, their spans and attributions in one DuckDB file.

``propwatch ingest`` fills it; ``propwatch report`` and ``propwatch export`` read it. DuckDB is
embedded (no server), answers the corpus questions with plain SQL and writes Parquet.

Tables (the stable schema; ``propwatch export`` writes each one as a Parquet file):

``documents``: one row per input item, analysed or not.
    ``id`` (primary key; see :mod:`propwatch.sources` for how ids are chosen), ``title``,
    ``outlet``, ``published`` (as given; an ISO 8601 date such as ``2016-09-12`` feeds the charts
    by month), ``url``, ``text`` (the exact text the offsets index), ``words`` (whitespace-separated
    words: the denominator of every rate), ``status`` (``'ok'``: analysed, its spans are stored;
    ``'error'``: could not be read or analysed), ``error`` (one-line reason), ``source`` (file
    path, or ``path:line``), ``ingested_at``.
``spans``: one row per technique span.
    ``document_id``, ``start``, ``end`` (character offsets into ``documents.text``, end
    exclusive), ``technique`` (a name from :mod:`propwatch.techniques`), ``score``, ``speaker``
    (``NULL``: the author's own voice; else who is quoted).
``attributions``: who says what, one row per attributed passage (empty until the voices work).
    ``document_id``, ``content_start``/``content_end`` (the quoted content),
    ``source_start``/``source_end`` and ``cue_start``/``cue_end`` (``NULL`` when absent),
    ``speaker``, ``via`` (a list of strings).
``meta``: ``key``/``value`` pairs; ``schema_version``; ``trails_through`` (see below).
``trails``, ``trail_members`` (and their index ``trail_shingles``): quote trails, the statements
    carried from article to article, filled by ``propwatch trails``; their columns are documented
    in :mod:`propwatch.trails`. Empty until the first build.

Why ingest is idempotent and resumable: each batch is written in one transaction (its
``documents`` rows together with their spans and attributions), and ids already ``'ok'`` are
skipped before the model runs. A run killed at any point loses at most the batch in flight, and
a rerun adds each missing document exactly once. Rows with ``status = 'error'`` are tried again.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from propwatch.document import Document
from propwatch.readers import MAX_BYTES
from propwatch.sources import Record, count_records, iter_records

DEFAULT_DB = Path("propwatch.duckdb")
SCHEMA_VERSION = "1"
BATCH = 32
"""Documents per model call: large enough to keep onnxruntime busy, small enough to resume cheaply."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    published TEXT,
    url TEXT,
    text TEXT,
    words INTEGER,
    status TEXT NOT NULL,
    error TEXT,
    source TEXT,
    ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS spans (
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    technique TEXT NOT NULL,
    score DOUBLE,
    speaker TEXT
);
CREATE TABLE IF NOT EXISTS attributions (
    document_id TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    source_start INTEGER,
    source_end INTEGER,
    cue_start INTEGER,
    cue_end INTEGER,
    speaker TEXT,
    via TEXT[]
);
CREATE TABLE IF NOT EXISTS trails (
    id BIGINT PRIMARY KEY,
    statement TEXT,
    speaker TEXT,
    appearances INTEGER,
    outlets TEXT[],
    first_document TEXT,
    first_published TEXT,
    echoes INTEGER,
    techniques MAP(TEXT, INTEGER)
);
CREATE TABLE IF NOT EXISTS trail_members (
    trail_id BIGINT NOT NULL,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    speaker TEXT,
    via TEXT[],
    text_key BIGINT
);
CREATE TABLE IF NOT EXISTS trail_shingles (text_key BIGINT NOT NULL, shingle BIGINT NOT NULL);
"""

TABLES = ("documents", "spans", "attributions", "trails", "trail_members")

Analyze = Callable[[list[Document]], list[Document]]
"""What ingest needs of the model: :meth:`propwatch.analysis.Analyzer.analyze` or a stand-in."""


class StoreError(Exception):
    """The store cannot be opened or used: a one-line message naming the file."""


def _missing_extra(err: ImportError) -> StoreError:
    return StoreError(f"the corpus store needs the store extra: pip install 'propwatch[store]' ({err})")


def word_count(text: str) -> int:
    """Whitespace-separated words: simple, language-neutral and the same in every engine."""
    return len(text.split())


def document_row(item: dict[str, Any], source: str) -> dict[str, Any]:
    """The ``documents`` row of an analysed document given in ``Document.to_dict()`` shape."""
    return {
        "id": item["id"],
        "title": item["title"],
        "outlet": item["outlet"],
        "published": item["published"],
        "url": item["url"],
        "text": item["text"],
        "words": word_count(item["text"]),
        "status": "ok",
        "error": None,
        "source": source,
    }


def failure_row(record: Record) -> dict[str, Any]:
    """The ``documents`` row of an item that could not be read or analysed."""
    doc = record.document
    return {
        "id": record.id,
        "title": doc.title if doc else None,
        "outlet": doc.outlet if doc else None,
        "published": doc.published if doc else None,
        "url": doc.url if doc else None,
        "text": None,
        "words": None,
        "status": "error",
        "error": record.error,
        "source": record.source,
    }


def span_rows(item: dict[str, Any]) -> list[dict[str, Any]]:
    """``spans`` rows of a document in ``Document.to_dict()`` shape (scores as that shape rounds them)."""
    return [
        {
            "document_id": item["id"],
            "start": s["start"],
            "end": s["end"],
            "technique": s["technique"],
            "score": s["score"],
            "speaker": s["speaker"],
        }
        for s in item["spans"]
    ]


def _pair(value: list[int] | None) -> tuple[int | None, int | None]:
    return (value[0], value[1]) if value else (None, None)


def attribution_rows(item: dict[str, Any]) -> list[dict[str, Any]]:
    """``attributions`` rows from ``to_dict()["attributions"]`` items: content/source/cue/speaker/via."""
    rows = []
    for a in item.get("attributions") or []:
        source, cue = _pair(a.get("source")), _pair(a.get("cue"))
        rows.append(
            {
                "document_id": item["id"],
                "content_start": a["content"][0],
                "content_end": a["content"][1],
                "source_start": source[0],
                "source_end": source[1],
                "cue_start": cue[0],
                "cue_end": cue[1],
                "speaker": a.get("speaker"),
                "via": list(a.get("via") or []),
            }
        )
    return rows


@dataclass
class Analysed:
    """One analysed document ready to store: its ``to_dict()`` shape and where it came from."""

    item: dict[str, Any]
    source: str


def _analyse_alone(analyze: Analyze, records: list[Record]) -> tuple[list[Analysed], list[Record]]:
    analysed, failed = [], []
    for record in records:
        try:
            doc = analyze([record.document])[0]  # type: ignore[list-item]
        except Exception as err:  # recorded as this document's error; the batch goes on
            message = f"{record.source}: analysis failed ({type(err).__name__}: {err})".splitlines()[0]
            failed.append(Record(id=record.id, source=record.source, document=record.document, error=message))
        else:
            analysed.append(Analysed(doc.to_dict(), record.source))
    return analysed, failed


def analyse_batch(analyze: Analyze, records: list[Record]) -> tuple[list[Analysed], list[Record]]:
    """Run the model on a batch; if the batch fails, run each document alone to find the culprit.

    Both engines call this, so a document that breaks the model becomes an ``'error'`` row in
    either, and the documents beside it are still analysed.
    """
    try:
        docs = analyze([r.document for r in records if r.document])
    except Exception:  # one bad document must not sink the batch
        return _analyse_alone(analyze, records)
    return [Analysed(d.to_dict(), r.source) for d, r in zip(docs, records, strict=True)], []


class Store:
    """A DuckDB corpus store; ``Store(path)`` creates the tables if they are not there."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        try:
            import duckdb
            import pyarrow  # noqa: F401  (batches go in through Arrow tables)
        except ImportError as err:
            raise _missing_extra(err) from None
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (create it with propwatch ingest)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open the store ({str(err).splitlines()[0]})") from None
        if not read_only:
            self.con.execute(SCHEMA)
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION]
            )
        self._check_version()

    def _check_version(self) -> None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {row and row[0]!r} is not {SCHEMA_VERSION!r}")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ok_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are already analysed (``status = 'ok'``) and so need no model run."""
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM documents WHERE status = 'ok' AND id IN (SELECT unnest(?::TEXT[]))", [ids]
        ).fetchall()
        return {r[0] for r in rows}

    def count(self, table: str, where: str = "true") -> int:
        """Rows of ``table`` (one of :data:`TABLES` or ``meta``) matching a trusted SQL condition."""
        return self.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def _insert(self, table: str, rows: list[dict[str, Any]], conflict: str = "") -> None:
        """Insert rows through an Arrow table: one statement per batch instead of one per row."""
        if not rows:
            return
        import pyarrow as pa

        self.insert_columns(table, pa.Table.from_pylist(rows), conflict)

    def insert_columns(self, table: str, incoming: Any, conflict: str = "") -> None:
        """Insert an Arrow table (or a dict of equal-length columns) into ``table`` in one statement,
        columns matched by name; a document row gets its ingest time."""
        import pyarrow as pa

        incoming = incoming if isinstance(incoming, pa.Table) else pa.table(incoming)
        self.con.register("incoming", incoming)
        try:
            columns = ", ".join(f'"{c}"' for c in incoming.column_names)
            stamp = ", now()::TIMESTAMP" if table == "documents" else ""
            target = f"{columns}, ingested_at" if stamp else columns
            self.con.execute(f"INSERT INTO {table} ({target}) SELECT {columns}{stamp} FROM incoming {conflict}")
        finally:
            self.con.unregister("incoming")

    def write_batch(self, analysed: list[Analysed], failures: list[Record]) -> list[Analysed]:
        """Store one batch atomically: documents with their spans and attributions, and failures.

        A document already ``'ok'`` is never written again (so its spans can never double), and
        a failure never overwrites it. An analysed document replaces an earlier failure with its
        id and clears failures left by its source (a fixed JSON line gets a new content-hash id,
        so its old error row would otherwise linger). Returns the documents actually written.
        """
        with self._transaction():
            done = self.ok_ids([a.item["id"] for a in analysed])
            analysed = [a for a in analysed if a.item["id"] not in done]
            docs = [document_row(a.item, a.source) for a in analysed]
            if docs:
                self.con.execute(
                    "DELETE FROM documents WHERE status = 'error' AND source IN (SELECT unnest(?::TEXT[]))",
                    [[d["source"] for d in docs]],
                )
            unique_failures = {f.id: failure_row(f) for f in failures}  # one row per id, the last reason
            self._insert("documents", list(unique_failures.values()), _KEEP_OK)
            self._insert("documents", docs, _REPLACE_ERROR)
            self._insert("spans", [row for a in analysed for row in span_rows(a.item)])
            self._insert("attributions", [row for a in analysed for row in attribution_rows(a.item)])
        return analysed


_DOCUMENT_COLUMNS = ("title", "outlet", "published", "url", "text", "words", "status", "error", "source", "ingested_at")
_REPLACE_ERROR = "ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _DOCUMENT_COLUMNS)
_KEEP_OK = (
    "ON CONFLICT (id) DO UPDATE SET error = excluded.error, source = excluded.source, "
    "ingested_at = excluded.ingested_at WHERE documents.status = 'error'"
)


@dataclass
class Batch:
    """Records planned together: new documents for one model call, failures, and skips before them."""

    documents: list[Record] = field(default_factory=list)
    failures: list[Record] = field(default_factory=list)
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.documents) + len(self.failures) + self.skipped


def plan_batches(store: Store, records: Iterable[Record], batch_size: int = BATCH) -> Iterator[Batch]:
    """Group records into model batches, leaving out ids the store already holds as ``'ok'``.

    Both engines plan with this, so on the same input and store they send the model exactly the
    same batches (the model's scores depend slightly on what shares a batch), whenever the
    batches get written. An id seen twice in one run is skipped the second time; the set of ids
    seen costs about 100 bytes each (100 MB for a million articles). Failures ride along with
    the next batch's transaction.
    """
    batch = Batch()
    seen: set[str] = set()
    records = iter(records)
    while chunk := list(islice(records, batch_size * 8)):
        done = store.ok_ids([r.id for r in chunk if r.document])
        for record in chunk:
            if record.document is None:
                batch.failures.append(record)
            elif record.id in done or record.id in seen:
                batch.skipped += 1
            else:
                batch.documents.append(record)
                seen.add(record.id)
            if len(batch.documents) >= batch_size or len(batch.failures) >= batch_size:
                yield batch
                batch = Batch()
    if len(batch):
        yield batch


@dataclass
class IngestReport:
    """What one ingest run did; ``failures`` keeps the first few reasons for the summary."""

    added: int = 0
    skipped: int = 0
    failed: int = 0
    spans: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    stored: int = 0
    stored_errors: int = 0

    KEEP = 20

    def count(self, skipped: int, analysed: list[Analysed], failures: list[Record]) -> None:
        """Add one stored batch to the totals."""
        self.added += len(analysed)
        self.skipped += skipped
        self.failed += len(failures)
        self.spans += sum(len(a.item["spans"]) for a in analysed)
        room = max(self.KEEP - len(self.failures), 0)
        self.failures.extend((f.source, f.error or "") for f in failures[:room])

    @property
    def rate(self) -> float:
        """Documents analysed per second over the whole run."""
        return self.added / self.seconds if self.seconds else 0.0


def progress_bar(total: int, enabled: bool):
    """A stderr progress bar with rate and ETA (tqdm), or a silent stand-in."""
    try:
        from tqdm import tqdm
    except ImportError as err:
        raise _missing_extra(err) from None
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not enabled, smoothing=0.1, dynamic_ncols=True)


def ingest(
    store: Store,
    records: Iterable[Record],
    analyze: Analyze,
    *,
    batch_size: int = BATCH,
    progress: Any = None,
) -> IngestReport:
    """The default engine: plan batches, analyse each in this process, store each atomically."""
    report = IngestReport()
    started = time.perf_counter()
    for batch in plan_batches(store, records, batch_size):
        analysed, broken = analyse_batch(analyze, batch.documents) if batch.documents else ([], [])
        failures = batch.failures + broken
        report.count(batch.skipped, store.write_batch(analysed, failures), failures)
        if progress is not None:
            progress.update(len(batch))
    report.seconds = time.perf_counter() - started
    return report


def ingest_corpus(
    db: Path,
    paths: list[str],
    *,
    engine: str = "local",
    model_dir: Path | None = None,
    threshold: float | None = None,
    batch_size: int = BATCH,
    any_language: bool = False,
    max_bytes: int = MAX_BYTES,
    ray_options: dict[str, Any] | None = None,
    show_progress: bool = True,
) -> IngestReport:
    """``propwatch ingest``: read ``paths``, analyse what the store lacks, store it (see module doc).

    ``engine`` is ``"local"`` (this process) or ``"ray"`` (:func:`propwatch.scale.ingest_ray`,
    which takes ``ray_options``: work_dir, workers, address).
    """
    with Store(db) as store:
        records = iter_records(paths, any_language=any_language, max_bytes=max_bytes)
        with progress_bar(count_records(paths), show_progress) as bar:
            if engine == "ray":
                from propwatch.scale import ingest_ray

                report = ingest_ray(
                    store,
                    records,
                    model_dir=model_dir,
                    threshold=threshold,
                    batch_size=batch_size,
                    progress=bar,
                    **(ray_options or {}),
                )
            else:
                from propwatch.analysis import Analyzer

                analyze = Analyzer(model_dir, threshold=threshold).analyze
                report = ingest(store, records, analyze, batch_size=batch_size, progress=bar)
        report.stored = store.count("documents", "status = 'ok'")
        report.stored_errors = store.count("documents", "status = 'error'")
    return report


def export_parquet(db: Path, out_dir: Path) -> list[Path]:
    """Write every table of the store as ``OUT_DIR/<table>.parquet`` for other engines to read."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with Store(db, read_only=True) as store:
        for table in TABLES:
            target = out_dir / f"{table}.parquet"
            quoted = str(target).replace("'", "''")
            store.con.execute(f"COPY (SELECT * FROM {table}) TO '{quoted}' (FORMAT parquet)")
            written.append(target)
    return written
