"""The PolNeAR reader: brat standoff to attributions, first annotator, discontinuous spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.polnear import ann_files, parse_ann, read_corpus, read_speakers
from propwatch.readers import InputError


def test_fixture_corpus(tmp_path: Path):
    base = Path(__file__).parent / "fixtures" / "polnear"
    corpus = read_corpus(base / "text", base / "attributions")
    text, gold = corpus["fixture_2016-01-01_council"]
    assert len(gold) == 5, "the first annotator's file (aa01) is used, not zz99"
    first = gold[0]
    assert text[slice(*first.content)] == "the budget would protect every school"
    assert text[slice(*first.source)] == "The mayor"
    assert text[slice(*first.cue)] == "said"


def test_discontinuous_span_counts_as_outer_extent():
    ann = "T1\tContent 10 20;25 40\tpart one\nmore text\nT2\tCue 5 9\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n"
    (only,) = parse_ann(ann, "x.ann")
    assert only.content == (10, 40)
    assert only.source is None and only.cue == (5, 9)


def test_malformed_lines_name_file_and_line():
    with pytest.raises(InputError, match=r"x\.ann:1: cannot read span offsets"):
        parse_ann("T1\tContent ten 20\tx\n", "x.ann")
    with pytest.raises(InputError, match=r"x\.ann:1: refers to unknown annotation T9"):
        parse_ann("E1\tAttribution:T1 Content:T9\n", "x.ann")


def test_first_annotator_by_file_name(tmp_path: Path):
    for name in ("a_zz.ann", "a_bb.ann", "b_cc.ann"):
        (tmp_path / name).write_text("")
    assert {k: v.name for k, v in ann_files(tmp_path).items()} == {"a": "a_bb.ann", "b": "b_cc.ann"}


def test_missing_text_is_a_clear_error(tmp_path: Path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "text").mkdir()
    (tmp_path / "ann" / "gone_aa.ann").write_text("")
    with pytest.raises(InputError, match=r"no text gone\.txt"):
        read_corpus(tmp_path / "text", tmp_path / "ann")


def test_read_speakers_and_its_errors(tmp_path: Path):
    path = tmp_path / "speakers.tsv"
    path.write_text("file\tsource_start\tsource_end\tcontent_start\tcontent_end\tspeaker\nx\t0\t3\t5\t9\tAna Soto\n")
    assert read_speakers(path) == {("x", (0, 3), (5, 9)): "Ana Soto"}
    path.write_text("file\tsource_start\tsource_end\tcontent_start\tcontent_end\tspeaker\nx\t0\tthree\t5\t9\tAna\n")
    with pytest.raises(InputError, match=r"speakers.tsv:2: "):
        read_speakers(path)
