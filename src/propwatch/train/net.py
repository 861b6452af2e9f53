"""The joint network: one encoder, a BIO tagger and a span classifier over its token states.

Span identification and technique classification share the encoder, so one forward pass
per window serves both at inference time. The span classifier reads the first, last and mean
token state of a span; it is small enough to run in numpy after the ONNX encoder
(:mod:`propwatch.model.heads`), which keeps the exported graph free of span indexing.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import AutoModel

from propwatch.techniques import NAMES


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
    """Encoder + BIO tagger (3 logits per token) + technique span classifier."""

    def __init__(self, encoder_path: str, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder_path)
        hidden = self.encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.tagger = nn.Linear(hidden, 3)
        self.span_head = SpanHead(hidden, len(NAMES), dropout)

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Token states and BIO logits for a batch of windows."""
        states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return states, self.tagger(self.dropout(states))


class ExportWrapper(nn.Module):
    """What goes into the ONNX graph: ids and mask in, BIO logits and token states out."""

    def __init__(self, model: JointModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states, logits = self.model.encode(input_ids, attention_mask)
        return logits, states
