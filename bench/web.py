"""The web app under load: latency and throughput of the story page and /api/stories, and the first brief.

Usage: python bench/web.py DATA_DIR_OR_DB [--articles 10000] [--clients 50] [--seconds 20] [--workers 1]

Given the evaluation data folder, it synthesises a store of ``--articles``
articles from the AllSides items (``allsides/stories.jsonl``, 730 items of 252
stories): replica r of every item has a tenth of its words dropped and its
numbers changed (seeded), is dated r years after the original, and joins its
story's replica, so the archive has the size and shape of a real one
(≈ 3 articles a story) with real wording. Stories are written as the corpus
groups them, not clustered (clustering is measured by ``bench/stories_scale.py``).
The first 50 items of replica 0 form one story of 50 articles, as
``bench/brief.py`` does. Given an existing ``.db``, it uses that store as it is.

Then it starts ``triangulate serve`` in its own process and, from this one,
drives ``--clients`` concurrent keep-alive connections for ``--seconds``
each at: a story page whose brief is cached (twenty stories, warmed once), and
``/api/stories`` pages (limit 50, offsets across the list). The figures
include the load generator's own CPU on the same machine.

The first brief of the 50-article story is timed in this process on a fresh
Workspace. The story's articles are analysed beforehand and their claims
embedded as ``triangulate ingest`` does after clustering (``embed_ahead``;
its seconds are printed: ingest pays them now). ``cold`` is the first brief as the first
request after ingest meets it (nothing corroborated yet); ``kept`` a fresh
Workspace again (a new process or a restarted server), which reads the brief
the first one kept in the store. Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import allsides_items
from triangulate import Article, Settings, Story, Workspace
from triangulate.model import content_id

STORY_SIZE = 50
PAGES = 20  # distinct story pages in the story-page mix


def _perturbed(text: str, rng: random.Random) -> str:
    """A tenth of the words dropped and every number changed: the same story in other words."""
    words = [w for w in text.split(" ") if rng.random() >= 0.1 or "\n" in w]
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), " ".join(words))


def synthesise(folder: Path, path: str, size: int) -> dict:
    """A store of ``size`` articles from the AllSides items, replicated; returns what the bench needs of it."""
    items = allsides_items(folder / "allsides")
    rng = random.Random(14)
    articles: list[tuple[Article, str]] = []
    replica = 0
    while len(articles) < size:
        for article, story in items:
            if len(articles) >= size:
                break
            if replica:
                day = date.fromisoformat(article.published[:10]) + timedelta(days=365 * replica)
                text = _perturbed(article.text, rng)
                article = replace(
                    article, text=text, published=day.isoformat(), id=content_id(text, article.outlet)
                )  # fmt: skip
            articles.append((article, f"{replica}-{story}"))
        replica += 1
    ws = Workspace(path, Settings(db=path))
    articles = [(a, story) for a, story in articles if ws.store.add_article(a)]  # a text printed twice is one article
    fifty = [a for a, _ in articles[:STORY_SIZE]]
    groups: dict[str, list[Article]] = {}
    for article, story in articles[STORY_SIZE:]:
        groups.setdefault(story, []).append(article)
    records = [_story("s-fifty-" + fifty[0].id[:8], fifty)]
    records += [_story("s-" + members[0].id, members) for members in groups.values()]
    ws.store.save_stories(records)
    ws.close()
    return {"fifty": records[0].id, "articles": len(articles), "stories": len(records), "replicas": replica}


def _story(story_id: str, members: list[Article]) -> Story:
    members = sorted(members, key=lambda a: (a.published or "", a.id))
    days = [date.fromisoformat(a.published[:10]) for a in members if a.published]
    return Story(story_id, members[0].title, tuple(a.id for a in members), min(days, default=None),
                 max(days, default=None))  # fmt: skip


def first_brief(path: str, story_id: str) -> dict:
    """Seconds for the first brief of the story on a fresh Workspace after ingest, then on another fresh one."""
    from triangulate.corroborate import embed_ahead
    from triangulate.embed import embedder
    from triangulate.language import VERSION, analyse_many

    ws = Workspace(path, Settings(db=path))
    story = ws.store.story(story_id)
    articles = [ws.store.article(i) for i in story.article_ids]
    stale = [a for a in articles if getattr(ws.store.analysis(a.id), "version", None) != VERSION]
    made = analyse_many(stale, ws.store.entities(), store=ws.store)
    for analysis in made:
        ws.store.save_analysis(analysis)
    ws.brief(ws.stories()[-1].id)  # load the models on another story first: not part of the figure
    started, cpu = time.perf_counter(), time.process_time()
    embedded = embed_ahead(ws.store, embedder(ws.settings.embedding), stale, made)  # what ingest does per batch
    ingest = {"texts": embedded, "seconds": round(time.perf_counter() - started, 3),
              "cpu_seconds": round(time.process_time() - cpu, 3)}  # fmt: skip
    timings = {}
    for name in ("cold", "kept"):
        fresh = Workspace(path, Settings(db=path))
        started, cpu = time.perf_counter(), time.process_time()
        fresh.brief(story_id)
        timings[name] = round(time.perf_counter() - started, 3)
        timings[f"{name}_cpu"] = round(time.process_time() - cpu, 3)
        fresh.close()
    ws.close()
    return {
        "articles": len(articles), "seconds_cold": timings["cold"], "cpu_cold": timings["cold_cpu"],
        "seconds_kept": timings["kept"], "cpu_kept": timings["kept_cpu"], "ingest_embedding": ingest,
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _drive(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` keep-alive connections, each sending its next GET as soon as the last answer is read.

    A minimal HTTP/1.1 client on asyncio streams: a general client (httpx) costs more CPU per request than
    the server does, and on a shared two-core machine it would measure itself.
    """
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def one(worker: int) -> None:
        nonlocal errors
        rng = random.Random(worker)
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < stop:
            started = time.perf_counter()
            writer.write(f"GET {rng.choice(paths)} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            errors += not head.startswith(b"HTTP/1.1 200")
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
    }


def serve_and_load(path: str, clients: int, seconds: float, workers: int) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "triangulate.cli", "--db", path, "serve", "--port", str(port),
               "--workers", str(workers), "--read-only", "--warm", "0"]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's stderr, read only if it stops
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/static/app.css", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"the server stopped: {log.read().decode()[-2000:]}") from None
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not answer within 120 s") from None
                time.sleep(0.3)
        started = time.perf_counter()
        listed = httpx.get(base + "/api/stories", params={"limit": 200}, timeout=600).json()
        first_list = time.perf_counter() - started
        total = listed["total"]
        small = [s["id"] for s in listed["items"] if 2 <= len(s["article_ids"]) <= 6][:PAGES]
        story_pages = [f"/stories/{sid}" for sid in small]
        warm_started = time.perf_counter()
        for page in story_pages:
            for _ in range(workers * 3):  # every worker process has its own cache
                httpx.get(base + page, timeout=600).raise_for_status()
        warm_seconds = time.perf_counter() - warm_started
        api_pages = [f"/api/stories?limit=50&offset={offset}" for offset in range(0, max(total - 50, 1), 250)]
        result = {
            "story_page": asyncio.run(_drive(base, story_pages, clients, seconds)),
            "api_stories": asyncio.run(_drive(base, api_pages, clients, seconds)),
            "warm_up_seconds": round(warm_seconds, 1),
            "first_story_list_seconds": round(first_list, 2),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", help="the evaluation data folder (synthesise a store) or an existing .db")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    source = Path(args.source)
    made: dict = {}
    if source.suffix == ".db":
        path = str(source)
        fifty = next((s.id for s in Workspace(path, Settings(db=path)).stories() if s.size >= STORY_SIZE), None)
    else:
        path = str(Path(tempfile.mkdtemp(prefix="bench-web-")) / "web.db")
        started = time.perf_counter()
        made = synthesise(source, path, args.articles)
        made["seconds"] = round(time.perf_counter() - started, 1)
        fifty = made["fifty"]
    brief = first_brief(path, fifty) if fifty else None
    load = serve_and_load(path, args.clients, args.seconds, args.workers)
    result = {"store": made or path, "clients": args.clients, "workers": args.workers, **load, "first_brief": brief}
    for name in ("story_page", "api_stories"):
        f = load[name]
        print(f"{name:12} p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, {f['requests_per_second']} requests/s, "
              f"{f['errors']} errors ({args.clients} clients, {f['requests']} requests)")  # fmt: skip
    if brief:
        print(f"first brief of a {brief['articles']}-article story after ingest: {brief['seconds_cold']} s "
              f"(CPU {brief['cpu_cold']} s); kept, on a fresh Workspace: {brief['seconds_kept']} s; its claims "
              f"embedded at ingest: {brief['ingest_embedding']['texts']} texts, "
              f"{brief['ingest_embedding']['seconds']} s")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
