"""``GET /api/trails`` and the dashboard's "most relayed statements" section over a trail store."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propwatch.store import Store
from propwatch.trails import build, most_relayed
from propwatch.web import create_app
from test_trails import FIRST, SECOND, write_trail_store


class _NoModel:
    """The trail views never run the model."""


@pytest.fixture(scope="module")
def trail_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = write_trail_store(tmp_path_factory.mktemp("trails") / "trails.duckdb")
    with Store(db) as store:
        build(store)
    return db


@pytest.fixture(scope="module")
def trail_client(trail_db: Path) -> TestClient:
    return TestClient(create_app(_NoModel(), db=trail_db))


def test_api_answers_with_the_trails_of_the_cli(trail_client: TestClient, trail_db: Path) -> None:
    answer = trail_client.get("/api/trails")
    assert answer.status_code == 200
    with Store(trail_db, read_only=True) as store:
        assert answer.json() == most_relayed(store.con)
    first = answer.json()[0]
    assert (first["statement"], first["speaker"]) == (FIRST, "Marta Kovel")
    assert [m["outlet"] for m in first["members"]] == [
        "Valley Wire", "Harbor Times", "Daily Meridian", "Eastern Ledger", "Daily Meridian"
    ]  # fmt: skip
    assert [m["kind"] for m in first["members"]][-1] == "echo"


def test_api_top_limits_the_list(trail_client: TestClient) -> None:
    assert [t["statement"] for t in trail_client.get("/api/trails?top=1").json()] == [FIRST]
    assert trail_client.get("/api/trails?top=0").status_code == 422


def test_api_without_a_store_is_a_404() -> None:
    answer = TestClient(create_app(_NoModel())).get("/api/trails")
    assert answer.status_code == 404 and "--db" in answer.json()["detail"]


def test_dashboard_shows_the_trails_linked_to_their_articles(trail_client: TestClient) -> None:
    page = trail_client.get("/dashboard").text
    assert 'id="trails"' in page or "id=trails" in page
    assert page.count("trail-timeline") == 2
    assert 'href="/articles/harbor-1"' in page
    assert "echoes “traitors who serve” in its own voice" in page


def test_dashboard_filter_keeps_the_trails_of_the_filtered_articles(trail_client: TestClient) -> None:
    page = trail_client.get("/dashboard?outlet=Harbor+Times").text
    assert page.count("trail-timeline") == 1
    assert "Marta Kovel" in page and "our quarrel is with" not in page


def test_report_section_links_the_appearances(trail_db: Path, tmp_path: Path) -> None:
    from propwatch.report import write_report

    page = write_report(trail_db, tmp_path / "r.html")
    section = page[page.index("<h2 id=trails>") :]
    assert section.index(FIRST.replace("'", "&#x27;")) < section.index(SECOND.replace("'", "&#x27;"))
    assert '<a href="#article-' in section
    assert "carried from Valley Wire" in section
