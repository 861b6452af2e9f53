"""The server-rendered pages: the form and its result without JavaScript, the dashboard, drill-down."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from fastapi.testclient import TestClient
from web_demo import ARTICLE, ARTICLE_HTML, demo_items

from propwatch.document import Document
from propwatch.techniques import BY_NAME
from propwatch.web import create_app


def _marks(page: str) -> list[str]:
    return re.findall(r'<mark class="hl"[^>]*data-spans="([\d ]+)"', page)


def test_index_has_the_three_inputs(client) -> None:
    page = client.get("/").text
    for field in ('name="text"', 'name="file"', 'name="url"'):
        assert field in page
    assert 'action="/analyze"' in page


def test_plain_form_post_renders_the_highlighted_result(client, analyzer) -> None:
    response = client.post("/analyze", data={"text": ARTICLE})
    assert response.status_code == 200
    spans = analyzer.analyze([Document(text=ARTICLE)])[0].spans
    page = response.text
    assert len({i for m in _marks(page) for i in m.split()}) == len(spans)
    for span in spans:
        assert BY_NAME[span.technique].short in page
    assert 'id="pw-data"' in page and "Download JSON" in page


def test_download_link_holds_the_json(client) -> None:
    page = client.post("/analyze", data={"text": ARTICLE}).text
    href = re.search(r'id="download-json" href="data:application/json;charset=utf-8,([^"]+)"', page).group(1)
    assert '"text": "The so-called experts' in unquote(href)


def test_form_line_breaks_are_the_textareas_not_the_encodings(client) -> None:
    page = client.post("/analyze", data={"text": ARTICLE.replace("\n", "\r\n")}).text
    href = re.search(r'id="download-json" href="data:application/json;charset=utf-8,([^"]+)"', page).group(1)
    assert json.loads(unquote(href))["text"] == ARTICLE


def test_upload_txt_and_html(client) -> None:
    page = client.post("/analyze", files={"file": ("a.txt", ARTICLE.encode(), "text/plain")}).text
    assert "hard-working family" in re.sub(r"<[^>]+>", "", page), "the article text, whatever is highlighted"
    page = client.post("/analyze", files={"file": ("a.html", ARTICLE_HTML.encode(), "text/html")}).text
    assert '<h1 id="result-title">Capital betrayal</h1>' in page
    assert "&lt;p&gt;" not in page


def test_empty_file_field_counts_as_no_file(client) -> None:
    response = client.post("/analyze", data={"text": ARTICLE}, files={"file": ("", b"", "application/octet-stream")})
    assert response.status_code == 200


def test_form_errors_are_one_line_and_keep_the_input(client) -> None:
    response = client.post("/analyze", data={"text": "", "url": ""})
    assert response.status_code == 400
    assert "give one of" in response.text
    response = client.post("/analyze", data={"text": ARTICLE, "url": "https://example.org/a"})
    assert response.status_code == 400 and "only one input" in response.text
    assert "hard-working family" in response.text  # the textarea keeps what was pasted
    response = client.post("/analyze", files={"file": ("x.txt", b"\x00\x01binary", "application/octet-stream")})
    assert response.status_code == 400 and "binary" in response.text


def test_url_in_form_is_refused_or_fetched(client, private_client, local_site: str) -> None:
    refused = client.post("/analyze", data={"url": f"{local_site}/article"})
    assert refused.status_code == 400 and "refused" in refused.text
    fetched = private_client.post("/analyze", data={"url": f"{local_site}/article"})
    assert fetched.status_code == 200 and "Capital betrayal" in fetched.text


def test_dashboard_shows_the_report_over_the_corpus(client) -> None:
    page = client.get("/dashboard").text
    items = demo_items()
    assert f'id="stat-articles">{len(items)}<' in page
    assert f'id="stat-spans">{sum(len(d["spans"]) for d in items)}<' in page
    for outlet in ("Coastal Courier", "Valley Ledger", "Metro Wire"):
        assert outlet in page
    for section in ("id=outlets", "id=time", "id=voices", "id=speakers"):  # the report's own charts
        assert section in page
    assert page.count("<svg class=chart") >= 4
    assert 'href="/articles/harbour-vote"' in page
    assert 'href="/articles/festival"' not in page  # no spans, too short to rank


def test_dashboard_filters_narrow_every_figure(client) -> None:
    page = client.get("/dashboard", params={"outlet": "Valley Ledger"}).text
    assert 'id="stat-articles">2<' in page and "/articles/harbour-vote" not in page
    page = client.get("/dashboard", params={"technique": "Loaded_Language"}).text
    assert 'id="stat-spans">2<' in page
    assert "/articles/school-budget" not in page  # no loaded language there
    page = client.get("/dashboard", params={"date_from": "2024-04-01", "date_to": "2024-04-15"}).text
    assert 'id="stat-articles">2<' in page
    page = client.get("/dashboard", params={"outlet": "Nobody's Paper"}).text
    assert 'id="stat-articles">0<' in page


def test_dashboard_refuses_bad_filters(client) -> None:
    assert client.get("/dashboard", params={"date_from": "April"}).status_code == 400
    assert client.get("/dashboard", params={"technique": "'; DROP TABLE spans; --"}).status_code == 400


def test_quoted_speakers_reach_the_report_charts(client) -> None:
    page = client.get("/dashboard").text
    assert "Lena Ortiz" in page and "Sam Okafor" in page


def test_drill_down_shows_stored_spans_and_voices(client) -> None:
    page = client.get("/articles/harbour-vote").text
    assert len(_marks(page)) >= 6
    assert "Lena Ortiz" in page and "via the Courier" in page
    assert 'href="#quote-0"' in page and 'id="quote-0"' in page
    assert client.get("/articles/no-such-article").status_code == 404


def test_dashboard_without_a_store_is_404(analyzer) -> None:
    bare = TestClient(create_app(analyzer))
    assert bare.get("/dashboard").status_code == 404
    assert 'href="/dashboard"' not in bare.get("/").text


def test_unreadable_store_is_a_one_line_error(analyzer, tmp_path) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database")
    response = TestClient(create_app(analyzer, db=broken)).get("/dashboard")
    assert response.status_code == 400
    assert "cannot open the store" in response.text
