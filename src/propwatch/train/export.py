"""Export a trained joint model to the folder ``propwatch analyze`` loads.

The folder holds ``encoder.onnx`` (int8 dynamic quantisation of the encoder + BIO tagger),
``heads.npz`` (span classifier weights, run in numpy), ``tokenizer.json`` and ``model.json``
(windowing and decoding settings, filled in further by calibration).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import torch

from propwatch.train.net import ExportWrapper, JointModel

OPSET = 17


def export_onnx(model: JointModel, path: Path) -> None:
    """Write the encoder and tagger as an fp32 ONNX graph with dynamic batch and length."""
    model.eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    outputs = ["tag_logits", "states"] + (["role_logits"] if model.role_tagger is not None else [])
    torch.onnx.export(
        ExportWrapper(model),
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=outputs,
        dynamic_axes={name: {0: "batch", 1: "length"} for name in ["input_ids", "attention_mask", *outputs]},
        opset_version=OPSET,
        dynamo=False,
    )


def quantize(fp32_path: Path, int8_path: Path) -> None:
    """Dynamic int8 quantisation of the weights (activations stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)


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
    fp32 = out_dir / "encoder-fp32.onnx"
    export_onnx(model, fp32)
    if quantized:
        quantize(fp32, out_dir / "encoder.onnx")
        fp32.unlink()
    else:
        fp32.rename(out_dir / "encoder.onnx")
    save_heads(model, out_dir / "heads.npz")
    shutil.copyfile(tokenizer_json, out_dir / "tokenizer.json")
    (out_dir / "model.json").write_text(json.dumps(settings, indent=2) + "\n")
    return out_dir
