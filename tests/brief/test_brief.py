"""The brief of the seed story: its sections, citations that resolve to stored text, and its four renderings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from triangulate.brief import brief_story, junk
from triangulate.brief.lines import reading_length, without_prefix
from triangulate.brief.render import as_json, html_page, markdown, schema, terminal
from triangulate.config import Settings
from triangulate.workspace import Workspace


def lines(brief, key):
    return [line.text for line in brief.section(key).lines]


def test_lead_names_the_day_the_place_and_putins_statement_and_cites_real_articles_only(seeded):
    _, brief, seeds = seeded
    (lead,) = brief.section("lead").lines
    assert lead.text.startswith("On 5 September 2025 in Vladivostok: ")
    assert "Putin" in lead.text and "legitimate targets" in lead.text
    digest = seeds["001"][0].id
    assert all(brief.citations[n - 1].article_id != digest for n in lead.citations)


def test_the_digest_is_listed_but_not_counted_and_four_sources_are(seeded):
    _, brief, seeds = seeded
    digest = seeds["001"][0].id
    (listed,) = [s for s in brief.sources if s.article_id == digest]
    assert listed.kind == "digest" and not listed.counted and listed.group is None
    assert "digest headings" in listed.why and "no outlet" in listed.why
    counted = [s for s in brief.sources if s.counted]
    assert len(counted) == 4 and len({s.group for s in counted}) == 4
    assert all(c.article_id != digest for c in brief.citations)  # no line, quote or headline from the digest
    assert brief.headline != seeds["001"][0].title
    (bottom,) = brief.section("bottom_line").lines
    assert bottom.text.startswith("4 independent sources cover this story (1 digest is listed but not counted)")


def test_the_brief_is_at_most_900_words_before_the_citations(seeded):
    _, brief, _ = seeded
    body = markdown(brief).split("## Citations")[0]
    assert reading_length(body) <= 900
    assert 4 <= len(brief.section("takeaways").lines) <= 8
    assert len(brief.section("single").lines) <= 10


def test_every_line_reads_on_its_own_and_none_repeats(seeded):
    _, brief, _ = seeded
    seen = set()
    for section in brief.sections:
        if section.key in ("coverage", "more_coverage", "bottom_line", "statements", "more_statements", "wordings"):
            continue  # made sentences, and verbatim quotes with their speaker
        for line in section.lines:
            text = without_prefix(line.text) if section.key in ("lead", "timeline", "more_timeline") else line.text
            assert junk(text) is None, (section.key, line.text, junk(text))
            if section.key not in ("timeline", "more_timeline"):
                assert text not in seen, text
                seen.add(text)


def test_takeaways_hold_the_26_countries_corroborated(seeded):
    _, brief, _ = seeded
    takeaways = brief.section("takeaways").lines
    assert any(re.search(r"\b26\b|Twenty-six", line.text) and line.status == "corroborated" for line in takeaways)


def test_takeaways_give_each_voice_its_say_the_threat_zelenskys_thousands_and_peskov(seeded):
    _, brief, _ = seeded
    takeaways = [line.text for line in brief.section("takeaways").lines]
    assert any("legitimate target" in text for text in takeaways)
    assert any("Zelensky" in text and "thousands" in text for text in takeaways)
    assert any("Peskov" in text for text in takeaways)


def test_official_statements_give_one_line_per_utterance_with_speaker_role_and_sources(seeded):
    _, brief, _ = seeded
    statements = brief.section("statements").lines
    (putin,) = [
        line
        for line in statements
        if line.text.startswith("Vladimir Putin, Russian President") and "targets" in line.text
    ]
    assert "legitimate targets" in putin.text and putin.note == "4 independent sources"
    assert "Vladivostok" in putin.text
    for line in statements:  # quotes are verbatim: each cites the exact words it prints
        (n,) = line.citations
        assert brief.citations[n - 1].text.strip(" ,.") in line.text
    wordings = [line for line in brief.section("wordings").lines if line.text.startswith("Vladimir Putin")]
    assert len(wordings) >= 2 and brief.section("wordings").appendix


def test_single_source_claims_say_who_carries_them(seeded):
    _, brief, _ = seeded
    single = brief.section("single").lines + brief.section("more_single").lines
    assert all(line.status == "single-source" and line.note for line in single)
    assert "Markovo" in " ".join(line.text for line in single)


def test_the_timeline_puts_macrons_announcement_on_4_september(seeded):
    _, brief, _ = seeded
    timeline = brief.section("timeline").lines + brief.section("more_timeline").lines
    assert any(
        line.text.startswith("4 September 2025: ") and re.search(r"\b26\b|Twenty-six", line.text) for line in timeline
    )
    assert not any(line.text.startswith("5 September 2025: ") and "Thursday" in line.text for line in timeline)


def test_no_source_label_is_cut_mid_word(seeded):
    _, brief, seeds = seeded
    titles = {a.id: a.title for articles in seeds.values() for a in articles}
    for source in brief.sources:
        if source.outlet:
            continue
        shown = source.name.split("(“", 1)[1].rstrip("…”)")
        assert titles[source.article_id].startswith(shown)
        rest = titles[source.article_id][len(shown) :]
        assert not rest or not rest[0].isalnum(), source.name
    fe_today = next(s for s in brief.sources if s.outlet == "FE Today")
    assert fe_today.group == "FE Today, relaying agencies"


def test_the_bottom_line_counts_what_the_sections_state(seeded):
    _, brief, _ = seeded
    (bottom,) = brief.section("bottom_line").lines
    claims = [line for key in ("lead", "takeaways", "facts") for line in brief.section(key).lines]
    corroborated = sum(line.status == "corroborated" for line in claims)
    assert f" {corroborated} corroborated claim" in bottom.text
    assert f"{len(brief.section('statements').lines)} official statement" in bottom.text
    assert f"{len(brief.section('disputed').lines)} disputed point" in bottom.text
    single = [line for key in ("lead", "takeaways", "facts", "single", "context") for line in brief.section(key).lines]
    assert f"{sum(line.status == 'single-source' for line in single)} of the " in bottom.text


def test_the_appendix_is_in_json_and_html_and_in_markdown_only_when_full(seeded):
    _, brief, _ = seeded
    document = json.loads(as_json(brief))
    assert any(s["appendix"] and s["lines"] for s in document["sections"])
    assert "Appendix" in html_page([brief])
    assert "## Appendix" not in markdown(brief) and "## Appendix" in markdown(brief, full=True)
    cited = {int(n) for n in re.findall(r"^\[(\d+)\]", markdown(brief).split("## Citations")[1], re.M)}
    used = {n for s in brief.sections if not s.appendix for line in s.lines for n in line.citations}
    assert cited == used


def test_the_same_input_gives_the_same_brief(seeded):
    store, brief, _ = seeded
    again = brief_story(store, brief.story_id, Settings())
    assert as_json(again) == as_json(brief)


def test_every_sentence_cites_and_every_citation_resolves_to_stored_text(seeded):
    store, brief, _ = seeded
    for section in brief.sections:
        for line in section.lines:
            assert line.citations, (section.key, line.text)
            assert all(1 <= n <= len(brief.citations) for n in line.citations)
    sources = {s.n: s for s in brief.sources}
    for citation in brief.citations:
        article = store.article(citation.article_id)
        field = article.title if citation.field == "title" else article.text
        assert field[citation.start : citation.end] == citation.text
        assert sources[citation.source].article_id == citation.article_id


def test_sources_list_the_five_documents_with_titles_dates_and_what_each_was_taken_as(seeded):
    _, brief, seeds = seeded
    assert {s.article_id for s in brief.sources} == {articles[0].id for articles in seeds.values()}
    assert all(s.title and s.published and s.kind and s.why for s in brief.sources)
    assert {s.outlet for s in brief.sources} >= {"FE Today", "ZeroHedge"}
    md = markdown(brief)
    assert "digest (7 digest headings" in md and "listed, not counted as a source" in md


def test_the_headline_avoids_loaded_verbs_and_stays_grammatical(seeded):
    _, brief, _ = seeded
    assert "threaten" not in brief.headline.lower() and "says to" not in brief.headline
    coverage = " ".join(lines(brief, "coverage"))
    assert "loaded: threatens" in coverage


def test_json_is_valid_against_the_published_schema(seeded):
    _, brief, _ = seeded
    document = json.loads(as_json(brief))
    jsonschema.validate(document, schema())
    jsonschema.Draft202012Validator.check_schema(schema())
    assert document["sections"][0]["key"] == "lead"


def test_markdown_and_html_render_every_section_and_escape_text(seeded):
    _, brief, _ = seeded
    md = markdown(brief)
    assert md.startswith("# ") and "## Official statements" in md and "## Sources" in md and "[1]" in md
    page = html_page([brief])
    assert "<script" not in page and "name=viewport" in page and "<link" not in page
    assert page.count("<li id=c") == len(brief.citations)


def test_hostile_text_is_escaped_in_every_rendering(seeded):
    from dataclasses import replace

    from triangulate.brief import Line

    _, brief, _ = seeded
    hostile = Line("<script>alert(1)</script> [bold red]x[/] **y** <img src=x onerror=alert(1)>", (1,), None)
    section = replace(brief.sections[0], lines=[hostile])
    evil = replace(brief, sections=[section], headline="<b>[red]Headline[/]</b>")
    page = html_page([evil])
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    md = markdown(evil)
    assert "<script>" not in md and r"\*\*y\*\*" in md
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(terminal(evil))
    assert "[bold red]x[/]" in console.export_text()


def test_a_story_with_one_headline_keeps_it(seed_store, seeds):
    china = seeds["000"][1]
    assert china.title.startswith("Beijing rejects")
    brief = brief_story(seed_store, seed_store.story_of(china.id), Settings())
    assert brief.headline == china.title


def test_an_opinion_piece_never_corroborates_a_fact_on_its_own(seeds):
    from triangulate.brief import build_brief
    from triangulate.corroborate import corroborate
    from triangulate.embed import embedder
    from triangulate.language import analyse_many
    from triangulate.model import Article, Story

    report, other = seeds["004"][0], seeds["003"][0]
    as_news = Article.build(other.text, title=other.title, outlet="Example Daily", published=report.published)
    as_opinion = Article.build(other.text, title=other.title, outlet="Example Daily (Opinion)",
                               published=report.published)  # fmt: skip

    def statuses_of(articles):
        analyses = analyse_many(articles)
        found = corroborate(articles, analyses, embedder())
        brief = build_brief(Story("s-x", report.title, tuple(a.id for a in articles)), articles, analyses, found)
        return {line.status for s in brief.sections for line in s.lines}, brief

    statuses, _ = statuses_of([report, as_news])
    assert "corroborated" in statuses
    statuses, brief = statuses_of([report, as_opinion])  # the same text, labelled opinion by its outlet
    assert "corroborated" not in statuses
    assert next(s for s in brief.sources if s.outlet == "Example Daily (Opinion)").kind == "opinion"
    opinion_id = next(s.article_id for s in brief.sources if s.kind == "opinion")
    assert brief.headline != other.title or other.title == report.title  # a column's title is no headline
    (lead,) = brief.section("lead").lines
    assert any(brief.citations[n - 1].article_id != opinion_id for n in lead.citations)
    for key in ("takeaways", "single"):
        for line in brief.section(key).lines:  # never a line that only the opinion piece states
            assert {brief.citations[n - 1].article_id for n in line.citations} != {opinion_id}, line.text


DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.mark.skipif(not (DATA / "allsides").is_dir(), reason="needs ../shared/data/allsides (the real evaluation data)")
def test_a_deadline_is_not_the_event_day_and_a_surname_is_not_a_place(tmp_path):
    """AllSides' eviction-moratorium story: "issued on Tuesday a freeze that remains in effect through Oct. 3"
    happened on Tuesday 3 August; "Bush" is Cori Bush, not a town of that name."""
    stories = [json.loads(line) for line in (DATA / "allsides" / "stories.jsonl").read_text().splitlines()]
    (story,) = [s for s in stories if s["issue"] == "Biden Administration Announces New Eviction Moratorium"]
    records = [
        {
            "title": n["newsTitle"],
            "text": "\n\n".join(n["newBody"]),
            "outlet": n["newsSource"],
            "published": story["date"][:10],
        }
        for n in story["news"].values()
    ]
    feed = tmp_path / "items.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Workspace(str(tmp_path / "t.db")) as ws:
        ws.ingest([str(feed)])
        ws.catch_up()
        briefs = [ws.brief(s.id) for s in ws.stories()]
    leads = [b.section("lead").lines[0].text for b in briefs if b.section("lead").lines]
    assert any(lead.startswith("On 3 August 2021") for lead in leads), leads
    assert not any("October" in lead.split(":")[0] or "Būsh" in lead for lead in leads), leads
    for brief in briefs:
        timeline = [without_prefix(line.text) for line in brief.section("timeline").lines]
        assert len(timeline) == len(set(timeline))


def test_no_line_cites_a_clause_of_a_sentence_it_cites_already(seeded):
    _, brief, _ = seeded
    for section in brief.sections:
        for line in section.lines:
            cited = [brief.citations[n - 1] for n in line.citations]
            for a in cited:
                for b in cited:
                    if a is not b and (a.article_id, a.field) == (b.article_id, b.field):
                        assert not (b.start <= a.start and a.end <= b.end), (line.text, a.text, b.text)
