"""The ``propwatch`` command: a thin shell over the library.

Each command parses its arguments, calls one library function and formats the result.
Bad input never stops a batch: each failure is one line on stderr naming the input, the
other inputs still go through, and the exit status is 1 when anything failed.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from propwatch.document import Document
from propwatch.readers import MAX_BYTES, InputError, Metadata, read_document, read_sidecar, with_metadata

if TYPE_CHECKING:
    from propwatch.evaluation import ReaderFigures

TEXT_SUFFIXES = (".txt", ".html", ".htm")
BATCH = 32


def _inputs(path: str) -> list[tuple[str, Metadata | None]]:
    """One input as given, or a folder's text and HTML files with their sidecar metadata.

    A malformed sidecar raises :class:`InputError` for the whole folder (see ``read_sidecar``).
    """
    folder = Path(path)
    if path == "-" or not folder.is_dir():
        return [(path, None)]
    sidecar = read_sidecar(folder)
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not found:
        return [(path, None)]  # reported as an error by the reader
    return [(str(p), sidecar.get(p.relative_to(folder).as_posix())) for p in found]


def _echo_json(figures: object) -> None:
    """Print figures, a dict or a dataclass (nested dataclasses included), as indented JSON."""
    click.echo(json.dumps(figures if isinstance(figures, dict) else dataclasses.asdict(figures), indent=2))


@contextmanager
def _fatal(*errors: type[Exception]) -> Iterator[None]:
    """Turn the library's errors about bad input into the one-line error and exit status 1."""
    try:
        yield
    except errors as err:
        _abort(str(err))


def _fail(message: str) -> None:
    click.echo(f"propwatch: error: {message}", err=True)


def _abort(message: str) -> NoReturn:
    """Stop with the one-line ``propwatch: error: ...`` message and exit status 1."""
    _fail(message)
    sys.exit(1)


def _load_analyzer(model: Path | None, threshold: float | None, *, parse: bool = True):
    from propwatch.analysis import Analyzer
    from propwatch.model.runtime import ModelError
    from propwatch.voices.parse import ParserError

    with _fatal(ModelError, ParserError):
        return Analyzer(model, threshold=threshold, parse=parse)


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


class _Commands(click.Group):
    """A command group whose ``--help`` lists each command's whole first sentence, wrapped.

    Click cuts every summary to fit one line ("Find technique spans in text or HTML files
    (or -..."), which hides what the commands are for.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=500)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Commands)
@click.version_option(package_name="propwatch")
def main() -> None:
    """propwatch: find propaganda techniques in news articles, span by span."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line, every span.")
@click.option("--all", "show_all", is_flag=True, help="Show every span, also those under the display score.")
@click.option("--any-language", is_flag=True, help="Analyse text even when it does not look like English.")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Refuse larger inputs.")
@threshold_option
@model_option
def analyze(
    paths: tuple[str, ...],
    as_json: bool,
    show_all: bool,
    any_language: bool,
    max_bytes: int,
    threshold: float | None,
    model: Path | None,
) -> None:
    """Find technique spans in text or HTML files (or - for stdin); folders are searched.

    The terminal view shows the spans scored at or above the model's display score (the
    lowest at which about half of them are right; see the model card); --all shows every
    span and --json writes every span with its score. A folder's metadata.tsv (columns file,
    title, outlet, published, url) gives its articles their titles, outlets and dates.

    Example: propwatch analyze examples/ --json > spans.jsonl
    """
    from propwatch.render import display_score, to_json_line, write_terminal

    analyzer = _load_analyzer(model, threshold)
    min_score = 0.0 if show_all else display_score(analyzer)
    failures = 0
    batch: list[Document] = []

    def flush() -> None:
        for doc in analyzer.analyze(batch):
            if as_json:
                click.echo(to_json_line(doc))
            else:
                write_terminal(doc, sys.stdout, min_score=min_score)
        batch.clear()

    for given in paths:
        try:
            inputs = _inputs(given)
        except InputError as err:
            failures += 1
            _fail(str(err))
            continue
        for path, meta in inputs:
            try:
                batch.append(with_metadata(read_document(path, any_language=any_language, max_bytes=max_bytes), meta))
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

    Uses the decoding and span filter that maximise SI F1 on the held-out fold, not the spans
    `propwatch analyze` outputs (chosen for end-to-end F1 and ranking).

    Example: propwatch semeval si ../shared/data/ptc/dev-articles -o si.txt
    """
    from propwatch.evaluation import predict_si
    from propwatch.ptc import read_articles, write_si

    with _fatal(InputError):
        docs = read_articles(articles_dir)
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

    with _fatal(InputError):
        docs = read_articles(articles_dir)
        rows = predict_tc(_load_analyzer(model, None), docs, read_labels(template))
    write_tc(rows, output)
    click.echo(f"wrote {len(rows)} rows to {output}", err=True)


@main.command()
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("labels", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@threshold_option
@model_option
def evaluate(articles_dir: Path, labels: Path, as_json: bool, threshold: float | None, model: Path | None) -> None:
    """Score SI and TC against gold TC labels (a file or folder of ID, technique, start, end),
    and the spans `propwatch analyze` outputs end to end: a span is right when it overlaps a gold
    span of its technique (one to one); P/R/F1, the average precision of spans ranked by score,
    a 10-bin reliability table of the score with its expected calibration error, and the spans'
    edges beside the gold spans'.

    Example: propwatch evaluate ../shared/data/ptc/dev-articles
    ../shared/data/ptc/dev-labels-task2-technique-classification
    """
    from propwatch.evaluation import evaluate as run_evaluation

    with _fatal(InputError):
        result = run_evaluation(_load_analyzer(model, threshold), articles_dir, labels)
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{result.articles} articles, {result.gold_spans} gold technique spans")
    click.echo(f"SI  precision {result.si.precision:.4f}  recall {result.si.recall:.4f}  F1 {result.si.f1:.4f}")
    click.echo(f"TC  micro-F1 {result.tc.f1:.4f}")
    if result.reader is not None:
        _echo_reader(result.reader)
    for name, prf in result.per_technique.items():
        click.echo(f"    {name:<36} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}")


def _echo_reader(reader: ReaderFigures) -> None:
    """The end-to-end lines of ``propwatch evaluate``: what a reader of ``propwatch analyze`` sees."""
    e2e = reader.end_to_end
    click.echo(
        f"E2E precision {e2e.precision:.4f}  recall {e2e.recall:.4f}  F1 {e2e.f1:.4f}  "
        f"AP {reader.average_precision:.4f}  ({reader.spans} spans; right = overlaps a gold span of its technique)"
    )
    click.echo(
        f"    shown by default (score >= {reader.display_score:.4f}): {reader.shown} spans, "
        f"precision {reader.shown_precision:.4f}"
    )
    click.echo(
        f"    edges: {reader.crossing_paragraphs:.1%} cross a paragraph (gold {reader.gold_crossing_paragraphs:.1%}), "
        f"{reader.on_edge_words:.1%} open or close on a preposition or conjunction "
        f"(gold {reader.gold_on_edge_words:.1%}), {reader.ending_on_articles} end on an article"
    )
    click.echo(f"    reliability, 10 bins by score: expected calibration error {reader.reliability.ece:.4f}")
    click.echo("      score       spans  mean score  right")
    for low, high, count, mean, right in reader.reliability.bins:
        click.echo(f"      {low:.1f}-{high:.1f}  {count:7d}  {mean:10.3f}  {right:5.3f}")


@main.command("evaluate-attributions")
@click.argument("text_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("ann_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--speakers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Gold speakers (TSV: file, source and content offsets, speaker) for the speaker accuracy.",
)
@click.option("--no-parse", is_flag=True, help="The voices' rules alone, without the dependency parser.")
@model_option
def evaluate_attributions(
    text_dir: Path, ann_dir: Path, as_json: bool, speakers: Path | None, no_parse: bool, model: Path | None
) -> None:
    """Score attribution extraction on PolNeAR-format data (text/*.txt, brat .ann files).

    A prediction matches a gold attribution when their contents overlap by at least half the
    longer one (one-to-one, greedily); attribution scores also need the sources to overlap.
    Malformed: the share of predicted speakers that cross a sentence end, open with a
    preposition, conjunction or relative pronoun, are a lone pronoun or end in punctuation.
    With --speakers, speaker accuracy over the matched gold attributions the file covers: a
    speaker is right when its words are among the gold's and include the gold's last word; its
    90% interval is the bootstrap over articles (errors cluster by article).

    Example: propwatch evaluate-attributions ../shared/data/polnear/dev/text
    ../shared/data/polnear/dev/attributions --speakers benchmarks/data/polnear-dev-speakers.tsv
    """
    from propwatch.evaluation import evaluate_attributions as run_evaluation
    from propwatch.polnear import read_speakers
    from propwatch.voices.parse import PIPELINE_PIN

    with _fatal(InputError):
        gold_speakers = read_speakers(speakers) if speakers else None
        analyzer = _load_analyzer(model, None, parse=not no_parse)
        result = run_evaluation(analyzer, text_dir, ann_dir, gold_speakers)
    if as_json:
        _echo_json({**dataclasses.asdict(result), "parser": PIPELINE_PIN if analyzer.parser else None})
        return
    parser = PIPELINE_PIN if analyzer.parser else "none (the rules alone; the parse extra adds it)"
    click.echo(f"{result.gold} gold attributions, {result.predicted} predicted; parser: {parser}")
    for label, prf in (("content", result.content), ("attribution", result.attribution)):
        click.echo(f"{label:<12} precision {prf.precision:.4f}  recall {prf.recall:.4f}  F1 {prf.f1:.4f}")
    if result.speaker_accuracy is not None:
        low, high = result.speaker_interval or (None, None)
        articles = result.speaker_articles
        within = f"; 90% interval {low:.3f}-{high:.3f} over {articles} articles" if low is not None else ""
        figure = f"accuracy {result.speaker_accuracy:.4f} over {result.speakers_matched} matched"
        click.echo(f"{'speaker':<12} {figure}{within}")
    click.echo(f"{'malformed':<12} {result.malformed:.4f} of predicted speakers")


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the checkpoint and the exported model.",
)
@click.option(
    "--calibrate-only",
    is_flag=True,
    help="Keep the trained model in OUTPUT and only redo its calibration on the held-out fold.",
)
@click.option(
    "--export-only",
    is_flag=True,
    help="Keep the checkpoint in OUTPUT; export it again (after a change to the export) and recalibrate.",
)
def train(config: Path, output: Path, calibrate_only: bool, export_only: bool) -> None:
    """Train, export (int8 ONNX) and calibrate a model from a TOML config (needs propwatch[train]).

    Example: propwatch train configs/minilm.toml -o runs/minilm
    """
    if calibrate_only and export_only:
        _abort("--calibrate-only and --export-only exclude each other")
    try:
        from propwatch.train.pipeline import run_calibration, run_export, run_training
    except ImportError as err:
        _abort(f"training needs the train extra: pip install 'propwatch[train]' ({err})")
    step = run_calibration if calibrate_only else run_export if export_only else run_training
    with _fatal(FileNotFoundError, ValueError):
        report = step(config, output)
    click.echo(json.dumps(report, indent=2))


@main.command()
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Corpus store (from propwatch ingest) to show on the dashboard.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Let the page fetch URLs on loopback and private networks (only on a trusted network).",
)
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Refuse larger request bodies (413).")
@threshold_option
@model_option
def serve(
    db: Path | None,
    host: str,
    port: int,
    allow_private_urls: bool,
    max_bytes: int,
    threshold: float | None,
    model: Path | None,
) -> None:
    """Serve the analyze page, the corpus dashboard and the JSON API (needs propwatch[web]).

    Example: propwatch serve --db propwatch.duckdb --port 8000
    """
    try:
        import uvicorn

        from propwatch.web import create_app
    except ImportError as err:
        _abort(f"serving needs the web extra: pip install 'propwatch[web]' ({err})")
    app = create_app(_load_analyzer(model, threshold), db=db, allow_private_urls=allow_private_urls, max_body=max_bytes)
    uvicorn.run(app, host=host, port=port, log_level="info")


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("propwatch.duckdb"),
    show_default=True,
    help="Corpus store: a DuckDB file (see propwatch/store.py for its tables).",
)


def engine_option(what: str):
    """``--engine local|ray``, the same for every command that can run on Ray."""
    return click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help=f"{what}: this process, or a Ray cluster (needs propwatch[ray]; see RAY_ADDRESS).",
    )


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@engine_option("Where the model runs")
@click.option(
    "--batch-size", type=click.IntRange(1), default=BATCH, show_default=True, help="Documents per model call."
)
@click.option("--any-language", is_flag=True, help="Analyse text even when it does not look like English.")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Refuse larger inputs.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Ray engine: folder for the Parquet it writes; on a cluster, one that every node shares.",
)
@click.option(
    "--workers", type=click.IntRange(1), default=None, help="Ray engine: model actors (default: one per CPU)."
)
@click.option("--ray-address", default=None, help="Ray engine: cluster to join (default: RAY_ADDRESS, else local).")
@click.option("--quiet", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@threshold_option
@model_option
def ingest(
    paths: tuple[str, ...],
    db: Path,
    engine: str,
    batch_size: int,
    any_language: bool,
    max_bytes: int,
    work_dir: Path | None,
    workers: int | None,
    ray_address: str | None,
    quiet: bool,
    threshold: float | None,
    model: Path | None,
) -> None:
    """Analyse a corpus into a store: folders of .txt/.html, .jsonl and .csv files.

    JSON Lines and CSV records have the fields id, text, title, outlet, published, url (only
    text is required; id defaults to a hash of the text); a folder's metadata.tsv or .csv
    (columns file, title, outlet, published, url) gives its files the same fields.
    Documents already in the store are skipped, so a rerun adds nothing and a killed run
    resumes. Unreadable items are recorded (documents.status = 'error') and listed at the
    end; the exit status is then 1.

    Example: propwatch ingest articles/ feed.jsonl --db corpus.duckdb
    """
    from propwatch.model.runtime import ModelError
    from propwatch.store import StoreError, ingest_corpus

    ray_options = {"work_dir": work_dir, "workers": workers, "address": ray_address} if engine == "ray" else None
    with _fatal(StoreError, ModelError):
        report = ingest_corpus(
            db,
            list(paths),
            engine=engine,
            model_dir=model,
            threshold=threshold,
            batch_size=batch_size,
            any_language=any_language,
            max_bytes=max_bytes,
            ray_options=ray_options,
            show_progress=not quiet and sys.stderr.isatty(),
        )
    click.echo(
        f"added {report.added:,} documents ({report.spans:,} spans) in {report.seconds:.1f} s "
        f"({report.rate:.2f} docs/s); {report.skipped:,} already in the store; {report.failed:,} failed",
        err=True,
    )
    for _, error in report.failures:
        _fail(error)
    if report.failed > len(report.failures):
        _fail(f"... and {report.failed - len(report.failures):,} more")
    hint = " (SELECT id, error FROM documents WHERE status = 'error')" if report.stored_errors else ""
    click.echo(f"{db}: {report.stored:,} documents analysed, {report.stored_errors:,} with errors{hint}", err=True)
    if report.failed:
        sys.exit(1)


@main.command()
@db_option
@engine_option("Where contents are cut into words")
@click.option("--ray-address", default=None, help="Ray engine: cluster to join (default: RAY_ADDRESS, else local).")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Most relayed statements to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the build's figures and the trails as JSON.")
def trails(db: Path, engine: str, ray_address: str | None, top: int, as_json: bool) -> None:
    """Follow statements across the store: which outlets carried each, when, through whom.

    Groups the store's attributed contents that carry the same statement into trails (tables
    trails and trail_members), marks outlets that repeat a trail's loaded words unattributed
    (echoes), and prints the most relayed statements. Only documents stored since the last run
    are read: a later ingest extends the trails.

    Example: propwatch trails --db corpus.duckdb --top 5
    """
    from propwatch.store import StoreError
    from propwatch.trails import build_db, format_trails, most_relayed_in

    with _fatal(StoreError):
        built = build_db(db, engine=engine, ray_options={"address": ray_address} if engine == "ray" else None)
        shown = most_relayed_in(db, top)
    if as_json:
        click.echo(json.dumps({"build": dataclasses.asdict(built), "trails": shown}, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"read {built.documents:,} new documents ({built.members:,} statements) in {built.seconds:.1f} s: "
        f"{built.new_trails:,} new trails, {built.extended:,} extended, {built.echoes:,} echoes; "
        f"{db}: {built.trails:,} trails, {built.relayed:,} carried by two outlets or more",
        err=True,
    )
    click.echo(format_trails(shown))


@main.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="Report file (- for standard output).",
)
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True)
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Speakers and articles to list.")
@click.option(
    "--all", "show_all", is_flag=True, help="Draw every span in the article views, also those under the display score."
)
@model_option
def report(db: Path, output: Path, fmt: str, top: int, show_all: bool, model: Path | None) -> None:
    """Write a self-contained report of the store: technique rates per outlet, over time, by voice.

    Rates are expected spans per 1,000 words with 90% bootstrap intervals over articles; the
    HTML has inline charts and every article (the most technique-dense first) highlighted with
    the spans at or above the model's display score; it needs no network. --format json writes
    the same tables.

    Example: propwatch report --db corpus.duckdb -o report.html
    """
    from propwatch.render import display_score
    from propwatch.report import write_report
    from propwatch.store import StoreError

    to_stdout = str(output) == "-"
    min_score = 0.0 if show_all else display_score(model_dir=model)
    with _fatal(StoreError):
        text = write_report(db, None if to_stdout else output, fmt=fmt, top=top, min_score=min_score)
    if to_stdout:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@main.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for documents.parquet, spans.parquet, attributions.parquet, trails.parquet and trail_members.parquet.",
)
def export(db: Path, output: Path) -> None:
    """Export the store's tables as Parquet files, for DuckDB, Spark, pandas or polars.

    Example: propwatch export --db corpus.duckdb -o parquet/
    """
    from propwatch.store import StoreError, export_parquet

    with _fatal(StoreError):
        written = export_parquet(db, output)
    for path in written:
        click.echo(f"wrote {path}", err=True)
