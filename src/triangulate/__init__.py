"""triangulate: read news from many outlets into clean, traceable articles, and analyse them.

``Workspace`` is the one facade over the store and the stages, the calls the CLI and the web app make
(its module shows an example). The stages one by one:

    >>> import triangulate
    >>> store = triangulate.open_store(":memory:")
    >>> for item, articles, error in triangulate.read_sources(["examples/vladivostok"], triangulate.Settings()):
    ...     for article in articles or []:
    ...         _ = store.add_article(article)
    >>> store.count()
    7
    >>> triangulate.analyse_stored(store)
    7
    >>> article = store.articles()[0]
    >>> quote = next(q for q in store.analysis(article.id).quotes if q.text.startswith("If some troops"))
    >>> quote.speaker.name, quote.cue
    ('Vladimir Putin', 'said')
    >>> triangulate.cluster_stored(store, triangulate.Settings())
    7
    >>> [len(s.article_ids) for s in store.stories()]
    [5, 1, 1]
"""

from .brief import Brief, brief_story, build_brief
from .config import Settings, load_settings
from .corroborate import Corroboration, corroborate
from .embed import embedder
from .errors import (
    BinaryInput,
    BlockedAddress,
    EmptyInput,
    FetchError,
    InputError,
    InvalidField,
    MalformedInput,
    ModelMissing,
    NoArticleBody,
    SourceNotFound,
    SpanError,
    StoreError,
    TooLarge,
    TooSlow,
    TriangulateError,
)
from .ingest.html import read_html
from .ingest.sources import read_sources
from .ingest.text import read_text
from .language import analyse, analyse_many, analyse_stored
from .model import (
    Analysis,
    Article,
    Claim,
    Dateline,
    Entity,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Span,
    Speaker,
    Story,
    TimeExpr,
    content_id,
)
from .store import Store, open_store
from .stories import StoryIndex
from .stories.build import cluster_stored, recluster
from .workspace import Document, Workspace

__all__ = [
    "Analysis",
    "Article",
    "BinaryInput",
    "BlockedAddress",
    "Brief",
    "Claim",
    "Corroboration",
    "Dateline",
    "Document",
    "EmptyInput",
    "Entity",
    "FetchError",
    "InputError",
    "InvalidField",
    "MalformedInput",
    "Mention",
    "ModelMissing",
    "NoArticleBody",
    "Quantity",
    "Quote",
    "Sentence",
    "Settings",
    "SourceNotFound",
    "Span",
    "SpanError",
    "Speaker",
    "Store",
    "StoreError",
    "Story",
    "StoryIndex",
    "TimeExpr",
    "TooLarge",
    "TooSlow",
    "TriangulateError",
    "Workspace",
    "analyse",
    "analyse_many",
    "analyse_stored",
    "brief_story",
    "build_brief",
    "cluster_stored",
    "content_id",
    "corroborate",
    "embedder",
    "load_settings",
    "open_store",
    "read_html",
    "read_sources",
    "read_text",
    "recluster",
]
