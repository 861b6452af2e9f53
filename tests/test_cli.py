"""The command line: output formats, batch robustness and the SemEval commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from propwatch.cli import main

GOOD = "The mayor's disastrous plan has turned our quiet town into a war zone, residents said on Monday.\n"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_analyze_json_schema(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD)
    result = runner.invoke(main, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert set(record) >= {"id", "text", "spans", "attributions"}
    assert record["text"] == GOOD
    for span in record["spans"]:
        assert set(span) == {"start", "end", "technique", "score", "speaker"}


def test_analyze_stdin(runner):
    result = runner.invoke(main, ["analyze", "-", "--json"], input=GOOD)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "stdin"


def test_analyze_terminal_view_has_legend(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD)
    result = runner.invoke(main, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "war zone" in result.stdout
    shown = ("Techniques:", "No propaganda techniques found.", "No span scored")
    assert any(line in result.stdout for line in shown)


def test_analyze_html(runner):
    example = Path(__file__).parent.parent / "examples" / "school-funding.html"
    record = json.loads(runner.invoke(main, ["analyze", str(example), "--json"]).stdout)
    assert record["title"] == "Council approves school funding after heated debate"
    assert "console.log" not in record["text"]
    assert "<p>" not in record["text"]


def test_batch_with_broken_files_keeps_good_ones(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good1.txt").write_text(GOOD)
    (folder / "good2.txt").write_text("Officials said the bridge will reopen next week after repairs.\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "latin1.txt").write_bytes("Le café était fermé, a déclaré le maire.".encode("latin-1"))
    (folder / "huge.txt").write_bytes(b"word " * 1_000_000)
    result = runner.invoke(main, ["analyze", str(folder), "--json"])
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["good1", "good2"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("propwatch: error:")]
    for name in ("empty.txt", "binary.txt", "latin1.txt", "huge.txt"):
        assert sum(name in line for line in errors) == 1, (name, errors)


def test_missing_file_is_an_error_but_others_run(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD)
    result = runner.invoke(main, ["analyze", str(tmp_path / "nope.txt"), str(path), "--json"])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_non_english_refused_unless_asked(runner, tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Die Regierung hat heute beschlossen, dass die Schulen im Winter länger geöffnet bleiben. " * 5)
    refused = runner.invoke(main, ["analyze", str(path), "--json"])
    assert refused.exit_code == 1
    assert "English" in refused.stderr
    assert runner.invoke(main, ["analyze", str(path), "--json", "--any-language"]).exit_code == 0


def test_semeval_si_and_tc(runner, tmp_path, ptc_fixture):
    si_out, tc_out = tmp_path / "si.txt", tmp_path / "tc.txt"
    articles = str(ptc_fixture / "articles")
    assert runner.invoke(main, ["semeval", "si", articles, "-o", str(si_out)]).exit_code == 0
    for line in si_out.read_text().splitlines():
        article_id, start, end = line.split("\t")
        assert article_id in {"9001", "9002", "9003"} and int(start) < int(end)
    template = ptc_fixture / "labels-tc"
    assert runner.invoke(main, ["semeval", "tc", articles, str(template), "-o", str(tc_out)]).exit_code == 0
    template_rows = [line.split("\t") for f in sorted(template.iterdir()) for line in f.read_text().splitlines()]
    predicted = [line.split("\t") for line in tc_out.read_text().splitlines()]
    assert [(r[0], r[2], r[3]) for r in predicted] == [(r[0], r[2], r[3]) for r in template_rows]
    slogans = [r[1] for r in predicted if r[0] == "9001" and r[2] == "272"]
    assert len(set(slogans)) == 2, "a span labelled twice gets two distinct techniques"


def test_evaluate_prints_figures(runner, ptc_fixture):
    result = runner.invoke(main, ["evaluate", str(ptc_fixture / "articles"), str(ptc_fixture / "labels-tc"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["articles"] == 3 and figures["gold_spans"] == 14
    assert 0.0 <= figures["si"]["f1"] <= 1.0 and 0.0 <= figures["tc"]["f1"] <= 1.0


def test_evaluate_malformed_labels_is_one_clear_line(runner, tmp_path, ptc_fixture):
    bad = tmp_path / "bad.labels"
    bad.write_text("9001\tLoaded_Language\tten\t45\n")
    result = runner.invoke(main, ["evaluate", str(ptc_fixture / "articles"), str(bad)])
    assert result.exit_code != 0
    assert "bad.labels:1" in result.output and "integers" in result.output
    assert "Traceback" not in result.output


def test_evaluate_attributions(runner):
    base = Path(__file__).parent / "fixtures" / "polnear"
    result = runner.invoke(main, ["evaluate-attributions", str(base / "text"), str(base / "attributions"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["gold"] == 12
    assert 0.0 <= figures["content"]["f1"] <= 1.0


def test_evaluate_attributions_with_gold_speakers(runner, tmp_path):
    base = Path(__file__).parent / "fixtures" / "polnear"
    speakers = tmp_path / "speakers.tsv"
    speakers.write_text(
        "file\tsource_start\tsource_end\tcontent_start\tcontent_end\tspeaker\n"
        "fixture_2016-01-01_council\t165\t184\t135\t158\tAna Ruiz\n"
    )
    args = ["evaluate-attributions", str(base / "text"), str(base / "attributions"), "--speakers", str(speakers)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "speaker      accuracy" in result.output and "malformed" in result.output
    assert "90% interval" in result.output and "over 1 articles" in result.output
    figures = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    low, high = figures["speaker_interval"]
    assert low <= figures["speaker_accuracy"] <= high and figures["speaker_articles"] == 1
    speakers.write_text("file\tspeaker\n")
    result = runner.invoke(main, args)
    assert result.exit_code != 0 and "speakers.tsv:1" in result.output and "Traceback" not in result.output


def test_analyze_json_has_attributions_and_speakers(runner):
    example = Path(__file__).parent.parent / "examples" / "harbour-bridge-wire.txt"
    record = json.loads(runner.invoke(main, ["analyze", str(example), "--json"]).stdout)
    assert record["attributions"], "the wire story's quotes are attributed"
    for item in record["attributions"]:
        assert set(item) == {"content", "source", "cue", "speaker", "via"}
        assert item["content"][0] < item["content"][1]
    speakers = {a["speaker"] for a in record["attributions"]}
    assert "Elena Varga" in speakers and "Tomas Brenner" in speakers


def test_analyze_folder_reads_its_sidecar_and_a_bad_one_fails_the_folder(runner, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "metadata.tsv").write_text("file\ttitle\toutlet\tpublished\na.txt\tTown plan\tTown Crier\t2026-03-04\n")
    record = json.loads(runner.invoke(main, ["analyze", str(folder), "--json"]).stdout)
    assert (record["title"], record["outlet"], record["published"]) == ("Town plan", "Town Crier", "2026-03-04")
    view = runner.invoke(main, ["analyze", str(folder)]).stdout
    assert view.startswith("══ Town plan ══\nTown Crier · 2026-03-04 ·")
    (folder / "metadata.tsv").write_text("file\toutlet\nb.txt\tTown Crier\n")
    result = runner.invoke(main, ["analyze", str(folder), "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "metadata.tsv:2: lists 'b.txt', which is not a file" in result.stderr


def test_help_lists_whole_summaries(runner):
    listing = runner.invoke(main, ["--help"]).output.split("Commands:")[1]
    assert "…" not in listing and "..." not in listing
    assert "Find technique spans in text or HTML files (or - for" in listing
