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
from propwatch.model.runtime import RefinerSession, TechniqueModel
from propwatch.polnear import GoldAttribution
from propwatch.train.config import TrainConfig
from propwatch.train.data import role_tags
from propwatch.train.export import save_refiner_onnx


class RefinerNet(torch.nn.Module):
    """Torch twin of :class:`RoleRefiner`; starts as the identity (the tagger's roles unchanged)."""

    def __init__(self, states: int, channels: int, hidden: int, width: int, dilations: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.proj = torch.nn.Linear(states + ROLE_LOGITS, channels)
        self.conv = torch.nn.Conv1d(channels, hidden, width, padding=width // 2)
        self.dilations = tuple(dilations)
        self.deep = torch.nn.ModuleList(
            torch.nn.Conv1d(hidden, hidden, width, padding=step * (width // 2), dilation=step)
            for step in self.dilations
        )
        self.out = torch.nn.Linear(hidden, ROLE_LOGITS)
        torch.nn.init.zeros_(self.out.weight)
        torch.nn.init.zeros_(self.out.bias)

    def forward(self, states: torch.Tensor, base: torch.Tensor) -> torch.Tensor:
        """Role logits (tokens, 9) from states (tokens, H) and the tagger's log-probabilities (tokens, 9)."""
        projected = self.proj(torch.cat([states, base], 1)).T.unsqueeze(0)
        hidden = torch.nn.functional.gelu(self.conv(projected), approximate="tanh")
        for layer in self.deep:  # each dilated layer adds what it reads further away
            hidden = hidden + torch.nn.functional.gelu(layer(hidden), approximate="tanh")
        return base + self.out(hidden[0].T)

    def export(self) -> RoleRefiner:
        """A refiner of one member."""
        layers = (self.proj.weight, self.proj.bias, self.conv.weight, self.conv.bias, self.out.weight, self.out.bias)
        arrays = [t.detach().numpy().astype(np.float32)[None] for t in layers]
        if not self.dilations:
            return RoleRefiner(*arrays)
        deep_w = np.stack([layer.weight.detach().numpy() for layer in self.deep]).astype(np.float32)[None]
        deep_b = np.stack([layer.bias.detach().numpy() for layer in self.deep]).astype(np.float32)[None]
        return RoleRefiner(*arrays, deep_w, deep_b, dilations=self.dilations)


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
    average (or, with ``role_refiner_distil_epochs``, one refiner fitted to it) into the model folder,
    replacing any before."""
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
    refiner = RoleRefiner.ensemble(members)
    if config.role_refiner_distil_epochs:
        refiner = distil(config, refiner, examples, log)
    refiner.save(model_dir / RoleRefiner.FILE)
    save_refiner_onnx(refiner, model_dir / RefinerSession.FILE)


def distil(
    config: TrainConfig,
    teacher: RoleRefiner,
    examples: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
    log=sys.stderr,
) -> RoleRefiner:
    """One refiner fitted to an ensemble's role probabilities on the same texts: about the
    ensemble's accuracy at one member's cost, where each member is a few dilated layers."""
    soft = [
        (states, base, torch.tensor(teacher.refine(states.numpy(), np.exp(base.numpy()).reshape(-1, 3, 3))))
        for states, base, _ in examples
    ]
    return _fit_member(config, soft, config.seed - 1, log, config.role_refiner_distil_epochs)


def _fit_member(
    config: TrainConfig,
    examples: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
    seed: int,
    log,
    epochs: int | None = None,
) -> RoleRefiner:
    """One member of the refiner, fitted from its own seed (initialisation and text order) to
    each text's gold role tags (tokens, 3) or a teacher's role probabilities (tokens, 3, 3)."""
    torch.manual_seed(seed)
    net = RefinerNet(
        examples[0][0].shape[1],
        config.role_refiner_channels,
        config.role_refiner_hidden,
        config.role_refiner_width,
        config.role_refiner_dilations,
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=config.weight_decay)
    for epoch in range(epochs or config.role_refiner_epochs):
        total = 0.0
        for index in np.random.default_rng(seed + epoch).permutation(len(examples)):
            states, base, targets = examples[index]
            loss = torch.nn.functional.cross_entropy(
                net(states, base).reshape(-1, 3), targets.reshape(len(states) * 3, -1).squeeze(1)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        print(
            f"role refiner (seed {seed}) epoch {epoch + 1}: mean loss {total / len(examples):.4f}", file=log, flush=True
        )
    return net.export()
