"""The JSON API: the same object as ``propwatch analyze --json``, over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from propwatch.readers import InputError
from propwatch.techniques import NAMES
from propwatch.web.dashboard import CorpusError
from propwatch.web.service import web_message

router = APIRouter(prefix="/api", tags=["api"])


class AnalyzeRequest(BaseModel):
    """Exactly one of ``text`` (plain text or a whole HTML page) or ``url`` (fetched server-side)."""

    text: str | None = Field(default=None, description="The article text, or a whole HTML page.")
    url: str | None = Field(default=None, description="An http(s) URL whose article is fetched and extracted.")
    any_language: bool = Field(default=False, description="Analyse text even when it does not look like English.")

    @model_validator(mode="after")
    def one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of 'text' or 'url'")
        return self


EXAMPLES = {
    "text": {
        "summary": "An article's text",
        "value": {"text": "The reckless plan will ruin every family in this town, the mayor's critics said on Monday."},
    },
    "url": {"summary": "A page to fetch", "value": {"url": "https://example.org/news/article.html"}},
}
"""Request bodies for the /docs page's "Try it out": each sends one input, as the API asks."""


class Span(BaseModel):
    """A technique span; ``speaker`` is null for the author's own voice."""

    start: int
    end: int
    technique: str
    score: float
    speaker: str | None


class Attribution(BaseModel):
    """Quoted words (``content``), who said them and the chain of relays (``via``)."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    speaker: str | None
    via: list[str]


class AnalyzedDocument(BaseModel):
    """One document exactly as ``propwatch analyze --json`` writes it."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    text: str
    spans: list[Span]
    attributions: list[Attribution]


@router.post(
    "/analyze",
    response_class=JSONResponse,
    responses={
        200: {"model": AnalyzedDocument, "description": "The analysed document"},
        400: {"description": "Bad input, or a URL that cannot or may not be fetched"},
        413: {"description": "Request body over the server's limit"},
    },
)
async def analyze(body: Annotated[AnalyzeRequest, Body(openapi_examples=EXAMPLES)], request: Request) -> JSONResponse:
    """Find technique spans in a text or in the article at a URL.

    The answer is passed through as ``Document.to_dict()`` builds it (not re-validated), so it is
    byte for byte the object ``propwatch analyze --json`` prints.
    """
    service = request.app.state.service
    try:
        if body.url is not None:
            doc = await service.from_url(body.url, any_language=body.any_language)
        else:
            doc = service.from_text(body.text or "", any_language=body.any_language)
    except InputError as err:
        raise HTTPException(400, web_message(err, api=True)) from None
    return JSONResponse(await service.analyze(doc))


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Liveness and what this server was started with."""
    return {
        "status": "ok",
        "techniques": len(NAMES),
        "dashboard": request.app.state.corpus is not None,
        "allow_private_urls": request.app.state.service.allow_private_urls,
        "display_score": request.app.state.display_score,
    }


@router.get(
    "/trails",
    responses={
        200: {"description": "The most relayed statements, as propwatch trails --json lists them"},
        404: {"description": "The server was started without a corpus store (--db)"},
    },
)
async def trails(request: Request, top: Annotated[int, Query(ge=1, le=100)] = 10) -> JSONResponse:
    """The statements carried by the most outlets: each with its speaker, first appearance,
    outlets in time order, and every appearance (quote or echo) with its relays."""
    corpus = request.app.state.corpus
    if corpus is None:
        raise HTTPException(404, "no corpus store: start the server with --db FILE")
    try:
        shown = await corpus.trails(top)
    except CorpusError as err:
        raise HTTPException(400, str(err)) from None
    return JSONResponse(shown)
