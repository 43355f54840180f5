"""Where articles come from: paths, folders, URLs and stdin, each sent to its reader.

Every source yields ``(item, articles, error)`` outcomes, one per readable
item (a file, a JSONL line, a feed entry), so one bad item never stops a batch.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..config import Settings
from ..deadline import deadline
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
        name = display(source)
        try:
            if source == "-":
                stream = stdin or sys.stdin.buffer
                yield from _read_bytes(stream.read(settings.max_stream_bytes + 1), "stdin", None, settings)
            elif is_url(source):
                fetched = fetch(source, settings)
                yield from _read_bytes(fetched.content, name, fetched.url, settings)
            else:
                yield from _read_path(Path(source), settings)
        except TriangulateError as exc:
            yield name, None, exc
        except Exception as exc:  # a reader's own failure still stops only this item
            yield name, None, unexpected(exc, name)


def display(name: str | Path) -> str:
    """An item's name as it can be printed and stored: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def unexpected(exc: BaseException, item: str) -> InputError:
    """An error no reader foresaw, as that item's one-line error."""
    return InputError(
        f"could not be read ({type(exc).__name__}: {str(exc)[:200]}); skipped. Please report this as a bug",
        item=item,
    )


def _read_path(path: Path, settings: Settings) -> Iterator[Outcome]:
    if path.is_dir():
        yield from _read_folder(path, settings)
        return
    if not path.exists():
        raise SourceNotFound("no such file or folder; check the path", item=display(path))
    yield from _guarded(path, settings)


def _read_folder(root: Path, settings: Settings) -> Iterator[Outcome]:
    """Every readable file below a folder, by name; a sub-folder that cannot be listed is one failed item."""
    files, unlisted = folder_files(root)
    yield from unlisted
    for file in files:
        yield from _guarded(file, settings)


def folder_files(root: Path) -> tuple[list[Path], list[Outcome]]:
    """The files below a folder that ingest reads, by name, and one failed item per sub-folder it cannot list."""
    unreadable: list[OSError] = []
    files = []
    for folder, dirs, names in os.walk(root, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(folder, n) for n in names if not n.startswith(".") and _suffix(Path(n)) in IN_FOLDERS]
    unlisted: list[Outcome] = []
    for error in unreadable:
        where = display(error.filename or root)
        failure = InputError(f"cannot list the folder ({error.strerror}); check its permissions", item=where)
        unlisted.append((where, None, failure))
    return [f for f in sorted(files) if f.is_file()], unlisted


def _guarded(path: Path, settings: Settings) -> Iterator[Outcome]:
    name = display(path)
    try:
        yield from _read_file(path, settings)
    except TriangulateError as exc:
        yield name, None, exc
    except OSError as exc:
        yield name, None, InputError(f"cannot read the file ({exc.strerror}); check its permissions", item=name)
    except Exception as exc:
        yield name, None, unexpected(exc, name)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _read_file(path: Path, settings: Settings) -> Iterator[Outcome]:
    name = display(path)
    kind = _suffix(path)
    limit = settings.max_stream_bytes if kind in JSONL | FEED else settings.max_document_bytes
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block for ever, /dev/zero never ends
        raise InputError(
            "is not a regular file (a pipe, device or socket); save its content to a file, or pipe it to '-'",
            item=name,
        )
    check_size(status.st_size, limit, name)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the size on disk may have changed since it was checked
    check_size(len(data), limit, name, at_least=len(data) > limit)
    yield from _read_bytes(data, name, None, settings, kind)


def _read_bytes(data: bytes, item: str, url: str | None, settings: Settings, kind: str = "") -> Iterator[Outcome]:
    """Decode one item's bytes and send them to the reader its extension or content calls for."""
    if not kind and len(data) > settings.max_document_bytes and data[:2] != b"\x1f\x8b":
        head = data[:4000].decode("utf-8", "replace")
        if not (looks_like_jsonl(head) or is_feed(head)):  # only a stream of items may pass one document's cap
            check_size(len(data), settings.max_document_bytes, item, at_least=len(data) > settings.max_stream_bytes)
    stream = kind in JSONL | FEED or (not kind and len(data) > settings.max_document_bytes)
    text = decode_bytes(data, item, settings.max_stream_bytes if stream else settings.max_document_bytes)
    head = text[:4000]
    seconds = settings.item_seconds
    if kind in JSONL or (kind not in TEXT | HTML and looks_like_jsonl(head)):
        yield from read_jsonl(text.splitlines(), item=item, seconds=seconds)
    elif kind in FEED or (kind not in TEXT | HTML and is_feed(head)):
        yield from read_feed(text, item=item, fetch_page=lambda link: _fetch_page(link, settings), seconds=seconds)
    elif kind in HTML or (
        kind not in TEXT and head.lstrip()[:1] == "<" and "<html" in head.lower() + text[-500:].lower()
    ):
        with deadline(seconds, item, "reading it"):
            articles = read_html(text, item=item, url=url)
        yield item, articles, None
    else:
        with deadline(seconds, item, "reading it"):
            articles = read_text(text, item=item, url=url)
        yield item, articles, None


def _fetch_page(link: str, settings: Settings) -> tuple[str, str]:
    fetched = fetch(link, settings)
    if fetched.content_type and "html" not in fetched.content_type and "text" not in fetched.content_type:
        raise FetchError(f"the entry's link gives {fetched.content_type}, not a page", item=link)
    return fetched.url, decode_bytes(fetched.content, link, settings.max_document_bytes)


def read_document(data: bytes, name: str, settings: Settings) -> Iterator[Outcome]:
    """Outcomes for one document given as bytes (a pasted text, an uploaded file), never opened as a path.

    Its name's extension picks the reader as a file's would, and the same size caps apply.

    Example:
        >>> [error.__class__.__name__ for _, _, error in read_document(b"", "pasted.txt", Settings())]
        ['EmptyInput']
    """
    name = display(name)
    try:
        kind = _suffix(Path(name))
        kind = kind if kind in KNOWN else ""
        limit = settings.max_stream_bytes if kind in JSONL | FEED else settings.max_document_bytes
        check_size(len(data), limit, name)
        yield from _read_bytes(data, name, None, settings, kind)
    except TriangulateError as exc:
        yield name, None, exc
    except Exception as exc:
        yield name, None, unexpected(exc, name)
