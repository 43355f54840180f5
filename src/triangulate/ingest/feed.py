"""The feed reader: RSS and Atom through feedparser, each entry read as its own item."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import feedparser

from ..deadline import deadline
from ..errors import MalformedInput, NoArticleBody, TriangulateError
from ..model import Article, Outcome
from .html import read_html
from .outlets import registry

FULL_TEXT_WORDS = 150  # an entry whose own content is at least this long is the article


def is_feed(head: str) -> bool:
    """Does this text start like an RSS, Atom or RDF feed?"""
    start = head.lstrip()[:2000].lower()
    return start.startswith("<") and any(tag in start for tag in ("<rss", "<feed", "<rdf:rdf"))


def _published(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:  # field by field: a year the timestamp functions cannot hold (0001, 9999) reaches the model's door
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return moment.isoformat(timespec="seconds")


def read_feed(
    text: str, *, item: str, fetch_page: Callable[[str], tuple[str, str]] | None, seconds: float | None = None
) -> Iterator[Outcome]:
    """Yield (item, articles, error) for each entry of a feed.

    An entry whose content is the full text is read from the feed; otherwise
    its link is fetched with ``fetch_page`` (url → (final url, html)), which
    goes through the address guard. A feed item's ``<source>`` names the
    publisher that originated it; it is kept as the article's ``origin``.
    """
    parsed = feedparser.parse(text, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        cause = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise MalformedInput(f"not a feed with entries{cause}; check that this is RSS or Atom", item=item)
    if parsed.get("bozo") and "SAX" in type(parsed.bozo_exception).__name__:
        yield (
            item,
            None,
            MalformedInput(
                f"the feed is not well-formed XML ({parsed.bozo_exception}); "
                f"{len(parsed.entries)} entries were recovered and are read below; ask the publisher to fix it",
                item=item,
            ),
        )
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        name = f"{item} entry {number}" + (f" ({link})" if link else "")
        try:
            with deadline(seconds, name, "reading it"):
                articles = _read_entry(entry, name, link, _meta(entry, feed_title, parsed), fetch_page)
        except TriangulateError as exc:  # a failed fetch too: the next entries still get read
            yield name, None, exc if exc.item == name else type(exc)(str(exc), item=name)
        except ValueError as exc:  # a link no URL parser accepts ("http://[::1")
            yield name, None, MalformedInput(f"the entry's link is not a valid URL ({exc}); skipped", item=name)
        else:
            yield name, articles, None


def _meta(entry, feed_title: str | None, parsed) -> dict:
    """Outlet, date and originating publisher of one entry."""
    source = entry.get("source") or {}
    origin = registry().canonical(source.get("title"), source.get("href")) if source else None
    outlet = registry().canonical(feed_title, entry.get("link") or parsed.feed.get("link"))
    return {"outlet": outlet, "published": _published(entry), "origin": origin}


def _read_entry(entry, name: str, link: str | None, meta: dict, fetch_page) -> list[Article]:
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    title = entry.get("title")
    if body and len(body.split()) >= FULL_TEXT_WORDS:
        wrapped = (
            f"<html><head><title>{_escape(title or '')}</title></head><body><article>{body}</article></body></html>"
        )
        web = link if link and link.lower().startswith(("http://", "https://")) else None  # a relative link: no URL
        return read_html(wrapped, item=name, url=web, **meta)
    if not link:
        raise NoArticleBody("the entry has neither full text nor a link to fetch", item=name)
    if fetch_page is None:
        raise NoArticleBody("the entry holds only a summary and fetching is off", item=name)
    final_url, html = fetch_page(link)
    return read_html(html, item=name, url=final_url, **meta)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
