"""Trails at scale: build them over synthetic attributed statements written straight into a store.

No model runs: documents, attributions and technique spans are written as ``propwatch ingest``
would store them, with realistic repeats and variants. Each statement is carried a number of
times drawn from a heavy-tailed (Zipf) law (most once, a few hundreds of times), each appearance
exact, re-punctuated and re-capitalised, or an excerpt of six words or more; every fourth
statement has a sibling by the same speaker that shares a phrase with it (the two must stay
apart); an article carries four statements and a line of narration, which now and then echoes a
statement's loaded words. Each size is built in a fresh process, which reports its peak memory.

    python benchmarks/bench_trails.py                      # 100k, 300k and 1M statements
    python benchmarks/bench_trails.py --sizes 100000       # one size

The table prints, per size: seconds to build, peak resident memory of the build's process
(write included), trails, relayed trails, and the time per statement relative to the smallest
size (1.00 is linear growth).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PER_ARTICLE = 4
VOCABULARY = 20_000
SPEAKERS = 20_000
OUTLETS = 60
SEED = 20261205


def _words(rng: np.random.Generator, n: int) -> list[str]:
    """Made-up words (no corpus text): consonant-vowel syllables."""
    syllables = np.array([c + v for c in "bdfgklmnprstvz" for v in "aeiou"])
    parts = rng.choice(syllables, size=(n, 3))
    lengths = rng.integers(1, 4, size=n)
    return sorted({"".join(row[:k]) for row, k in zip(parts, lengths, strict=True)})


def _statements(rng: np.random.Generator, count: int, vocabulary: np.ndarray) -> list[list[str]]:
    """Statements of 8-30 words, Zipf-distributed word choice; every fourth has a sibling after it."""
    ranks = np.minimum(rng.zipf(1.3, size=count * 20), len(vocabulary)) - 1
    words = vocabulary[ranks]
    out, at = [], 0
    while len(out) < count:
        n = int(rng.integers(8, 31))
        statement = list(words[at : at + n]) if at + n <= len(words) else list(rng.choice(vocabulary, n))
        at += n
        out.append(statement)
        if len(out) % 4 == 0 and len(out) < count:  # a sibling: shares a four-word phrase, nothing more
            shared = statement[2:6]
            out.append([*list(rng.choice(vocabulary, 5)), *shared, *list(rng.choice(vocabulary, 8))])
    return out


def _variant(rng: np.random.Generator, words: list[str]) -> str:
    """One appearance: exact, re-punctuated and capitalised, or an excerpt of at least six words."""
    kind = rng.random()
    if kind < 0.5:
        return " ".join(words).capitalize() + "."
    if kind < 0.75:
        return "“" + " ".join(words).upper().replace(" ", " - ", 1) + " …”"
    n = int(rng.integers(6, len(words) + 1))
    start = int(rng.integers(0, len(words) - n + 1))
    return "… " + " ".join(words[start : start + n])


def generate(db: Path, statements: int) -> None:
    """Write ``statements`` attributed statements (and their articles) into a new store at ``db``."""

    from propwatch.store import Store

    rng = np.random.default_rng(SEED)
    vocabulary = np.asarray(_words(rng, VOCABULARY))  # an array once: rng.choice copies a list on every call
    repeats = np.minimum(rng.zipf(2.0, size=statements), 300)
    distinct = int(np.searchsorted(np.cumsum(repeats), statements)) + 1
    texts = _statements(rng, distinct, vocabulary)
    owner = np.repeat(np.arange(distinct), repeats[:distinct])[:statements]
    rng.shuffle(owner)
    speakers = [
        f"{w.capitalize()} {v.capitalize()}"
        for w, v in zip(rng.choice(vocabulary, SPEAKERS), rng.choice(vocabulary, SPEAKERS), strict=True)
    ]
    docs, attributions, spans = [], [], []
    days = rng.integers(0, 365, size=statements // PER_ARTICLE + 1)
    for a in range(0, statements, PER_ARTICLE):
        doc_id = f"a{a // PER_ARTICLE:07d}"
        parts, text = [], ""
        for s in owner[a : a + PER_ARTICLE]:
            quote = _variant(rng, texts[s])
            speaker = speakers[s % SPEAKERS]
            start = len(text) + 1
            text += f'"{quote}" said {speaker}. '
            loaded = len(quote) - len(quote.lstrip("“… ")) + len(" ".join(texts[s][:3]))  # its first three words
            parts.append((start, start + len(quote), speaker, [f"Outlet {s % 7}"] if s % 5 == 0 else [], loaded))
        echo = texts[owner[a]][:3] if rng.random() < 0.05 else list(rng.choice(vocabulary, 6))
        text += "In other news, " + " ".join(echo) + " was heard again."
        for start, end, speaker, via, loaded in parts:
            attributions.append((doc_id, start, end, speaker, via))
            spans.append((doc_id, start, min(start + loaded, end), "Loaded_Language", 0.8, speaker))
        day = int(days[a // PER_ARTICLE])
        docs.append((doc_id, f"Outlet {a % OUTLETS}", f"2026-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}", text))
    with Store(db) as store:
        store.con.execute("SELECT 1").fetchall()  # the version check leaves a result open
        columns = {
            "documents": ("id", "outlet", "published", "text"),
            "attributions": ("document_id", "content_start", "content_end", "speaker", "via"),
            "spans": ("document_id", "start", "end", "technique", "score", "speaker"),
        }
        words = {"words": [len(r[3].split()) for r in docs], "status": ["ok"] * len(docs)}
        for table, rows in (("documents", docs), ("attributions", attributions), ("spans", spans)):
            extra = words if table == "documents" else {}
            store.insert_columns(table, {name: [r[i] for r in rows] for i, name in enumerate(columns[table])} | extra)


def _build_here(db: str) -> None:
    """The child process: build the trails, print the figures as JSON (peak memory included)."""
    from propwatch.store import Store
    from propwatch.trails import build

    with Store(Path(db)) as store:
        report = build(store)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": report.seconds,
                "peak_mb": peak_kb / 1024,
                "trails": report.trails,
                "relayed": report.relayed,
                "members": report.members,
                "echoes": report.echoes,
            }
        )
    )


def run(size: int, folder: Path) -> dict[str, float]:
    db = folder / f"bench-{size}.duckdb"
    started = time.perf_counter()
    generate(db, size)
    written = time.perf_counter() - started
    child = subprocess.run([sys.executable, __file__, "--build", str(db)], capture_output=True, text=True, check=True)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    db.unlink()
    return {"size": size, "write_s": written, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        _build_here(args.build)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-trails-") as folder:
        for size in args.sizes:
            rows.append(run(size, Path(folder)))
            r = rows[-1]
            print(f"  {size:>9,} statements: build {r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB", flush=True)
    base = rows[0]["seconds"] / rows[0]["size"]
    print(
        f"\n{'statements':>10} {'build s':>8} {'peak MB':>8} {'trails':>9} {'relayed':>8} {'echoes':>7} "
        f"{'s per statement vs smallest':>28}"
    )
    for r in rows:
        growth = (r["seconds"] / r["size"]) / base
        print(
            f"{r['size']:>10,} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} {r['trails']:>9,} {r['relayed']:>8,} "
            f"{r['echoes']:>7,} {growth:>28.2f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
