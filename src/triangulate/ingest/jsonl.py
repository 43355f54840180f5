"""The JSONL reader: one article a line, as ``text`` or ``html`` plus optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..deadline import deadline
from ..errors import MalformedInput, TriangulateError
from ..model import Article, Outcome
from .html import read_html
from .text import read_text

FIELDS = ("title", "outlet", "url", "published", "language", "byline")


def looks_like_jsonl(head: str) -> bool:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return first.lstrip().startswith("{")


def read_jsonl(lines: Iterable[str], *, item: str, seconds: float | None = None) -> Iterator[Outcome]:
    """Yield (item, articles, error) per line, each line read within ``seconds``; a bad line never stops the others."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        name = f"{item} line {number}"
        try:
            with deadline(seconds, name, "reading it"):
                articles = read_record(line, name)
        except TriangulateError as exc:
            yield name, None, exc
        else:
            yield name, articles, None


def read_record(line: str, name: str) -> list[Article]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(f"not valid JSON ({exc.msg} at column {exc.colno}); fix the line", item=name) from None
    if not isinstance(record, dict):
        raise MalformedInput("each line must be a JSON object with a 'text' or 'html' field", item=name)
    meta = {key: _string(record, key, name) for key in FIELDS}
    html, text = _string(record, "html", name), _string(record, "text", name)
    if html:
        articles = read_html(html, item=name, url=meta["url"], outlet=meta["outlet"], published=meta["published"])
        return [a.with_meta(title=meta["title"]) if meta["title"] else a for a in articles]
    if text:
        return read_text(text, item=name, **meta)
    raise MalformedInput("the object has no 'text' or 'html' field with content; add one", item=name)


def _string(record: dict, key: str, name: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedInput(f"field {key!r} must be a string, not {type(value).__name__}", item=name)
    return value
