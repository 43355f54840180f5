"""The web app and JSON API (``triangulate serve``): pages and ``/api`` routes over one :class:`Workspace` per thread.

Security, in one place (:mod:`.guard`): every string reaches the page through
Jinja's autoescape; a Content-Security-Policy allows only this server's own
script and style; request bodies are capped; the only files served are the
named static assets (no path reaches the file system); a cross-site POST is
refused; ``read_only`` turns every write route off and opens the store read-only (nothing is written to it, not
even a cache), and ``token`` guards the write routes.

Example:
    >>> from fastapi.testclient import TestClient
    >>> import tempfile, os
    >>> app = create_app(os.path.join(tempfile.mkdtemp(), "web.db"))
    >>> with TestClient(app) as client:
    ...     client.get("/api/stories").json()["total"]
    0
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from fastapi import FastAPI

from ..config import Settings, load_settings
from ..workspace import Cache, Workspace

HERE = Path(__file__).resolve().parent
MAX_REQUEST_BYTES = 25_000_000  # one POST body (uploads and pasted text together)
WRITES_PER_MINUTE = 30  # ingests one client address may send in any minute


class Workspaces:
    """One :class:`Workspace` (and so one store connection) per thread, all sharing one cache."""

    def __init__(self, db: str, settings: Settings, read_only: bool = False) -> None:
        self.db = db
        self.settings = settings
        self.read_only = read_only  # each connection opened read-only: nothing is written, not even a cache
        self.cache = Cache()
        self._local = threading.local()
        self._opened: list[Workspace] = []
        self._lock = threading.Lock()

    def get(self) -> Workspace:
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = Workspace(self.db, self.settings, self.cache, read_only=self.read_only)
            self._local.ws = ws
            with self._lock:
                self._opened.append(ws)
        return ws

    def close(self) -> None:
        with self._lock:
            for ws in self._opened:
                ws.close()
            self._opened.clear()


def create_app(
    db: str | None = None,
    settings: Settings | None = None,
    *,
    read_only: bool = False,
    token: str | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    warm: int = 0,
    writes_per_minute: int = WRITES_PER_MINUTE,
) -> FastAPI:
    """The ASGI app over the store ``db`` (default: the settings' store).

    ``warm``: brief this many of the newest stories of two or more articles in a background thread at start,
    so their pages are ready and the story list can count their claims by status. ``writes_per_minute``: how
    many ingests one client address may send in any minute (0: no limit).
    """
    from . import api, guard, pages

    settings = settings or load_settings()
    workspaces = Workspaces(db or settings.db, settings, read_only)
    stop = threading.Event()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        warmer = threading.Thread(target=_warm, args=(workspaces, warm, stop), daemon=True, name="warm-briefs")
        if warm:
            warmer.start()
        yield
        stop.set()
        if warmer.is_alive():
            warmer.join(timeout=60)
        workspaces.close()

    app = FastAPI(
        lifespan=lifespan,
        title="triangulate",
        summary="Stories across outlets, their claims and quotes with corroboration status, and cited briefs.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the hosted Swagger page loads scripts from a CDN, which the CSP forbids
        redoc_url=None,
    )
    app.state.workspaces = workspaces
    app.state.story_keys = Cache(4096)  # (connection, data version, id or prefix) → (story id, content key)
    app.state.read_only = read_only
    app.state.token = token or None
    app.state.write_limit = guard.WriteLimit(writes_per_minute)
    guard.install(app, max_request_bytes)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _warm(workspaces: Workspaces, count: int, stop: threading.Event) -> None:
    """Brief the ``count`` newest stories of two or more articles, one at a time, until told to stop."""
    import logging

    try:
        ws = workspaces.get()
        for row in ws.stories(min_articles=2)[:count]:
            if stop.is_set():
                return
            ws.brief(row.id)
    except Exception:  # a warm-up is a courtesy: a failure here must never stop the server
        logging.getLogger("triangulate.web").exception("warming the briefs stopped")


def from_environment() -> FastAPI:
    """The app as ``triangulate serve --workers N`` starts it in each worker process (settings from the environment)."""
    import os

    return create_app(
        read_only=bool(os.environ.get("TRIANGULATE_SERVE_READ_ONLY")),
        token=os.environ.get("TRIANGULATE_TOKEN") or None,
        warm=int(os.environ.get("TRIANGULATE_SERVE_WARM") or 0),
        writes_per_minute=int(os.environ.get("TRIANGULATE_SERVE_WRITES_PER_MINUTE") or WRITES_PER_MINUTE),
    )


__all__ = ["create_app", "from_environment"]
