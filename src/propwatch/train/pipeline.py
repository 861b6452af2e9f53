"""``propwatch train``: train → export → calibrate, one reproducible run from one config."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from propwatch.train.calibrate import calibrate, calibrate_roles, forget_learned
from propwatch.train.config import TrainConfig
from propwatch.train.data import load_corpus
from propwatch.train.export import export_model
from propwatch.train.loop import prepare_attributions, train_model
from propwatch.train.net import load_trained
from propwatch.train.refine import fit_role_refiner


def inference_settings(config: TrainConfig) -> dict:
    """What the runtime needs to cut windows the way the model was trained."""
    return {
        "window": config.window,
        "overlap": config.inference_overlap or config.overlap,
        "encoder": config.encoder,
        "encoder_sha256": config.encoder_sha256,
        "seed": config.seed,
    }


def run_training(config_path: Path, out_dir: Path, log=sys.stderr) -> dict:
    """Run the whole recipe; the exported model lands in ``out_dir/model``."""
    config = TrainConfig.load(config_path)
    model, encoder, held = train_model(config, out_dir, log=log)
    tokenizer_json = out_dir / "tokenizer.json"
    encoder.tokenizer.save(str(tokenizer_json))
    model_dir = export_model(model, tokenizer_json, out_dir / "model", inference_settings(config), config.quantize)
    return {"model": str(model_dir), **calibrate_run(config, model_dir, held, out_dir, log)}


def run_calibration(config_path: Path, out_dir: Path, log=sys.stderr) -> dict:
    """Redo only the calibration of a finished run (after a change to decoding or linking rules)."""
    config = TrainConfig.load(config_path)
    model_dir, held = out_dir / "model", _held_out(out_dir)
    return {"model": str(model_dir), **calibrate_run(config, model_dir, held, out_dir, log)}


def run_export(config_path: Path, out_dir: Path, log=sys.stderr) -> dict:
    """Export a finished run's checkpoint again (after a change to the export), then recalibrate.

    The weights stay as trained; only the graph, its fusion and quantisation are redone.
    """
    config = TrainConfig.load(config_path)
    held = _held_out(out_dir)
    model = load_trained(config, out_dir / "checkpoint.pt")
    tokenizer_json = out_dir / "tokenizer.json"
    model_dir = export_model(model, tokenizer_json, out_dir / "model", inference_settings(config), config.quantize)
    return {"model": str(model_dir), **calibrate_run(config, model_dir, held, out_dir, log)}


def _held_out(out_dir: Path) -> dict:
    held_path = out_dir / "heldout-ids.json"
    if not held_path.exists():
        raise FileNotFoundError(f"{held_path}: no held-out ids; is {out_dir} a finished training run?")
    return json.loads(held_path.read_text())


def calibrate_run(config: TrainConfig, model_dir: Path, held: dict, out_dir: Path, log=sys.stderr) -> dict:
    """Calibrate techniques and roles on the run's held-out folds; write and return the report."""
    corpus = load_corpus(Path(config.train_articles), Path(config.train_si_labels), Path(config.train_tc_labels))
    forget_learned(model_dir)  # each part is fitted again below, on these weights, or not at all
    report = calibrate(model_dir, corpus, held["ptc"], log=log) if held["ptc"] else {}
    if held["polnear"]:
        attributions, fit_names, _ = prepare_attributions(config)
        if config.role_refiner_epochs:
            fit_role_refiner(config, model_dir, attributions, fit_names, log=log)
        report.update(calibrate_roles(model_dir, attributions, held["polnear"], log=log))
    report.pop("decode_trials", None)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    return report
