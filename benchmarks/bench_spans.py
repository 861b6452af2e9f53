"""Span benchmark: the shipped model against the model of an earlier commit, on PTC dev, side by side.

Run by hand (never by CI):

    .venv/bin/python benchmarks/bench_spans.py [--baseline 75858a3] [--articles DIR] [--labels FILE]

The baseline's model folder is extracted from git into a temporary folder and run by this
code: a model.json without edge rules, span score or SemEval filter decodes exactly as the
code of that commit did (mean P(in) as the score, one decoding for SemEval and the reader), so
both columns come from one command in one run. Figures: SI and TC as ``propwatch evaluate``
prints them; end to end (a span is right when it overlaps a gold span of its technique, one to
one) with the average precision of spans ranked by score; the expected calibration error
(10 bins); the spans shown by default (score at least the model's display threshold, 0.5 where
the model has none); and the spans' edges beside the gold spans'.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "data" / "ptc"
MODEL_PATH = "src/propwatch/models/ptc-minilm"


def extract_model(commit: str, folder: Path) -> Path:
    """The model folder of ``commit``, written from git into ``folder``."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{commit}:{MODEL_PATH}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        blob = subprocess.run(
            ["git", "show", f"{commit}:{MODEL_PATH}/{name}"], cwd=ROOT, check=True, capture_output=True
        )
        (folder / name).write_bytes(blob.stdout)
    return folder


def figures(model_dir: Path | None, articles: Path, labels: Path) -> dict[str, float]:
    """The evaluation's figures for one model folder (None: the shipped one)."""
    from propwatch.analysis import Analyzer
    from propwatch.evaluation import evaluate

    result = evaluate(Analyzer(model_dir), articles, labels)
    reader = result.reader
    assert reader is not None
    return {
        "SI precision": result.si.precision,
        "SI recall": result.si.recall,
        "SI F1": result.si.f1,
        "TC micro-F1": result.tc.f1,
        "spans (analyze)": reader.spans,
        "end-to-end precision": reader.end_to_end.precision,
        "end-to-end recall": reader.end_to_end.recall,
        "end-to-end F1": reader.end_to_end.f1,
        "end-to-end AP (by score)": reader.average_precision,
        "ECE (10 bins)": reader.reliability.ece,
        "display score": reader.display_score,
        "spans shown by default": reader.shown,
        "precision of those shown": reader.shown_precision,
        "cross a paragraph": reader.crossing_paragraphs,
        "open/close on prep./conj.": reader.on_edge_words,
        "end on an article": reader.ending_on_articles,
        "gold: cross a paragraph": reader.gold_crossing_paragraphs,
        "gold: open/close on prep./conj.": reader.gold_on_edge_words,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="75858a3", help="commit whose model folder is the baseline")
    parser.add_argument("--articles", type=Path, default=PTC / "dev-articles")
    parser.add_argument("--labels", type=Path, default=PTC / "dev-labels-task2-technique-classification")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = figures(extract_model(args.baseline, Path(tmp)), args.articles, args.labels)
    after = figures(None, args.articles, args.labels)
    print(f"{'PTC dev':<34}{args.baseline:>12}{'shipped':>12}")
    for key, old in before.items():
        new = after[key]
        cell = "{:>12d}" if isinstance(old, int) else "{:>12.4f}"
        print(f"{key:<34}{cell.format(old)}{cell.format(new)}")


if __name__ == "__main__":
    main()
