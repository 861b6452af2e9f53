"""A teacher's targets: its outputs on the student's windows, computed once per teacher.

A technique teacher gives BIO and span-technique logits (and, with ``technique_teacher_roles``,
role logits); a role teacher gives role logits alone. The teacher (a finished run, possibly of a
larger encoder) is only ever read, so its outputs on a given set of windows never change.
Computing them costs a full forward pass of the teacher over every window (12 min for PTC with
all-mpnet-base-v2 on 2 cores, 33 min with PolNeAR), so they are saved beside the teacher, under
a key naming the teacher's weights, the windows and the options that shape the targets, and
every later student run with the same windows loads them.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from propwatch.model.decode import token_runs
from propwatch.model.encoding import TextEncoder, pack
from propwatch.model.heads import log_softmax
from propwatch.techniques import NAMES
from propwatch.train.base import sha256_of
from propwatch.train.config import TrainConfig
from propwatch.train.data import Example, Targets
from propwatch.train.net import JointModel, load_trained, span_features

CACHE_FORMAT = 1
"""Bump when what the targets hold, or how they are computed, changes: old files are then ignored."""


def found_spans(tag_logits: np.ndarray, threshold: float, gold: list[tuple[int, int, int]]) -> np.ndarray:
    """``(first, last)`` runs of a wrapped window's tokens whose P(B) + P(I) reaches ``threshold``
    ([CLS] and [SEP] never), leaving out runs that are a gold span already."""
    probs = np.exp(log_softmax(tag_logits))
    inside = probs[:, 1] + probs[:, 2] >= threshold
    inside[[0, -1]] = False
    known = {(first, last) for first, last, _ in gold}
    runs = [run for run in token_runs(inside, np.zeros_like(inside)) if run not in known]
    return np.array(runs, dtype=np.int64).reshape(-1, 2)


def _span_logits(
    teacher: JointModel, states: torch.Tensor, gold: list[tuple[int, int, int]], found: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The teacher's technique logits on one window's gold spans and on the spans it found."""
    ranges = [(0, first, last) for first, last, _ in gold] + [(0, first, last) for first, last in found.tolist()]
    if not ranges:
        return np.zeros((0, len(NAMES)), np.float32), np.zeros((0, len(NAMES)), np.float32)
    scored = teacher.span_head(span_features(states[None], torch.tensor(ranges))).cpu().numpy()
    return scored[: len(gold)], scored[len(gold) :]


def cache_key(run: Path, examples: list[Example], options: str) -> str:
    """What the targets depend on: the teacher's weights and config, every window's tokens and
    gold spans, and ``options``, the settings that shape the targets (threshold, what is taught)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {options}".encode())
    digest.update(sha256_of(run / "checkpoint.pt").encode())
    digest.update((run / "train-config.json").read_bytes())
    for ex in examples:
        digest.update(np.asarray(ex.ids, dtype=np.int64).tobytes())
        digest.update(json.dumps(ex.spans).encode())
    return digest.hexdigest()[:24]


def _write_npz(path: Path, **arrays: np.ndarray) -> None:
    """Write ``arrays`` to ``path`` through a ``.partial`` file, so an interrupted run leaves no
    half-written cache behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, **arrays)
    partial.replace(path)


def save_targets(path: Path, targets: list[Targets]) -> None:
    """Write one window's targets after another as flat arrays with per-window counts (no pickle)."""
    roles = {"roles": np.concatenate([t.roles for t in targets])} if targets[0].roles is not None else {}
    _write_npz(
        path,
        tags=np.concatenate([t.tags for t in targets]),
        spans=np.concatenate([t.spans for t in targets]),
        found=np.concatenate([t.found for t in targets]),
        found_logits=np.concatenate([t.found_logits for t in targets]),
        counts=np.array([(len(t.tags), len(t.spans), len(t.found)) for t in targets], dtype=np.int64),
        **roles,
    )


def load_targets(path: Path) -> list[Targets]:
    """The targets :func:`save_targets` wrote, window by window."""
    with np.load(path, allow_pickle=False) as saved:
        arrays = {name: saved[name] for name in ("tags", "spans", "found", "found_logits")}
        roles = saved.get("roles")
        counts = saved["counts"]
    ends = np.cumsum(counts, axis=0)
    starts = ends - counts
    return [
        Targets(
            arrays["tags"][start[0] : end[0]],
            arrays["spans"][start[1] : end[1]],
            arrays["found"][start[2] : end[2]],
            arrays["found_logits"][start[2] : end[2]],
            None if roles is None else roles[start[0] : end[0]],
        )
        for start, end in zip(starts, ends, strict=True)
    ]


def save_roles(path: Path, roles: list[np.ndarray]) -> None:
    """Write a role teacher's logits, window after window, with per-window token counts."""
    _write_npz(path, roles=np.concatenate(roles), counts=np.array([len(r) for r in roles], dtype=np.int64))


def load_roles(path: Path) -> list[np.ndarray]:
    """The role logits :func:`save_roles` wrote, window by window."""
    with np.load(path, allow_pickle=False) as saved:
        roles, counts = saved["roles"], saved["counts"]
    return np.split(roles, np.cumsum(counts)[:-1])


def _trained_teacher(run: Path, roles: bool, device: str) -> JointModel:
    """The finished run's model, built from its own config (its encoder, depth and heads), on ``device``."""
    teacher_config = TrainConfig(**json.loads((run / "train-config.json").read_text()))
    teacher = load_trained(teacher_config, run / "checkpoint.pt", device)
    if roles and teacher.role_tagger is None:
        raise ValueError(f"{run}: a teacher of roles needs a role tagger (a run trained with PolNeAR)")
    return teacher


def _teacher_passes(teacher: JointModel, theirs: list[Example], tokens: TextEncoder, batch_size: int):
    """The teacher's encoder output, BIO logits and role logits, one window at a time (unpadded),
    computed where the teacher's weights are."""
    device = next(teacher.parameters()).device
    with torch.no_grad():
        for i in range(0, len(theirs), batch_size):
            chunk = theirs[i : i + batch_size]
            ids, mask = pack([ex.ids for ex in chunk], tokens.cls_id, tokens.sep_id, tokens.pad_id)
            ids, mask = torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)
            states, logits, role_logits = teacher.encode(ids, mask)
            logits = logits.cpu()
            role_logits = None if role_logits is None else role_logits.cpu()
            for row, ex in enumerate(chunk):
                end = len(ex.ids) + 2
                roles = None if role_logits is None else role_logits[row, :end].numpy()
                yield ex, states[row], logits[row, :end].numpy(), roles


def compute_roles(run: Path, theirs: list[Example], tokens: TextEncoder, config: TrainConfig) -> list[np.ndarray]:
    """A role teacher's role logits on its own copy of the windows."""
    teacher = _trained_teacher(run, roles=True, device=config.device)
    return [roles for _, _, _, roles in _teacher_passes(teacher, theirs, tokens, config.batch_size)]


def compute_targets(run: Path, theirs: list[Example], tokens: TextEncoder, config: TrainConfig) -> list[Targets]:
    """The teacher's BIO logits, span logits (gold and found) and, with ``technique_teacher_roles``,
    role logits on its own copy of the windows."""
    teacher = _trained_teacher(run, roles=config.technique_teacher_roles, device=config.device)
    out = []
    for ex, states, tags, roles in _teacher_passes(teacher, theirs, tokens, config.batch_size):
        found = np.zeros((0, 2), np.int64)
        if config.technique_teacher_found > 0:
            found = found_spans(tags, config.technique_teacher_found, ex.spans)
        on_gold, on_found = _span_logits(teacher, states, ex.spans, found)
        out.append(Targets(tags, on_gold, found, on_found, roles if config.technique_teacher_roles else None))
    return out


def _same_tokens(run: Path, texts: list[str], encoder: TextEncoder, name: str) -> TextEncoder:
    """The teacher's tokenizer, once it is shown to cut the texts into the student's tokens."""
    tokens = TextEncoder.from_file(run / "tokenizer.json")
    pairs = zip(tokens.encode_batch(texts), encoder.encode_batch(texts), strict=True)
    if not all(np.array_equal(a.offsets, b.offsets) for a, b in pairs):
        raise ValueError(f"{run}: its tokenizer splits the training texts differently from {name}")
    return tokens


@dataclass
class Taught:
    """What a teacher teaches: the student's windows ``examples`` of ``texts``, and ``windows_of``,
    which cuts the same windows with another tokenizer (the teacher's)."""

    texts: list[str]
    examples: list[Example]
    windows_of: Callable[[TextEncoder], list[Example]]


def _teacher_outputs(
    run: Path,
    config: TrainConfig,
    taught: Taught,
    encoder: TextEncoder,
    options: str,
    compute: Callable[[Path, list[Example], TextEncoder, TrainConfig], list],
    save: Callable[[Path, list], None],
    load: Callable[[Path], list],
) -> tuple[list, str]:
    """A teacher's outputs on ``taught.examples``, loaded from its cache or computed on its own copy
    of the windows and saved there; with how they were got, for the log.

    The teacher may be larger and of another encoder family, so long as its tokenizer cuts the
    text into the same tokens (all-mpnet-base-v2 and MiniLM do): ``taught.windows_of`` its
    tokenizer are then these windows, token for token.
    """
    tokens = _same_tokens(run, taught.texts, encoder, config.encoder)
    started = time.time()
    cached = run / "targets" / f"{cache_key(run, taught.examples, options)}.npz"
    if cached.exists():
        return load(cached), f"loaded from {cached} in {time.time() - started:.0f} s"
    outputs = compute(run, taught.windows_of(tokens), tokens, config)
    save(cached, outputs)
    return outputs, f"computed (saved to {cached}) in {time.time() - started:.0f} s"


def attach_targets(run: Path, config: TrainConfig, taught: Taught, encoder: TextEncoder, log=sys.stderr) -> None:
    """Give ``taught.examples`` the technique teacher ``run``'s outputs, from its cache when an
    earlier run computed them."""
    options = f"{config.technique_teacher_found!r}{' roles' if config.technique_teacher_roles else ''}"
    targets, how = _teacher_outputs(run, config, taught, encoder, options, compute_targets, save_targets, load_targets)
    for ex, target in zip(taught.examples, targets, strict=True):
        ex.targets, ex.teacher_roles = target, target.roles
    found = sum(len(t.found) for t in targets)
    windows = len(taught.examples)
    print(f"technique teacher {run}: {windows} windows, {found} spans of its own, {how}", file=log, flush=True)


def attach_roles(run: Path, config: TrainConfig, taught: Taught, encoder: TextEncoder, log=sys.stderr) -> None:
    """Give ``taught.examples`` the role teacher ``run``'s role logits, cached beside it like a
    technique teacher's."""
    roles, how = _teacher_outputs(run, config, taught, encoder, "roles only", compute_roles, save_roles, load_roles)
    for ex, window_roles in zip(taught.examples, roles, strict=True):
        ex.teacher_roles = window_roles
    print(f"role teacher {run}: {len(taught.examples)} windows, {how}", file=log, flush=True)
