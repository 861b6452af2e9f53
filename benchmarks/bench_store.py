"""Corpus store benchmarks: ingest against analyze alone, and report time over 1,000 documents.

1. The same PolNeAR train texts (read from ../shared at run time) go through the model twice
   with one loaded Analyzer: once as ``analyze`` alone (read records, run the model in batches
   of 32, keep the results in memory) and once as ``ingest`` into a fresh DuckDB store (the same,
   plus planning, transactions and rows). Runs alternate and the best of ``--repeat`` is kept,
   so background load hits both sides alike. The target is a ratio of at most 1.2.
2. 1,000 synthetic documents with spans (no model) are written straight into a store, and the
   HTML and JSON reports over them are timed. The target is under 10 s.

    python benchmarks/bench_store.py --texts 100
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from propwatch.analysis import Analyzer
from propwatch.report import write_report
from propwatch.sources import iter_records
from propwatch.store import BATCH, Analysed, Store, ingest
from propwatch.techniques import NAMES

ROOT = Path(__file__).resolve().parent.parent


def polnear_jsonl(limit: int, folder: Path) -> Path:
    """The first ``limit`` PolNeAR train articles as JSON Lines, written by the repository's script."""
    path = folder / "polnear.jsonl"
    with path.open("w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "polnear_to_jsonl.py"), "--limit", str(limit)],
            stdout=out,
            check=True,
        )
    return path


def analyze_only(analyzer: Analyzer, source: Path) -> int:
    """What ``propwatch analyze`` does per document: read it, run the model in batches."""
    docs = [r.document for r in iter_records([source]) if r.document]
    spans = 0
    for i in range(0, len(docs), BATCH):
        spans += sum(len(d.spans) for d in analyzer.analyze(docs[i : i + BATCH]))
    return spans


def ingest_fresh(analyzer: Analyzer, source: Path, folder: Path, run: int) -> int:
    """``propwatch ingest`` into a new store: the same model work, plus planning and storage."""
    with Store(folder / f"bench-{run}.duckdb") as store:
        return ingest(store, iter_records([source]), analyzer.analyze).spans


def best_of(repeat: int, runs: list[tuple[str, Callable[[int], int]]]) -> dict[str, float]:
    """Seconds of each named run, the best of ``repeat`` alternating rounds."""
    best = {name: float("inf") for name, _ in runs}
    for round_number in range(repeat):
        for name, run in runs:
            started = time.perf_counter()
            run(round_number)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def synthesize(db: Path, count: int, seed: int = 0) -> None:
    """``count`` documents with random spans, speakers, outlets and dates, written without a model."""
    rng = random.Random(seed)
    words = ["the", "council", "said", "a", "disastrous", "plan", "would", "ruin", "every", "family", "in", "town"]
    outlets = ["Harbour Herald", "Valley Courier", "Metro Daily", "The Sentinel", "Coast Post", None]
    speakers = [None, None, None, "the mayor", "Dr. Ada Quill", "a union leader"]
    with Store(db) as store:
        batch: list[Analysed] = []
        for i in range(count):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(80, 1500)))
            spans = []
            for _ in range(rng.randint(0, 30)):
                start = rng.randrange(0, len(text) - 60)
                spans.append(
                    {
                        "start": start,
                        "end": start + rng.randint(4, 60),
                        "technique": rng.choice(NAMES),
                        "score": round(rng.random(), 4),
                        "speaker": rng.choice(speakers),
                    }
                )
            item = {
                "id": f"synthetic-{i}",
                "title": f"Synthetic article {i}",
                "outlet": rng.choice(outlets),
                "published": f"{rng.randint(2015, 2018)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "url": None,
                "text": text,
                "spans": spans,
                "attributions": [],
            }
            batch.append(Analysed(item, f"synthetic:{i}"))
            if len(batch) == 250:
                store.write_batch(batch, [])
                batch = []
        store.write_batch(batch, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100, help="PolNeAR train texts for ingest vs analyze")
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds; the best of each is kept")
    parser.add_argument("--report-docs", type=int, default=1000, help="synthetic documents for the report timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = polnear_jsonl(args.texts, folder)
        analyzer = Analyzer()
        analyzer.analyze([r.document for r in iter_records([source]) if r.document][:2])  # warm up the session
        best = best_of(
            args.repeat,
            [
                ("analyze", lambda _: analyze_only(analyzer, source)),
                ("ingest", lambda n: ingest_fresh(analyzer, source, folder, n)),
            ],
        )
        print(
            f"{'texts':>8} {'analyze s':>10} {'ingest s':>10} {'analyze doc/s':>14} {'ingest doc/s':>13} {'ratio':>6}"
        )
        print(
            f"{args.texts:>8} {best['analyze']:>10.2f} {best['ingest']:>10.2f} {args.texts / best['analyze']:>14.2f} "
            f"{args.texts / best['ingest']:>13.2f} {best['ingest'] / best['analyze']:>6.3f}"
        )
        db = folder / "report.duckdb"
        synthesize(db, args.report_docs)
        for fmt in ("html", "json"):
            started = time.perf_counter()
            write_report(db, folder / f"report.{fmt}", fmt=fmt)
            print(f"report --format {fmt} over {args.report_docs:,} documents: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
