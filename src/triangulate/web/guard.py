"""Headers, body caps, write access and the one error shape of every route.

Every error a route gives, in ``/api``, is ``{"error": {"status", "code",
"message", "details"}}``: the message names the item and the fix. A page
gives the same message as an HTML page.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import deque
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import TriangulateError

log = logging.getLogger("triangulate.web")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests",
    500: "internal",
}  # fmt: skip


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorOut(BaseModel):
    """The one shape of every error response."""

    error: ErrorBody


ERRORS = {status: {"model": ErrorOut, "description": CODES[status]} for status in (400, 401, 403, 404, 413, 422, 429)}


class Refused(Exception):
    """A request the app refuses: its status, and a message that says what to do."""

    def __init__(self, status: int, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": CODES.get(status, "error"), "message": message,
                      "details": details or []}}  # fmt: skip


def _respond(request: Request, status: int, message: str, details: list | None = None) -> Any:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(error_body(status, message, details), status_code=status)
    from .pages import error_page

    return HTMLResponse(error_page(status, message, details or []), status_code=status)


def _validation_details(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    details = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        details.append({"field": where, "message": problem.get("msg", "invalid")})
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5]) or "invalid request"
    return f"the request is not valid ({message}); fix the fields named", details


def install(app: FastAPI, max_request_bytes: int) -> None:
    """Add the security headers, the body cap and the error handlers to ``app``."""

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        return _respond(request, exc.status, exc.message, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page or route: {request.url.path}; the API's routes are listed in /api/openapi.json"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /api/openapi.json"
        return _respond(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        message, details = _validation_details(exc)
        return _respond(request, 422, message, details)

    @app.exception_handler(KeyError)
    async def missing(request: Request, exc: KeyError):
        return _respond(request, 404, str(exc.args[0]) if exc.args else "not found")

    @app.exception_handler(TriangulateError)
    async def library_error(request: Request, exc: TriangulateError):
        return _respond(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return _respond(request, 500, "an unexpected error; the server log has the details. Please report it")

    app.add_middleware(_Guard, max_bytes=max_request_bytes)


class _Guard:
    """ASGI middleware: security headers on every response, and a cap on request bodies (413 past it)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_large = f"the request body is over the {self.max_bytes / 1e6:g} MB cap; send fewer or smaller files"
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_error(send, 413, too_large)
            return
        seen = 0
        over = False  # the body ran past the cap: the app got it cut short, and whatever it answers becomes a 413
        replaced = False

        async def capped_receive():
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def with_headers(message):
            nonlocal replaced
            if over:
                if not replaced:
                    replaced = True
                    await _send_error(send, 413, too_large)
                return
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, capped_receive, with_headers)


async def _send_error(send, status: int, message: str) -> None:
    import json

    body = json.dumps(error_body(status, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class WriteLimit:
    """At most ``per_minute`` writes from one client address in any 60 seconds (0: no limit).

    Example:
        >>> now = [0.0]
        >>> limit = WriteLimit(2, clock=lambda: now[0])
        >>> limit.wait("10.0.0.1"), limit.wait("10.0.0.1"), limit.wait("10.0.0.1"), limit.wait("10.0.0.2")
        (0.0, 0.0, 60.0, 0.0)
        >>> now[0] = 60.0
        >>> limit.wait("10.0.0.1")
        0.0
    """

    WINDOW = 60.0

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Count a write from ``client``: 0 when it may go ahead, else the seconds until it may."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            if len(self._seen) > 10_000:  # forget the clients that have gone quiet
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.WINDOW}
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - self.WINDOW:
                times.popleft()
            if len(times) >= self.per_minute:
                return times[0] + self.WINDOW - now
            times.append(now)
            return 0.0


def check_write(request: Request, token: str | None = None) -> None:
    """Refuse a write when the server is read-only, the client has written too often, the request comes from
    another site, or the token is wrong."""
    state = request.app.state
    if state.read_only:
        raise Refused(403, "this server is read-only (--read-only); ingest with 'triangulate ingest' instead")
    limit = getattr(state, "write_limit", None)
    if limit is not None:
        wait = limit.wait(request.client.host if request.client else "")
        if wait:
            raise Refused(429, f"too many writes from your address (at most {limit.per_minute} a minute); "
                               f"try again in {max(1, round(wait))} s")  # fmt: skip
    site = request.headers.get("sec-fetch-site")  # what a browser says of where the request comes from
    origin = request.headers.get("origin")
    if site is not None:
        foreign = site not in ("same-origin", "none")
    else:  # an older browser: the Origin header, when it sends one ("null" from an opaque origin counts as foreign)
        foreign = origin is not None and origin.split("://", 1)[-1] != request.headers.get("host", "")
    if foreign:
        raise Refused(403, "a write from another site is refused; submit the form on this server's own page")
    if state.token:
        given = token or ""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            given = header[7:].strip()
        if not hmac.compare_digest(given.encode(), state.token.encode()):
            raise Refused(401, "this server needs its write token: send 'Authorization: Bearer TOKEN' or fill in "
                               "the token field")  # fmt: skip


__all__ = ["CSP", "ERRORS", "ErrorOut", "Refused", "WriteLimit", "check_write", "error_body", "install"]
