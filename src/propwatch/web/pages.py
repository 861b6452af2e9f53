"""The HTML pages: analyze form and result, corpus dashboard, a stored article's view.

Every page is rendered on the server (Jinja2 autoescaping is on, so article text is always shown
as text), and works without JavaScript; ``static/article.js`` only adds the slider, the voice
filter and the hover details on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from propwatch.document import in_quotes
from propwatch.readers import InputError
from propwatch.techniques import TECHNIQUES
from propwatch.web.dashboard import CorpusError, Filters
from propwatch.web.service import web_message
from propwatch.web.view import article_view, is_web_link

NO_STORE = (
    "This server was started without a corpus store, so it has no dashboard; analyse an article on the Analyze page."
)

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.tests["web_link"] = is_web_link
TEMPLATES.env.filters["in_quotes"] = in_quotes

router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with what every page's navigation needs (whether there is a dashboard)."""
    context.setdefault("dashboard", request.app.state.corpus is not None)
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A one-line error on a page of its own (404s, 413s, a store that cannot be read)."""
    return render(request, "error.html", status, status_code=status, message=message)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    """The empty analyze form."""
    return render(request, "analyze.html")


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_form(
    request: Request,
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    any_language: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Analyse a posted form (text, URL or file) and render the highlighted result.

    Browsers send a textarea's line breaks as CRLF (HTML's form encoding) although its value, what
    the user pasted and sees, has LF; turning them back makes the offsets index that value, so a
    pasted text gets the same spans here as through the API.
    """
    service = request.app.state.service
    text = text.replace("\r\n", "\n")
    upload = await _upload(file)
    try:
        doc = await service.from_inputs(text if text.strip() else None, url.strip() or None, upload, any_language)
    except InputError as err:
        return render(request, "analyze.html", 400, error=web_message(err), form={"text": text, "url": url})
    result = await service.analyze(doc)
    return render(request, "analyze.html", view=article_view(result, request.app.state.display_score))


async def _upload(file: UploadFile | None) -> tuple[str, bytes] | None:
    """An uploaded file as (name, bytes); a browser's empty file field counts as no file."""
    if file is None or not file.filename:
        return None
    return file.filename, await file.read()


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request, outlet: str = "", technique: str = "", date_from: str = "", date_to: str = ""
) -> HTMLResponse:
    """The corpus report's figures and charts over the ``--db`` store, narrowed by the query string's filters."""
    corpus = request.app.state.corpus
    if corpus is None:
        return error_page(request, 404, NO_STORE)
    min_score = request.app.state.display_score
    try:
        filters = Filters(outlet or None, technique or None, date_from or None, date_to or None)
    except ValueError as err:  # say what is wrong above the whole corpus, with the filters to fix it
        filters, problem = Filters(), str(err)
    else:
        problem = None
    try:
        board = await corpus.dashboard(filters, min_score)
    except CorpusError as err:
        return error_page(request, 400, str(err))
    context = {"board": board, "filters": filters, "techniques": TECHNIQUES, "problem": problem}
    return render(request, "dashboard.html", 400 if problem else 200, **context)


@router.get("/articles/{doc_id:path}", response_class=HTMLResponse)
async def stored_article(request: Request, doc_id: str) -> HTMLResponse:
    """One stored article, highlighted like a fresh analysis (the dashboard's drill-down)."""
    corpus = request.app.state.corpus
    if corpus is None:
        return error_page(request, 404, NO_STORE)
    try:
        doc = await corpus.article(doc_id)
    except CorpusError as err:
        return error_page(request, 400, str(err))
    if doc is None:
        return error_page(request, 404, f"no article with id {doc_id!r} in the store")
    return render(request, "article.html", view=article_view(doc, request.app.state.display_score))
