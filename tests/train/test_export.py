"""The export's fusion: attention fused into onnxruntime's kernel, residual layer norms left apart."""

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
from propwatch.train.export import OPSET, fuse

HEADS, HIDDEN = 2, 16


class LastHidden(torch.nn.Module):
    """A tiny BERT returning its last hidden states, traced the way the export traces."""

    def __init__(self) -> None:
        super().__init__()
        config = BertConfig(
            vocab_size=50,
            hidden_size=HIDDEN,
            num_hidden_layers=2,
            num_attention_heads=HEADS,
            intermediate_size=32,
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


def test_fused_attention_with_residual_layer_norms_left_apart(tmp_path: Path):
    traced, fused = tmp_path / "traced.onnx", tmp_path / "fused.onnx"
    ids = torch.ones((2, 8), dtype=torch.long)
    torch.onnx.export(
        LastHidden(),
        (ids, ids),
        str(traced),
        input_names=["input_ids", "attention_mask"],
        output_names=["states"],
        dynamic_axes={name: {0: "batch", 1: "length"} for name in ["input_ids", "attention_mask", "states"]},
        opset_version=OPSET,
        dynamo=False,
    )
    fuse(traced, fused, HEADS, HIDDEN)
    assert "Attention" in ops(fused)
    assert "SkipLayerNormalization" not in ops(fused) and "LayerNormalization" in ops(fused)
    x = np.random.default_rng(1).integers(1, 50, (1, 12)).astype(np.int64)
    feed = {"input_ids": x, "attention_mask": np.ones_like(x)}
    loaded = tmp_path / "loaded.onnx"
    np.testing.assert_allclose(run(fused, feed, loaded), run(traced, feed, tmp_path / "plain.onnx"), atol=1e-4)
    assert "SkipLayerNormalization" not in ops(loaded), "the runtime does not fuse them back at load"
