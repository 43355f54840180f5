"""``serve`` answers while ``triangulate ingest`` writes to the same SQLite file from another process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import httpx

from triangulate.config import Settings
from triangulate.web import create_app

from ..conftest import DATA, ROOT, SEEDS
from .conftest import LiveServer

POLNEAR = DATA / "polnear" / "dev" / "text"


def test_serve_answers_while_another_process_ingests(tmp_path):
    db = str(tmp_path / "shared.db")
    sources = [str(SEEDS)]
    if POLNEAR.is_dir():  # more real articles, more commits to race with, when the evaluation data is beside us
        sources += [str(p) for p in sorted(POLNEAR.glob("*.txt"))[:24]]
    failures: list[str] = []
    answered = 0
    done = threading.Event()
    with LiveServer(create_app(db, Settings(db=db))) as server:

        def poll() -> None:
            nonlocal answered
            with httpx.Client(base_url=server.url, timeout=60) as client:
                while not done.is_set():
                    for path in ("/api/stories?limit=5", "/api/articles?limit=5", "/"):
                        try:
                            response = client.get(path)
                        except httpx.HTTPError as exc:
                            failures.append(f"{path}: {exc!r}")
                            continue
                        answered += 1
                        if response.status_code != 200:
                            failures.append(f"{path}: {response.status_code} {response.text[:200]}")
                    stories = client.get("/api/stories?limit=3").json()["items"]
                    for story in stories:
                        response = client.get(f"/api/stories/{story['id']}")
                        if response.status_code != 200:
                            failures.append(f"story {story['id']}: {response.status_code} {response.text[:200]}")

        pollers = [threading.Thread(target=poll) for _ in range(2)]
        for thread in pollers:
            thread.start()
        try:
            run = subprocess.run(
                [sys.executable, "-m", "triangulate.cli", "--db", db, "ingest", "--json", *sources],
                capture_output=True, text=True, cwd=ROOT, timeout=900,
            )  # fmt: skip
        finally:
            done.set()
            for thread in pollers:
                thread.join()
        assert run.returncode == 0, run.stderr[-2000:]
        report = json.loads(run.stdout)
        with httpx.Client(base_url=server.url, timeout=60) as client:
            listed = client.get("/api/articles", params={"limit": 200}).json()
            stories = client.get("/api/stories", params={"limit": 200}).json()["items"]
    assert failures == []
    assert answered > 10
    assert report["failed"] == [] and len(report["added"]) >= 7
    assert listed["total"] == len(report["added"])  # no article lost
    assert {a["id"] for a in listed["items"]} == set(report["added"])
    placed = [i for s in stories for i in s["article_ids"]]
    assert sorted(placed) == sorted(report["added"])  # every article in exactly one story, as the list shows it
