"""triangulate: read news from many outlets into clean, traceable articles.

Example:
    >>> import triangulate
    >>> store = triangulate.open_store(":memory:")
    >>> for item, articles, error in triangulate.read_sources(["examples/vladivostok"], triangulate.Settings()):
    ...     for article in articles or []:
    ...         _ = store.add_article(article)
    >>> store.count()
    7
"""

from .config import Settings, load_settings
from .errors import (
    BinaryInput,
    BlockedAddress,
    EmptyInput,
    FetchError,
    InputError,
    MalformedInput,
    NoArticleBody,
    SourceNotFound,
    SpanError,
    StoreError,
    TooLarge,
    TriangulateError,
)
from .ingest.html import read_html
from .ingest.sources import read_sources
from .ingest.text import read_text
from .model import Article, Dateline, Sentence, Span, content_id
from .store import Store, open_store

__all__ = [
    "Article",
    "BinaryInput",
    "BlockedAddress",
    "Dateline",
    "EmptyInput",
    "FetchError",
    "InputError",
    "MalformedInput",
    "NoArticleBody",
    "Sentence",
    "Settings",
    "SourceNotFound",
    "Span",
    "SpanError",
    "Store",
    "StoreError",
    "TooLarge",
    "TriangulateError",
    "content_id",
    "load_settings",
    "open_store",
    "read_html",
    "read_sources",
    "read_text",
]
