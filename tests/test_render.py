"""The terminal view and the display score: what a reader sees of an analysed document."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

from propwatch.document import Attribution, Document, TechniqueSpan
from propwatch.render import (
    CLOSE,
    DISPLAY_FALLBACK,
    OPEN,
    display_score,
    headline,
    highlight,
    who_said_what,
    write_terminal,
)

TEXT = "Harbour vote delayed\n\nThe reckless plan will ruin us all, said the mayor."


def _doc(**metadata: str) -> Document:
    doc = Document(text=TEXT, id="harbour", **metadata)
    doc.add_span(TechniqueSpan(26, 34, "Loaded_Language", 0.8))  # "reckless"
    doc.add_span(TechniqueSpan(22, 56, "Appeal_to_fear-prejudice", 0.3))  # "The reckless ... all"
    return doc


def test_both_ends_of_every_span_are_marked_without_colour():
    out = highlight(_doc(), colour=False)
    assert out.replace(OPEN, "").count(CLOSE) == 2 and out.count(OPEN) == 2
    assert f"{OPEN}The {OPEN}reckless{CLOSE}[LL 0.80] plan will ruin us all{CLOSE}[FP 0.30]" in out
    assert "\x1b[" not in out


def test_colour_view_keeps_the_marks():
    out = highlight(_doc(), colour=True)
    assert "\x1b[" in out and OPEN in out and CLOSE in out


def test_spans_under_the_display_score_are_hidden_and_counted():
    out = io.StringIO()
    write_terminal(_doc(), out, min_score=0.5)
    text = out.getvalue()
    assert "[LL 0.80]" in text and "[FP 0.30]" not in text
    assert "1 span scored 0.50 or more (1 below it: --all shows them)" in text
    everything = io.StringIO()
    write_terminal(_doc(), everything)
    assert "[FP 0.30]" in everything.getvalue() and "below it" not in everything.getvalue()
    none_shown = io.StringIO()
    write_terminal(_doc(), none_shown, min_score=0.9)
    assert "No span scored 0.90 or more (2 below it: --all shows them)." in none_shown.getvalue()
    assert "No propaganda techniques found." not in none_shown.getvalue()


def test_header_is_a_title_for_text_and_html_alike():
    assert headline(_doc()) == "Harbour vote delayed"  # a text file: its first line
    assert headline(_doc(title="From the sidecar")) == "From the sidecar"
    long_first_line = Document(text="word " * 60, id="long")
    assert headline(long_first_line) == "long"
    out = io.StringIO()
    write_terminal(_doc(outlet="Harbour News", published="2026-03-04", url="news/harbour.txt"), out)
    first, second = out.getvalue().splitlines()[:2]
    assert first == "══ Harbour vote delayed ══"
    assert second.startswith("Harbour News · 2026-03-04 · news/harbour.txt · 2 spans")


def test_who_said_what_in_the_terminal():
    doc = _doc()
    doc.add_attribution(Attribution(content=(22, 56), speaker="the mayor"))
    out = io.StringIO()
    write_terminal(doc, out)
    assert "the mayor: The reckless plan will ruin us all" in out.getvalue()


def test_display_score_from_attribute_model_json_or_fallback(tmp_path):
    assert display_score(SimpleNamespace(display_score=0.42)) == 0.42
    (tmp_path / "model.json").write_text(json.dumps({"display_score": 0.37}))
    assert display_score(SimpleNamespace(model=SimpleNamespace(folder=tmp_path))) == 0.37
    assert display_score(model_dir=tmp_path) == 0.37
    (tmp_path / "model.json").write_text("{}")
    assert display_score(model_dir=tmp_path) == DISPLAY_FALLBACK


def test_a_stance_shows_its_cue_and_is_no_quotation():
    text = "Army spokesman Rami Nasser dismissed the message. Nasser said the town was calm."
    dismissed = text.index("dismissed")
    said = text.index("said")
    doc = Document(
        text=text,
        attributions=[
            Attribution((dismissed + 10, text.index(".")), (15, 26), (dismissed, dismissed + 9), "Rami Nasser"),
            Attribution((said + 5, len(text) - 1), (said - 7, said - 1), (said, said + 4), "Rami Nasser"),
        ],
    )
    lines = who_said_what(doc).splitlines()
    assert lines[1] == "  Rami Nasser dismissed: the message"
    assert lines[2] == "  Rami Nasser: the town was calm"


def test_only_a_direct_quote_is_shown_in_quotation_marks():
    text = 'Harbour vote delayed\n\n"We will not sign it," the mayor said. She said the plan was dead.'
    doc = Document(text=text, id="harbour")
    quote = (text.index("We will"), text.index(',"'))
    paraphrase = (text.index("the plan"), len(text) - 1)
    said = (text.index("said."), text.index("said.") + 4)
    doc.add_attribution(Attribution(content=quote, cue=said, speaker="Ana Berg"))
    doc.add_attribution(
        Attribution(content=paraphrase, cue=(text.index("said the"), text.index("said the") + 4), speaker="Ana Berg")
    )
    lines = who_said_what(doc).splitlines()
    assert lines[1:] == ["  Ana Berg: “We will not sign it”", "  Ana Berg: the plan was dead"]


def test_a_headline_colon_or_a_cut_according_to_shows_no_cue():
    text = "Harbour Chief: Ferry Plan Dead\n\nAccording to a port official, the plan is dead for good."
    doc = Document(text=text, id="harbour")
    chief = (text.index("Chief:"), text.index("Chief:") + 6)
    to = (text.index("to a port"), text.index("to a port") + 2)
    doc.add_attribution(
        Attribution(content=(text.index("Ferry"), text.index("\n\n")), cue=chief, speaker="Harbour Chief")
    )
    doc.add_attribution(Attribution(content=(text.index("the plan"), len(text) - 1), cue=to, speaker="port official"))
    lines = who_said_what(doc).splitlines()
    assert lines[1:] == ["  Harbour Chief: Ferry Plan Dead", "  port official: the plan is dead for good"]


def test_a_request_shows_its_cue_and_a_quote_its_marks_once():
    text = 'Traders have asked for a compensation fund. Brenner said "they want the waterfront."'
    asked = text.index("have asked for")
    said = text.index("said")
    doc = Document(
        text=text,
        attributions=[
            Attribution((asked + 15, text.index(".")), (0, 7), (asked, asked + 14), "Traders"),
            Attribution((said + 5, len(text)), (said - 8, said - 1), (said, said + 4), "Tomas Brenner"),
        ],
    )
    lines = who_said_what(doc).splitlines()
    assert lines[1] == "  Traders have asked for: a compensation fund"
    assert lines[2] == "  Tomas Brenner: “they want the waterfront.”"
