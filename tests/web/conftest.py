"""The web app over the seed store: an in-process client, and copies of the store for the tests that write."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from fastapi.testclient import TestClient

from triangulate.config import Settings
from triangulate.web import create_app


@pytest.fixture(scope="session")
def seed_db(seed_store) -> str:
    """The path of the seed store (analysed and clustered; read-only for these tests)."""
    return seed_store.path


@pytest.fixture(scope="session")
def client(seed_db):
    with TestClient(create_app(seed_db, Settings(db=seed_db))) as c:
        yield c


@pytest.fixture(scope="session")
def main_story(client) -> dict:
    return client.get("/api/stories").json()["items"][0]


@pytest.fixture
def copy_db(seed_store, tmp_path) -> str:
    """A private copy of the seed store, for tests that write."""
    path = str(tmp_path / "copy.db")
    target = sqlite3.connect(path)
    seed_store.db.backup(target)
    target.close()
    return path


@pytest.fixture
def make_client(copy_db):
    """A client over the private copy, with the app's options (read_only, token, max_request_bytes)."""
    opened = []

    def make(**options) -> TestClient:
        c = TestClient(create_app(copy_db, Settings(db=copy_db), **options))
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


class LiveServer:
    """A real uvicorn serving the app on a free loopback port, in a thread."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def live(copy_db):
    """A real server over a private copy of the seed store."""
    with LiveServer(create_app(copy_db, Settings(db=copy_db))) as server:
        yield server
