"""What each document is taken as, on the seeds and on AllSides items."""

from __future__ import annotations

import json

from triangulate.genre import DIGEST, NEWS, OPINION, WIRE, digest_headings, genre
from triangulate.model import Article


def test_the_ai_digest_is_a_digest_and_the_real_articles_are_not(seeds):
    (digest,) = seeds["001"]
    taken = genre(digest)
    assert taken.kind == DIGEST and not taken.counts
    assert "key takeaways" in digest_headings(digest.text) and "bottom line" in digest_headings(digest.text)
    assert genre(seeds["002"][0]).kind == NEWS  # ZeroHedge reports in its own voice
    assert genre(seeds["000"][0]).kind == WIRE and "Agencies" in genre(seeds["000"][0]).why
    assert all(genre(a).counts for key in ("000", "002", "003", "004") for a in seeds[key])


def _allsides(data) -> list[Article]:
    items = []
    for line in (data / "allsides" / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        for news in json.loads(line)["news"].values():
            body = news.get("newBody") or ""
            body = "\n\n".join(body) if isinstance(body, list) else body
            if body.strip() and news.get("newsTitle"):
                items.append(Article.build(body, title=news["newsTitle"], outlet=news.get("newsSource")))
    return items


def test_allsides_opinion_pieces_and_agencies_are_told_apart_and_nothing_is_a_digest(data):
    items = _allsides(data)
    kinds = {a.id: genre(a) for a in items}
    opinion = [a for a in items if kinds[a.id].kind == OPINION]
    assert opinion and all("(Opinion)" in (a.outlet or "") or a.title.startswith("Opinion") for a in opinion)
    assert all(kinds[a.id].kind == OPINION for a in items if "(Opinion)" in (a.outlet or ""))
    assert all(kinds[a.id].kind == WIRE for a in items if a.outlet in ("Reuters", "Associated Press"))
    assert not [a for a in items if kinds[a.id].kind == DIGEST]  # an outlet's "Why it matters:" is not a digest


def test_a_post_on_a_blogging_platform_is_taken_as_opinion_and_says_why():
    text = "Tremors from a quake in Iran were felt in Dubai today, prompting the evacuation of towers."
    for url in ("http://secretdubai.blogspot.nl/2005/11/x.html", "https://someone.substack.com/p/quake"):
        found = genre(Article.build(text, title="Did the earth move for you?", url=url))
        assert found.kind == OPINION and "personal blog" in found.reasons[0]
    assert genre(Article.build(text, title="Quake felt in Dubai", url="https://www.cnn.com/x")).kind == NEWS
