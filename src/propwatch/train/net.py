"""The joint network: one encoder, a BIO tagger and a span classifier over its token states.

Span identification and technique classification share the encoder, so one forward pass
per window serves both at inference time. The span classifier reads the first, last and mean
token state of a span; it is small enough to run in numpy after the ONNX encoder
(:mod:`propwatch.model.heads`), which keeps the exported graph free of span indexing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel
from transformers.masking_utils import create_bidirectional_mask

from propwatch.techniques import NAMES
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig


class SpanHead(nn.Module):
    """Two-layer classifier over ``[first; last; mean]`` token states of a span."""

    def __init__(self, hidden: int, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.hidden = nn.Linear(3 * hidden, hidden)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, n_labels)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(nn.functional.gelu(self.hidden(features))))


def span_features(states: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
    """``[first; last; mean]`` states for spans given as rows ``(window, first, last)``."""
    rows = []
    for window, first, last in spans.tolist():
        piece = states[window, first:last]
        rows.append(torch.cat([piece[0], piece[-1], piece.mean(dim=0)]))
    return torch.stack(rows)


class JointModel(nn.Module):
    """Encoder + BIO tagger + technique span classifier (+ attribution role tagger).

    With ``roles``, a second linear layer tags content, source and cue (BIO each, 9 logits
    per token) from the same states, so attribution costs no extra encoder pass.
    """

    def __init__(self, encoder_path: str, dropout: float = 0.1, roles: bool = False) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder_path)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.tagger = nn.Linear(hidden, 3)
        self.span_head = SpanHead(hidden, len(NAMES), dropout)
        self.role_tagger = nn.Linear(hidden, 9) if roles else None
        self.frozen = 0

    def drop_layers(self, indices: Iterable[int]) -> None:
        """Remove encoder layers (a smaller, faster student of a trained model, fine-tuned after)."""
        layers = self.encoder.encoder.layer
        for index in sorted(set(indices), reverse=True):
            del layers[index]
        self.encoder.config.num_hidden_layers = len(layers)

    def freeze_below(self, layers: int) -> None:
        """Keep the embeddings and the first ``layers`` encoder layers as pretrained; train the rest.

        Their output for a window then never changes, so training computes it once per window
        (:meth:`states_below`) and runs only the layers above (:meth:`encode_above`): a base-size
        teacher (all-mpnet-base-v2, 8 of 12 layers frozen) fine-tunes on two CPU cores in under an hour
        instead of two and a half.
        """
        self.encoder.requires_grad_(False)
        for layer in self.encoder.encoder.layer[layers:]:
            layer.requires_grad_(True)
        self.frozen = layers

    def _layers(self, hidden: torch.Tensor, mask: torch.Tensor, layers: Iterable[nn.Module]) -> torch.Tensor:
        """Run encoder layers as the encoder itself would (with MPNet's relative position bias)."""
        extended = create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden, attention_mask=mask)
        stack = self.encoder.encoder
        extra = (stack.compute_position_bias(hidden),) if hasattr(stack, "compute_position_bias") else ()
        for layer in layers:
            out = layer(hidden, extended, *extra)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    @torch.no_grad()
    def states_below(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The frozen layers' output (dropout off) for a batch of windows."""
        hidden = self.encoder.embeddings.eval()(input_ids=ids)
        below = self.encoder.encoder.layer[: self.frozen].eval()
        return self._layers(hidden, mask, below)

    def encode_above(
        self, below: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """:meth:`encode` from the frozen layers' output."""
        return self._heads(self._layers(below, mask, self.encoder.encoder.layer[self.frozen :]))

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """Token states, BIO logits and role logits (or None) for a batch of windows."""
        return self._heads(self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)

    def _heads(self, states: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        dropped = self.dropout(states)
        roles = self.role_tagger(dropped) if self.role_tagger is not None else None
        return states, self.tagger(dropped), roles


class ExportWrapper(nn.Module):
    """What goes into the ONNX graph: ids and mask in; BIO logits, states (and role logits) out."""

    def __init__(self, model: JointModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        states, logits, roles = self.model.encode(input_ids, attention_mask)
        return (logits, states) if roles is None else (logits, states, roles)


def load_trained(config: TrainConfig, checkpoint: Path, device: str = "cpu") -> JointModel:
    """The model a finished run with this config trained, with the weights of its checkpoint, on ``device``."""
    state = torch.load(checkpoint, map_location="cpu")
    roles = any(key.startswith("role_tagger.") for key in state)
    model = JointModel(resolve_encoder(config.encoder, config.encoder_sha256), roles=roles)
    model.drop_layers(config.drop_layers)
    model.load_state_dict(state)
    return model.to(device).eval()
