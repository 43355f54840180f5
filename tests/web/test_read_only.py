"""``serve --read-only`` writes nothing to the store: not the database file, not a cache row."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from triangulate.config import Settings
from triangulate.errors import StoreError
from triangulate.store import open_store
from triangulate.web import create_app


def _fingerprint(path: str) -> tuple[str, int]:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def test_serving_read_only_leaves_the_database_file_as_it_was(copy_db):
    before = _fingerprint(copy_db)
    client = TestClient(create_app(copy_db, Settings(db=copy_db), read_only=True, warm=3))
    client.__enter__()
    story = client.get("/api/stories").json()["items"][0]["id"]
    article = client.get("/api/articles").json()["items"][0]["id"]
    for path in (
        "/", f"/stories/{story}", f"/stories/{story}/claims", f"/stories/{story}/outlets", f"/articles/{article}",
        f"/api/stories/{story}/brief", f"/api/stories/{story}/quotes", f"/api/articles/{article}", "/check",
    ):  # fmt: skip
        assert client.get(path).status_code == 200, path
    checked = client.post("/api/check", json={"text": "Putin spoke in Vladivostok on Friday.", "story": story})
    assert checked.status_code == 200
    assert client.post("/api/ingest", json={"documents": [{"name": "a.txt", "text": "Some text."}]}).status_code == 403
    client.__exit__(None, None, None)
    assert _fingerprint(copy_db) == before


def test_a_read_only_store_refuses_writes_and_keeps_its_caches_in_memory(copy_db, seeds):
    store = open_store(copy_db, read_only=True)
    before = _fingerprint(copy_db)
    with pytest.raises(StoreError, match="read-only"):
        store.add_article(next(iter(seeds.values()))[0])
    with pytest.raises(StoreError, match="read-only"), store.clustering():
        pass
    store.save_vectors({"k": [0.0, 1.0]})  # a cache write is skipped, not an error
    store.save_brief("k", "s-1", "{}")
    assert store.vectors(["k"]) == {} and store.brief("k") is None
    store.close()
    assert _fingerprint(copy_db) == before


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        open_store(str(tmp_path / "nothing.db"), read_only=True)
    assert not (tmp_path / "nothing.db").exists()
