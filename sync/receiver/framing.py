"""The receiver's outermost guard: message framing, and refusals that close the connection.

Two things no route can do for itself, as an ASGI middleware in front of everything:

- A request with both ``Content-Length`` and ``Transfer-Encoding`` is answered 400 and the
  connection closed (RFC 9112 section 6.1): the two framings disagree about where the body
  ends, and whatever follows one of them could be read as a second request (smuggling).
- An error answer sent before the request's body was read closes the connection
  (``Connection: close``). Otherwise the server reads the rest of the body, up to gigabytes,
  only to throw it away and keep the connection: a request without a valid token, or one
  that declares a body over the limit, is refused before its body is read.
"""

from __future__ import annotations

import json
from typing import Any

from sync.protocol import error_body

CLOSE = (b"connection", b"close")


def _declares_body(headers: list[tuple[bytes, bytes]]) -> tuple[bool, bool]:
    """(has Content-Length, has Transfer-Encoding) of the raw request headers."""
    names = {name.lower() for name, _ in headers}
    return b"content-length" in names, b"transfer-encoding" in names


def _body_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _refuse(send: Any, status: int, message: str, field: str | None) -> None:
    body = json.dumps(error_body(message, field)).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            CLOSE]})
    await send({"type": "http.response.body", "body": body})


class HttpMiddleware:
    """An ASGI middleware for HTTP requests: ``handle`` sees each one; anything else (lifespan)
    passes straight through."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        else:
            await self.handle(scope, receive, send)

    async def handle(self, scope: dict, receive: Any, send: Any) -> None:
        raise NotImplementedError


class FramingGuard(HttpMiddleware):
    """See the module's docstring."""

    async def handle(self, scope: dict, receive: Any, send: Any) -> None:
        headers = scope.get("headers", [])
        has_length, has_chunks = _declares_body(headers)
        if has_length and has_chunks:
            await _refuse(send, 400, "a request must not have both Content-Length and Transfer-Encoding",
                          "Transfer-Encoding")
            return
        read_all = [not has_chunks and not _body_length(headers)]

        async def tracking_receive() -> dict:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                read_all[0] = True
            return message

        async def closing_send(message: dict) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400 and not read_all[0]:
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*kept, CLOSE]}
            await send(message)

        await self.app(scope, tracking_receive, closing_send)
