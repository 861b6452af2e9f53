"""ONNX inference over whole articles: windows in, stitched per-token outputs back.

Each window runs on its own. Dynamic int8 quantisation scales activations per call, so a
window batched with others would get slightly different outputs depending on its neighbours,
and an article's spans would change with the company it was analysed in; alone, a window
always gives the same answer, with no padding to compute either. Each token takes its BIO
probabilities and its state from the window that owns it (see :func:`make_windows`); the
last window of an article stops at its end rather than being filled with tokens the window
before it already saw.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from propwatch.model.decode import DecodeSettings
from propwatch.model.encoding import Encoded, TextEncoder, Window, make_windows, pack
from propwatch.model.heads import RoleRefiner, SpanHead, Stacker, role_log_probs

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "ptc-minilm"


class ModelError(Exception):
    """The model folder is missing or incomplete."""


@dataclass
class TokenOutputs:
    """One article's tokens, BIO probabilities (tokens, 3), encoder states (tokens, H) and,
    for models with an attribution head, role BIO probabilities (tokens, 3 roles, 3)."""

    encoded: Encoded
    probs: np.ndarray
    states: np.ndarray
    roles: np.ndarray | None = None


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


UNFUSED = ["SkipLayerNormFusion"]
"""onnxruntime fusions the runtime turns off: the export leaves these nodes apart on purpose,
because the fused kernel is slower on CPU (``propwatch.train.export.fuse``)."""


def _session(path: Path, threads: int | None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED)


class RefinerSession:
    """The role refiner run by onnxruntime from ``roles.onnx``, the graph of the weights ``roles.npz``
    holds (:func:`propwatch.train.export.save_refiner_onnx`): the numpy twin's convolutions
    (:class:`~propwatch.model.heads.RoleRefiner`) in about two thirds of its time, to float rounding."""

    FILE = "roles.onnx"

    def __init__(self, path: Path, threads: int | None) -> None:
        self.session = _session(path, threads)

    def refine(self, states: np.ndarray, roles: np.ndarray) -> np.ndarray:
        """Role probabilities (tokens, 3, 3) from states (tokens, H) and the tagger's (tokens, 3, 3)."""
        return self.session.run(None, {"states": states, "log_roles": role_log_probs(roles)})[0]


def _refiner(folder: Path, threads: int | None) -> RefinerSession | RoleRefiner | None:
    """The folder's role refiner: its graph where the export wrote one, else its weights run in numpy
    (model folders from before 0.7.0), else none."""
    if (folder / RefinerSession.FILE).exists():
        return RefinerSession(folder / RefinerSession.FILE, threads)
    if (folder / RoleRefiner.FILE).exists():
        return RoleRefiner.load(folder / RoleRefiner.FILE)
    return None


class TechniqueModel:
    """The shipped (or any exported) model folder, loaded once and reused for every call."""

    def __init__(self, folder: Path = DEFAULT_MODEL_DIR, threads: int | None = None) -> None:
        needed = ["encoder.onnx", "heads.npz", "tokenizer.json", "model.json"]
        missing = [name for name in needed if not (folder / name).exists()]
        if missing:
            raise ModelError(f"{folder}: model folder lacks {', '.join(missing)}")
        self.folder = folder
        self.settings = json.loads((folder / "model.json").read_text())
        self.encoder = TextEncoder.from_file(folder / "tokenizer.json")
        self.session = _session(folder / "encoder.onnx", threads)
        self.head = SpanHead.load(folder / "heads.npz")
        stacker = self.settings.get("stacker")
        self.stacker = Stacker.from_json(stacker) if stacker else None
        self.decode = DecodeSettings(**self.settings.get("decode", {}))
        self.window = int(self.settings["window"])
        self.overlap = int(self.settings["overlap"])
        self.has_roles = "role_logits" in {o.name for o in self.session.get_outputs()}
        self.refiner = _refiner(folder, threads) if self.has_roles else None

    def run_tokens(self, texts: list[str]) -> list[TokenOutputs]:
        """BIO probabilities and states for every token of every text."""
        encoded = self.encoder.encode_batch(texts)
        hidden = int(self.head.hidden_w.shape[0] // 3)
        outputs = [
            TokenOutputs(
                e,
                np.zeros((len(e), 3), np.float32),
                np.zeros((len(e), hidden), np.float32),
                np.zeros((len(e), 3, 3), np.float32) if self.has_roles else None,
            )
            for e in encoded
        ]
        for doc, e in enumerate(encoded):
            for win in make_windows(len(e), self.window, self.overlap, short_last=True) if len(e) else []:
                self._run_window(e, win, outputs[doc])
        if self.refiner is not None:  # after all windows: numpy's threads between onnxruntime's calls slow those
            for out in outputs:
                if len(out.encoded):
                    out.roles = self.refiner.refine(out.states, out.roles)
        return outputs

    def _run_window(self, encoded: Encoded, win: Window, out: TokenOutputs) -> None:
        """Run one window and keep the outputs of the tokens it owns."""
        ids, mask = pack(
            [encoded.ids[win.start : win.end]], self.encoder.cls_id, self.encoder.sep_id, self.encoder.pad_id
        )
        logits, states, *roles = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        lo, hi = win.own_start - win.start + 1, win.own_end - win.start + 1
        own = slice(win.own_start, win.own_end)
        out.probs[own] = softmax(logits[0, lo:hi])
        out.states[own] = states[0, lo:hi]
        if out.roles is not None:
            out.roles[own] = softmax(roles[0][0, lo:hi].reshape(-1, 3, 3))
