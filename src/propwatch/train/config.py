"""Training configuration: one TOML file fixes data, recipe and seed, so a run is reproducible."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import tomllib


@dataclass
class TrainConfig:
    """Everything a training run depends on. Paths are relative to the config file's folder."""

    train_articles: str = "../shared/data/ptc/train-articles"
    train_si_labels: str = "../shared/data/ptc/train-labels-task1-span-identification"
    train_tc_labels: str = "../shared/data/ptc/train-labels-task2-technique-classification"
    polnear_text: str = ""
    polnear_ann: str = ""
    polnear_share: float = 0.5
    role_loss_weight: float = 1.0
    init_checkpoint: str = ""
    drop_layers: tuple[int, ...] = ()
    """Encoder layers removed after loading ``init_checkpoint``: a shallower student fine-tuned from it."""
    teacher_checkpoint: str = ""
    """A trained run's checkpoint (same encoder, all layers) whose outputs the model learns to match too."""
    technique_teacher: str = ""
    """A finished run folder (any encoder whose tokenizer splits text as this one's does) whose
    span techniques on the PTC windows replace ``teacher_checkpoint``'s there."""
    technique_teacher_tags: float = 1.0
    """The technique teacher's share of the BIO targets on those windows (the rest is the teacher's:
    two different encoders find spans better together than either alone)."""
    technique_teacher_found: float = 0.0
    """Where above 0, the technique teacher also teaches its techniques on the spans its own tagger
    finds (runs of tokens with P(B) + P(I) at least this) that gold doesn't hold: the student then
    learns the teacher's judgement on many more spans than the few thousand gold ones."""
    technique_teacher_polnear: bool = False
    """Whether the technique teacher's targets cover the PolNeAR windows too (news without
    technique labels: more text to learn the teacher from), not only the PTC ones."""
    technique_teacher_roles: bool = False
    """Whether the technique teacher (a run with a role tagger) also teaches attribution roles on
    the windows it covers, in place of ``teacher_checkpoint``'s: a larger encoder than the
    student's can then teach who says what, not only techniques."""
    teacher_folds: int = 0
    """With k > 1, train on the fit articles outside part ``teacher_fold`` of a seeded k-part split
    (:func:`propwatch.train.data.fold_parts`): one of k out-of-fold technique teachers. A teacher's
    outputs on articles it trained on say little beyond their gold labels (1c6bcf2's mpnet2 was
    right on 96.5% of them), so each part is best taught by the teacher that never saw it."""
    teacher_fold: int = 0
    out_of_fold_teachers: tuple[str, ...] = ()
    """The run folders of k out-of-fold technique teachers (``teacher_folds = k``, ``teacher_fold``
    0 to k-1, in that order), in place of ``technique_teacher``: each teaches the PTC windows of the
    part it did not train on. The other ``technique_teacher_*`` options apply to each."""
    role_teacher: str = ""
    """A finished run with a role tagger whose role logits replace ``teacher_checkpoint``'s on the
    PolNeAR windows: roles from one teacher and techniques from another, so a role teacher's extra
    epochs on the PTC fit fold never reach the techniques. PTC windows keep ``teacher_checkpoint``'s
    roles, which halves the teacher's pass (a 12-layer teacher takes about 25 min on 2 cores)."""
    freeze_layers: int = 0
    """Encoder layers kept as pretrained, with the embeddings; only the layers above them train."""
    distill_weight: float = 1.0
    distill_temperature: float = 2.0
    encoder: str = "pyduck:sentence-transformers/all-MiniLM-L6-v2"
    encoder_sha256: str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    holdout_fraction: float = 0.2
    seed: int = 13
    epochs: float = 4.0
    batch_size: int = 16
    window: int = 254
    overlap: int = 64
    inference_overlap: int = 0
    """Window overlap when analysing (0: the training overlap); fewer shared tokens, less encoder time."""
    lr_encoder: float = 1e-4
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    span_loss_weight: float = 1.0
    max_articles: int = 0
    threads: int = 2
    device: str = "cpu"
    """Where the training steps and the teachers' passes run: "cpu", or "cuda" for a GPU, where a
    base-size teacher fine-tunes all its layers in minutes. Export and calibration stay on the CPU,
    as analysis does."""
    quantize: bool = True
    role_refiner_epochs: int = 0
    """Where above 0, after export a small convolution over the exported encoder's states and role
    logits (:class:`propwatch.model.heads.RoleRefiner`) is fitted for this many epochs on the PolNeAR
    fit texts' gold roles, before calibration; ``--calibrate-only`` fits it again."""
    role_refiner_width: int = 5
    """Tokens the refiner's convolution reads around each token."""
    role_refiner_channels: int = 32
    """What each token's state and role logits are projected to before the convolution."""
    role_refiner_hidden: int = 64
    """Channels of the convolution, each a feature of a few tokens' shape."""
    role_refiner_members: int = 1
    """Refiners fitted from different seeds whose corrections are averaged."""
    role_refiner_distil_epochs: int = 0
    """Where above 0, the members' average is distilled into one refiner of their shape, fitted for
    this many epochs to their role probabilities on the fit texts, so analysis pays for one member."""
    role_refiner_dilations: tuple[int, ...] = ()
    """Dilated layers after the refiner's convolution, one per entry, each of the same width reading
    its input every this-many tokens and adding to it: with (2, 8, 32) a token sees about 250
    around it (its clause, the quote marks, the cue a sentence away) rather than a few words."""

    def __post_init__(self) -> None:
        self.drop_layers = tuple(self.drop_layers)  # TOML gives a list
        self.out_of_fold_teachers = tuple(self.out_of_fold_teachers)
        self.role_refiner_dilations = tuple(self.role_refiner_dilations)
        if self.teacher_folds > 1 and not 0 <= self.teacher_fold < self.teacher_folds:
            raise ValueError(f"teacher_fold {self.teacher_fold} is not a part of teacher_folds = {self.teacher_folds}")
        if self.out_of_fold_teachers and (self.technique_teacher or self.technique_teacher_polnear):
            raise ValueError("out_of_fold_teachers teach the PTC windows in place of technique_teacher: keep one")
        if self.role_refiner_width % 2 == 0:
            raise ValueError(
                f"role_refiner_width = {self.role_refiner_width}: the refiner reads a token and as many on either side"
            )
        if self.role_teacher and self.technique_teacher_roles:
            raise ValueError("role_teacher and technique_teacher_roles both name a teacher of roles: keep one")

    @classmethod
    def load(cls, path: Path) -> TrainConfig:
        """Read a TOML config, refusing unknown keys so typos don't silently fall back to defaults."""
        with open(path, "rb") as fh:
            raw: dict[str, Any] = tomllib.load(fh)
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(sorted(unknown))}")
        config = cls(**raw)
        base = path.resolve().parent
        config.out_of_fold_teachers = tuple(str((base / run).resolve()) for run in config.out_of_fold_teachers)
        for name in (
            "train_articles",
            "train_si_labels",
            "train_tc_labels",
            "polnear_text",
            "polnear_ann",
            "init_checkpoint",
            "teacher_checkpoint",
            "technique_teacher",
            "role_teacher",
        ):
            if getattr(config, name):
                setattr(config, name, str((base / getattr(config, name)).resolve()))
        return config

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, written into the model folder so the card can say how it was made."""
        return asdict(self)
