"""Turn what a request brings (text, an uploaded file, a URL) into an analysed document.

The model is loaded once per process and shared; each analysis runs in a worker thread so the
event loop keeps serving other requests, and a limiter bounds how many analyses run at once so
that a burst of requests queues instead of oversubscribing the CPU (onnxruntime already uses
several threads per run).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread

from propwatch.document import Document
from propwatch.readers import NOT_ENGLISH, InputError, NotEnglishError, document_from_bytes
from propwatch.web.fetch import fetch_document


def web_message(err: InputError, *, api: bool = False) -> str:
    """An input error as a web user can act on it: what to do on the page (or in the request),
    never a command-line flag."""
    if isinstance(err, NotEnglishError):
        fix = 'send "any_language": true' if api else "tick “Analyse even if it does not look like English”"
        return f"{err.name}: {NOT_ENGLISH} ({fix} to analyse it anyway)"
    return str(err).replace(" (see --max-bytes)", "")


def default_workers() -> int:
    """Analyses allowed at once: enough to overlap Python work with ONNX runs, few enough not to thrash."""
    return max(2, min(4, os.cpu_count() or 1))


@dataclass
class AnalysisService:
    """The shared analyzer plus the server's input rules (size cap, private URLs)."""

    analyzer: Any
    allow_private_urls: bool = False
    max_bytes: int = 2_000_000
    workers: int = field(default_factory=default_workers)

    def __post_init__(self) -> None:
        self.limiter = anyio.CapacityLimiter(self.workers)

    async def analyze(self, doc: Document) -> dict[str, Any]:
        """Analyse one document off the event loop; the ``analyze --json`` object."""
        done = await anyio.to_thread.run_sync(self.analyzer.analyze, [doc], limiter=self.limiter)
        return done[0].to_dict()

    def from_text(self, text: str, *, any_language: bool = False) -> Document:
        """A pasted text (HTML markup, if it is a whole page, is reduced to its visible text)."""
        return self.from_bytes(text.encode("utf-8"), "pasted text", any_language=any_language, keep_name=False)

    def from_bytes(self, data: bytes, name: str, *, any_language: bool = False, keep_name: bool = True) -> Document:
        """An uploaded file's bytes, named by the file name so errors say which file."""
        doc = document_from_bytes(data, name, any_language=any_language, max_bytes=self.max_bytes)
        if not keep_name:
            doc.url = None
        return doc

    async def from_url(self, url: str, *, any_language: bool = False) -> Document:
        """A page fetched with the address checks of :mod:`propwatch.web.fetch`, in a thread."""
        return await anyio.to_thread.run_sync(
            lambda: fetch_document(url, allow_private=self.allow_private_urls, any_language=any_language)
        )

    async def from_inputs(
        self, text: str | None, url: str | None, upload: tuple[str, bytes] | None, any_language: bool
    ) -> Document:
        """The document from exactly one of: pasted text, a URL, an uploaded (name, bytes) file."""
        given = [kind for kind, value in (("text", text), ("URL", url), ("file", upload)) if value]
        if not given:
            raise InputError("give one of: pasted text, a file or a URL")
        if len(given) > 1:
            raise InputError(f"give only one input (got {' and '.join(given)})")
        if upload:
            return self.from_bytes(upload[1], upload[0], any_language=any_language)
        if url:
            return await self.from_url(url, any_language=any_language)
        return self.from_text(text or "", any_language=any_language)
