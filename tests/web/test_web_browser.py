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


def test_paste_highlight_hover_and_slider(page, server: str) -> None:
    _paste_and_analyze(page, server, ARTICLE)
    total = json.loads(page.locator("#pw-data").text_content())["spans"]
    assert page.locator("#controls").is_visible()
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
    assert page.locator("#shown").text_content().startswith("0 of") or any(s["score"] >= 1 for s in total)
    assert page.locator("#threshold-value").text_content() == "1.00"
    page.locator("#threshold").fill("0")
    assert _shown_marks(page) >= len(total)


def test_keyboard_reaches_spans_and_shows_details(page, server: str) -> None:
    _paste_and_analyze(page, server, ARTICLE)
    page.locator("#article-text mark.hl").first.focus()
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    assert page.locator("#tip").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#tip").is_visible()


def test_voice_filter_and_who_said_what(page, server: str) -> None:
    page.goto(f"{server}/articles/harbour-vote")
    spans = json.loads(page.locator("#pw-data").text_content())["spans"]
    quoted = sum(1 for s in spans if s["speaker"] is not None)
    author = len(spans) - quoted

    def shown() -> int:
        return int(page.locator("#shown").text_content().split()[0])

    assert shown() == len(spans)
    page.check("input[name=voice][value=quoted]")
    assert shown() == quoted
    visible = page.locator("#legend li:not([hidden]) .name").all_text_contents()
    assert "Name calling" in visible and "Loaded language" not in visible
    page.check("input[name=voice][value=author]")
    assert shown() == author
    page.check("input[name=voice][value=all]")
    assert shown() == len(spans)

    panel = page.locator("#voices")
    assert "Lena Ortiz" in panel.text_content() and "via the Courier" in panel.text_content()
    panel.locator("a[href='#quote-0']").click()
    assert page.evaluate("location.hash") == "#quote-0"
    _screenshot(page, "web-article.png")


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


def test_dashboard_filter_and_drill_down(page, server: str) -> None:
    page.goto(f"{server}/dashboard")
    assert page.locator("#stat-articles").text_content() == "5"
    assert page.locator("svg.chart").count() >= 4
    _screenshot(page, "web-dashboard.png")
    page.select_option("#filter-outlet", "Coastal Courier")
    page.click("form.filters button")
    page.wait_for_url("**/dashboard?outlet=Coastal+Courier**")
    assert page.locator("#stat-articles").text_content() == "2"
    page.locator("#article-table a", has_text="Council pushes harbour deal through").click()
    page.wait_for_url("**/articles/harbour-vote")
    assert page.locator("#article-text mark.hl").count() >= 6


def test_api_docs_render_offline(page, server: str) -> None:
    page.goto(f"{server}/docs")
    page.get_by_text("/api/analyze").first.wait_for(timeout=15_000)
