"""The article view: pieces keep every span visible, the legend and the voices panel."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st
from web_demo import demo_items

from propwatch.techniques import NAMES, TECHNIQUES
from propwatch.web.view import article_view, is_web_link, legend, paint, pieces, voices


def _doc(text: str, spans: list[tuple[int, int, str]], attributions: list | None = None) -> dict:
    return {
        "id": "t",
        "title": None,
        "outlet": None,
        "published": None,
        "url": None,
        "text": text,
        "spans": [{"start": s, "end": e, "technique": t, "score": 0.5, "speaker": None} for s, e, t in spans],
        "attributions": attributions or [],
    }


def test_overlapping_spans_both_cover_their_shared_piece() -> None:
    doc = _doc("abcdefghij", [(0, 6, NAMES[0]), (3, 9, NAMES[1])])
    cut = pieces(doc)
    assert [p.text for p in cut] == ["abc", "def", "ghi", "j"]
    assert [p.spans for p in cut] == [(0,), (0, 1), (1,), ()]


def test_paint_stacks_one_bar_per_span_and_colours_the_innermost() -> None:
    outer = {"start": 0, "end": 10, "technique": TECHNIQUES[0].name, "score": 0.5, "speaker": None}
    inner = {"start": 2, "end": 4, "technique": TECHNIQUES[1].name, "score": 0.5, "speaker": None}
    style = paint([outer, inner])
    assert style.startswith(f"background-color: {TECHNIQUES[1].colour}")
    assert style.count("inset") == 2


span_lists = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(NAMES)).map(
        lambda t: (min(t[0], t[1]), max(t[0], t[1]), t[2])
    ),
    max_size=6,
)


@given(st.text(min_size=1, max_size=40), span_lists)
def test_pieces_rebuild_the_text_and_each_character_knows_its_spans(text: str, spans: list) -> None:
    spans = [(s, min(e, len(text)), t) for s, e, t in spans if s < len(text)]
    doc = _doc(text, spans)
    cut = pieces(doc)
    assert "".join(p.text for p in cut) == text
    position = 0
    for piece in cut:
        for offset in range(position, position + len(piece.text)):
            expected = tuple(i for i, (s, e, _) in enumerate(spans) if s <= offset < e)
            assert piece.spans == expected
        position += len(piece.text)


def test_legend_lists_every_technique_with_counts() -> None:
    doc = _doc("abcdef", [(0, 2, NAMES[3]), (2, 4, NAMES[3]), (4, 6, NAMES[5])])
    counts = {item.name: item.count for item in legend(doc)}
    assert list(counts) == list(NAMES)
    assert counts[NAMES[3]] == 2 and counts[NAMES[5]] == 1 and sum(counts.values()) == 3
    assert all(item.definition for item in legend(doc))


def test_voices_panel_lists_speakers_relays_and_spans_inside_quotes() -> None:
    doc = next(d for d in demo_items() if d["id"] == "harbour-vote")
    view = article_view(doc)
    first = view.voices[0]
    assert first.speaker == "Lena Ortiz"
    assert first.via == ("the Courier",)
    assert first.excerpt == "the only way to save this city from ruin"
    assert first.cue == "said" and first.source == "Mayor Lena Ortiz"
    assert first.span_count == 2
    assert first.anchor == "quote-0"
    assert view.author_spans == 3
    anchored = [p for p in view.pieces if p.anchor == "quote-0"]
    assert len(anchored) == 1 and anchored[0].quote == 0


def test_quote_without_text_gets_no_anchor() -> None:
    doc = _doc("abc", [], [{"content": [1, 1], "source": None, "cue": None, "speaker": None, "via": []}])
    assert voices(doc, set())[0].anchor is None


def test_only_http_links_are_links() -> None:
    assert is_web_link("https://example.org/a")
    assert not is_web_link("javascript:alert(1)")
    assert not is_web_link("article.txt")


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour, for telling colours apart as people see them."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_technique_colours_are_told_apart_and_tags_are_unique() -> None:
    for a, b in itertools.combinations(TECHNIQUES, 2):
        assert math.dist(_lab(a.colour), _lab(b.colour)) >= 15, (a.short, b.short)
    assert len({t.tag for t in TECHNIQUES}) == len(TECHNIQUES)
    assert all(len(t.tag) == 2 and t.tag.isupper() for t in TECHNIQUES)
