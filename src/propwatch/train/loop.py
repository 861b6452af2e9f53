"""The training loop for the joint model: seeded, CPU-friendly, with a held-out fold kept aside."""

from __future__ import annotations

import json
import math
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from propwatch.model.encoding import TextEncoder, pack
from propwatch.polnear import GoldAttribution, read_corpus
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import (
    IGNORE,
    ROLES,
    Corpus,
    Example,
    attribution_examples,
    build_examples,
    fold_parts,
    load_corpus,
    split_ids,
)
from propwatch.train.net import JointModel, load_trained, span_features
from propwatch.train.teach import Taught, attach_roles, attach_targets


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch so a config reproduces its run."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def collate(batch: list[Example], encoder: TextEncoder) -> dict[str, torch.Tensor]:
    """Pad a batch of windows; tags get IGNORE on [CLS], [SEP] and padding.

    Windows with the frozen layers' output or a technique teacher's outputs attached bring them
    padded alike ("below"; "teacher_tags" with "teacher_rows" marking the windows that have
    them, "teacher_spans" in span order, and the spans the teacher found as rows ``(window, first,
    last)`` in "found" with its logits in "found_logits"; a teacher's role logits in "teacher_roles"
    with "role_rows").
    """
    ids, mask = pack([ex.ids for ex in batch], encoder.cls_id, encoder.sep_id, encoder.pad_id)
    tags = np.full(ids.shape, IGNORE, dtype=np.int64)
    roles = np.full((*ids.shape, len(ROLES)), IGNORE, dtype=np.int64)
    spans, labels = [], []
    for row, ex in enumerate(batch):
        tags[row, 1 : len(ex.tags) + 1] = ex.tags
        if ex.roles is not None:
            roles[row, 1 : len(ex.roles) + 1] = ex.roles
        for first, last, label in ex.spans:
            spans.append((row, first, last))
            labels.append(label)
    out = {
        "ids": torch.from_numpy(ids),
        "mask": torch.from_numpy(mask),
        "tags": torch.from_numpy(tags),
        "roles": torch.from_numpy(roles),
        "spans": torch.tensor(spans, dtype=torch.long).reshape(-1, 3),
        "labels": torch.tensor(labels, dtype=torch.long),
    }
    if batch[0].below is not None:
        below = np.zeros((*ids.shape, batch[0].below.shape[1]), np.float32)
        for row, ex in enumerate(batch):
            below[row, : len(ex.below)] = ex.below
        out["below"] = torch.from_numpy(below)
    taught = [(row, ex.targets) for row, ex in enumerate(batch) if ex.targets is not None]
    if taught:
        teacher_tags = np.zeros((*ids.shape, 3), np.float32)
        for row, targets in taught:
            teacher_tags[row, : len(targets.tags)] = targets.tags
        out["teacher_tags"] = torch.from_numpy(teacher_tags)
        out["teacher_rows"] = torch.tensor([ex.targets is not None for ex in batch])
        out["teacher_spans"] = torch.from_numpy(np.concatenate([t.spans for _, t in taught]))
        found = [(row, first, last) for row, t in taught for first, last in t.found]
        if found:
            out["found"] = torch.tensor(found, dtype=torch.long)
            out["found_logits"] = torch.from_numpy(np.concatenate([t.found_logits for _, t in taught]))
    with_roles = [(row, ex.teacher_roles) for row, ex in enumerate(batch) if ex.teacher_roles is not None]
    if with_roles:
        teacher_roles = np.zeros((*ids.shape, 3 * len(ROLES)), np.float32)
        for row, window_roles in with_roles:
            teacher_roles[row, : len(window_roles)] = window_roles
        out["teacher_roles"] = torch.from_numpy(teacher_roles)
        out["role_rows"] = torch.tensor([ex.teacher_roles is not None for ex in batch])
    return out


def _optimizer(model: JointModel, config: TrainConfig) -> torch.optim.Optimizer:
    encoder_params = list(model.encoder.parameters())
    encoder_ids = {id(p) for p in encoder_params}
    head_params = [p for p in model.parameters() if id(p) not in encoder_ids]
    return torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": config.lr_encoder},
            {"params": head_params, "lr": config.lr_heads},
        ],
        weight_decay=config.weight_decay,
    )


def _schedule(optimizer: torch.optim.Optimizer, total: int, warmup: float) -> torch.optim.lr_scheduler.LambdaLR:
    warm = max(1, int(total * warmup))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total - step) / max(1, total - warm))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _tag_loss(logits: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
    """BIO cross-entropy; zero (not NaN) when the batch has no labelled token for it."""
    tags = tags.reshape(-1)
    if not (tags != IGNORE).any():
        return logits.sum() * 0.0
    return nn.functional.cross_entropy(logits.reshape(-1, 3), tags, ignore_index=IGNORE)


def _soft_loss(
    student: torch.Tensor, teacher: torch.Tensor, temperature: float, keep: torch.Tensor | None = None
) -> torch.Tensor:
    """KL divergence from the teacher's softened distribution (last axis), on the rows ``keep``
    selects (all rows without it)."""
    if keep is not None:
        student, teacher = student[keep], teacher[keep]
    log_student = nn.functional.log_softmax(student / temperature, dim=-1)
    log_teacher = nn.functional.log_softmax(teacher / temperature, dim=-1)
    kl = nn.functional.kl_div(log_student, log_teacher, log_target=True, reduction="batchmean")
    return kl * temperature**2


def batch_loss(
    model: JointModel, batch: dict[str, torch.Tensor], config: TrainConfig, teacher: JointModel | None = None
) -> torch.Tensor:
    """Technique tagging + weighted span classification (+ weighted role tagging) cross-entropy, plus,
    with a teacher, the distance to its outputs on every real token and span of the batch: a PolNeAR
    window gets technique targets from it and a PTC window role targets, which gold can't give.
    A technique teacher's logits, where the batch has them, stand in for the teacher's span techniques
    and join its BIO logits (see ``technique_teacher_tags``); a teacher's role logits (the technique
    teacher's or the role teacher's) stand in for ``teacher``'s on their windows."""
    if "below" in batch:
        states, logits, role_logits = model.encode_above(batch["below"], batch["mask"])
    else:
        states, logits, role_logits = model.encode(batch["ids"], batch["mask"])
    loss = _tag_loss(logits, batch["tags"])
    span_logits = model.span_head(span_features(states, batch["spans"])) if len(batch["labels"]) else None
    if span_logits is not None:
        loss = loss + config.span_loss_weight * nn.functional.cross_entropy(span_logits, batch["labels"])
    if role_logits is not None:
        loss = loss + config.role_loss_weight * _tag_loss(role_logits, batch["roles"])
    if teacher is None and "teacher_tags" not in batch and "teacher_roles" not in batch:
        return loss
    keep, temperature = batch["mask"].bool(), config.distill_temperature
    t_tags = t_roles = t_spans = None
    if teacher is not None:
        with torch.no_grad():
            t_states, t_tags, t_roles = teacher.encode(batch["ids"], batch["mask"])
            if span_logits is not None and "teacher_spans" not in batch:  # a technique teacher's come precomputed
                t_spans = teacher.span_head(span_features(t_states, batch["spans"]))
    tag_keep = role_keep = keep
    if "teacher_tags" in batch:
        rows = batch["teacher_rows"]
        t_tags, tag_keep = _over(t_tags, batch["teacher_tags"], rows, keep, config.technique_teacher_tags)
        t_spans = batch["teacher_spans"] if span_logits is not None else None
    if "teacher_roles" in batch:
        t_roles, role_keep = _over(t_roles, batch["teacher_roles"], batch["role_rows"], keep, 1.0)
    soft = _soft_loss(logits, t_tags, temperature, tag_keep)
    if role_logits is not None and t_roles is not None:
        per_role = (*role_logits.shape[:2], len(ROLES), 3)
        soft = soft + _soft_loss(role_logits.reshape(per_role), t_roles.reshape(per_role), temperature, role_keep)
    if span_logits is not None and t_spans is not None:
        soft = soft + _soft_loss(span_logits, t_spans, temperature)
    if "found" in batch:
        found = model.span_head(span_features(states, batch["found"]))
        soft = soft + _soft_loss(found, batch["found_logits"], temperature)
    return loss + config.distill_weight * soft


def _over(
    own: torch.Tensor | None, theirs: torch.Tensor, rows: torch.Tensor, keep: torch.Tensor, share: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token targets with the technique teacher's (``theirs``) on the windows ``rows`` marks, a
    ``share`` of them mixed into the teacher's (``own``), and the tokens that then have targets:
    without a teacher, only those windows' tokens."""
    if own is None:
        return theirs, keep & rows[:, None]
    return torch.where(rows[:, None, None], share * theirs + (1 - share) * own, own), keep


def _teacher(config: TrainConfig) -> JointModel | None:
    """The frozen teacher of a distillation run (the same encoder, all its layers), or None."""
    if not config.teacher_checkpoint:
        return None
    whole = replace(config, drop_layers=())
    return load_trained(whole, Path(config.teacher_checkpoint), config.device).requires_grad_(False)


def _attach_below(
    model: JointModel, examples: list[Example], encoder: TextEncoder, config: TrainConfig, log=sys.stderr
) -> None:
    """Compute the frozen layers' output for every window once (half precision keeps it in memory)."""
    started = time.time()
    device = config.device
    for i in range(0, len(examples), config.batch_size):
        chunk = examples[i : i + config.batch_size]
        ids, mask = pack([ex.ids for ex in chunk], encoder.cls_id, encoder.sep_id, encoder.pad_id)
        below = model.states_below(torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)).cpu()
        for row, ex in enumerate(chunk):
            ex.below = below[row, : len(ex.ids) + 2].numpy().astype(np.float16)
    print(f"frozen layers: {len(examples)} windows in {time.time() - started:.0f} s", file=log, flush=True)


def _initialise(model: JointModel, config: TrainConfig) -> None:
    """Load ``init_checkpoint`` and remove ``drop_layers``, in the order the checkpoint needs.

    A checkpoint of the whole encoder is loaded and then cut (a new student); one that already
    has the student's depth is a student continued, so the model is cut first. Either way the
    held-out fold is the earlier run's only if seed and split agree.
    """
    if not config.init_checkpoint:
        model.drop_layers(config.drop_layers)
        return
    state = torch.load(config.init_checkpoint, map_location="cpu")
    depth = len({key.split(".")[3] for key in state if key.startswith("encoder.encoder.layer.")})
    if depth == len(model.encoder.encoder.layer) - len(set(config.drop_layers)):
        model.drop_layers(config.drop_layers)
        _load_weights(model, state, config.init_checkpoint)
    else:
        _load_weights(model, state, config.init_checkpoint)
        model.drop_layers(config.drop_layers)


def _load_weights(model: JointModel, state: dict[str, torch.Tensor], source: str) -> None:
    """Load a checkpoint whose every weight the model has. Only the role tagger may be missing: a
    run without PolNeAR (a technique teacher) goes on to learn attribution roles from scratch."""
    result = model.load_state_dict(state, strict=False)
    missing = [key for key in result.missing_keys if not key.startswith("role_tagger.")]
    if missing or result.unexpected_keys:
        raise ValueError(f"{source}: does not fit the model (missing {missing}, unexpected {result.unexpected_keys})")


def prepare(config: TrainConfig) -> tuple[Corpus, list[str], list[str], str]:
    """Load the corpus, split off the held-out fold and resolve the base encoder."""
    corpus = load_corpus(Path(config.train_articles), Path(config.train_si_labels), Path(config.train_tc_labels))
    ids = sorted(corpus.docs)
    if config.max_articles:
        ids = ids[: config.max_articles]
    fit_ids, held_ids = split_ids(ids, config.holdout_fraction, config.seed)
    if config.teacher_folds > 1:
        left_out = set(fold_parts(fit_ids, config.teacher_folds, config.seed)[config.teacher_fold])
        fit_ids = [i for i in fit_ids if i not in left_out]
    encoder_path = resolve_encoder(config.encoder, config.encoder_sha256)
    return corpus, fit_ids, held_ids, encoder_path


AttributionCorpus = dict[str, tuple[str, list[GoldAttribution]]]


def prepare_attributions(config: TrainConfig) -> tuple[AttributionCorpus, list[str], list[str]]:
    """PolNeAR texts with gold attributions and their (fit, held-out) split; empty when unused."""
    if not config.polnear_text:
        return {}, [], []
    corpus = read_corpus(Path(config.polnear_text), Path(config.polnear_ann))
    names = sorted(corpus)
    if config.max_articles:
        names = names[: config.max_articles]
    fit, held = split_ids(names, config.holdout_fraction, config.seed)
    return corpus, fit, held


def _attribution_windows(
    corpus: AttributionCorpus, names: list[str], encoder: TextEncoder, config: TrainConfig
) -> list[Example]:
    encoded = encoder.encode_batch([corpus[n][0] for n in names])
    return [
        ex
        for name, enc in zip(names, encoded, strict=True)
        for ex in attribution_examples(enc, corpus[name][1], config.window, config.overlap)
    ]


def _teaching_parts(fit_ids: list[str], config: TrainConfig) -> list[list[str]]:
    """The fit articles in the parts their technique teachers teach: one part, unless out of fold."""
    if config.out_of_fold_teachers:
        return fold_parts(fit_ids, len(config.out_of_fold_teachers), config.seed)
    return [fit_ids]


def _check_fold(run: Path, fold: int, config: TrainConfig) -> None:
    """Refuse an out-of-fold teacher that did not leave out exactly the part it is to teach."""
    theirs = json.loads((run / "train-config.json").read_text())
    wanted = {
        "teacher_folds": len(config.out_of_fold_teachers),
        "teacher_fold": fold,
        "seed": config.seed,
        "holdout_fraction": config.holdout_fraction,
    }
    wrong = {name: theirs.get(name) for name, value in wanted.items() if theirs.get(name) != value}
    if wrong:
        raise ValueError(f"{run}: not the out-of-fold teacher of part {fold} (wanted {wanted}, it has {wrong})")


def _attach_teachers(
    config: TrainConfig,
    corpus: Corpus,
    parts: list[list[str]],
    part_examples: list[list[Example]],
    attributions: AttributionCorpus,
    attr_fit: list[str],
    attr_examples: list[Example],
    encoder: TextEncoder,
    log=sys.stderr,
) -> None:
    """Attach the technique teachers' and the role teacher's precomputed outputs, where configured.

    Each teacher cuts its own copy of the windows with its tokenizer (``windows_of``), token for
    token the student's, so its outputs line up with ``part_examples`` and ``attr_examples``.
    """
    runs = config.out_of_fold_teachers or ((config.technique_teacher,) if config.technique_teacher else ())
    polnear = config.technique_teacher_polnear
    for fold, (run, ids, examples) in enumerate(zip(runs, parts, part_examples, strict=True) if runs else ()):
        if config.out_of_fold_teachers:
            _check_fold(Path(run), fold, config)
        texts = [corpus.docs[i].text for i in ids]
        windows = examples + attr_examples if polnear else examples
        if polnear:
            texts += [attributions[name][0] for name in attr_fit]

        def windows_of(tokens: TextEncoder, ids: list[str] = ids) -> list[Example]:
            built = build_examples(corpus, ids, tokens, config.window, config.overlap)
            return built + (_attribution_windows(attributions, attr_fit, tokens, config) if polnear else [])

        attach_targets(Path(run), config, Taught(texts, windows, windows_of), encoder, log)
    if config.role_teacher:
        polnear_texts = [attributions[name][0] for name in attr_fit]

        def polnear_windows(tokens: TextEncoder) -> list[Example]:
            return _attribution_windows(attributions, attr_fit, tokens, config)

        attach_roles(
            Path(config.role_teacher), config, Taught(polnear_texts, attr_examples, polnear_windows), encoder, log
        )


def train_model(config: TrainConfig, out_dir: Path, log=sys.stderr) -> tuple[JointModel, TextEncoder, dict]:
    """Train the joint model on the fit part of train; return it, its tokenizer and held-out ids.

    Each epoch sees every PTC window and a fresh random ``polnear_share`` of PolNeAR windows.
    """
    if config.device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(f'device = "{config.device}", but torch sees no CUDA GPU here: train with device = "cpu"')
        torch.backends.cuda.matmul.allow_tf32 = True  # TensorFloat-32 matrix products, fp32 weights
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    corpus, fit_ids, held_ids, encoder_path = prepare(config)
    attributions, attr_fit, attr_held = prepare_attributions(config)
    encoder = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    parts = _teaching_parts(fit_ids, config)
    part_examples = [build_examples(corpus, part, encoder, config.window, config.overlap) for part in parts]
    examples = [ex for part in part_examples for ex in part]
    attr_examples = _attribution_windows(attributions, attr_fit, encoder, config)
    per_epoch = len(examples) + round(len(attr_examples) * config.polnear_share)
    model = JointModel(encoder_path, roles=bool(attr_examples))
    _initialise(model, config)
    model.to(config.device)
    teacher = _teacher(config)
    _attach_teachers(config, corpus, parts, part_examples, attributions, attr_fit, attr_examples, encoder, log)
    if config.freeze_layers:
        model.freeze_below(config.freeze_layers)
        _attach_below(model, examples + attr_examples, encoder, config, log)
    total = max(1, int(math.ceil(per_epoch / config.batch_size) * config.epochs))
    optimizer = _optimizer(model, config)
    scheduler = _schedule(optimizer, total, config.warmup)
    rng = random.Random(config.seed)
    print(
        f"training on {len(fit_ids)} PTC articles ({len(examples)} windows) and {len(attr_fit)} PolNeAR texts "
        f"({len(attr_examples)} windows), {total} steps; held out: {len(held_ids)} + {len(attr_held)}",
        file=log,
        flush=True,
    )
    model.train()
    step, started = 0, time.time()
    while step < total:
        epoch = examples + rng.sample(attr_examples, per_epoch - len(examples))
        rng.shuffle(epoch)
        for i in range(0, len(epoch), config.batch_size):
            if step >= total:
                break
            batch = collate(epoch[i : i + config.batch_size], encoder)
            batch = {name: tensor.to(config.device) for name, tensor in batch.items()}
            loss = batch_loss(model, batch, config, teacher)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 20 == 0 or step == total:
                rate = step / (time.time() - started)
                print(f"step {step}/{total} loss {loss.item():.4f} ({rate:.2f} steps/s)", file=log, flush=True)
    model.cpu().eval()  # export and calibration run on the CPU, as analysis does
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out_dir / "checkpoint.pt")
    (out_dir / "train-config.json").write_text(json.dumps(config.to_dict(), indent=2))
    held = {"ptc": held_ids, "polnear": attr_held}
    (out_dir / "heldout-ids.json").write_text(json.dumps(held))
    return model, encoder, held
