"""The training loop for the joint model: seeded, CPU-friendly, with a held-out fold kept aside."""

from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from propwatch.model.encoding import TextEncoder, pack
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import IGNORE, Corpus, Example, build_examples, load_corpus, split_ids
from propwatch.train.net import JointModel, span_features


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch so a config reproduces its run."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def collate(batch: list[Example], encoder: TextEncoder) -> dict[str, torch.Tensor]:
    """Pad a batch of windows; tags get IGNORE on [CLS], [SEP] and padding."""
    ids, mask = pack([ex.ids for ex in batch], encoder.cls_id, encoder.sep_id, encoder.pad_id)
    tags = np.full(ids.shape, IGNORE, dtype=np.int64)
    spans, labels = [], []
    for row, ex in enumerate(batch):
        tags[row, 1 : len(ex.tags) + 1] = ex.tags
        for first, last, label in ex.spans:
            spans.append((row, first, last))
            labels.append(label)
    return {
        "ids": torch.from_numpy(ids),
        "mask": torch.from_numpy(mask),
        "tags": torch.from_numpy(tags),
        "spans": torch.tensor(spans, dtype=torch.long).reshape(-1, 3),
        "labels": torch.tensor(labels, dtype=torch.long),
    }


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


def batch_loss(model: JointModel, batch: dict[str, torch.Tensor], span_weight: float) -> torch.Tensor:
    """Tagging cross-entropy plus weighted span-classification cross-entropy."""
    states, logits = model.encode(batch["ids"], batch["mask"])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 3), batch["tags"].reshape(-1), ignore_index=IGNORE)
    if len(batch["labels"]):
        span_logits = model.span_head(span_features(states, batch["spans"]))
        loss = loss + span_weight * nn.functional.cross_entropy(span_logits, batch["labels"])
    return loss


def prepare(config: TrainConfig) -> tuple[Corpus, list[str], list[str], str]:
    """Load the corpus, split off the held-out fold and resolve the base encoder."""
    corpus = load_corpus(Path(config.train_articles), Path(config.train_si_labels), Path(config.train_tc_labels))
    ids = sorted(corpus.docs)
    if config.max_articles:
        ids = ids[: config.max_articles]
    fit_ids, held_ids = split_ids(ids, config.holdout_fraction, config.seed)
    encoder_path = resolve_encoder(config.encoder, config.encoder_sha256)
    return corpus, fit_ids, held_ids, encoder_path


def train_model(config: TrainConfig, out_dir: Path, log=sys.stderr) -> tuple[JointModel, TextEncoder, list[str]]:
    """Train the joint model on the fit part of train; return it, its tokenizer and held-out ids."""
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    corpus, fit_ids, held_ids, encoder_path = prepare(config)
    encoder = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    examples = build_examples(corpus, fit_ids, encoder, config.window, config.overlap)
    model = JointModel(encoder_path)
    steps_per_epoch = math.ceil(len(examples) / config.batch_size)
    total = max(1, int(steps_per_epoch * config.epochs))
    optimizer = _optimizer(model, config)
    scheduler = _schedule(optimizer, total, config.warmup)
    rng = random.Random(config.seed)
    print(
        f"training on {len(fit_ids)} articles, {len(examples)} windows, {total} steps; "
        f"{len(held_ids)} articles held out",
        file=log,
        flush=True,
    )
    model.train()
    step, started = 0, time.time()
    while step < total:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for i in range(0, len(order), config.batch_size):
            if step >= total:
                break
            batch = collate([examples[j] for j in order[i : i + config.batch_size]], encoder)
            loss = batch_loss(model, batch, config.span_loss_weight)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 20 == 0 or step == total:
                rate = step / (time.time() - started)
                print(f"step {step}/{total} loss {loss.item():.4f} ({rate:.2f} steps/s)", file=log, flush=True)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out_dir / "checkpoint.pt")
    (out_dir / "train-config.json").write_text(json.dumps(config.to_dict(), indent=2))
    (out_dir / "heldout-ids.json").write_text(json.dumps(held_ids))
    return model, encoder, held_ids
