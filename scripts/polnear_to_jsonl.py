"""Write PolNeAR articles with their publisher and date as JSON Lines for ``propwatch ingest``.

The corpus stays in ../shared (it is never copied into this repository); this reads it at run
time and prints one ``{"id", "text", "title", "outlet", "published"}`` object per article.

    python scripts/polnear_to_jsonl.py --split train > polnear-train.jsonl
    propwatch ingest polnear-train.jsonl --db polnear.duckdb
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"


def articles(root: Path, split: str, limit: int | None = None) -> Iterator[dict[str, str]]:
    """PolNeAR articles of one split (metadata.tsv order), with the text read exactly as stored."""
    with (root / "metadata.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["compartment"] == split]
    for row in rows[:limit]:
        text = (root / split / "text" / f"{row['filename']}.txt").read_bytes().decode("utf-8")
        yield {
            "id": row["filename"],
            "text": text,
            "title": row["title"],
            "outlet": row["publisher"],
            "published": row["publication_date"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="PolNeAR folder (metadata.tsv, train/, dev/)")
    parser.add_argument("--split", default="train", help="compartment to write: train or dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if not (args.root / "metadata.tsv").exists():
        sys.exit(f"polnear_to_jsonl: error: {args.root}/metadata.tsv not found (see --root)")
    for article in articles(args.root, args.split, args.limit):
        sys.stdout.write(json.dumps(article, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
