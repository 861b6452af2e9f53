"""Calibrate decoding and fit the technique stacker on the held-out fold of train.

Dev is never touched here: the threshold grid, the gap and length settings, the edge rules,
the stacker (with its own cross-validated go/no-go), the span filter, the calibrated span
score and the display threshold are all chosen on articles the encoder did not train on but
that belong to the training split.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from propwatch.analysis import Analyzer
from propwatch.model.confidence import SpanLogistic, span_features
from propwatch.model.decode import DecodeSettings, decode_spans
from propwatch.model.heads import RoleRefiner, Stacker, span_cues
from propwatch.model.runtime import RefinerSession, TokenOutputs
from propwatch.polnear import GoldAttribution
from propwatch.ptc import LabelRow
from propwatch.scoring import EndToEnd, ScoredRow, reliability, score_attributions, score_end_to_end, score_si
from propwatch.techniques import INDEX, NAMES
from propwatch.train import ranker
from propwatch.train.data import Corpus
from propwatch.voices import DEFAULT_ROLE_DECODING, extract_attributions, role_spans, source_ranker_json

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
GAPS = (0, 3, 12)
MIN_CHARS = (2, 6, 12)
BEGIN_SPLITS = (0.5, 1.0)
EDGE_RULES = ((True, True), (True, False), (False, True), (False, False))
"""(split_paragraphs, trim_words): each combination of the edge rules is tried on the grid; on a
tie, the cleaner edges (the first) win."""
EDGE_TOLERANCE = 0.001
"""Held-out SI F1 an edge rule may cost and stay on."""
CUTS = tuple(k / 40 for k in range(32))
"""Span filter cuts tried (0 to 0.775)."""
SCORE_CUTS = (0.0,)
"""Span score cuts tried for the reader: none. ``--json`` and the store keep every decoded span with
its score, and a corpus's expected counts (sums of calibrated scores) are only unbiased over every
span; the reading views hide the unlikely ones with the display threshold instead. (Cutting at 0.1
raises held-out end-to-end F1 but lowers its AP and drops half the spans.)"""
L2_WEIGHTS = (0.01, 0.03, 0.1, 0.3, 1.0)
"""L2 weights tried for the span score."""
FOLDS = 5
DISPLAY_PRECISION = 0.5
"""The held-out end-to-end precision the default display threshold must reach."""


def search_decoding(
    corpus: Corpus, ids: list[str], outputs: list[TokenOutputs]
) -> tuple[DecodeSettings, float, list[dict]]:
    """Grid search of decoding settings (edge rules included) by SI F1 on the held-out articles.

    An edge rule stays on when the best trial with it is within :data:`EDGE_TOLERANCE` of the
    best trial of all (:func:`pick_trial`): a reader sees its spans' edges, while a difference
    that small is one span's worth of noise on 74 articles.
    """
    gold = [row for i in ids for row in corpus.si.get(i, [])]
    trials = []
    grid = itertools.product(THRESHOLDS, GAPS, MIN_CHARS, BEGIN_SPLITS, EDGE_RULES)
    for threshold, gap, min_chars, split, (paragraphs, words) in grid:
        settings = DecodeSettings(threshold, gap, min_chars, split, paragraphs, words)
        pred = [
            LabelRow(i, s.start, s.end)
            for i, out in zip(ids, outputs, strict=True)
            for s in decode_spans(corpus.docs[i].text, out.encoded.offsets, out.probs, settings)
        ]
        prf = score_si(pred, gold)
        trials.append({**asdict(settings), "precision": prf.precision, "recall": prf.recall, "f1": prf.f1})
    best = pick_trial(trials)
    return _settings_of(best), best["f1"], trials


def pick_trial(trials: list[dict]) -> dict:
    """The best trial with the cleanest edge rules whose best is within :data:`EDGE_TOLERANCE` of the best of all."""
    best = max(trials, key=lambda t: t["f1"])
    for rules in EDGE_RULES:  # cleanest first
        edged = [t for t in trials if (t["split_paragraphs"], t["trim_words"]) == rules]
        candidate = max(edged, key=lambda t: t["f1"]) if edged else best
        if candidate["f1"] >= best["f1"] - EDGE_TOLERANCE:
            return candidate
    return best


def _settings_of(trial: dict) -> DecodeSettings:
    return DecodeSettings(**{k: trial[k] for k in asdict(DecodeSettings())})


def edge_rule_effects(trials: list[dict]) -> dict[str, float]:
    """Best held-out SI F1 with each combination of edge rules (the rest of the grid searched)."""
    names = {(False, False): "none", (True, False): "paragraphs", (False, True): "words", (True, True): "both"}
    return {
        name: round(max(t["f1"] for t in trials if (t["split_paragraphs"], t["trim_words"]) == rules), 4)
        for rules, name in names.items()
    }


@dataclass
class HeldSpans:
    """Decoded held-out spans with their features, labelled techniques and what gold says of them."""

    rows: list[LabelRow]
    features: np.ndarray
    articles: np.ndarray
    overlaps_gold: np.ndarray
    """Whether each span overlaps any gold span (the span filter's target)."""


def held_spans(analyzer: Analyzer, corpus: Corpus, ids: list[str], outputs: list[TokenOutputs]) -> HeldSpans:
    """Every span ``analyzer`` decodes on the held-out articles, before any filter."""
    rows, features, articles, hits = [], [], [], []
    for article_id, out in zip(ids, outputs, strict=True):
        text = corpus.docs[article_id].text
        raw = decode_spans(text, out.encoded.offsets, out.probs, analyzer.decode)
        extents = [(r.start, r.end) for r in raw]
        log_probs = analyzer.technique_log_probs(text, out, extents)
        features.append(span_features(text, out.encoded.offsets, out.probs, extents, log_probs))
        gold = corpus.si.get(article_id, [])
        for (start, end), choice in zip(extents, log_probs.argmax(axis=1), strict=True):
            rows.append(LabelRow(article_id, start, end, NAMES[choice]))
            articles.append(article_id)
            hits.append(any(g.start < end and start < g.end for g in gold))
    table = np.vstack(features) if features else np.zeros((0, 0))
    return HeldSpans(rows, table, np.array(articles), np.array(hits, dtype=bool))


def out_of_fold(features: np.ndarray, labels: np.ndarray, articles: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    """Each span's probability from a regression fitted on the other folds' articles."""
    names = sorted(set(articles.tolist()))
    order = np.random.default_rng(0).permutation(len(names))
    predicted = np.zeros(len(labels))
    for k in range(FOLDS):
        test = np.isin(articles, [names[j] for j in order[k::FOLDS]])
        if test.any() and (~test).any():
            predicted[test] = SpanLogistic.fit(features[~test], labels[~test], l2).probability(features[test])
    return predicted


def choose_l2(features: np.ndarray, labels: np.ndarray, articles: np.ndarray) -> float:
    """The L2 weight whose out-of-fold probabilities have the lowest log loss (a score fitted too
    closely is overconfident on new articles)."""

    def log_loss(l2: float) -> float:
        p = np.clip(out_of_fold(features, labels, articles, l2), 1e-6, 1 - 1e-6)
        return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))

    return min(L2_WEIGHTS, key=log_loss)


def fit_span_filter(spans: HeldSpans, gold: list[LabelRow]) -> tuple[SpanLogistic | None, float, np.ndarray]:
    """The span filter and its cut that maximise out-of-fold held-out SI F1; None when dropping
    spans does not help. Returns the filter, the SI F1 and which held-out spans it keeps."""
    everything = np.ones(len(spans.rows), dtype=bool)
    unfiltered = score_si(spans.rows, gold).f1
    if len(spans.rows) < 2 * FOLDS or spans.overlaps_gold.all() or not spans.overlaps_gold.any():
        return None, unfiltered, everything
    labels = spans.overlaps_gold.astype(np.float64)
    predicted = out_of_fold(spans.features, labels, spans.articles)
    f1, cut = max(
        (score_si([r for r, p in zip(spans.rows, predicted, strict=True) if p >= c], gold).f1, c) for c in CUTS
    )
    if f1 <= unfiltered:
        return None, unfiltered, everything
    span_filter = SpanLogistic.fit(spans.features, labels)
    span_filter.cut = cut
    return span_filter, f1, predicted >= cut


def display_threshold(scores: np.ndarray, right: np.ndarray) -> tuple[float, float, int]:
    """The lowest score at which the precision of spans scored at least that reaches
    :data:`DISPLAY_PRECISION`; with that precision and how many spans it keeps. When no score
    reaches it, the highest score (the most confident span alone is shown)."""
    order = np.argsort(-scores, kind="stable")
    precision = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    reached = np.flatnonzero(precision >= DISPLAY_PRECISION)
    last = int(reached.max()) if len(reached) else 0
    while last + 1 < len(order) and scores[order[last + 1]] == scores[order[last]]:
        last += 1  # spans tied with the threshold's score are shown with it
    kept = scores >= scores[order[last]]
    return float(scores[order[last]]), float(right[kept].mean()), int(kept.sum())


def score_cut(spans: HeldSpans, scores: np.ndarray, gold: list[LabelRow]) -> tuple[float, EndToEnd]:
    """The score under which dropping spans maximises end-to-end F1 plus average precision
    (dropping raises precision and F1 but loses the recall AP counts); with those figures."""
    best: tuple[float, float, EndToEnd] | None = None
    for cut in SCORE_CUTS:
        kept = [ScoredRow(r, float(s)) for r, s in zip(spans.rows, scores, strict=True) if s >= cut]
        result = score_end_to_end(kept, gold)
        if best is None or result.prf.f1 + result.average_precision > best[0]:
            best = (result.prf.f1 + result.average_precision, cut, result)
    assert best is not None
    return best[1], best[2]


def calibrate_reader(
    analyzer: Analyzer,
    corpus: Corpus,
    ids: list[str],
    outputs: list[TokenOutputs],
    edges: DecodeSettings,
    log=sys.stderr,
) -> dict:
    """Choose what the reader sees: decoding, the span score, its cut and the display threshold.

    Each threshold, gap and length (with the edge rules and begin split the SI search chose) is
    decoded and every span scored out of fold; spans under the score cut that maximises
    end-to-end F1 plus AP are dropped; the best sum chooses. The score's L2 weight is chosen
    first, by out-of-fold log loss on the SI search's decoding; the score is then fitted on all
    of the chosen decoding's spans.
    """
    gold = [row for i in ids for row in corpus.tc.get(i, [])]

    def scored(trial: DecodeSettings, l2: float) -> tuple[HeldSpans, np.ndarray, np.ndarray]:
        analyzer.decode = trial
        spans = held_spans(analyzer, corpus, ids, outputs)
        right = np.array(score_end_to_end([ScoredRow(r, 0.0) for r in spans.rows], gold).right, dtype=np.float64)
        return spans, right, out_of_fold(spans.features, right, spans.articles, l2)

    spans, right, _ = scored(edges, L2_WEIGHTS[0])
    l2 = choose_l2(spans.features, right, spans.articles)
    best = None
    for threshold, gap, min_chars in itertools.product(THRESHOLDS, GAPS, MIN_CHARS):
        trial = replace(edges, threshold=threshold, max_gap=gap, min_chars=min_chars)
        spans, right, scores = scored(trial, l2)
        cut, result = score_cut(spans, scores, gold)
        if best is None or result.prf.f1 + result.average_precision > best[0]:
            best = (result.prf.f1 + result.average_precision, trial, cut, result, spans, right, scores)
    assert best is not None
    _, decode, cut, end_to_end, spans, right, scores = best
    kept = scores >= cut
    table = reliability(scores[kept].tolist(), end_to_end.right)
    display, precision, count = display_threshold(scores[kept], right[kept])
    span_score = SpanLogistic.fit(spans.features, right, l2)
    span_score.cut = cut
    figures = {
        "e2e_precision": round(end_to_end.prf.precision, 4),
        "e2e_recall": round(end_to_end.prf.recall, 4),
        "e2e_f1": round(end_to_end.prf.f1, 4),
        "e2e_average_precision": round(end_to_end.average_precision, 4),
        "ece": round(table.ece, 4),
        "span_score_l2": l2,
        "display_precision": round(precision, 4),
        "display_spans": count,
        "spans": int(kept.sum()),
    }
    print(f"reader: {decode}, score cut {cut}; held-out (out-of-fold) {figures}", file=log, flush=True)
    return {"decode": decode, "span_score": span_score, "display_score": round(display, 4), "heldout": figures}


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


LEARNED = ("stacker", "semeval", "span_score", "display_score", "source_ranker", "content_filter")
"""What calibration fits into ``model.json``."""


def forget_learned(model_dir: Path) -> None:
    """Drop every fitted part (the stacker, the SemEval span filter, the span score, the display threshold, the
    source ranker, the content filter, the role refiner), so calibration starts from the bare heads
    and rules, and a model calibrated by another propwatch, on other features, still loads. :func:`calibrate` and
    :func:`calibrate_roles` expect a model treated so."""
    settings_path = model_dir / "model.json"
    settings = json.loads(settings_path.read_text())
    for key in LEARNED:
        settings.pop(key, None)
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    for refiner in (RoleRefiner.FILE, RefinerSession.FILE):
        (model_dir / refiner).unlink(missing_ok=True)


def calibrate(model_dir: Path, corpus: Corpus, held_ids: list[str], log=sys.stderr) -> dict:
    """Tune decoding and fit the stacker, the span filter and the span score on held-out articles;
    rewrite ``model.json``; return a report.

    The model must have nothing fitted yet (:func:`forget_learned`): the stacker learns from the bare head.
    """
    settings_path = model_dir / "model.json"
    settings = json.loads(settings_path.read_text())
    analyzer = Analyzer(model_dir)
    outputs = analyzer.token_outputs([corpus.docs[i].text for i in held_ids])
    decode, si_f1, trials = search_decoding(corpus, held_ids, outputs)
    edges = edge_rule_effects(trials)
    print(f"held-out SI F1 {si_f1:.4f} with {decode}; by edge rules {edges}", file=log, flush=True)
    heads, cues, labels = span_table(analyzer, corpus, held_ids, outputs)
    head_acc, stack_acc = cross_validate_stacker(heads, cues, labels)
    print(f"held-out TC accuracy (5-fold CV): head {head_acc:.4f}, stacker {stack_acc:.4f}", file=log, flush=True)
    if stack_acc > head_acc:
        settings["stacker"] = Stacker.fit(heads, cues, labels).to_json()
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    analyzer = Analyzer(model_dir)  # with the stacker, without a filter or score
    semeval = calibrate_semeval(analyzer, corpus, held_ids, outputs, decode, log)
    reader = calibrate_reader(analyzer, corpus, held_ids, outputs, decode, log)
    settings["decode"] = asdict(reader["decode"])
    settings["span_score"] = reader["span_score"].to_json()
    settings["display_score"] = reader["display_score"]
    settings["semeval"] = {"decode": asdict(semeval["decode"])}
    if semeval["span_filter"] is not None:
        settings["semeval"]["span_filter"] = semeval["span_filter"].to_json()
    settings["heldout"] = {
        "articles": len(held_ids),
        "si_f1_decoding": round(si_f1, 4),
        "si_f1_by_edge_rules": edges,
        "si_f1": semeval["si_f1"],
        **reader["heldout"],
        "tc_head_accuracy": round(head_acc, 4),
        "tc_stacker_accuracy": round(stack_acc, 4),
        "stacker_used": stack_acc > head_acc,
    }
    settings_path.write_text(json.dumps(settings, indent=2) + "\n")
    return {"decode_trials": trials, **settings["heldout"]}


def calibrate_semeval(
    analyzer: Analyzer,
    corpus: Corpus,
    ids: list[str],
    outputs: list[TokenOutputs],
    decode: DecodeSettings,
    log=sys.stderr,
) -> dict:
    """The SemEval export's span filter on the SI search's decoding, kept where it raises held-out SI F1.

    (Choosing the decoding and the filter together, over every threshold, won 0.004 of held-out SI
    F1 and lost 0.03 on dev: too many choices for 74 articles.)
    """
    analyzer.decode = decode
    si_gold = [row for i in ids for row in corpus.si.get(i, [])]
    span_filter, f1, _ = fit_span_filter(held_spans(analyzer, corpus, ids, outputs), si_gold)
    cut = f"span filter cut {span_filter.cut}" if span_filter else "no span filter"
    print(f"held-out SI F1 {f1:.4f} with {decode}, {cut}", file=log, flush=True)
    return {"si_f1": round(f1, 4), "decode": decode, "span_filter": span_filter}


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
