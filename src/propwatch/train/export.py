"""Export a trained joint model to the folder ``propwatch analyze`` loads.

The folder holds ``encoder.onnx`` (the encoder + BIO and role taggers, captured by torch's exporter,
its attention and GELU fused into onnxruntime's own kernels and its layer norms left apart, then
int8 dynamic quantisation),
``heads.npz`` (span classifier weights, run in numpy), ``tokenizer.json`` and ``model.json``
(windowing and decoding settings, filled in further by calibration).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import torch

from propwatch.model.heads import ROLE_LOGITS, RoleRefiner
from propwatch.train.net import ExportWrapper, JointModel

OPSET = 18
"""The lowest opset torch's exporter writes; onnxruntime's fused kernels take it as they took 17."""


def padding_bias(mask: torch.Tensor) -> torch.Tensor:
    """The padding mask as the additive bias every attention layer adds to its scores.

    Spelled out here, in the form (unsqueezed twice, expanded, inverted, filled where set) that
    onnxruntime's attention fusion recognises and turns back into a mask index, because the
    encoder's own mask code exports as gathers and boolean ops that the fusion does not match.
    """
    batch, length = mask.shape
    expanded = mask.unsqueeze(1).unsqueeze(2).expand(batch, 1, length, length).to(torch.float32)
    inverted = 1.0 - expanded
    return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(torch.float32).min)


class _PaddingBias(torch.nn.Module):
    """A module taking ``(input_ids, attention_mask)``, fed the mask as :func:`padding_bias`."""

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor | tuple:
        return self.inner(input_ids, padding_bias(attention_mask))


def trace(module: torch.nn.Module, path: Path, outputs: list[str], max_length: int) -> None:
    """Write ``module(input_ids, attention_mask)`` as an fp32 ONNX graph with dynamic batch and length.

    torch's exporter (``dynamo=True``) captures the graph with ``torch.export``. The example
    batch has a padded row, so that nothing in the graph is fixed to a mask of ones, and the
    length is bounded by the encoder's position table, as ``torch.export`` requires. Constants
    are folded and unused nodes dropped, but the exporter's own rewrites are skipped: they merge
    the two unsqueezes of :func:`padding_bias` that the attention fusion matches.
    """
    from onnxscript import optimizer

    graph = _PaddingBias(module).eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    mask[1, 12:] = 0
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=max_length)
    axes = {0: batch, 1: length}
    program = torch.onnx.export(
        graph,
        (ids, mask),
        input_names=["input_ids", "attention_mask"],
        output_names=outputs,
        dynamic_shapes=(axes, axes),
        opset_version=OPSET,
        dynamo=True,
        optimize=False,
        verbose=False,
    )
    optimizer.fold_constants(program.model)
    optimizer.remove_unused_nodes(program.model)
    program.save(str(path))


def export_onnx(model: JointModel, path: Path) -> None:
    """Write the encoder and its taggers as an fp32 ONNX graph with dynamic batch and length.

    The encoder runs eager attention: its plain matmul/softmax pattern is the one onnxruntime's
    fusion (:func:`fuse`) recognises, where scaled-dot-product attention is left unfused.
    """
    model.encoder.set_attn_implementation("eager")
    outputs = ["tag_logits", "states"] + (["role_logits"] if model.role_tagger is not None else [])
    trace(ExportWrapper(model), path, outputs, model.encoder.config.max_position_embeddings)


def fuse(fp32_path: Path, fused_path: Path, heads: int, hidden: int) -> None:
    """Fuse each layer's attention and GELU into onnxruntime's CPU kernels.

    Measured on the shipped model: the int8 encoder runs 1.24x faster fused, with the same dev
    figures (SI 0.388 vs 0.382, TC 0.555 vs 0.556). The residual adds and layer norms stay
    apart: onnxruntime's fused ``SkipLayerNormalization`` CPU kernel is the slower one (on the
    shipped int8 graph, 2 cores, 254-token windows, the eight fused nodes took 3.7 of a window's
    17.6 ms, ``Add`` + ``LayerNormalization`` take 1.1, and a window runs in 15 ms instead of 18),
    and the runtime keeps onnxruntime from fusing them at load (:mod:`propwatch.model.runtime`).
    """
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False
    fused = optimizer.optimize_model(
        str(fp32_path), model_type="bert", num_heads=heads, hidden_size=hidden, optimization_options=options
    )
    fused.save_model_to_file(str(fused_path))


def quantize(fp32_path: Path, int8_path: Path) -> None:
    """Dynamic int8 quantisation of the weights (activations stay float).

    Fused contrib ops carry no inferred output types, hence the default tensor type.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_path),
        str(int8_path),
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def save_heads(model: JointModel, path: Path) -> None:
    """The span classifier's weights, for the numpy implementation in :mod:`propwatch.model.heads`."""
    head = model.span_head
    np.savez(
        path,
        hidden_w=head.hidden.weight.detach().numpy().T.copy(),
        hidden_b=head.hidden.bias.detach().numpy(),
        out_w=head.out.weight.detach().numpy().T.copy(),
        out_b=head.out.bias.detach().numpy(),
    )


def export_model(
    model: JointModel, tokenizer_json: Path, out_dir: Path, settings: dict, quantized: bool = True
) -> Path:
    """Write the complete inference folder; returns it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    traced, fp32 = out_dir / "encoder-traced.onnx", out_dir / "encoder-fp32.onnx"
    export_onnx(model, traced)
    config = model.encoder.config
    fuse(traced, fp32, config.num_attention_heads, config.hidden_size)
    traced.unlink()
    if quantized:
        quantize(fp32, out_dir / "encoder.onnx")
        fp32.unlink()
    else:
        fp32.rename(out_dir / "encoder.onnx")
    save_heads(model, out_dir / "heads.npz")
    shutil.copyfile(tokenizer_json, out_dir / "tokenizer.json")
    (out_dir / "model.json").write_text(json.dumps(settings, indent=2) + "\n")
    return out_dir


REFINER_OPSET = 17
"""The refiner's graph uses plain operators only; opset 17 loads on every onnxruntime propwatch allows."""


def save_refiner_onnx(refiner: RoleRefiner, path: Path) -> None:
    """Write the role refiner as an ONNX graph of the same weights (``roles.onnx`` beside ``roles.npz``):
    onnxruntime runs its convolutions in about two thirds of numpy's time.

    Inputs are the encoder states (tokens, H) and the tagger's floored role log-probabilities (tokens, 9)
    (:func:`~propwatch.model.heads.role_log_probs`); the output is the refined role probabilities
    (tokens, 3, 3). Each step is the numpy twin's (:class:`~propwatch.model.heads.RoleRefiner`), GELU in
    its tanh form, so the two agree to float rounding.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = _RefinerGraph()
    members, _, _ = refiner.proj_w.shape
    inputs = graph.node("Concat", ["states", "log_roles"], axis=1)
    corrections = [graph.member(refiner, m, inputs) for m in range(members)]
    total = corrections[0]
    for other in corrections[1:]:
        total = graph.node("Add", [total, other])
    if members > 1:
        total = graph.node("Div", [total, graph.constant(np.array(members, np.float32))])
    logits = graph.node("Add", ["log_roles", total])
    probs = graph.node("Reshape", [logits, graph.constant(np.array([-1, 3, 3], np.int64))])
    graph.node("Softmax", [probs], axis=-1, output="roles")
    states = refiner.proj_w.shape[2] - ROLE_LOGITS
    model = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "role_refiner",
            [
                helper.make_tensor_value_info("states", TensorProto.FLOAT, ["tokens", states]),
                helper.make_tensor_value_info("log_roles", TensorProto.FLOAT, ["tokens", ROLE_LOGITS]),
            ],
            [helper.make_tensor_value_info("roles", TensorProto.FLOAT, ["tokens", 3, 3])],
            initializer=[numpy_helper.from_array(array, name) for name, array in graph.weights.items()],
        ),
        opset_imports=[helper.make_opsetid("", REFINER_OPSET)],
        ir_version=8,
    )
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())


class _RefinerGraph:
    """The nodes and weights of the refiner's graph as they are added, each output named in turn."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.weights: dict[str, np.ndarray] = {}

    def constant(self, array: np.ndarray) -> str:
        name = f"w{len(self.weights)}"
        self.weights[name] = np.ascontiguousarray(array)
        return name

    def node(self, op: str, inputs: list[str], output: str | None = None, **attributes) -> str:
        from onnx import helper

        output = output or f"t{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def member(self, refiner: RoleRefiner, m: int, inputs: str) -> str:
        """One member's correction (tokens, 9): projection, convolution, dilated layers, output."""
        width = refiner.conv_w.shape[-1]
        projected = self.node(
            "Gemm", [inputs, self.constant(refiner.proj_w[m]), self.constant(refiner.proj_b[m])], transB=1
        )
        sequence = self.node(
            "Unsqueeze", [self.node("Transpose", [projected], perm=[1, 0]), self.constant(np.array([0]))]
        )
        hidden = self.gelu(self.conv(sequence, refiner.conv_w[m], refiner.conv_b[m], width, 1))
        for layer, step in enumerate(refiner.dilations):
            convolved = self.conv(hidden, refiner.deep_w[m, layer], refiner.deep_b[m, layer], width, step)
            hidden = self.node("Add", [hidden, self.gelu(convolved)])
        out = self.conv(hidden, refiner.out_w[m][:, :, None], refiner.out_b[m], 1, 1)
        return self.node("Transpose", [self.node("Squeeze", [out, self.constant(np.array([0]))])], perm=[1, 0])

    def conv(self, x: str, weight: np.ndarray, bias: np.ndarray, width: int, step: int) -> str:
        """A same-length 1-D convolution reading every ``step``-th token, zeros past either end."""
        reach = step * (width // 2)
        return self.node("Conv", [x, self.constant(weight), self.constant(bias)], pads=[reach, reach], dilations=[step])

    def gelu(self, x: str) -> str:
        """GELU's tanh form, step by step as :func:`propwatch.model.heads.gelu` computes it."""
        y = self.node("Mul", [x, self.constant(np.array(0.044715, np.float32))])
        y = self.node("Mul", [self.node("Mul", [y, x]), x])
        y = self.node("Mul", [self.node("Add", [y, x]), self.constant(np.array(math.sqrt(2.0 / math.pi), np.float32))])
        y = self.node("Add", [self.node("Tanh", [y]), self.constant(np.array(1.0, np.float32))])
        return self.node("Mul", [self.node("Mul", [y, x]), self.constant(np.array(0.5, np.float32))])
