"""Honest names and dates from the metadata a reader is given: a date passed as the title is the page's date, a
site the registry does not know is named by its domain, and a time of day is never an outlet."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from triangulate.brief.headline import headline
from triangulate.brief.lines import junk
from triangulate.brief.names import outlet_of, source_name
from triangulate.ingest.jsonl import read_record
from triangulate.ingest.text import read_text
from triangulate.model import Article

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BODY = "Comeaux was caught on Monday in Houston after a week on the run.\n\nHe had escaped from a prison van."


def test_a_date_given_as_the_title_dates_the_article_and_the_text_gives_the_title():
    (article,) = read_record(json.dumps({"title": "12 January 2010 @ 09: 29 pm", "text": BODY}), "x.jsonl:1")
    assert article.published == "2010-01-12T21:29:00"
    assert article.title.startswith("Comeaux was caught") and article.title_derived


def test_an_updated_stamp_as_the_title_leaves_the_real_headline():
    text = f"Texas inmate added to most wanted list\n\n{BODY}"
    (article,) = read_text(text, item="x", title="Updated Saturday, December 05, 2009 8: 28 PM")
    assert article.title == "Texas inmate added to most wanted list"
    assert article.published == "2009-12-05T20:28:00"


def test_a_site_the_registry_lacks_is_named_by_its_domain_and_a_known_one_by_the_registry():
    (unknown,) = read_text(BODY, item="x", url="http://www.nydailynews.com/news/national/x.html")
    (known,) = read_text(BODY, item="y", url="http://abcnews.go.com/US/story?id=1")
    (numeric,) = read_text(BODY, item="z", url="http://192.0.2.7/news/x.html")
    assert (unknown.outlet, known.outlet, numeric.outlet) == ("nydailynews.com", "ABC News", None)


def test_a_time_of_day_after_the_date_line_is_not_an_outlet():
    (article,) = read_text(f"Inmate escapes\n\nDecember 03, 2009 9: 36 AM\n\n{BODY}", item="x")
    assert article.outlet is None
    assert article.published.startswith("2009-12-03")


@pytest.mark.parametrize("stamp", ["9: 36 AM", "at 02: 22 pm", "7: 15 a. m.", "12 January 2010 @ 09: 29 pm"])
def test_timestamps_are_neither_outlets_nor_lines_nor_headlines(stamp):
    assert junk(stamp) == "timestamp"
    article = Article.build(BODY, title="Texas inmate escapes from a prison van", outlet=stamp)
    assert outlet_of(article) is None and source_name(article).startswith("unnamed outlet")
    stamped = Article.build(BODY + " Again.", title=stamp)
    assert headline([stamped, article], None) == "Texas inmate escapes from a prison van"


@pytest.mark.skipif(not (DATA / "ecbplus").is_dir(), reason="needs ../shared/data/ecbplus (the real evaluation data)")
def test_no_ecb_document_gets_a_timestamp_for_an_outlet_or_a_headline():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from _data import ecb_documents

    outlets, titles = set(), []
    for doc in ecb_documents(DATA / "ecbplus"):
        if len(doc.sentences) < 2:
            continue  # a headline alone: nothing to read
        record = {"title": doc.sentences[0], "text": "\n".join(doc.sentences[1:]), "url": doc.url}
        for article in read_record(json.dumps(record), doc.name):
            outlets.add(article.outlet)
            titles.append(article.title)
    assert not [o for o in outlets if o and junk(o) == "timestamp"]
    assert not [t for t in titles if junk(t) == "timestamp"]
    assert len(outlets) > 100  # named from the registry or the domain, not "unnamed outlet"
