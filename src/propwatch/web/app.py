"""The web app factory: analyze page, corpus dashboard and JSON API in one FastAPI app."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from propwatch.readers import MAX_BYTES
from propwatch.render import display_score
from propwatch.web import api, pages
from propwatch.web.dashboard import Corpus
from propwatch.web.limits import BodyLimit
from propwatch.web.service import AnalysisService

STATIC = Path(__file__).parent / "static"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""For our own pages: only our own script file runs, whatever an article's text contains."""


def create_app(
    analyzer: Any = None,
    db: str | Path | None = None,
    allow_private_urls: bool = False,
    max_body: int = MAX_BYTES,
) -> FastAPI:
    """Build the app around one analyzer (loaded here if not given) and an optional corpus store.

    ``max_body`` caps request bodies (413 above it) and the size of a document made from them.
    """
    if analyzer is None:
        from propwatch.analysis import Analyzer

        analyzer = Analyzer()
    # FastAPIOffline serves the /docs page's assets from the package, so docs work offline; the
    # ReDoc page is left out: its script needs what the strict CSP refuses, and /docs covers it.
    app = FastAPIOffline(
        title="propwatch",
        description="Find propaganda techniques in news articles, span by span. [← Back to propwatch](/)",
        version=_version(),
        redoc_url=None,
    )
    app.state.service = AnalysisService(analyzer, allow_private_urls=allow_private_urls, max_bytes=max_body)
    app.state.display_score = display_score(analyzer)
    app.state.corpus = Corpus(Path(db)) if db is not None else None
    app.add_middleware(BodyLimit, max_body=max_body)
    app.middleware("http")(_security_headers)
    app.add_exception_handler(HTTPException, _http_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _version() -> str:
    try:
        return version("propwatch")
    except PackageNotFoundError:
        return "0"


async def _security_headers(request: Request, call_next: Any) -> Response:
    """No sniffing, no referrer leak to linked sites, and a strict CSP on our own pages."""
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith("/docs"):
        response.headers["Content-Security-Policy"] = CSP
    return response


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """JSON errors for the API, an error page for browsers (a 413 on the form, a 404)."""
    if request.url.path.startswith(("/api/", "/static/", "/openapi")):
        return await http_exception_handler(request, exc)
    return pages.error_page(request, exc.status_code, str(exc.detail))
