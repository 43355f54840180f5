"""Properties over the readers and the language layer, for any text (hypothesis)."""

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triangulate.errors import TriangulateError
from triangulate.ingest.html import read_html
from triangulate.ingest.jsonl import read_jsonl
from triangulate.ingest.text import read_text
from triangulate.language import analyse
from triangulate.model import MAX_TEXT_CHARS, Analysis, Article
from triangulate.store import open_store

from .conftest import SEEDS

SEED_WORDS = (SEEDS / "003_730480621d05b789.txt").read_text(encoding="utf-8").split()
PIECES = [
    *SEED_WORDS[:200],
    *["“", "”", '"', "'", "‘", "’", "«", "»", "—", "–", "(", ")", ":", ";", ",", ".", "?", "!", "\n", "\n\n", "\t"],
    "said",
    "told reporters",
    "according to",
    "Vladimir Putin",
    "the Kremlin spokesman",
    "on Friday",
    "last month",
    "two dozen",
    "MOSCOW, Sept 05 (Agencies):",
    "\u202e",
    "\x1b[31m",
    "\x00",
    "&#27;",
    "<p>",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join),
    st.text(max_size=400),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNSAFE = {
    chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


def clean(article: Article) -> None:
    for name in ("title", "subtitle", "outlet", "byline", "language", "url", "published", "source"):
        value = getattr(article, name)
        assert value is None or not (set(value) & UNSAFE), name
    assert not set(article.text) & (UNSAFE - {"\t", "\n"}) and article.text.strip()
    assert len(article.text) <= MAX_TEXT_CHARS


@SETTINGS
@given(texts)
def test_readers_raise_only_their_own_errors_and_keep_fields_clean(text):
    for read in (
        lambda: read_text(text, item="x.txt"),
        lambda: read_html(f"<html><body>{text}</body></html>", item="x"),
    ):
        try:
            articles = read()
        except TriangulateError:
            continue
        for article in articles:
            clean(article)
    for _, articles, error in read_jsonl([json.dumps({"text": text, "published": text[:20]})], item="x.jsonl"):
        assert (articles is None) != (error is None)
        for article in articles or []:
            clean(article)


@SETTINGS
@given(texts)
def test_every_span_slices_the_stored_text_and_json_round_trips(text):
    try:
        (article, *_) = read_text(text, item="x.txt")
    except TriangulateError:
        return
    analysis = analyse(article)
    for kind in ("sentences", "mentions", "quotes", "quantities", "times", "claims"):
        for span in getattr(analysis, kind):
            assert article.text[span.start : span.end] == span.text, kind
    again = Analysis.from_dict(json.loads(json.dumps(analysis.to_dict(), ensure_ascii=False)))
    assert again == analysis


@settings(max_examples=30, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_ingesting_twice_changes_nothing(pages):
    store = open_store(":memory:")
    articles = []
    for n, page in enumerate(pages):
        with contextlib.suppress(TriangulateError):
            articles += read_text(page, item=f"{n}.txt")
    first = [store.add_article(a) for a in articles]
    before = store.articles()
    assert not any(store.add_article(a) for a in articles)
    assert store.articles() == before and sum(first) == store.count()
