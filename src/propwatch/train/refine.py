"""Fit the role refiner: a convolution over an exported model's states and role logits, on gold roles.

The role tagger is one linear layer on each token's state, trained with the rest of the model
(largely on a teacher's soft roles). On the held-out PolNeAR texts, a convolution over five
tokens' states and logits (projected to 32 channels), fitted on the fit texts' gold roles, finds
cue tokens at F1 0.62 against the tagger's 0.49 and source tokens at 0.74 against 0.68
(57048c2). It is fitted on the exported (int8) encoder's own states, so it corrects what analysis sees.

One refiner's held-out content F1 moved by 0.007 with its seed alone, as much as any change of
its shape did; the shipped refiner averages members fitted from different seeds (f8c1413).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

from propwatch.model.heads import ROLE_LOGITS, RoleRefiner, role_log_probs
from propwatch.model.runtime import TechniqueModel
from propwatch.polnear import GoldAttribution
from propwatch.train.config import TrainConfig
from propwatch.train.data import role_tags


class RefinerNet(torch.nn.Module):
    """Torch twin of :class:`RoleRefiner`; starts as the identity (the tagger's roles unchanged)."""

    def __init__(self, states: int, channels: int, hidden: int, width: int, dilation: int = 0) -> None:
        super().__init__()
        self.proj = torch.nn.Linear(states + ROLE_LOGITS, channels)
        self.conv = torch.nn.Conv1d(channels, hidden, width, padding=width // 2)
        self.dilation = dilation
        self.conv2 = (
            torch.nn.Conv1d(hidden, hidden, width, padding=dilation * (width // 2), dilation=dilation)
            if dilation
            else None
        )
        self.out = torch.nn.Linear(2 * hidden if dilation else hidden, ROLE_LOGITS)
        torch.nn.init.zeros_(self.out.weight)
        torch.nn.init.zeros_(self.out.bias)

    def forward(self, states: torch.Tensor, base: torch.Tensor) -> torch.Tensor:
        """Role logits (tokens, 9) from states (tokens, H) and the tagger's log-probabilities (tokens, 9)."""
        projected = self.proj(torch.cat([states, base], 1)).T.unsqueeze(0)
        hidden = torch.nn.functional.gelu(self.conv(projected), approximate="tanh")
        if self.conv2 is not None:  # the first layer's features and the wider layer's, side by side
            hidden = torch.cat([hidden, torch.nn.functional.gelu(self.conv2(hidden), approximate="tanh")], 1)
        return base + self.out(hidden[0].T)

    def export(self) -> RoleRefiner:
        """A refiner of one member."""
        layers = (self.proj.weight, self.proj.bias, self.conv.weight, self.conv.bias, self.out.weight, self.out.bias)
        arrays = [t.detach().numpy().astype(np.float32)[None] for t in layers]
        if self.conv2 is None:
            return RoleRefiner(*arrays)
        wide = [t.detach().numpy().astype(np.float32)[None] for t in (self.conv2.weight, self.conv2.bias)]
        return RoleRefiner(*arrays, *wide, dilation=self.dilation)


def _examples(
    model: TechniqueModel, corpus: dict[str, tuple[str, list[GoldAttribution]]], names: list[str]
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """(states, tagger log-probabilities, gold role tags) per text, from the exported model."""
    outputs = model.run_tokens([corpus[n][0] for n in names])
    return [
        (torch.tensor(out.states), torch.tensor(role_log_probs(out.roles)), torch.tensor(role_tags(out.encoded, gold)))
        for out, (_, gold) in zip(outputs, (corpus[n] for n in names), strict=True)
        if len(out.encoded)
    ]


def fit_role_refiner(
    config: TrainConfig,
    model_dir: Path,
    corpus: dict[str, tuple[str, list[GoldAttribution]]],
    fit_names: list[str],
    log=sys.stderr,
) -> None:
    """Fit ``role_refiner_members`` refiners on the fit texts, one per seed, and write their
    average into the model folder (replacing any before)."""
    model = TechniqueModel(model_dir, threads=config.threads)
    model.refiner = None  # it learns from the bare tagger's roles, whatever the folder holds
    if not model.has_roles:
        return
    examples = _examples(model, corpus, fit_names)
    if not examples:
        return
    members = [
        _fit_member(config, examples, config.seed + 1000 * member, log) for member in range(config.role_refiner_members)
    ]
    RoleRefiner.ensemble(members).save(model_dir / RoleRefiner.FILE)


def _fit_member(
    config: TrainConfig, examples: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]], seed: int, log
) -> RoleRefiner:
    """One member of the refiner, fitted from its own seed (initialisation and text order)."""
    torch.manual_seed(seed)
    net = RefinerNet(
        examples[0][0].shape[1],
        config.role_refiner_channels,
        config.role_refiner_hidden,
        config.role_refiner_width,
        config.role_refiner_dilation,
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=config.weight_decay)
    for epoch in range(config.role_refiner_epochs):
        total = 0.0
        for index in np.random.default_rng(seed + epoch).permutation(len(examples)):
            states, base, tags = examples[index]
            loss = torch.nn.functional.cross_entropy(net(states, base).reshape(-1, 3), tags.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        print(
            f"role refiner (seed {seed}) epoch {epoch + 1}: mean loss {total / len(examples):.4f}", file=log, flush=True
        )
    return net.export()
