"""The export's graph rewrite: fused skip layer norms taken apart compute the same thing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnx")

import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from propwatch.model.runtime import UNFUSED
from propwatch.train.export import unfuse_skip_layer_norms

HIDDEN = 8


def skip_layer_norm_graph(path: Path, with_bias: bool) -> None:
    """One com.microsoft SkipLayerNormalization over two (batch, length, HIDDEN) inputs."""
    rng = np.random.default_rng(0)
    weights = {name: rng.normal(size=HIDDEN).astype(np.float32) for name in ("gamma", "beta", "bias")}
    inputs = ["x", "skip", "gamma", "beta", *(["bias"] if with_bias else [])]
    node = helper.make_node(
        "SkipLayerNormalization", inputs, ["y"], name="SkipLayerNorm_0", domain="com.microsoft", epsilon=1e-5
    )
    tensor = helper.make_tensor_value_info
    graph = helper.make_graph(
        [node],
        "skip",
        [tensor("x", TensorProto.FLOAT, ["b", "n", HIDDEN]), tensor("skip", TensorProto.FLOAT, ["b", "n", HIDDEN])],
        [tensor("y", TensorProto.FLOAT, ["b", "n", HIDDEN])],
        [numpy_helper.from_array(value, name) for name, value in weights.items() if name in inputs],
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    onnx.save(helper.make_model(graph, opset_imports=opsets), str(path))


def run(path: Path, feed: dict) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED)
    return session.run(None, feed)[0]


@pytest.mark.parametrize("with_bias", [True, False])
def test_unfused_skip_layer_norm_computes_the_same(tmp_path: Path, with_bias: bool):
    path = tmp_path / "skip.onnx"
    skip_layer_norm_graph(path, with_bias)
    rng = np.random.default_rng(1)
    feed = {name: rng.normal(size=(2, 5, HIDDEN)).astype(np.float32) for name in ("x", "skip")}
    fused = run(path, feed)
    unfuse_skip_layer_norms(path)
    ops = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert ops == ["Add"] * (1 + with_bias) + ["LayerNormalization"]
    np.testing.assert_allclose(run(path, feed), fused, atol=1e-5)
