"""Where articles come from: paths, folders, URLs and stdin, each sent to its reader.

Every source yields ``(item, articles, error)`` outcomes, one per readable
item (a file, a JSONL line, a feed entry), so one bad item never stops a batch.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..config import Settings
from ..errors import FetchError, InputError, SourceNotFound, TriangulateError
from ..model import Outcome
from ._decode import check_size, decode_bytes
from .feed import is_feed, read_feed
from .fetch import fetch
from .html import read_html
from .jsonl import looks_like_jsonl, read_jsonl
from .text import read_text

TEXT = {".txt", ".text", ".md"}
HTML = {".html", ".htm", ".xhtml", ".shtml"}
JSONL = {".jsonl", ".ndjson"}
FEED = {".xml", ".rss", ".atom", ".rdf"}
KNOWN = TEXT | HTML | JSONL | FEED
IN_FOLDERS = KNOWN - {".md"}  # a folder's README.md is not an article; name a .md file to read it


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_sources(sources: list[str], settings: Settings, stdin: BinaryIO | None = None) -> Iterator[Outcome]:
    """Yield outcomes for every item of every source, in order.

    Example:
        >>> outcomes = list(read_sources(["no/such/file.txt"], Settings()))
        >>> outcomes[0][2].__class__.__name__
        'SourceNotFound'
    """
    for source in sources:
        try:
            if source == "-":
                stream = stdin or sys.stdin.buffer
                yield from _read_bytes(stream.read(settings.max_stream_bytes + 1), "stdin", None, settings)
            elif is_url(source):
                fetched = fetch(source, settings)
                yield from _read_bytes(fetched.content, source, fetched.url, settings)
            else:
                yield from _read_path(Path(source), settings)
        except TriangulateError as exc:
            yield source, None, exc


def _read_path(path: Path, settings: Settings) -> Iterator[Outcome]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
        for file in files:
            if _suffix(file) in IN_FOLDERS:
                yield from _guarded(file, settings)
        return
    if not path.exists():
        raise SourceNotFound("no such file or folder; check the path", item=str(path))
    yield from _guarded(path, settings)


def _guarded(path: Path, settings: Settings) -> Iterator[Outcome]:
    try:
        yield from _read_file(path, settings)
    except TriangulateError as exc:
        yield str(path), None, exc
    except OSError as exc:
        yield (
            str(path),
            None,
            InputError(f"cannot read the file ({exc.strerror}); check its permissions", item=str(path)),
        )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _read_file(path: Path, settings: Settings) -> Iterator[Outcome]:
    kind = _suffix(path)
    limit = settings.max_stream_bytes if kind in JSONL | FEED else settings.max_document_bytes
    size = path.stat().st_size
    check_size(size, limit, str(path))
    data = path.read_bytes()
    yield from _read_bytes(data, str(path), None, settings, kind)


def _read_bytes(data: bytes, item: str, url: str | None, settings: Settings, kind: str = "") -> Iterator[Outcome]:
    """Decode one item's bytes and send them to the reader its extension or content calls for."""
    stream = kind in JSONL | FEED or (not kind and len(data) > settings.max_document_bytes)
    text = decode_bytes(data, item, settings.max_stream_bytes if stream else settings.max_document_bytes)
    head = text[:4000]
    if kind in JSONL or (kind not in TEXT | HTML and looks_like_jsonl(head)):
        yield from read_jsonl(text.splitlines(), item=item)
    elif kind in FEED or (kind not in TEXT | HTML and is_feed(head)):
        yield from read_feed(text, item=item, fetch_page=lambda link: _fetch_page(link, settings))
    elif kind in HTML or (
        kind not in TEXT and head.lstrip()[:1] == "<" and "<html" in head.lower() + text[-500:].lower()
    ):
        yield item, read_html(text, item=item, url=url), None
    else:
        yield item, read_text(text, item=item, url=url), None


def _fetch_page(link: str, settings: Settings) -> tuple[str, str]:
    fetched = fetch(link, settings)
    if fetched.content_type and "html" not in fetched.content_type and "text" not in fetched.content_type:
        raise FetchError(f"the entry's link gives {fetched.content_type}, not a page", item=link)
    return fetched.url, decode_bytes(fetched.content, link, settings.max_document_bytes)
