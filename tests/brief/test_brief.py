"""The brief of the seed story: its sections, citations that resolve to stored text, and its four renderings."""

from __future__ import annotations

import json
import re

import jsonschema

from triangulate.brief import brief_story
from triangulate.brief.render import as_json, html_page, markdown, schema, terminal
from triangulate.config import Settings


def lines(brief, key):
    return [line.text for line in brief.section(key).lines]


def test_lead_names_the_day_and_the_place(seeded):
    _, brief, _ = seeded
    (lead,) = lines(brief, "lead")
    assert lead.startswith("On 5 September 2025 in Vladivostok: ")
    assert "Putin" in lead and "legitimate targets" in lead


def test_official_statements_show_putins_quote_group_with_its_wordings(seeded):
    _, brief, _ = seeded
    statements = brief.section("statements").lines
    first = next(i for i, line in enumerate(statements) if "— Vladimir Putin" in line.text)
    assert "legitimate targets" in statements[first].text and "reported by" in statements[first].text
    variants = [line for line in statements[first + 1 :] if line.text.startswith("Also worded")]
    wordings = 1 + len(variants[:4])
    assert wordings >= 4
    for line in [statements[first], *variants[:4]]:  # quotes are verbatim: each cites the exact words
        (n,) = line.citations
        citation = brief.citations[n - 1]
        assert citation.text.strip(" ,.") in line.text


def test_verified_facts_and_unconfirmed(seeded):
    _, brief, _ = seeded
    assert any(re.search(r"\b26\b|Twenty-six", text) for text in lines(brief, "facts"))
    unconfirmed = " ".join(lines(brief, "unconfirmed"))
    assert "Markovo" in unconfirmed
    assert "oil and gas" in unconfirmed


def test_sources_list_the_five_outlets_with_titles_and_dates(seeded):
    _, brief, seeds = seeded
    assert {s.article_id for s in brief.sources} == {articles[0].id for articles in seeds.values()}
    assert all(s.title and s.published for s in brief.sources)
    assert {s.outlet for s in brief.sources} >= {"FE Today", "ZeroHedge"}


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


def test_the_headline_avoids_loaded_verbs(seeded):
    _, brief, _ = seeded
    assert "threaten" not in brief.headline.lower()
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
