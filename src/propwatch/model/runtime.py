"""ONNX inference over whole articles: windows in, stitched per-token outputs back.

Windows of all articles in a call are pooled, sorted by length and run in batches, so a
corpus of short and long articles keeps the batches full. Each token takes its BIO
probabilities and its state from the window that owns it (see :func:`make_windows`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from propwatch.model.decode import DecodeSettings
from propwatch.model.encoding import Encoded, TextEncoder, make_windows, pack
from propwatch.model.heads import SpanHead, Stacker

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


def _session(path: Path, threads: int | None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class TechniqueModel:
    """The shipped (or any exported) model folder, loaded once and reused for every call."""

    def __init__(self, folder: Path = DEFAULT_MODEL_DIR, threads: int | None = None, batch_size: int = 16) -> None:
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
        self.batch_size = batch_size
        self.has_roles = "role_logits" in {o.name for o in self.session.get_outputs()}

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
        jobs = [
            (doc, win)
            for doc, e in enumerate(encoded)
            for win in make_windows(len(e), self.window, self.overlap)
            if len(e)
        ]
        jobs.sort(key=lambda job: job[1].end - job[1].start)
        for i in range(0, len(jobs), self.batch_size):
            batch = jobs[i : i + self.batch_size]
            chunks = [encoded[doc].ids[win.start : win.end] for doc, win in batch]
            ids, mask = pack(chunks, self.encoder.cls_id, self.encoder.sep_id, self.encoder.pad_id)
            logits, states, *roles = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            probs = softmax(logits)
            role_probs = softmax(roles[0].reshape(*roles[0].shape[:2], 3, 3)) if roles else None
            for row, (doc, win) in enumerate(batch):
                lo, hi = win.own_start - win.start + 1, win.own_end - win.start + 1
                own = slice(win.own_start, win.own_end)
                outputs[doc].probs[own] = probs[row, lo:hi]
                outputs[doc].states[own] = states[row, lo:hi]
                if role_probs is not None:
                    outputs[doc].roles[own] = role_probs[row, lo:hi]
        return outputs
