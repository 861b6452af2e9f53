"""``propwatch train``: train → export → calibrate, one reproducible run from one config."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from propwatch.train.calibrate import calibrate, calibrate_roles
from propwatch.train.config import TrainConfig
from propwatch.train.data import load_corpus
from propwatch.train.export import export_model
from propwatch.train.loop import prepare_attributions, train_model


def inference_settings(config: TrainConfig) -> dict:
    """What the runtime needs to cut windows the way the model was trained."""
    return {
        "window": config.window,
        "overlap": config.overlap,
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
    corpus = load_corpus(Path(config.train_articles), Path(config.train_si_labels), Path(config.train_tc_labels))
    report = calibrate(model_dir, corpus, held["ptc"], log=log) if held["ptc"] else {}
    if held["polnear"]:
        attributions, _, _ = prepare_attributions(config)
        report.update(calibrate_roles(model_dir, attributions, held["polnear"], log=log))
    report.pop("decode_trials", None)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    return {"model": str(model_dir), **report}
