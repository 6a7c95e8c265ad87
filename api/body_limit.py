"""A request body over the limit is answered 413 before any route (or middleware) acts on it.

Checked twice: on the declared Content-Length, before a byte is read, and on the bytes as they
arrive, so a chunked body without a length (or one that lies about it) is cut off too.
"""

import re
from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_detail(limit: int) -> dict[str, Any]:
    return {
        "message": f"the request body is larger than {limit} bytes",
        "rule": "request_too_large",
        "limit": limit,
    }


class BodyTooLarge(HTTPException):
    """Raised while the body is read. An HTTPException, so FastAPI's body parsing passes it on
    (any other error there becomes a 400) and it is answered with the same body as below."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_detail(limit))


class BodyLimit:
    """Pure ASGI: wraps `receive`, so it adds nothing to a request within the limit.

    `larger`: paths (regular expressions) allowed a larger body, such as a file upload."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Sequence[tuple[str, int]] = ()
    ) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in larger]

    def limit_for(self, path: str) -> int:
        return next((n for p, n in self.larger if p.fullmatch(path)), self.default_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(limit, scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(limit, scope, receive, send)

    async def _refuse(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        # The client may still be sending: tell it not to reuse the connection.
        response = JSONResponse(
            {"detail": too_large_detail(limit)},
            status_code=413,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
