"""The Python API over the shipped model: spans always index the exact input text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import propwatch
from propwatch.analysis import Analyzer
from propwatch.document import Document
from propwatch.model.heads import RoleRefiner
from propwatch.model.runtime import DEFAULT_MODEL_DIR, ModelError, RefinerSession
from propwatch.techniques import NAMES
from propwatch.voices import voice_of

EXAMPLES = Path(__file__).parent.parent / "examples"

PIECES = st.sampled_from(
    [
        "The",
        "traitors",
        "said",
        "\r\n",
        "\n\n",
        "😀",
        "👩‍👩‍👧",
        "e\u0301",
        "“quoted”",
        "«non»",
        "  ",
        "naïve",
        "東京",
        "disgraceful",
        "!",
        "?",
        "every",
        "patriot",
        "knows",
        "Café",
        "\u200b",
        "\t",
    ]
)


def test_analyze_returns_document_with_valid_spans():
    doc = propwatch.analyze("The corrupt elite will stop at nothing to silence real patriots like you.")
    assert isinstance(doc, Document)
    for span in doc.spans:
        assert span.technique in NAMES
        assert 0 <= span.start < span.end <= len(doc.text)
        assert 0.0 <= span.score <= 1.0
        assert span.speaker == voice_of(span, doc.attributions)


def test_empty_text_gives_no_spans(analyzer):
    assert analyzer.analyze([Document(text="", id="empty")])[0].spans == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, min_size=1, max_size=60).map(" ".join))
def test_spans_index_exact_text_with_crlf_emoji_and_combining_marks(analyzer, text):
    doc = analyzer.analyze([Document(text=text, id="t")])[0]
    assert doc.text == text
    for span in doc.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert doc.span_text(span) == text[span.start : span.end]


def test_long_article_is_windowed_not_truncated(analyzer):
    sentence = "The reckless and corrupt regime keeps lying to the nation. "
    text = sentence * 300  # far past one 256-token window
    outputs = analyzer.token_outputs([text])[0]
    assert len(outputs.encoded) > 2000
    assert (outputs.probs.sum(axis=1) > 0.99).all(), "every token gets a prediction"


def test_threshold_trades_spans(analyzer):
    from propwatch.analysis import Analyzer

    text = "They are traitors and cowards, and this shameful, disastrous plan will destroy us all."
    strict = Analyzer(threshold=0.99).analyze([Document(text=text)])[0]
    loose = Analyzer(threshold=0.01).analyze([Document(text=text)])[0]
    covered = lambda d: sum(s.end - s.start for s in d.spans)  # noqa: E731
    assert covered(loose) >= covered(strict)


def test_inference_does_not_import_torch():
    code = (
        "import sys, propwatch\n"
        "propwatch.analyze('The shameful regime lies.')\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "assert 'transformers' not in sys.modules, 'transformers imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_results_do_not_depend_on_batch_companions(analyzer):
    text = "The corrupt elite will stop at nothing to silence real patriots like you."
    alone = analyzer.analyze([Document(text=text)])[0].to_dict()
    others = [Document(text="Officials said the bridge reopens in May. " * n) for n in (1, 40, 200)]
    together = analyzer.analyze([*others, Document(text=text)])[-1].to_dict()
    assert alone == together


def test_articles_analysed_together_have_the_attributions_each_has_alone(analyzer):
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    outputs = analyzer.token_outputs(texts)
    alone = [analyzer.attributions_for(text, out) for text, out in zip(texts, outputs, strict=True)]
    assert analyzer.attributions_of(texts, outputs) == alone
    assert sum(map(len, alone)) > len(texts), "the examples quote people"


def test_a_source_ranker_for_other_features_is_refused(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    config = json.loads((folder / "model.json").read_text())
    config["source_ranker"] = {"features": ["none", "an_old_feature"], "weights": [0.0, 1.0]}
    (folder / "model.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="source ranker uses other features"):
        Analyzer(folder)


def test_display_score_is_read_from_model_json(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    config = json.loads((folder / "model.json").read_text())
    config["display_score"] = 0.42
    (folder / "model.json").write_text(json.dumps(config))
    assert Analyzer(folder).display_score == 0.42
    del config["display_score"]
    (folder / "model.json").write_text(json.dumps(config))
    assert Analyzer(folder).display_score == 0.5


def test_a_model_without_span_score_or_semeval_parts_decodes_one_way(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    config = json.loads((folder / "model.json").read_text())
    for key in ("span_score", "semeval", "display_score"):
        config.pop(key)
    (folder / "model.json").write_text(json.dumps(config))
    plain = Analyzer(folder)
    text = "The corrupt elite will stop at nothing to silence real patriots like you.\n\nShame on them!"
    out = plain.token_outputs([text])[0]
    spans = plain.spans_for(text, out)
    assert [(s.start, s.end) for s in spans] == [(s.start, s.end) for s in plain.semeval_spans(text, out)]
    assert plain.display_score == 0.5


def test_shipped_spans_are_scored_at_least_the_cut(analyzer):
    text = "The corrupt elite will stop at nothing to silence real patriots like you. Shame on them!"
    cut = analyzer.span_score.cut
    assert all(cut <= s.score <= 1.0 for s in analyzer.analyze([Document(text=text)])[0].spans)


def test_a_model_folder_from_before_the_refiners_graph_refines_roles_in_numpy(analyzer, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    (folder / RefinerSession.FILE).unlink()
    older = Analyzer(folder, parse=False)
    assert isinstance(older.model.refiner, RoleRefiner) and isinstance(analyzer.model.refiner, RefinerSession)
    text = 'The mayor said the budget would protect every school. "We cannot keep cutting," Ana Ruiz said.'
    (numpy,), (graph,) = older.token_outputs([text]), analyzer.token_outputs([text])
    assert np.allclose(numpy.roles, graph.roles, atol=1e-5)
