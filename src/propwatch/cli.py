"""The ``propwatch`` command: a thin shell over the library.

Each command parses its arguments, calls one library function and formats the result.
Bad input never stops a batch: each failure is one line on stderr naming the input, the
other inputs still go through, and the exit status is 1 when anything failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from propwatch.document import Document
from propwatch.readers import MAX_BYTES, InputError, read_document

TEXT_SUFFIXES = (".txt", ".html", ".htm")
BATCH = 32


def _expand(paths: tuple[str, ...]) -> Iterator[str]:
    """Inputs as given, with folders replaced by the text and HTML files inside them."""
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                yield path  # reported as an error by the reader
            yield from (str(p) for p in found)
        else:
            yield path


def _fail(message: str) -> None:
    click.echo(f"propwatch: error: {message}", err=True)


def _load_analyzer(model: Path | None, threshold: float | None):
    from propwatch.analysis import Analyzer
    from propwatch.model.runtime import ModelError

    try:
        return Analyzer(model, threshold=threshold)
    except ModelError as err:
        raise click.ClickException(str(err)) from None


model_option = click.option(
    "--model",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model folder (default: the model shipped in the package).",
)
threshold_option = click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Token score needed to be part of a span: lower finds more, higher is stricter "
    "(default: calibrated, see the model card).",
)


@click.group()
@click.version_option(package_name="propwatch")
def main() -> None:
    """propwatch: find propaganda techniques in news articles, span by span."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line.")
@click.option("--any-language", is_flag=True, help="Analyse text even when it does not look like English.")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Refuse larger inputs.")
@threshold_option
@model_option
def analyze(
    paths: tuple[str, ...],
    as_json: bool,
    any_language: bool,
    max_bytes: int,
    threshold: float | None,
    model: Path | None,
) -> None:
    """Find technique spans in text or HTML files (or - for stdin); folders are searched.

    Example: propwatch analyze examples/ --json > spans.jsonl
    """
    from propwatch.render import to_json_line, write_terminal

    analyzer = _load_analyzer(model, threshold)
    failures = 0
    batch: list[Document] = []

    def flush() -> None:
        for doc in analyzer.analyze(batch):
            if as_json:
                click.echo(to_json_line(doc))
            else:
                write_terminal(doc, sys.stdout)
        batch.clear()

    for path in _expand(paths):
        try:
            batch.append(read_document(path, any_language=any_language, max_bytes=max_bytes))
        except InputError as err:
            failures += 1
            _fail(str(err))
        if len(batch) >= BATCH:
            flush()
    flush()
    if failures:
        _fail(f"{failures} input(s) could not be analysed")
        sys.exit(1)


@main.group()
def semeval() -> None:
    """Write predictions in the SemEval-2020 Task 11 submission formats."""


@semeval.command("si")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@threshold_option
@model_option
def semeval_si(articles_dir: Path, output: Path, threshold: float | None, model: Path | None) -> None:
    """Span identification: ID<TAB>start<TAB>end for every article*.txt.

    Example: propwatch semeval si ../shared/data/ptc/dev-articles -o si.txt
    """
    from propwatch.evaluation import predict_si
    from propwatch.ptc import read_articles, write_si

    try:
        docs = read_articles(articles_dir)
    except InputError as err:
        raise click.ClickException(str(err)) from None
    rows = predict_si(_load_analyzer(model, threshold), docs)
    write_si(rows, output)
    click.echo(f"wrote {len(rows)} spans for {len(docs)} articles to {output}", err=True)


@semeval.command("tc")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("template", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@model_option
def semeval_tc(articles_dir: Path, template: Path, output: Path, model: Path | None) -> None:
    """Technique classification: one technique per template row, same rows and order.

    Example: propwatch semeval tc ../shared/data/ptc/dev-articles dev-template.txt -o tc.txt
    """
    from propwatch.evaluation import predict_tc
    from propwatch.ptc import read_articles, read_labels, write_tc

    try:
        docs = read_articles(articles_dir)
        rows = predict_tc(_load_analyzer(model, None), docs, read_labels(template))
    except InputError as err:
        raise click.ClickException(str(err)) from None
    write_tc(rows, output)
    click.echo(f"wrote {len(rows)} rows to {output}", err=True)


@main.command()
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("labels", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@threshold_option
@model_option
def evaluate(articles_dir: Path, labels: Path, as_json: bool, threshold: float | None, model: Path | None) -> None:
    """Score SI and TC against gold TC labels (a file or folder of ID, technique, start, end).

    Example: propwatch evaluate ../shared/data/ptc/dev-articles
    ../shared/data/ptc/dev-labels-task2-technique-classification
    """
    from propwatch.evaluation import evaluate as run_evaluation

    try:
        result = run_evaluation(_load_analyzer(model, threshold), articles_dir, labels)
    except InputError as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "articles": result.articles,
                    "gold_spans": result.gold_spans,
                    "si": vars(result.si),
                    "tc": vars(result.tc),
                    "per_technique": {k: vars(v) for k, v in result.per_technique.items()},
                },
                indent=2,
            )
        )
        return
    click.echo(f"{result.articles} articles, {result.gold_spans} gold technique spans")
    click.echo(f"SI  precision {result.si.precision:.4f}  recall {result.si.recall:.4f}  F1 {result.si.f1:.4f}")
    click.echo(f"TC  micro-F1 {result.tc.f1:.4f}")
    for name, prf in result.per_technique.items():
        click.echo(f"    {name:<36} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}")


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the checkpoint and the exported model.",
)
def train(config: Path, output: Path) -> None:
    """Train, export (int8 ONNX) and calibrate a model from a TOML config (needs propwatch[train]).

    Example: propwatch train configs/minilm.toml -o runs/minilm
    """
    try:
        from propwatch.train.pipeline import run_training
    except ImportError as err:
        raise click.ClickException(f"training needs the train extra: pip install 'propwatch[train]' ({err})") from None
    report = run_training(config, output)
    click.echo(json.dumps(report, indent=2))
