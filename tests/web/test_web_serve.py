"""``propwatch serve`` and the server's concurrency: one model load, analyses off the event loop."""

from __future__ import annotations

import asyncio
import time

import httpx
from click.testing import CliRunner
from web_demo import ARTICLE

import propwatch.analysis
from propwatch.cli import main
from propwatch.web import create_app


class SlowAnalyzer:
    """Stands in for the model: counts its loads and takes a fixed time per call."""

    loads = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        SlowAnalyzer.loads += 1

    def analyze(self, docs):
        time.sleep(0.5)
        return docs


def test_serve_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example: propwatch serve" in result.output
    assert "--allow-private-urls" in result.output


def test_serve_refuses_a_missing_store_in_one_line(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_model_loads_once_and_requests_run_concurrently(monkeypatch) -> None:
    monkeypatch.setattr(propwatch.analysis, "Analyzer", SlowAnalyzer)
    SlowAnalyzer.loads = 0
    app = create_app()
    workers = app.state.service.workers

    async def scenario() -> tuple[float, float, list[int]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            started = time.perf_counter()
            requests = [client.post("/api/analyze", json={"text": ARTICLE}) for _ in range(2 * workers)]
            pending = asyncio.gather(*requests)
            await asyncio.sleep(0.1)
            health_started = time.perf_counter()
            assert (await client.get("/api/health")).status_code == 200
            health = time.perf_counter() - health_started
            codes = [r.status_code for r in await pending]
            return time.perf_counter() - started, health, codes

    elapsed, health, codes = asyncio.run(scenario())
    assert codes == [200] * (2 * workers)
    assert SlowAnalyzer.loads == 1
    assert health < 0.4  # the event loop is free while analyses run
    assert elapsed < 0.5 * 2 * workers * 0.8  # overlapped, not one after another
