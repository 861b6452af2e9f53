"""Safety: article text is escaped, oversize bodies get 413, private URLs are refused.

No test here sends traffic off this machine: refusals happen before any connection, and the one
site that is fetched runs on 127.0.0.1 (allowed only with allow_private_urls).
"""

from __future__ import annotations

import ipaddress

import pytest
from fastapi.testclient import TestClient
from web_demo import ARTICLE

from propwatch.store import Analysed, Store
from propwatch.web import create_app
from propwatch.web import fetch as fetch_module
from propwatch.web.fetch import FetchError, blocked_reason, fetch, fetch_document

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1"> ' + ARTICLE


def test_article_text_is_escaped_on_the_result_page(client) -> None:
    page = client.post("/analyze", data={"text": XSS}).text
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page


def test_embedded_json_cannot_close_its_script_tag(client) -> None:
    page = client.post("/analyze", data={"text": "</script><script>alert(1)</script> " + ARTICLE}).text
    data = page.split('id="pw-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data


def test_pages_forbid_inline_scripts(client) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@pytest.fixture(scope="module")
def small_client(analyzer) -> TestClient:
    """An app with a 10 kB body limit, so oversize bodies stay small in tests."""
    return TestClient(create_app(analyzer, max_body=10_000))


def test_oversize_json_body_is_413(small_client) -> None:
    response = small_client.post("/api/analyze", json={"text": "word " * 5_000})
    assert response.status_code == 413
    assert "10,000-byte limit" in response.json()["detail"]


def test_oversize_form_post_is_413_page(small_client) -> None:
    response = small_client.post("/analyze", data={"text": "word " * 5_000})
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]


def test_oversize_upload_is_413(small_client) -> None:
    files = {"file": ("big.txt", b"word " * 5_000, "text/plain")}
    assert small_client.post("/analyze", files=files).status_code == 413


def test_oversize_body_without_length_is_413(small_client) -> None:
    def chunks():
        for _ in range(20):
            yield b"x" * 1_000

    response = small_client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_default_limit_is_two_megabytes(client) -> None:
    response = client.post(
        "/api/analyze", content=b"{}" + b" " * 2_000_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert client.post("/api/analyze", json={"text": ARTICLE}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/api/health",
        "http://localhost/",
        "http://LOCALHOST./admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.0.0.1/",
        "http://10.20.30.40:8080/internal",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f000001/",
    ],
)
def test_private_and_loopback_urls_are_refused(client, url: str) -> None:
    response = client.post("/api/analyze", json={"url": url})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "refused" in detail or "not a valid URL" in detail or "cannot be resolved" in detail
    assert "\n" not in detail


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-public"),
    ],
)
def test_blocked_reason(address: str, reason: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


def test_public_address_is_allowed() -> None:
    assert blocked_reason(ipaddress.ip_address("93.184.215.14")) is None


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/", "http://user:pw@example.org/"]
)
def test_other_schemes_and_credentials_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        fetch(url)


def test_every_resolved_address_is_checked(monkeypatch) -> None:
    """A name with one loopback and one private address is refused for the private one."""
    loopback, private = ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("10.1.2.3")
    real = blocked_reason
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [loopback, private])
    monkeypatch.setattr(fetch_module, "blocked_reason", lambda ip: None if ip == loopback else real(ip))
    with pytest.raises(FetchError, match=r"10\.1\.2\.3"):
        fetch("http://news.invalid/article")


def test_redirects_are_checked_again(monkeypatch, local_site: str) -> None:
    """The local site is let through as if public; its redirect to a private address is refused."""
    real = blocked_reason
    monkeypatch.setattr(fetch_module, "blocked_reason", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    assert fetch(f"{local_site}/article").body
    with pytest.raises(FetchError, match=r"169\.254\.169\.254"):
        fetch(f"{local_site}/redirect?to=http://169.254.169.254/latest/meta-data/")


def test_fetch_article_from_local_site_when_allowed(private_client, local_site: str) -> None:
    response = private_client.post("/api/analyze", json={"url": f"{local_site}/article"})
    assert response.status_code == 200
    body = response.json()
    assert "have betrayed every hard-working family" in body["text"]
    assert "Home | News | Sport" not in body["text"]
    assert body["url"] == f"{local_site}/article"
    assert body["title"] == "Capital betrayal"


def test_fetch_follows_redirects_and_plain_text(local_site: str) -> None:
    doc = fetch_document(f"{local_site}/redirect?to=/plain", allow_private=True)
    assert doc.text == ARTICLE
    assert doc.url == f"{local_site}/plain"


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_fetch_size_cap(local_site: str, path: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{local_site}{path}", allow_private=True, max_bytes=50_000)


def test_fetch_timeout(local_site: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{local_site}/slow", allow_private=True, timeout=0.5)


@pytest.mark.parametrize(("path", "message"), [("/binary", "not an HTML or text page"), ("/missing", "404")])
def test_fetch_refuses_non_pages(local_site: str, path: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch(f"{local_site}{path}", allow_private=True)


def test_redirect_loop_is_cut(local_site: str) -> None:
    loop = f"{local_site}/redirect?to={local_site}/redirect?to=/redirect"
    with pytest.raises(FetchError):
        fetch(loop, allow_private=True)


def test_stored_strings_are_escaped_on_the_dashboard_and_article(analyzer, tmp_path) -> None:
    """Outlet, title, speaker and relay come from the corpus: none of them may become markup."""
    evil = "<script>window.__pwned = 1</script>"
    text = "He said it was " + evil + " and a complete disgrace, and the whole town agrees with him entirely."
    start = text.index(evil)
    item = {
        "id": "evil",
        "title": evil,
        "outlet": evil,
        "published": "2024-01-01",
        "url": "javascript:alert(1)",
        "text": text,
        "spans": [
            {"start": start, "end": start + len(evil), "technique": "Loaded_Language", "score": 0.9, "speaker": evil}
        ],
        "attributions": [
            {"content": [start, start + len(evil)], "source": [0, 2], "cue": [3, 7], "speaker": evil, "via": [evil]}
        ],
    }
    with Store(tmp_path / "evil.duckdb") as store:
        store.write_batch([Analysed(item, "evil")], [])
    client = TestClient(create_app(analyzer, db=tmp_path / "evil.duckdb"))
    for path in ("/dashboard", "/articles/evil", f"/dashboard?outlet={evil}"):
        page = client.get(path).text
        assert "<script>window" not in page, path
    assert 'href="javascript:' not in client.get("/articles/evil").text
