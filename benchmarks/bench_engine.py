"""Engine benchmark: dev-set figures, and propwatch analyze versus a plain transformers pipeline.

Run by hand (never by CI), after ``scripts/setup.sh train,dev``:

    .venv/bin/python benchmarks/bench_engine.py [--articles DIR] [--labels DIR]

Both speed runs go over the same articles, one after the other in this one run, each in its
own process so that peak memory is its own. ``ours`` is the whole ``propwatch analyze --json``
command (reading, tokenising, ONNX int8 inference, decoding, classification, JSON output).
The baseline is ``pipeline("token-classification", stride=64)`` of transformers on PyTorch
over the same base encoder (a 3-label head), the usual way to run a token tagger on long text.
It runs as the tokenizer ships it (windows of 512 tokens, the default the engine issue names),
with windows of 256 like ours, and, where the shipped model is a shallower student of the base
encoder, with 512-token windows over that many of its layers: the like-for-like comparison, which
separates what the runtime gains from what the smaller model gains.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "data" / "ptc"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev"


def count_tokens(paths: list[Path]) -> int:
    from propwatch.model.encoding import TextEncoder
    from propwatch.model.runtime import DEFAULT_MODEL_DIR

    encoder = TextEncoder.from_file(DEFAULT_MODEL_DIR / "tokenizer.json")
    return sum(len(encoder.encode(p.read_text(encoding="utf-8"))) for p in paths)


def shipped_layers() -> int:
    """Encoder layers of the shipped model: its graph has one fused attention node per layer."""
    import onnx

    from propwatch.model.runtime import DEFAULT_MODEL_DIR

    graph = onnx.load(str(DEFAULT_MODEL_DIR / "encoder.onnx"), load_external_data=False).graph
    return sum(node.op_type in ("Attention", "QAttention") for node in graph.node)


def base_encoder() -> str:
    """The base encoder the shipped model was trained from (its model.json says), which the baselines run."""
    from propwatch.model.runtime import DEFAULT_MODEL_DIR
    from propwatch.train.base import resolve_encoder

    settings = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    return resolve_encoder(settings["encoder"], None)  # no hash check inside the baseline's timed run


def base_encoder_layers() -> int:
    """Encoder layers of the base encoder."""
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(base_encoder()).num_hidden_layers


BASELINES = {"baseline": (None, False), "baseline-256": (256, False), "baseline-student": (None, True)}
"""Baseline variants (window, student depth): the tokenizer's default window (512) and 256 tokens
like propwatch's, over the whole base encoder; 512 over as many layers as the shipped model has."""


def run_baseline(paths: list[Path], window: int | None, student_depth: bool) -> None:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    torch.set_num_threads(os.cpu_count() or 1)
    folder = base_encoder()
    tokenizer = AutoTokenizer.from_pretrained(folder, **({"model_max_length": window} if window else {}))
    depth = {"num_hidden_layers": shipped_layers()} if student_depth else {}
    model = AutoModelForTokenClassification.from_pretrained(folder, num_labels=3, **depth)
    tagger = pipeline(
        "token-classification", model=model, tokenizer=tokenizer, stride=64, aggregation_strategy="simple", device=-1
    )
    for path in paths:
        tagger(path.read_text(encoding="utf-8"))


def voices_overhead(paths: list[Path], repeats: int = 3, model: Path | None = None) -> tuple[float, float, float]:
    """Seconds for techniques alone, for techniques + voices, and for techniques + voices without
    the dependency parser (the rules alone); same model, same articles.

    Each stage is timed on its own (best of N): the encoder pass, technique decoding, and voices
    (role decoding, linking, speakers, span voices, in the batches ``propwatch analyze`` sends).
    Timing whole runs with and without voices and subtracting would bury the small voices stage in
    the machine's run-to-run swings. The
    role refiner runs inside the encoder pass but serves only the voices, so its time moves there.
    """
    import time

    from propwatch.analysis import Analyzer
    from propwatch.cli import BATCH
    from propwatch.voices import voice_of

    analyzer = Analyzer(model)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    outputs = analyzer.token_outputs(texts)

    def encoder() -> None:
        analyzer.token_outputs(texts)

    def refiner() -> None:
        for out in outputs if analyzer.model.refiner is not None else []:
            analyzer.model.refiner.refine(out.states, out.roles)

    def techniques() -> None:
        for text, out in zip(texts, outputs, strict=True):
            analyzer.spans_for(text, out)

    def voices() -> None:  # as `propwatch analyze` runs them: a batch's attributions, then each article's spans
        for first in range(0, len(texts), BATCH):
            batch = slice(first, first + BATCH)
            found = analyzer.attributions_of(texts[batch], outputs[batch])
            for text, out, attributions in zip(texts[batch], outputs[batch], found, strict=True):
                for span in analyzer.spans_for(text, out):
                    voice_of(span, attributions)

    parser = analyzer.parser

    def rules_only() -> None:
        analyzer.parser = None
        voices()
        analyzer.parser = parser

    best = [float("inf")] * 5
    for _ in range(repeats):
        for i, stage in enumerate((encoder, techniques, voices, refiner, rules_only)):
            started = time.perf_counter()
            stage()
            best[i] = min(best[i], time.perf_counter() - started)
    alone = best[0] - best[3] + best[1]
    return alone, best[0] + best[2], best[0] + best[4]  # the voices stage re-decodes spans only to place them


def command_for(mode: str, articles: Path) -> list[str]:
    """The command line each side runs: the real CLI for ours, a worker process for the baseline."""
    if mode == "ours":
        cli = Path(sys.executable).with_name("propwatch")
        return [str(cli), "analyze", "--json", *map(str, sorted(articles.glob("*.txt")))]
    return [sys.executable, __file__, "--worker", mode, "--articles", str(articles)]


def measure(mode: str, articles: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one side, run in a fresh wrapper process of its own."""
    code = (
        "import resource, subprocess, sys, time, os\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *command_for(mode, articles)], check=True, capture_output=True, text=True
    ).stdout
    seconds, rss_kb = out.split()
    return float(seconds), int(rss_kb) / 1024


def voices_rows(alone: float, voiced: float, rules: float) -> str:
    """The table rows of the voices ratio, with the parser and without it."""
    return (
        f"{'voices time':<16}{voiced:>14.2f}{alone:>14.2f}{voiced / alone:>8.2f}  (with voices / techniques alone)\n"
        f"{'  rules alone':<16}{rules:>14.2f}{alone:>14.2f}{rules / alone:>8.2f}  (voices without the parser)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=PTC / "dev-articles")
    parser.add_argument("--labels", type=Path, default=PTC / "dev-labels-task2-technique-classification")
    parser.add_argument("--repeats", type=int, default=3, help="Runs of each side; the fastest counts.")
    parser.add_argument("--worker", choices=sorted(BASELINES), help=argparse.SUPPRESS)
    parser.add_argument(
        "--voices-only", action="store_true", help="Only the voices ratio (no transformers baseline, no scores)."
    )
    parser.add_argument("--model", type=Path, help="Model folder for --voices-only (default: the shipped model).")
    args = parser.parse_args()
    paths = sorted(args.articles.glob("*.txt"))
    if args.worker:
        run_baseline(paths, *BASELINES[args.worker])
        return
    if args.voices_only:
        print(voices_rows(*voices_overhead(paths, args.repeats, args.model)))
        return

    from propwatch.analysis import Analyzer
    from propwatch.evaluation import evaluate

    result = evaluate(Analyzer(), args.articles, args.labels)
    tokens = count_tokens(paths)
    layers, base_layers = shipped_layers(), base_encoder_layers()
    modes = [m for m in BASELINES if layers < base_layers or not BASELINES[m][1]]
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeats):  # interleaved, best of N: this machine's timings swing between runs
        for mode in ("ours", *modes):
            seconds, rss = measure(mode, args.articles)
            if mode not in best or seconds < best[mode][0]:
                best[mode] = (seconds, rss)
    rows = {
        mode: {"tokens/s": tokens / seconds, "articles/s": len(paths) / seconds, "peak RSS MB": rss}
        for mode, (seconds, rss) in best.items()
    }
    print(
        f"{len(paths)} articles, {tokens} tokens, {os.cpu_count()} CPUs, best of {args.repeats} interleaved runs "
        f"(each side includes process start and model load)\n"
    )
    for mode in modes:
        window, depth = BASELINES[mode]
        print(
            f"transformers pipeline, windows of {window or 'the tokenizer default (512)'} tokens, "
            f"{layers if depth else base_layers} of the base encoder's {base_layers} layers (propwatch: {layers}):"
        )
        print(f"{'what':<16}{'propwatch':>14}{'transformers':>14}{'ratio':>8}")
        for key in ("tokens/s", "articles/s", "peak RSS MB"):
            ours, base = rows["ours"][key], rows[mode][key]
            print(f"{key:<16}{ours:>14.1f}{base:>14.1f}{ours / base:>8.2f}")
        print()
    print(voices_rows(*voices_overhead(paths)))
    print(f"\nSI  P {result.si.precision:.4f}  R {result.si.recall:.4f}  F1 {result.si.f1:.4f}")
    print(f"TC  micro-F1 {result.tc.f1:.4f}")
    if POLNEAR.is_dir():
        from propwatch.evaluation import evaluate_attributions

        voices = evaluate_attributions(Analyzer(), POLNEAR / "text", POLNEAR / "attributions")
        print(f"PolNeAR dev  content F1 {voices.content.f1:.4f}  attribution F1 {voices.attribution.f1:.4f}")
    print(json.dumps({"si_f1": result.si.f1, "tc_f1": result.tc.f1, **{m: rows[m] for m in rows}}))


if __name__ == "__main__":
    main()
