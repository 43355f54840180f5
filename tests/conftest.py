"""Shared fixtures: the seed articles, the evaluation data, and a real local HTTP server."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from triangulate.config import Settings
from triangulate.ingest.text import read_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "vladivostok"
DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seeds() -> dict[str, list]:
    """Each seed file's articles, by the file's three-digit prefix ("000" … "004")."""
    return {
        path.name[:3]: read_text(path.read_text(encoding="utf-8"), item=path.name)
        for path in sorted(SEEDS.glob("*.txt"))
    }


@pytest.fixture(scope="session")
def seed_store(seeds, tmp_path_factory):
    """An SQLite store holding the seeds, analysed and clustered (shared: treat it as read-only)."""
    from triangulate.language import analyse_stored
    from triangulate.store import open_store
    from triangulate.stories.build import cluster_stored

    store = open_store(str(tmp_path_factory.mktemp("seeds") / "seeds.db"))
    for articles in seeds.values():
        for article in articles:
            store.add_article(article)
    analyse_stored(store)
    store.placed = cluster_stored(store, Settings())
    yield store
    store.close()


@pytest.fixture(scope="session")
def data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"evaluation data not found at {DATA}: clone the project beside ../shared to run this gate")
    return DATA


class Routes(BaseHTTPRequestHandler):
    """Answers from the server's ``routes``: path → (status, headers, body) or a callable."""

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        if callable(route):
            route = route(self)
            if route is None:
                return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length)
        self.do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1; tests fill ``server.routes`` and build URLs with ``server.url``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    httpd.daemon_threads = True
    httpd.routes = {}
    httpd.url = lambda path: f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback() -> Settings:
    """Settings that let fetches reach this machine's loopback server, and nothing else private."""
    return Settings(allowed_networks="127.0.0.0/8", fetch_timeout=2.0)


def slow(seconds: float):
    def answer(handler):
        time.sleep(seconds)
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>late</p></body></html>"

    return answer


from .postgres import postgres_server, postgres_url  # noqa: E402, F401  (a real PostgreSQL server for the tests)
