"""The JSON API answers with exactly ``propwatch analyze --json``'s object; health and docs."""

from __future__ import annotations

import json

from web_demo import ARTICLE, ARTICLE_HTML

from propwatch.document import Document
from propwatch.render import to_json_line


def test_health(client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["techniques"] == 14
    assert body["dashboard"] is True
    assert body["allow_private_urls"] is False


def test_analyze_text_is_the_cli_json_object(client, analyzer) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE})
    assert response.status_code == 200
    expected = json.loads(to_json_line(analyzer.analyze([Document(text=ARTICLE)])[0]))
    assert response.json() == expected
    assert set(response.json()) == {"id", "title", "outlet", "published", "url", "text", "spans", "attributions"}


def test_analyze_html_text_is_reduced_to_visible_text(client) -> None:
    body = client.post("/api/analyze", json={"text": ARTICLE_HTML}).json()
    assert "<p>" not in body["text"]
    assert "Capital betrayal" in body["text"]
    for span in body["spans"]:
        assert 0 <= span["start"] <= span["end"] <= len(body["text"])


def test_exactly_one_input_is_required(client) -> None:
    assert client.post("/api/analyze", json={}).status_code == 422
    assert client.post("/api/analyze", json={"text": ARTICLE, "url": "http://example.org"}).status_code == 422


def test_bad_text_is_a_one_line_400(client) -> None:
    for text in ["", "   ", "a\x00b" * 10]:
        response = client.post("/api/analyze", json={"text": text})
        assert response.status_code == 400
        assert "\n" not in response.json()["detail"]


def test_non_english_is_refused_unless_asked(client) -> None:
    german = "Der Bürgermeister sagte gestern, die Stadt werde die Brücke im Sommer erneuern lassen. " * 3
    refused = client.post("/api/analyze", json={"text": german})
    assert refused.status_code == 400 and "English" in refused.json()["detail"]
    assert client.post("/api/analyze", json={"text": german, "any_language": True}).status_code == 200


def test_openapi_docs_are_served_from_the_package(client) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/analyze" in schema["paths"] and "/api/health" in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
