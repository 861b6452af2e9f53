"""End to end in headless Chromium: ``propwatch serve`` on 127.0.0.1, driven by Playwright.

The browser is Debian's /usr/bin/chromium (scripts/test.sh installs it; Playwright never downloads
one). Set PROPWATCH_SCREENSHOTS=docs to refresh the README's screenshots from these tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_demo import ARTICLE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1"> ' + ARTICLE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``propwatch serve --db demo.duckdb`` as a user starts it, until its health check answers."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("propwatch")), "serve", "--db", str(demo_db), "--port", str(port)]
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_healthy(base: str, process: subprocess.Popen, log: Path, limit_s: float = 60.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"propwatch serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail(f"propwatch serve did not answer within {limit_s:.0f} s")


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium; the test setup installs it (apt-get install chromium)."""
    if not CHROMIUM.exists():
        pytest.fail("browser tests need Debian's chromium: apt-get install chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("PROPWATCH_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _paste_and_analyze(page, base: str, text: str) -> None:
    page.goto(f"{base}/")
    page.fill("#text", text)
    page.click("#analyze-button")
    page.wait_for_selector("#article-text")


def _shown_marks(page) -> int:
    return page.locator("#article-text mark.hl:not(.off)").count()


def _show_every_span(page) -> None:
    page.locator("#threshold").fill("0")


def _display_score(server: str) -> float:
    return httpx.get(f"{server}/api/health").json()["display_score"]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(x) for x in css[css.index("(") + 1 : css.index(")")].replace(",", " ").replace("/", " ").split()]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def _over(colour: tuple[float, float, float, float], paper: tuple[float, ...]) -> tuple[float, float, float]:
    *rgb, alpha = colour
    return tuple(alpha * c + (1 - alpha) * p for c, p in zip(rgb, paper[:3], strict=True))


def test_paste_highlight_hover_and_slider(page, server: str) -> None:
    _paste_and_analyze(page, server, ARTICLE)
    total = json.loads(page.locator("#pw-data").text_content())["spans"]
    display = _display_score(server)
    assert page.locator("#controls").is_visible()
    assert float(page.locator("#threshold").input_value()) == round(display, 2)  # opens on the display score
    assert page.locator("#shown").text_content().startswith(f"{sum(1 for s in total if s['score'] >= display)} of")
    _show_every_span(page)
    assert _shown_marks(page) >= len(total) > 0
    assert page.locator("#legend li:not([hidden])").count() >= 1
    attributions = httpx.post(f"{server}/api/analyze", json={"text": ARTICLE}).json()["attributions"]
    assert page.locator("#voices li").count() == len(attributions)

    first = page.locator("#article-text mark.hl").first
    first.hover()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert "score" in tip.text_content()
    _screenshot(page, "web-analyze.png")

    page.locator("#threshold").fill("1")
    assert _shown_marks(page) == sum(1 for s in total if s["score"] >= 1)
    assert page.locator("#threshold-value").text_content() == "1.00"
    _show_every_span(page)
    assert _shown_marks(page) >= len(total)


def test_keyboard_reaches_spans_and_shows_details(page, server: str) -> None:
    _paste_and_analyze(page, server, ARTICLE)
    _show_every_span(page)
    page.locator("#article-text mark.hl").first.focus()
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    assert page.locator("#tip").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#tip").is_visible()


def test_voice_filter_and_who_said_what_follow_the_filters(page, server: str) -> None:
    page.goto(f"{server}/articles/harbour-vote")
    _screenshot(page, "web-article.png")  # as it opens: the spans at or above the display score
    spans = json.loads(page.locator("#pw-data").text_content())["spans"]
    _show_every_span(page)
    quoted = sum(1 for s in spans if s["speaker"] is not None)
    author = len(spans) - quoted

    def shown() -> int:
        return int(page.locator("#shown").text_content().split()[0])

    def quote_counts() -> list[int]:
        return [int(t.split()[0]) for t in page.locator("#voices .span-count").all_text_contents()]

    assert shown() == len(spans)
    assert page.locator("#author-count").text_content() == str(author)
    everything = quote_counts()
    page.check("input[name=voice][value=quoted]")
    assert shown() == quoted
    assert page.locator("#author-count").text_content() == "0"
    visible = page.locator("#legend li:not([hidden]) .name").all_text_contents()
    assert any("Name calling" in v for v in visible) and not any("Loaded language" in v for v in visible)
    page.check("input[name=voice][value=author]")
    assert shown() == author and quote_counts() == [0] * len(everything)
    page.check("input[name=voice][value=all]")
    assert shown() == len(spans) and quote_counts() == everything
    page.locator("#threshold").fill("0.85")  # only "reckless saboteurs" (0.91) is left in a quotation
    assert sum(quote_counts()) == 1 and page.locator("#author-count").text_content() == "0"
    _show_every_span(page)

    panel = page.locator("#voices")
    assert "Lena Ortiz" in panel.text_content() and "via the Courier" in panel.text_content()
    panel.locator("a[href='#quote-0']").click()
    assert page.evaluate("location.hash") == "#quote-0"


DEMO_ARTICLES = ("harbour-vote", "grid-warning", "school-budget", "bridge-repair", "ferry-fares")

MARK_COLOURS = """() => Array.from(document.querySelectorAll('#article-text mark.hl:not(.off)')).map(m => {
  const style = getComputedStyle(m);
  return {spans: m.dataset.spans, shadow: style.boxShadow, background: style.backgroundColor, colour: style.color,
          paper: getComputedStyle(document.getElementById('article-text')).backgroundColor,
          tag: getComputedStyle(m, '::after').content};
})"""


def test_every_technique_meets_wcag_aa_and_shows_its_tag(page, server: str) -> None:
    """Marks 3:1 against the page, text 4.5:1 on every tint, for all 14 techniques of the table."""
    seen: set[str] = set()
    for doc_id in DEMO_ARTICLES:
        page.goto(f"{server}/articles/{doc_id}")
        _show_every_span(page)
        data = json.loads(page.locator("#pw-data").text_content())
        table, spans = data["techniques"], data["spans"]
        for mark in page.evaluate(MARK_COLOURS):
            paper = _rgba(mark["paper"])
            bars = [_rgba(c + ")") for c in mark["shadow"].split(")")[:-1]]
            for bar in bars:
                assert _contrast(_over(bar, paper), paper[:3]) >= 3.0, (doc_id, bar)
            tint = _over(_rgba(mark["background"]), paper)
            assert _contrast(_over(_rgba(mark["colour"]), tint), tint) >= 4.5, (doc_id, mark)
            seen.update(spans[int(i)]["technique"] for i in mark["spans"].split())
        ends = {table[s["technique"]]["tag"] for s in spans}
        tags = " ".join(m["tag"] for m in page.evaluate(MARK_COLOURS))
        assert all(tag in tags for tag in ends), doc_id  # each span's tag is drawn after it
    assert seen == set(table)  # the demo articles use all 14 techniques
    for name, technique in table.items():
        colour = tuple(int(technique["colour"][i : i + 2], 16) for i in (1, 3, 5))
        assert _contrast(colour, (255, 255, 255)) >= 4.5, name  # also readable as text on white


def test_quoted_words_have_a_key_and_no_second_underline(page, server: str) -> None:
    page.goto(f"{server}/articles/harbour-vote")
    assert page.locator("#quote-key").is_visible()
    decoration = page.evaluate(
        "Array.from(document.querySelectorAll('#article-text [data-quote]'))"
        ".map(e => getComputedStyle(e).textDecorationLine + '|' + getComputedStyle(e).borderBottomStyle)"
    )
    assert decoration and all(d == "none|none" for d in decoration)


def test_techniques_box_says_why_it_is_empty(page, server: str) -> None:
    page.goto(f"{server}/articles/harbour-vote")
    page.locator("#threshold").fill("1")
    assert page.locator("#legend li:not([hidden])").count() == 0
    assert "move the slider left" in page.locator("#legend-empty").text_content()
    assert page.locator("#legend-empty").is_visible()
    _show_every_span(page)
    assert not page.locator("#legend-empty").is_visible()


def test_tooltip_spares_the_next_line_and_follows_a_resize(page, server: str) -> None:
    page.goto(f"{server}/articles/grid-warning")
    _show_every_span(page)
    mark = page.locator("#article-text mark.hl", has_text="scaremongering")
    mark.hover()
    tip, box = page.locator("#tip").bounding_box(), mark.bounding_box()
    assert tip["y"] + tip["height"] <= box["y"]  # above the span: the line below stays readable
    page.mouse.move(0, 0)
    mark.focus()  # a focused span keeps its details open while the window changes
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.locator("#tip").is_visible()
    # the page moves the tip on its resize event, which may land after the viewport changes
    page.wait_for_function(
        "() => { const t = document.getElementById('tip').getBoundingClientRect();"
        " return t.left >= 0 && t.right <= document.documentElement.clientWidth; }",
        timeout=5000,
    )
    tip = page.locator("#tip").bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= width


def test_script_in_the_input_is_shown_not_run(page, server: str) -> None:
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d), d.dismiss()))
    _paste_and_analyze(page, server, XSS)
    assert "<script>window.__pwned = 1</script>" in page.locator("#article-text").text_content()
    assert page.evaluate("window.__pwned") is None
    assert not dialogs


def test_download_json_is_the_api_object(page, server: str) -> None:
    _paste_and_analyze(page, server, ARTICLE)
    with page.expect_download() as download:
        page.click("#download-json")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved == httpx.post(f"{server}/api/analyze", json={"text": ARTICLE}).json()


def test_works_without_javascript(browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _paste_and_analyze(page, server, ARTICLE)
    assert page.locator("#article-text mark.hl").count() > 0
    assert not page.locator("#controls").is_visible()
    context.close()


def test_readable_on_a_phone(browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    _paste_and_analyze(page, server, ARTICLE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{server}/dashboard")
    assert page.evaluate("document.body.scrollWidth") <= 390
    context.close()


NOT_ENGLISH = " ".join(["kissa istuu ikkunalla katsoo lintuja puutarhassa aamulla hiljaa"] * 6)


def test_messages_say_what_to_do_on_the_page(page, server: str) -> None:
    page.goto(f"{server}/")
    page.fill("#text", NOT_ENGLISH)
    page.click("#analyze-button")
    error = page.locator("#error").text_content()
    assert "does not look like English" in error and "Analyse even if it does not look like English" in error
    assert "--" not in error
    page.fill("#url", "http://127.0.0.1/private")
    page.fill("#text", "")
    page.click("#analyze-button")
    error = page.locator("#error").text_content()
    assert "paste the article's text" in error and "--" not in error


def test_dashboard_filter_and_drill_down(page, server: str) -> None:
    page.goto(f"{server}/dashboard")
    assert page.locator("#stat-articles").text_content() == "6"
    assert page.locator("svg.chart").count() >= 4
    assert "not falsehood" in page.locator("#main").text_content()
    assert page.locator("svg.chart .whisker").count() >= 1  # outlet rates are drawn with their intervals
    _screenshot(page, "web-dashboard.png")
    page.select_option("#filter-outlet", "Coastal Courier")
    page.click("form.filters button")
    page.wait_for_url("**/dashboard?outlet=Coastal+Courier**")
    assert page.locator("#stat-articles").text_content() == "2"
    page.locator("#article-table a", has_text="Council pushes harbour deal through").click()
    page.wait_for_url("**/articles/harbour-vote")
    _show_every_span(page)
    assert page.locator("#article-text mark.hl").count() >= 6


def test_dashboard_has_no_blank_column_wrapped_dates_or_clipped_tables(browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/dashboard")
    widths = page.evaluate(
        "Array.from(document.querySelectorAll('.panels > .panel'))"
        ".map(p => p.offsetWidth / p.parentElement.clientWidth)"
    )
    assert widths and min(widths) > 0.95  # one column: no panel sits beside a long table
    lines = page.evaluate(
        """Array.from(document.querySelectorAll('#article-table td.nowrap')).map(td => {
             const range = document.createRange(); range.selectNodeContents(td);
             return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size; })"""
    )
    assert lines and max(lines) == 1  # "2024-03-04" and outlet names stay on one line
    clipped = page.evaluate(
        """Array.from(document.querySelectorAll('.panel table')).filter(t => {
             let box = t.parentElement;
             while (box && getComputedStyle(box).overflowX !== 'auto') box = box.parentElement;
             return !box || t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1
                    && box.scrollWidth <= box.clientWidth; }).length"""
    )
    assert clipped == 0  # a wide table scrolls inside its box instead of losing its last column
    context.close()


def test_dashboard_explains_an_inverted_date_range(page, server: str) -> None:
    page.goto(f"{server}/dashboard?date_from=2024-05-01&date_to=2024-03-01")
    problem = page.locator("#filter-problem").text_content()
    assert "2024-05-01 is after the end date 2024-03-01" in problem
    page.goto(f"{server}/dashboard?date_from=2030-01-01")
    assert "No articles match these filters" in page.locator("#no-match").text_content()


def test_api_docs_work_offline_and_link_back(page, server: str) -> None:
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(f"{server}/docs")
    page.get_by_text("/api/analyze").first.wait_for(timeout=15_000)
    assert page.locator(".info a[href='/']").count() == 1
    page.locator(".opblock-summary-path", has_text="/api/analyze").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.text_content().strip() == "200"
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))]
    assert httpx.get(f"{server}/redoc").status_code == 404
