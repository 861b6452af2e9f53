"""Calibrate decoding and fit the technique stacker on the held-out fold of train.

Dev is never touched here: the threshold grid, the gap and length settings, and the
stacker (with its own cross-validated go/no-go) are all chosen on articles the encoder did
not train on but that belong to the training split.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from propwatch.analysis import Analyzer
from propwatch.model.decode import DecodeSettings, decode_spans
from propwatch.model.heads import RoleRefiner, Stacker, span_cues
from propwatch.model.runtime import TokenOutputs
from propwatch.polnear import GoldAttribution
from propwatch.ptc import LabelRow
from propwatch.scoring import score_attributions, score_si
from propwatch.techniques import INDEX
from propwatch.train import ranker
from propwatch.train.data import Corpus
from propwatch.voices import DEFAULT_ROLE_DECODING, extract_attributions, role_spans, source_ranker_json

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
GAPS = (0, 3, 12)
MIN_CHARS = (2, 6, 12)
BEGIN_SPLITS = (0.5, 1.0)


def search_decoding(
    corpus: Corpus, ids: list[str], outputs: list[TokenOutputs]
) -> tuple[DecodeSettings, float, list[dict]]:
    """Grid search of decoding settings by SI F1 on the held-out articles."""
    gold = [row for i in ids for row in corpus.si.get(i, [])]
    trials = []
    for threshold, gap, min_chars, split in itertools.product(THRESHOLDS, GAPS, MIN_CHARS, BEGIN_SPLITS):
        settings = DecodeSettings(threshold, gap, min_chars, split)
        pred = [
            LabelRow(i, s.start, s.end)
            for i, out in zip(ids, outputs, strict=True)
            for s in decode_spans(corpus.docs[i].text, out.encoded.offsets, out.probs, settings)
        ]
        prf = score_si(pred, gold)
        trials.append({**asdict(settings), "precision": prf.precision, "recall": prf.recall, "f1": prf.f1})
    best = max(trials, key=lambda t: t["f1"])
    keys = ("threshold", "max_gap", "min_chars", "begin_split")
    return DecodeSettings(**{k: best[k] for k in keys}), best["f1"], trials


def span_table(
    analyzer: Analyzer, corpus: Corpus, ids: list[str], outputs: list[TokenOutputs]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Head log-probs, cues and gold labels for every gold technique span of the articles.

    ``analyzer`` must have no stacker yet, so its technique log-probs are the bare head's.
    """
    heads, cues, labels = [], [], []
    for article_id, out in zip(ids, outputs, strict=True):
        text = corpus.docs[article_id].text
        rows = corpus.tc.get(article_id, [])
        if rows:
            heads.append(analyzer.technique_log_probs(text, out, [(r.start, r.end) for r in rows]))
        cues += [span_cues(text, r.start, r.end) for r in rows]
        labels += [INDEX[r.technique or ""] for r in rows]
    head_table = np.vstack(heads) if heads else np.zeros((0, len(INDEX)), np.float32)
    return head_table, np.array(cues), np.array(labels)


def cross_validate_stacker(
    heads: np.ndarray, cues: np.ndarray, labels: np.ndarray, folds: int = 5
) -> tuple[float, float]:
    """Accuracy of the bare head and of the stacker, by k-fold CV over held-out spans."""
    if len(labels) < folds:
        return 0.0, 0.0  # too few held-out spans to judge: keep the bare head
    order = np.random.default_rng(0).permutation(len(labels))
    head_hits = stack_hits = 0
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        stacker = Stacker.fit(heads[train], cues[train], labels[train])
        head_hits += int((heads[test].argmax(1) == labels[test]).sum())
        stack_hits += int((stacker.log_probs(heads[test], cues[test]).argmax(1) == labels[test]).sum())
    return head_hits / len(labels), stack_hits / len(labels)


LEARNED = ("stacker", "source_ranker", "content_filter")
"""What calibration fits into ``model.json``."""


def forget_learned(model_dir: Path) -> None:
    """Drop every fitted part (the stacker, the source ranker, the content filter, the role
    refiner), so calibration starts from the bare heads and rules, and a model calibrated by
    another propwatch, on other features, still loads. :func:`calibrate` and
    :func:`calibrate_roles` expect a model treated so."""
    settings_path = model_dir / "model.json"
    settings = json.loads(settings_path.read_text())
    for key in LEARNED:
        settings.pop(key, None)
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    (model_dir / RoleRefiner.FILE).unlink(missing_ok=True)


def calibrate(model_dir: Path, corpus: Corpus, held_ids: list[str], log=sys.stderr) -> dict:
    """Tune decoding and fit the stacker on held-out articles; rewrite ``model.json``; return a report.

    The model must have nothing fitted yet (:func:`forget_learned`): the stacker learns from the bare head.
    """
    settings_path = model_dir / "model.json"
    settings = json.loads(settings_path.read_text())
    analyzer = Analyzer(model_dir)
    outputs = analyzer.token_outputs([corpus.docs[i].text for i in held_ids])
    decode, si_f1, trials = search_decoding(corpus, held_ids, outputs)
    print(f"held-out SI F1 {si_f1:.4f} with {decode}", file=log, flush=True)
    heads, cues, labels = span_table(analyzer, corpus, held_ids, outputs)
    head_acc, stack_acc = cross_validate_stacker(heads, cues, labels)
    print(f"held-out TC accuracy (5-fold CV): head {head_acc:.4f}, stacker {stack_acc:.4f}", file=log, flush=True)
    settings["decode"] = asdict(decode)
    if stack_acc > head_acc:
        settings["stacker"] = Stacker.fit(heads, cues, labels).to_json()
    settings["heldout"] = {
        "articles": len(held_ids),
        "si_f1": round(si_f1, 4),
        "tc_head_accuracy": round(head_acc, 4),
        "tc_stacker_accuracy": round(stack_acc, 4),
        "stacker_used": stack_acc > head_acc,
    }
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    return {"decode_trials": trials, **settings["heldout"]}


ROLE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)
CONTENT_GAPS = (2, 10, 30)
CONTENT_MIN_CHARS = (3, 15, 30)
CONTENT_BEGIN_SPLITS = (0.3, 0.5, 1.0)


def calibrate_roles(
    model_dir: Path, corpus: dict[str, tuple[str, list[GoldAttribution]]], held: list[str], log=sys.stderr
) -> dict:
    """Pick role decoding on held-out PolNeAR texts.

    Content settings (threshold, gap, minimum length) are chosen first by content F1 of the raw
    spans, which needs no linking; then source and cue thresholds by attribution F1.
    """
    analyzer = Analyzer(model_dir)
    texts = [corpus[name][0] for name in held]
    outputs = analyzer.token_outputs(texts)
    gold = {name: [(g.content, g.source) for g in corpus[name][1]] for name in held}
    decoding = dict(DEFAULT_ROLE_DECODING)

    def content_f1(settings: DecodeSettings) -> float:
        predicted = {
            name: [
                (c, None)
                for c in role_spans(text, out.encoded.offsets, out.roles, {**decoding, "content": settings})["content"]
            ]
            for name, text, out in zip(held, texts, outputs, strict=True)
        }
        return score_attributions(predicted, gold).content.f1

    decoding["content"] = max(
        (
            DecodeSettings(t, g, m, b)
            for t in ROLE_THRESHOLDS
            for g in CONTENT_GAPS
            for m in CONTENT_MIN_CHARS
            for b in CONTENT_BEGIN_SPLITS
        ),
        key=content_f1,
    )

    def score(candidate: dict) -> float:
        predicted = {
            name: [(a.content, a.source) for a in extract_attributions(text, out.encoded.offsets, out.roles, candidate)]
            for name, text, out in zip(held, texts, outputs, strict=True)
        }
        return score_attributions(predicted, gold).attribution.f1

    best = score(decoding)
    for role in ("source", "cue"):
        for threshold in ROLE_THRESHOLDS:
            candidate = {**decoding, role: DecodeSettings(**{**asdict(decoding[role]), "threshold": threshold})}
            f1 = score(candidate)
            if f1 > best:
                best, decoding = f1, candidate
    print(f"held-out attribution F1 {best:.4f} with {decoding}", file=log, flush=True)
    fold = ranker.HeldOut(held, texts, outputs, {name: corpus[name][1] for name in held}, decoding)
    ranked, weights = ranker.fit_ranker(fold)
    print(f"held-out attribution F1, source ranker ({ranker.FOLDS}-fold CV): {ranked:.4f}", file=log, flush=True)
    used = weights if ranked > best else None
    filtered, kept = ranker.fit_content_filter(fold, used)
    print(f"held-out attribution F1, content filter at {kept.threshold} (CV): {filtered:.4f}", file=log, flush=True)
    settings_path = model_dir / "model.json"
    settings = json.loads(settings_path.read_text())
    settings["roles"] = {role: asdict(d) for role, d in decoding.items()}
    if used is not None:
        settings["source_ranker"] = source_ranker_json(used)
    linked = max(best, ranked)
    if filtered > linked:
        settings["content_filter"] = kept.to_json()
    heldout = settings.setdefault("heldout", {})
    heldout.update(attribution_f1=round(max(linked, filtered), 4), attribution_f1_rules=round(best, 4))
    heldout.update(source_ranker_used=used is not None, content_filter_used=filtered > linked)
    heldout.update(polnear_texts=len(held))
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    keys = ("attribution_f1", "attribution_f1_rules", "source_ranker_used", "content_filter_used")
    return {key: heldout[key] for key in keys}
