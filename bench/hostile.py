"""A batch of real texts with hostile items mixed in, through the real ``triangulate ingest``.

Real texts are PolNeAR's, then ECB+'s, then AllSides' items, as plain-text
files. Hostile items are of two kinds, both from issue 15: ``refused`` ones
(an oversized article, impossible dates, an escape sequence for a language,
binary data, a gzip bomb, an empty file, a feed dated 9999, a feed link no
parser accepts, HTML with no article, a FIFO, a malformed URL) must each be
reported as one failed item; ``valid`` ones (quadratic-time texts, an HTML
tag with 100,000 attributes, odd character references, bidi overrides, stray
bytes in UTF-8) are articles and must be stored. Everything else must be
stored too.

Usage: python bench/hostile.py DATA_DIR [TEXTS] [SHARE]   (default 2000 texts, 1 % hostile)
Prints a table, then one JSON line.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import ecb_documents, polnear_texts

ROOT = Path(__file__).resolve().parent.parent
BODY = "<p>" + "Officials met in Geneva on Tuesday to discuss the ceasefire, the minister said. " * 12 + "</p>"


def _jsonl(**record) -> bytes:
    return json.dumps({"text": "Officials met in Geneva on Tuesday. " * 20, **record}).encode()


def _feed(date: str, link: str, body: str) -> bytes:
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Example Wire</title>"
        f"<item><title>Talks</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description><![CDATA[{body}]]></description></item></channel></rss>"
    ).encode()


REFUSED = {  # name → (file name, bytes); None marks the two given as arguments instead of files
    "oversized article": ("oversized.jsonl", _jsonl(text="Putin spoke on Friday. " * 48_000)),
    "published tomorrow": ("tomorrow.jsonl", _jsonl(published="tomorrow")),
    "published 0001-01-01": ("year-one.jsonl", _jsonl(published="0001-01-01")),
    "escape sequence as language": ("language.jsonl", _jsonl(language="\x1b[31men")),
    "binary data": ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    "gzip bomb": ("bomb.txt.gz", gzip.compress(b"a" * 30_000_000)),
    "empty file": ("empty.txt", b""),
    "feed dated 9999": ("future.rss", _feed("Fri, 31 Dec 9999 12:00:00 GMT", "https://example.com/1", BODY)),
    "feed link no parser accepts": ("badlink.rss", _feed("Fri, 05 Sep 2025 12:00:00 GMT", "http://[::1", "Short.")),
    "HTML with no article": ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    "FIFO": ("pipe.txt", None),
    "malformed URL": ("http://[::1", None),
}
VALID = {
    "'said ' x 8,000": ("said.txt", ("Talks\n\n" + "said " * 8_000).encode()),
    "'\"Yes,\" he said.' x 4,000": ("yes.txt", ("Talks\n\n" + '"Yes," he said. ' * 4_000).encode()),
    "20,000 guillemets": ("guillemets.txt", ("Talks\n\nOfficials met. " + "«" * 20_000).encode()),
    "100,000 attributes": (
        "attributes.html",
        ("<html><body><div " + " ".join(f'a{i}="v"' for i in range(100_000)) + f">{BODY}</div></body></html>").encode(),
    ),
    "&#27; &#1; &#xFFFE;": (
        "references.html",
        (
            "<html><body><article>&#27;&#1;&#xFFFE;"
            + BODY.replace("Officials", "Delegates")
            + "</article></body></html>"
        ).encode(),
    ),
    "bidi overrides": ("bidi.txt", "Talks \u202eevil\u2066\n\nOfficials met in Geneva on Tuesday, he said.".encode()),
    "nine stray bytes in UTF-8": (
        "stray.txt",
        "“Talks” resume\n\n".encode() + b"\xff ".join(["Officials “met” in Genève on Tuesday.".encode()] * 10),
    ),
}


def real_texts(data: Path, count: int) -> list[tuple[str, str]]:
    """(name, text) of ``count`` real texts: PolNeAR, then ECB+, then AllSides items."""
    found = [(f"polnear-{n}", t) for n, t in polnear_texts(data / "polnear")]
    found += [(f"ecb-{d.name}", d.text) for d in ecb_documents(data / "ecbplus")]
    with open(data / "allsides" / "stories.jsonl", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            for side, item in story["news"].items():
                body = item.get("newBody") or []
                body = body if isinstance(body, list) else [body]
                if item.get("newsTitle") and body:
                    found.append((f"allsides-{story['id']}-{side}", item["newsTitle"] + "\n\n" + "\n\n".join(body)))
    if len(found) < count:
        raise SystemExit(f"only {len(found)} real texts under {data}; ask for fewer")
    return found[:count]


def run(data: str | Path, texts: int = 2000, share: float = 0.01, folder: str | Path | None = None) -> dict:
    """Ingest ``texts`` real texts, ``share`` of refused items (each kind at least once) and the valid hostile ones."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(folder or tmp)
        batch = base / "batch"
        batch.mkdir(parents=True)
        for name, text in real_texts(Path(data), texts):
            (batch / f"{name}.txt").write_text(text, encoding="utf-8")
        hostile = max(len(REFUSED), round(texts * share))
        kinds = list(REFUSED.items())
        arguments, refused = [str(batch)], {}
        for n in range(hostile):
            kind, (file, content) = kinds[n % len(kinds)]
            if kind == "malformed URL":
                name = f"http://[::{n}"
                arguments.append(name)
            else:
                name = str(batch / f"{n:03d}-{file}") if content is not None else str(base / f"{n:03d}-{file}")
                if content is None:
                    os.mkfifo(name)
                    arguments.append(name)
                else:
                    Path(name).write_bytes(content)
            refused[name] = kind
        for file, content in VALID.values():
            (batch / f"valid-{file}").write_bytes(content)
        db = base / "batch.db"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "triangulate.cli", "--db", str(db), "ingest", *arguments, "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = time.perf_counter() - started
        report = json.loads(done.stdout)
        failed = [f["item"] for f in report["failed"]]
        with sqlite3.connect(db) as con:
            sources = {row[0] for row in con.execute("SELECT source FROM articles")}
            stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            analysed = con.execute("SELECT count(*) FROM analyses").fetchone()[0]
            clustered = con.execute("SELECT count(*) FROM story_members").fetchone()[0]
        good_files = [str(p) for p in sorted(batch.iterdir()) if str(p) not in refused]
        unexpected = [f for f in failed if not any(f.startswith(name) for name in refused)]
        unreported = [name for name in refused if not any(f.startswith(name) for f in failed)]
        missing = [p for p in good_files if not any(s.startswith(p) for s in sources)]
        copies = [p for p in missing if _stored_as_a_copy(p, db)]  # the same text as another item: one article
        missing = [p for p in missing if p not in copies]
    result = {
        "texts": texts,
        "hostile_refused": len(refused),
        "hostile_valid": len(VALID),
        "reported": len(failed),
        "unexpected_errors": unexpected[:5],
        "unreported_hostile": unreported[:5],
        "good_items_not_stored": missing[:5],
        "good_items_stored_as_copies": len(copies),
        "articles": stored,
        "analysed": analysed,
        "clustered": clustered,
        "exit_status": done.returncode,
        "seconds": round(seconds, 1),
    }
    return result


def _stored_as_a_copy(path: str, db: Path) -> bool:
    """True when every article the file reads as is already stored (its text is another item's)."""
    from triangulate.config import Settings
    from triangulate.ingest.sources import read_sources

    ids = [a.id for _, articles, _ in read_sources([path], Settings()) for a in articles or []]
    with sqlite3.connect(db) as con:
        return bool(ids) and all(con.execute("SELECT 1 FROM articles WHERE id = ?", (i,)).fetchone() for i in ids)


def main(data: str = "../shared/data", texts: str = "2000", share: str = "0.01") -> dict:
    result = run(data, int(texts), float(share))
    for key, value in result.items():
        print(f"{key:<24}{value}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(*sys.argv[1:])
