"""The HTML reader: trafilatura finds the main text and metadata, then the text reader cleans it."""

from __future__ import annotations

import re
import warnings

import trafilatura

from ..errors import EmptyInput, NoArticleBody
from ..model import Article, language_code
from .text import read_text

LONGEST_TAG = 4000  # characters in one start tag; real ones are far shorter
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_char(code: int) -> bool:
    """Can an XML tree hold this code point? (lxml refuses a document that holds one it cannot.)"""
    return code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def sanitised(html: str) -> str:
    """The page without what makes the parser give up or crawl, in one linear pass each.

    Character references to code points a tree cannot hold (``&#27;``,
    ``&#1;``, ``&#xFFFE;``) and raw control characters are dropped (a single
    one made the whole page "no article text"); a start tag longer than
    ``LONGEST_TAG`` characters is cut there (100,000 attributes on one tag
    took the parser minutes).

    Example:
        >>> sanitised("<p>a&#27;b&#x2019;c</p>")
        '<p>ab&#x2019;c</p>'
    """
    html = _RAW_CONTROL.sub("", html)
    html = _CHAR_REF.sub(
        lambda m: m.group() if _xml_char(int(m.group(1) or m.group(2), 16 if m.group(1) else 10)) else "", html
    )
    out, at = [], 0
    while (opening := html.find("<", at)) != -1 and (closing := html.find(">", opening)) != -1:
        if closing - opening > LONGEST_TAG and html[opening + 1 : opening + 2].isalpha():
            kept = html[opening : opening + LONGEST_TAG]
            kept = kept[: max(kept.rfind(" "), 2)]
            out += [html[at:opening], kept, '"' * (kept.count('"') % 2), ">"]
        else:
            out.append(html[at : closing + 1])
        at = closing + 1
    out.append(html[at:])
    return "".join(out)


def extract(html: str, url: str | None = None) -> trafilatura.settings.Document | None:
    """Main text and metadata of a page (trafilatura, precision-leaning)."""
    html = sanitised(html)
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
            language=language_code(doc.language),  # a page's own tag may be anything: kept only when it is a code
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
