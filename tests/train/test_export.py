"""The export: torch's graph capture, attention fused into onnxruntime's kernel, residual layer norms left apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

import onnx
import onnxruntime as ort
import torch
from transformers import BertConfig, BertModel

from propwatch.model.runtime import UNFUSED
from propwatch.train.export import fuse, quantize, trace

HEADS, HIDDEN, VOCAB, MAX_LENGTH = 2, 16, 50, 64


class LastHidden(torch.nn.Module):
    """A tiny BERT with eager attention returning its last hidden states, as the export's encoder does."""

    def __init__(self) -> None:
        super().__init__()
        config = BertConfig(
            vocab_size=VOCAB,
            hidden_size=HIDDEN,
            num_hidden_layers=2,
            num_attention_heads=HEADS,
            intermediate_size=32,
            max_position_embeddings=MAX_LENGTH,
            attn_implementation="eager",
        )
        torch.manual_seed(0)
        self.bert = BertModel(config, add_pooling_layer=False).eval()

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=ids, attention_mask=mask).last_hidden_state


def run(path: Path, feed: dict, optimized: Path) -> np.ndarray:
    options = ort.SessionOptions()
    options.optimized_model_filepath = str(optimized)  # the graph as the runtime runs it
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED)
    return session.run(None, feed)[0]


def ops(path: Path) -> set[str]:
    return {node.op_type for node in onnx.load(str(path)).graph.node}


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[LastHidden, Path, Path]:
    """The tiny BERT, its captured graph and that graph fused, written once for every test here."""
    folder = tmp_path_factory.mktemp("export")
    model, traced, fused = LastHidden(), folder / "traced.onnx", folder / "fused.onnx"
    trace(model, traced, ["states"], MAX_LENGTH)
    fuse(traced, fused, HEADS, HIDDEN)
    return model, traced, fused


def feeds() -> list[dict[str, np.ndarray]]:
    """Batches of other sizes than the traced example's, one of them padded."""
    rng = np.random.default_rng(1)
    single = rng.integers(1, VOCAB, (1, 12))
    padded, mask = rng.integers(1, VOCAB, (3, 40)), np.ones((3, 40), dtype=np.int64)
    mask[1, 25:], mask[2, 7:] = 0, 0
    return [
        {"input_ids": single, "attention_mask": np.ones_like(single)},
        {"input_ids": padded, "attention_mask": mask},
    ]


def test_fused_attention_with_residual_layer_norms_left_apart(graphs, tmp_path: Path):
    _, traced, fused = graphs
    assert "Attention" in ops(fused)
    assert "SkipLayerNormalization" not in ops(fused) and "LayerNormalization" in ops(fused)
    loaded = tmp_path / "loaded.onnx"
    for feed in feeds():
        np.testing.assert_allclose(run(fused, feed, loaded), run(traced, feed, tmp_path / "plain.onnx"), atol=1e-4)
    assert "SkipLayerNormalization" not in ops(loaded), "the runtime does not fuse them back at load"


def test_graph_computes_what_the_model_does_at_any_batch_and_length(graphs, tmp_path: Path):
    model, traced, _ = graphs
    for feed in feeds():
        with torch.no_grad():
            expected = model(torch.from_numpy(feed["input_ids"]), torch.from_numpy(feed["attention_mask"])).numpy()
        got = run(traced, feed, tmp_path / "plain.onnx")
        real = feed["attention_mask"].astype(bool)  # padded positions' states mean nothing
        np.testing.assert_allclose(got[real], expected[real], atol=1e-5)


def test_quantized_attention(graphs, tmp_path: Path):
    _, _, fused = graphs
    int8 = tmp_path / "int8.onnx"
    quantize(fused, int8)
    assert "QAttention" in ops(int8) and "MatMulInteger" in ops(int8)
    feed = feeds()[1]
    assert run(int8, feed, tmp_path / "loaded.onnx").shape == (3, 40, HIDDEN)
