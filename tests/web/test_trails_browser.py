"""The dashboard's "most relayed statements" in headless Chromium (Debian's, as the other browser tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from propwatch.store import Store
from propwatch.trails import build
from propwatch.web import create_app
from test_trails import write_trail_store

CHROMIUM = Path("/usr/bin/chromium")


class _NoModel:
    """The dashboard never runs the model."""


@pytest.fixture(scope="module")
def trail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a trail store, served by uvicorn on 127.0.0.1 in a thread."""
    import uvicorn

    db = write_trail_store(tmp_path_factory.mktemp("trails") / "trails.duckdb")
    with Store(db) as store:
        build(store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(_NoModel(), db=db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def trail_page(trail_server: str):
    if not CHROMIUM.exists():
        pytest.fail("browser tests need Debian's chromium: apt-get install chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def test_dashboard_trail_timeline_and_link_to_the_article(trail_page, trail_server: str) -> None:
    page = trail_page
    page.goto(f"{trail_server}/dashboard")
    trail = page.locator("section.trail").first
    assert "We will drive the invaders" in trail.locator("h3").text_content()
    assert trail.locator("svg.trail-timeline circle").count() == 5
    assert trail.locator("svg.trail-timeline line[marker-end]").count() == 2  # two relays through Valley Wire
    items = trail.locator("ol.appearances li")
    assert items.count() == 5 and "echoes" in items.nth(4).text_content()
    items.nth(1).locator("a").click()
    page.wait_for_url("**/articles/harbor-1")
    assert "Harbor Times" in page.content()
