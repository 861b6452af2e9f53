"""A hard cap on request bodies, enforced while the body arrives.

FastAPI reads whole bodies into memory before an endpoint sees them, so the cap has to sit
below it: a declared ``Content-Length`` over the limit is refused before anything is read, and
a body sent without one (chunked) is refused as soon as the bytes received pass the limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """413, raised from ``receive`` so the app's error handlers answer it (JSON or a page)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is over the {limit:,}-byte limit")


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        too_large = declared.isdigit() and int(declared) > self.max_body
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if too_large:
                raise BodyTooLarge(self.max_body)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        await self.app(scope, limited_receive, send)
