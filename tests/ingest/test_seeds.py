"""The founding seed articles, read as pasted plain text (issue 2's acceptance)."""

import pytest


def texts(articles):
    return "\n".join(a.text for a in articles)


def test_seed_000_is_three_stories_with_full_metadata(seeds):
    page = seeds["000"]
    assert len(page) == 3
    first = page[0]
    assert first.title == "Vladimir Putin threatens to target any Western troops in Ukraine"
    assert first.subtitle.startswith("Macron says 26 countries")
    assert first.outlet == "FE Today"
    assert first.published.startswith("2025-09-06")
    assert first.dateline.place == "Moscow"
    assert first.dateline.date == "2025-09-05"
    assert first.dateline.credit == "Agencies"
    assert first.text.startswith("Russian President Vladimir Putin warned on Friday")
    for article in page:
        assert "Logo" not in article.text and "Share if you like" not in article.text
        assert article.page_id == first.page_id


def test_seed_000_sub_heading_stays_and_other_stories_split(seeds):
    first, china, drones = seeds["000"]
    assert "Trump says will speak with Putin soon" in first.text  # rejoined from two lines
    assert "Kremlin spokesman Dmitry Peskov said Friday" in first.text
    assert china.title == "Beijing rejects Trump call to pressure China on Ukraine"
    assert china.text.startswith("Beijing said Friday it")
    assert "Beijing" not in first.text
    assert drones.title == "Trump to reinterpret 1987 missile treaty to sell heavy attack drones abroad"
    assert "MQ-9 drones" in drones.text and "MQ-9" not in china.text
    assert [a.segment for a in seeds["000"]] == [0, 1, 2]


def test_seed_001_drops_comment_box_and_empty_sources_heading(seeds):
    (brief,) = seeds["001"]
    assert "Leave a Comment" not in brief.text
    assert not brief.text.rstrip().endswith("Sources")
    assert brief.title == "Putin says Western troops in Ukraine would be legitimate targets"
    assert "Official Statements" in brief.text  # section labels of one document do not split it


def test_seed_002_credit_byline_and_time_from_the_footer(seeds):
    (article,) = seeds["002"]
    assert article.outlet == "ZeroHedge"
    assert article.byline == "Tyler Durden"
    assert article.published == "2025-09-05T09:20:00"
    assert "Read More" not in article.text and "Tyler Durden" not in article.text
    assert article.text.startswith("French president Emmanuel Macron had on Thursday hosted")


def test_seed_003_glued_dateline_is_split_off(seeds):
    (article,) = seeds["003"]
    assert article.dateline.place == "Barcelona"
    assert article.text.startswith("Vladimir Putin has again threatened")
    assert article.subtitle.startswith("The Russian president thus responds")


def test_seed_004_has_a_derived_title(seeds):
    (article,) = seeds["004"]
    assert article.title_derived
    assert article.title.startswith("Russian President Vladimir Putin on Friday flatly rejected")
    assert article.text.startswith("Russian President Vladimir Putin on Friday flatly rejected")


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_seed_is_english_text_with_a_stable_id(seeds, seed):
    for article in seeds[seed]:
        assert article.language == "en"
        assert len(article.id) == 16
        assert article.span(0, len(article.text.split(" ")[0].rstrip(",.:;"))).text
