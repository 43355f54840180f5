"""Fuzzing of the readers and the renderers: atheris (coverage-guided) where it is installed, else hypothesis.

Targets: ``text``, ``html``, ``feed`` and ``jsonl`` (bytes through the reader
as ``ingest`` runs it) and ``render`` (a brief made of fuzzed strings through
Markdown, HTML, JSON and the terminal view). An input passes when no exception
escapes but the project's own errors, every article's fields are clean (no
control or bidi characters, the text within its cap), JSON round-trips, and no
rendered Markdown or HTML holds a script or a ``javascript:`` link.
The corpus starts from the seed articles and, when DATA_DIR is given, the
extraction benchmark's pages.

Usage: python bench/fuzz.py TARGET --seconds N [DATA_DIR]
Prints a summary, then one JSON line: target, engine, seconds, runs, crashes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("text", "html", "feed", "jsonl", "render")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LIVE = re.compile(r"<script|href=\"javascript:|href='javascript:|src=\"javascript:", re.I)


def seeds(target: str, data: str | None) -> list[bytes]:
    """The starting corpus: the seed articles, and the extraction pages when the data is there."""
    found = [p.read_bytes() for p in sorted((ROOT / "examples" / "vladivostok").glob("*.txt"))]
    if data and (Path(data) / "extraction" / "html").is_dir():
        pages = sorted((Path(data) / "extraction" / "html").glob("*.html.gz"))[:40]
        found += [gzip.decompress(p.read_bytes())[:30_000] for p in pages]
    if target == "feed":
        found = [_as_feed(text) for text in found[:10]]
    elif target == "jsonl":
        found = [json.dumps({"text": t.decode("utf-8", "replace"), "title": "t"}).encode() for t in found[:10]]
    return found


def _as_feed(body: bytes) -> bytes:
    text = body.decode("utf-8", "replace").replace("]]>", "")
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><item><title>Talks</title>"
        f"<pubDate>Fri, 05 Sep 2025 12:00:00 GMT</pubDate><description><![CDATA[{text}]]></description>"
        "</item></channel></rss>"
    ).encode()


def check(target: str, data: bytes) -> None:
    """Run one input; raise AssertionError (or let a foreign exception escape) when it breaks a promise."""
    from triangulate.config import Settings
    from triangulate.errors import TriangulateError

    if target == "render":
        return _check_render(data)
    from triangulate.ingest.feed import read_feed
    from triangulate.ingest.sources import _read_bytes

    settings = Settings(max_document_bytes=2_000_000, max_stream_bytes=4_000_000, item_seconds=20)
    kind = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "feed": ".rss"}[target]
    try:
        if target == "feed":  # no fetching: entries without full text are that entry's error
            from triangulate.ingest._decode import decode_bytes

            outcomes = list(read_feed(decode_bytes(data, "fuzz", 4_000_000), item="fuzz", fetch_page=None))
        else:
            outcomes = list(_read_bytes(data, "fuzz", None, settings, kind))
    except TriangulateError:
        return
    for _, articles, error in outcomes:
        assert (articles is None) != (error is None)
        for article in articles or []:
            for name in ("title", "subtitle", "outlet", "byline", "language", "url", "published"):
                value = getattr(article, name)
                assert value is None or not _UNSAFE.search(value), (name, value)
            assert not _UNSAFE.search(article.text.replace("\n", "").replace("\t", "")) and article.text.strip()
            json.dumps(article.to_dict(with_text=True))


def _check_render(data: bytes) -> None:
    from markdown_it import MarkdownIt
    from rich.console import Console

    from triangulate.brief import Brief, Citation, Line, Section, Source
    from triangulate.brief.render import as_json, html_page, markdown, terminal

    parts = (data.decode("utf-8", "replace").split("\x00") + [""] * 6)[:6]
    headline, line, outlet, title, url, cited = parts
    brief = Brief(
        "s-fuzz",
        headline,
        [Section("lead", "Lead", [Line(line, (1,), "corroborated")])],
        [Source(1, "a" * 16, outlet or None, title, None, None, url or None, outlet or "x", 1)],
        [Citation(1, 1, "a" * 16, 0, max(len(cited), 1), cited)],
    )
    page = MarkdownIt("commonmark").render(markdown(brief))
    assert not _LIVE.search(page), page[:300]
    assert not _LIVE.search(html_page([brief]))
    assert json.loads(as_json(brief))["headline"] == headline
    Console(file=io.StringIO(), width=100).print(terminal(brief))


def run_atheris(target: str, seconds: int, corpus: Path, crashes: Path) -> dict:
    """Run libFuzzer through atheris in a child process for ``seconds``; read its figures off stderr."""
    command = [
        sys.executable,
        __file__,
        target,
        "--child",
        str(corpus),
        f"-max_total_time={seconds}",
        "-timeout=60",
        "-rss_limit_mb=6000",
        "-max_len=300000",
        f"-artifact_prefix={crashes}/",
        "-print_final_stats=1",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
    found = sorted(p.name for p in crashes.iterdir())
    return {"runs": int(runs[-1]) if runs else 0, "crashes": found, "log_tail": done.stderr[-1500:] if found else ""}


def child(target: str, argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["triangulate"]):
        import triangulate.brief.render
        import triangulate.ingest.sources  # noqa: F401

    def one(data: bytes) -> None:
        check(target, data)

    atheris.Setup([sys.argv[0], *argv], one)
    atheris.Fuzz()


def run_hypothesis(target: str, seconds: int, corpus: list[bytes]) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    runs = 0
    deadline = time.monotonic() + seconds
    mutated = st.sampled_from(corpus).flatmap(
        lambda base: st.tuples(st.integers(0, len(base)), st.binary(max_size=64), st.integers(0, 64)).map(
            lambda t: base[: t[0]] + t[1] + base[t[0] + t[2] :]
        )
    )

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(mutated, st.binary(max_size=4000), st.text(max_size=2000).map(str.encode)))
    def one(data: bytes) -> None:
        nonlocal runs
        runs += 1
        check(target, data)

    crashes = []
    while time.monotonic() < deadline and not crashes:
        try:
            one()
        except Exception as exc:  # hypothesis has shrunk it: the smallest input is in the message
            crashes.append(f"{type(exc).__name__}: {str(exc)[:500]}")
    return {"runs": runs, "crashes": crashes, "log_tail": "\n".join(crashes)}


def main() -> dict:
    if len(sys.argv) > 2 and sys.argv[2] == "--child":
        child(sys.argv[1], sys.argv[3:])
        return {}
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("data", nargs="?", default=None, help="the evaluation data folder (../shared/data)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    args = parser.parse_args()
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    corpus = seeds(args.target, args.data)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "atheris":
            folder, crashes = Path(tmp, "corpus"), Path(tmp, "crashes")
            folder.mkdir()
            crashes.mkdir()
            for n, item in enumerate(corpus):
                Path(folder, f"seed{n:03d}").write_bytes(item)
            found = run_atheris(args.target, args.seconds, folder, crashes)
            kept = Path(os.environ.get("FUZZ_CRASHES", ROOT / ".fuzz-crashes"))
            for name in found["crashes"]:
                kept.mkdir(exist_ok=True)
                (kept / f"{args.target}-{name}").write_bytes((crashes / name).read_bytes())
        else:
            found = run_hypothesis(args.target, args.seconds, corpus)
    result = {
        "target": args.target,
        "engine": engine,
        "seconds": round(time.perf_counter() - started, 1),
        "runs": found["runs"],
        "crashes": len(found["crashes"]),
        "corpus_seeds": len(corpus),
    }
    if found.get("log_tail"):
        print(found["log_tail"])
    print(f"{args.target}: {result['runs']} inputs in {result['seconds']} s with {engine}, {result['crashes']} crashes")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
