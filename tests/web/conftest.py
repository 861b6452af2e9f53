"""Fixtures for the web tests: the app over the shared analyzer, a demo store, a local web site.

Nothing here reaches beyond this machine: the "site" that URL fetching is tested against is an
HTTP server on 127.0.0.1, which the app may only fetch from when allow_private_urls is set.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_demo import ARTICLE, ARTICLE_HTML, write_demo_store

from propwatch.web import create_app


class _Site(BaseHTTPRequestHandler):
    """Routes for fetch tests: an article, plain text, big, slow, binary and redirecting pages."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/article":
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML.encode())
        elif path == "/plain":
            self._send(200, "text/plain; charset=utf-8", ARTICLE.encode())
        elif path == "/big":
            self._send(200, "text/html", b"<p>" + b"word " * 40_000 + b"</p>")
        elif path == "/big-chunked":
            self._chunked(b"<p>" + b"word " * 40_000 + b"</p>")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", ARTICLE_HTML.encode())
        elif path == "/binary":
            self._send(200, "application/octet-stream", b"\x00\x01\x02")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query.removeprefix("to="))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        with contextlib.suppress(ConnectionError):  # a client that gave up (timeout, size cap) hung up
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _chunked(self, body: bytes) -> None:
        self.protocol_version = "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with contextlib.suppress(ConnectionError):
            for i in range(0, len(body), 8192):
                piece = body[i : i + 8192]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="session")
def local_site() -> Iterator[str]:
    """Base URL of a throwaway web site on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus store with the hand-labelled demo articles."""
    return write_demo_store(tmp_path_factory.mktemp("store") / "demo.duckdb")


@pytest.fixture(scope="session")
def client(analyzer, demo_db: Path) -> TestClient:
    """The app as ``propwatch serve --db demo.duckdb`` runs it (private URLs refused)."""
    return TestClient(create_app(analyzer, db=demo_db))


@pytest.fixture(scope="session")
def private_client(analyzer) -> TestClient:
    """The app as ``propwatch serve --allow-private-urls`` runs it, without a store."""
    return TestClient(create_app(analyzer, allow_private_urls=True))
