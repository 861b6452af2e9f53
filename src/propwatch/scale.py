"""Scale-out: ``propwatch ingest --engine ray`` runs the analysis as a Ray Data pipeline.

When one machine is too slow for a corpus, the model step (the only expensive one) runs on a
Ray cluster; reading inputs and the store stay on the driver. The pipeline, round by round:

1. plan: the local engine's :func:`propwatch.store.plan_batches`, so the same ids are skipped
   and the model sees exactly the same batches (its scores depend slightly on what shares a
   batch); each planned batch becomes one row of an Arrow table;
2. analyse: ``map_batches`` over those rows with :class:`BatchAnalyzer`, a callable class, so
   each Ray actor loads the ONNX model once and keeps it; each batch row is analysed with the
   same :func:`propwatch.store.analyse_batch` as the local engine;
3. write: one Parquet row per document (``Document.to_dict()`` shape: nested spans and
   attributions, plus ``source`` and ``error``) under ``WORK_DIR/round-NNNNN/``;
4. load: the driver reads the round's Parquet files into the store, one transaction per batch,
   and removes them.

A round is ``round_batches`` planned batches, so memory stays bounded and a killed run resumes
from the store like the local engine. On a local Ray instance both engines store the same rows.

Pointing it at a cluster: set ``RAY_ADDRESS`` (``ray://head:10001`` or ``head:6379``) or pass
``--ray-address``; install ``propwatch[ray]`` on every node (or ship it with a runtime_env),
and give ``--work-dir`` a folder every node and the driver share (NFS, or a mounted bucket),
since workers write the Parquet files that the driver loads. A ``--model`` folder must be at
the same path on every node; the packaged model is found wherever propwatch is installed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from propwatch.document import Document
from propwatch.sources import Record
from propwatch.store import BATCH, Analysed, Batch, IngestReport, Store, StoreError, analyse_batch, plan_batches

ROUND_BATCHES = 256
"""Planned batches per round (8,192 documents at the default batch size)."""

DOCUMENT_FIELDS = ("id", "source", "title", "outlet", "published", "url", "text")


def _schemas() -> tuple[Any, Any]:
    """Arrow schemas of a staged batch row and of an analysed document row."""
    import pyarrow as pa

    text = pa.string()
    document = pa.struct([(name, text) for name in DOCUMENT_FIELDS])
    staged = pa.schema([("documents", pa.list_(document))])
    pair = pa.list_(pa.int64())
    span = pa.struct(
        [("start", pa.int64()), ("end", pa.int64()), ("technique", text), ("score", pa.float64()), ("speaker", text)]
    )
    attribution = pa.struct(
        [("content", pair), ("source", pair), ("cue", pair), ("speaker", text), ("via", pa.list_(text))]
    )
    analysed = pa.schema(
        [(name, text) for name in DOCUMENT_FIELDS]
        + [("spans", pa.list_(span)), ("attributions", pa.list_(attribution)), ("error", text)]
    )
    return staged, analysed


def _staged_document(record: Record) -> dict[str, str | None]:
    doc = record.document
    assert doc is not None  # planned batches hold only readable documents
    return {
        "id": doc.id,
        "source": record.source,
        "title": doc.title,
        "outlet": doc.outlet,
        "published": doc.published,
        "url": doc.url,
        "text": doc.text,
    }


def _record(row: dict[str, str | None]) -> Record:
    fields = {k: row[k] for k in ("title", "outlet", "published", "url")}
    doc = Document(text=row["text"] or "", id=row["id"] or "", **fields)
    return Record(id=doc.id, source=row["source"] or "", document=doc)


def _output_rows(analysed: list[Analysed], failed: list[Record]) -> list[dict[str, Any]]:
    rows = [{**a.item, "source": a.source, "error": None} for a in analysed]
    for record in failed:
        rows.append({**_staged_document(record), "spans": [], "attributions": [], "error": record.error})
    return rows


class BatchAnalyzer:
    """The Ray Data callable class: one model load per actor, then one call per batch row."""

    def __init__(self, model_dir: str | None, threshold: float | None, threads: int) -> None:
        from propwatch.analysis import Analyzer

        self.analyzer = Analyzer(Path(model_dir) if model_dir else None, threshold=threshold, threads=threads)
        _, self.schema = _schemas()

    def __call__(self, table: Any) -> Any:
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        for staged in table.column("documents").to_pylist():
            rows.extend(_output_rows(*analyse_batch(self.analyzer.analyze, [_record(d) for d in staged])))
        return pa.Table.from_pylist(rows, schema=self.schema)


def connect(address: str | None = None) -> None:
    """Join the Ray cluster at ``address`` (or ``RAY_ADDRESS``), else start a local instance."""
    import ray

    if ray.is_initialized():
        return
    if address or os.environ.get("RAY_ADDRESS"):
        ray.init(address=address)
    else:
        ray.init(include_dashboard=False)


def _stage(batches: list[Batch]) -> Any:
    """One Arrow row per planned batch, so Ray can never split or merge the model's batches."""
    import pyarrow as pa

    staged, _ = _schemas()
    rows = [{"documents": [_staged_document(r) for r in b.documents]} for b in batches]
    return pa.Table.from_pylist(rows, schema=staged)


def _analyse_round(table: Any, out: Path, *, model_dir: Path | None, threshold: float | None, workers: int) -> None:
    """Run the Ray Data pipeline on one round's staged batches, writing Parquet under ``out``."""
    import ray

    dataset = ray.data.from_arrow(table, override_num_blocks=table.num_rows)
    analysed = dataset.map_batches(
        BatchAnalyzer,
        fn_constructor_kwargs={
            "model_dir": str(model_dir) if model_dir else None,
            "threshold": threshold,
            "threads": 1,
        },
        batch_size=1,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    analysed.write_parquet(str(out))


def _split(row: dict[str, Any]) -> Analysed | Record:
    """An output row back as an analysed document, or as the failure it records."""
    source, error = row.pop("source"), row.pop("error")
    if error is None:
        return Analysed(row, source)
    doc = _record({**row, "source": source}).document
    return Record(id=row["id"], source=source, document=doc, error=error)


def _load_round(store: Store, out: Path, batch_size: int) -> Iterator[tuple[list[Analysed], list[Record]]]:
    """Read a round's Parquet output into the store, one transaction per ``batch_size`` rows."""
    import pyarrow.parquet as pq

    for file in sorted(out.rglob("*.parquet")):
        for chunk in pq.ParquetFile(file).iter_batches(batch_size=batch_size):
            rows = [_split(row) for row in chunk.to_pylist()]
            failures = [r for r in rows if isinstance(r, Record)]
            stored = store.write_batch([r for r in rows if isinstance(r, Analysed)], failures)
            yield stored, failures


def _rounds(batches: Iterator[Batch], size: int) -> Iterator[list[Batch]]:
    while chunk := list(islice(batches, size)):
        yield chunk


def _default_workers() -> int:
    """One single-threaded actor per CPU of the cluster: model calls scale with cores."""
    import ray

    return max(1, int(ray.available_resources().get("CPU", 1)))


def ingest_ray(
    store: Store,
    records: Iterable[Record],
    *,
    model_dir: Path | None = None,
    threshold: float | None = None,
    batch_size: int = BATCH,
    work_dir: Path | None = None,
    workers: int | None = None,
    address: str | None = None,
    round_batches: int = ROUND_BATCHES,
    progress: Any = None,
) -> IngestReport:
    """The Ray engine: same plan and rows as :func:`propwatch.store.ingest`, analysis on Ray."""
    try:
        import ray  # noqa: F401  (fail early, before any work, without the extra)
    except ImportError as err:
        raise StoreError(f"the ray engine needs the ray extra: pip install 'propwatch[ray]' ({err})") from None
    connect(address)
    workers = workers or _default_workers()
    report = IngestReport()
    started = time.perf_counter()
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="propwatch-ray-", dir=work_dir))
    try:
        for number, batches in enumerate(_rounds(plan_batches(store, records, batch_size), round_batches)):
            failures = [f for b in batches for f in b.failures]
            store.write_batch([], failures)
            report.count(sum(b.skipped for b in batches), [], failures)
            _advance(progress, sum(b.skipped for b in batches) + len(failures))
            todo = [b for b in batches if b.documents]
            if not todo:
                continue
            out = scratch / f"round-{number:05d}"
            _analyse_round(_stage(todo), out, model_dir=model_dir, threshold=threshold, workers=workers)
            for stored, failed in _load_round(store, out, batch_size):
                report.count(0, stored, failed)
                _advance(progress, len(stored) + len(failed))
            shutil.rmtree(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _advance(progress: Any, n: int) -> None:
    if progress is not None:
        progress.update(n)


CUT_ROWS = 20_000
"""Contents per Ray block when trails cut contents into words."""


def _cut_block(table: Any) -> Any:
    """Ray Data map: one block of (row, text) to (row, words), with the words trails compare by."""
    import pyarrow as pa

    from propwatch.trails import words

    cut = [words(t) for t in table.column("text").to_pylist()]
    return pa.table({"row": table.column("row"), "words": pa.array(cut, type=pa.list_(pa.string()))})


def words_ray(texts: list[str], *, address: str | None = None, rows: int = CUT_ROWS) -> list[list[str]]:
    """``propwatch trails --engine ray``: cut contents into words on Ray, in the order given.

    Cutting is the part of a trails build that grows with the text; the join and the grouping
    stay in the store's DuckDB. The result is exactly :func:`propwatch.trails.words` of each text.
    """
    try:
        import pyarrow as pa
        import ray.data
    except ImportError as err:
        raise StoreError(f"the ray engine needs the ray extra: pip install 'propwatch[ray]' ({err})") from None
    if not texts:
        return []
    connect(address)
    table = pa.table({"row": pa.array(range(len(texts)), type=pa.int64()), "text": texts})
    blocks = max(1, -(-len(texts) // rows))
    cut = ray.data.from_arrow(table, override_num_blocks=blocks).map_batches(
        _cut_block, batch_format="pyarrow", batch_size=None
    )
    out: list[list[str]] = [[] for _ in texts]
    for batch in cut.iter_batches(batch_format="pyarrow", batch_size=None):
        for row, tokens in zip(batch.column("row").to_pylist(), batch.column("words").to_pylist(), strict=True):
            out[row] = tokens
    return out
