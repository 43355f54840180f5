"""The HTML reader: trafilatura finds the main text and metadata, then the text reader cleans it."""

from __future__ import annotations

import warnings

import trafilatura

from ..errors import EmptyInput, NoArticleBody
from ..model import Article
from .text import read_text


def extract(html: str, url: str | None = None) -> trafilatura.settings.Document | None:
    """Main text and metadata of a page (trafilatura, precision-leaning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml's FutureWarning on element truth-testing
        return trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
        )


def read_html(
    html: str,
    *,
    item: str,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    origin: str | None = None,
) -> list[Article]:
    """Read one HTML page into its article.

    A page's own markup marks its one main story, so it is not cut into
    segments as pasted text is. Metadata passed in (from a feed) wins over the
    page's.
    """
    doc = extract(html, url)
    if doc is None or not (doc.text or "").strip():
        raise _no_body(item)
    try:
        return read_text(
            doc.text,
            item=item,
            title=doc.title or None,
            outlet=outlet or doc.sitename or None,
            url=url or doc.url or None,
            published=published or doc.date or None,
            byline=doc.author or None,
            language=doc.language or None,
            origin=origin,
            split=False,
        )
    except EmptyInput:
        raise _no_body(item) from None


def _no_body(item: str) -> NoArticleBody:
    return NoArticleBody(
        "no article text found in this HTML (an index, login or script-only page?); "
        "give the article's own page, or paste its text",
        item=item,
    )
