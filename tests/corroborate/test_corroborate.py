"""Corroboration on the seeds and on edited copies of real seed text."""

from __future__ import annotations

import re

import pytest

from triangulate.config import Settings
from triangulate.corroborate import corroborate, corroborate_story
from triangulate.corroborate.independence import independence_groups
from triangulate.corroborate.quantities import agree
from triangulate.embed import embedder
from triangulate.language import analyse_many
from triangulate.model import Article, Quantity


@pytest.fixture(scope="module")
def seed_story(seeds, seed_store):
    main = seed_store.story_of(seeds["000"][0].id)
    _, _, found = corroborate_story(seed_store, main, Settings())
    return {key: articles[0].id for key, articles in seeds.items()}, found


def groups_with(groups, pattern):
    return [g for g in groups if any(re.search(pattern, m.text) for m in g.members)]


def test_putins_legitimate_targets_quote_is_one_group_with_the_four_real_wordings(seed_story):
    ids, found = seed_story
    (group,) = [g for g in groups_with(found.quotes, r"legitimate target") if g.entity_id == "per:vladimir-putin"]
    real = {key: i for key, i in ids.items() if key != "001"}  # 001 is a digest: never a source
    assert {m.article_id for m in group.members} == set(real.values())
    assert len({m.text for m in group.members}) == 4  # four wordings, four translations
    assert group.status == "statement" and "Vladimir Putin said this" in group.explanation
    assert len(found.independence) == 4 and ids["001"] not in {i for g in found.independence for i in g.article_ids}


def test_26_countries_is_corroborated_and_not_contested_by_two_dozen(seed_story):
    _, found = seed_story
    groups = [g for g in groups_with(found.claims, r"\b26\b|Twenty-six") if len(g.sources) >= 3]
    assert groups and all(not g.opposing for g in groups)
    assert {g.status for g in groups} <= {"corroborated", "statement"}
    assert any(g.status == "corroborated" for g in groups), [g.explanation for g in groups]
    two_dozen = groups_with(found.claims, r"Two dozen countries")
    assert all(g.status != "contested" for g in two_dozen)


def test_markovo_is_single_source_from_003(seed_story):
    ids, found = seed_story
    (group,) = groups_with(found.claims, r"Markovo")
    assert group.status == "single-source"
    assert {m.article_id for m in group.members} == {ids["003"]}


def test_stubbs_oil_and_gas_remark_is_single_source_and_credited_upstream(seed_story):
    ids, found = seed_story
    groups = groups_with(found.quotes, r"oil and gas")
    assert groups and all(g.status == "single-source" for g in groups)
    (wording,) = [m for g in groups for m in g.members]
    assert wording.article_id == ids["002"]
    assert {"Reuters", "Finnish media"} <= set(wording.upstream)
    assert "crediting Finnish media and Reuters" in groups[0].explanation


def test_zelenskys_any_type_of_meeting_is_credited_to_him_and_the_digests_wording_is_not_a_source(seed_story):
    ids, found = seed_story
    groups = groups_with(found.quotes, r"for any type of meeting")
    assert groups and all(g.entity_id == "per:volodymyr-zelensky" for g in groups)
    assert ids["003"] in {m.article_id for g in groups for m in g.members}
    assert not groups_with(found.quotes, r"ready for any kind of meetings")  # only the digest words it so


def edited_copy(article: Article, outlet: str, **changes: str) -> Article:
    """A syndicating outlet's version: new headline, a word or two changed, the last paragraph cut."""
    text = article.text
    for old, new in changes.items():
        text = text.replace(old, new)
    paragraphs = text.split("\n\n")
    text = "\n\n".join(paragraphs[:-1] if len(paragraphs) > 3 else paragraphs)
    return Article.build(text, title=f"Syndicated: {article.title}", outlet=outlet, published=article.published)


def test_a_lightly_edited_copy_is_one_independent_source(seeds):
    original = seeds["002"][0]
    copy = edited_copy(original, "Example Daily", **{"Finland’s president": "Finnish President", "hosted": "held"})
    groups = independence_groups([original, copy])
    assert len(groups) == 1 and "near-duplicate" in groups[0].reasons[0]
    analyses = analyse_many([original, copy])
    found = corroborate([original, copy], analyses, embedder())
    (stubb,) = groups_with(found.claims, r"Stubb said president Donald Trump")
    assert {m.article_id for m in stubb.members} == {original.id, copy.id}
    assert stubb.status == "single-source"  # two copies of one report corroborate nothing
    assert len(found.independence) == 1


def test_a_conflicting_figure_for_the_same_pledge_is_contested(seeds):
    original = seeds["004"][0]
    rival = edited_copy(original, "Example Daily", **{"26 countries had pledged": "35 countries had pledged"})
    rival = Article.build(  # rewritten enough to be an independent report, with the other figure
        "French President Emmanuel Macron announced that 35 countries had pledged to send forces to secure Ukraine "
        "once a ceasefire is reached, officials said on Friday.\n\n" + "\n\n".join(rival.text.split("\n\n")[2:]),
        title="Macron: 35 countries pledge forces",
        outlet="Example Daily",
        published=original.published,
    )
    analyses = analyse_many([original, rival])
    found = corroborate([original, rival], analyses, embedder())
    contested = [g for g in found.claims if g.status == "contested"]
    assert contested, [(g.status, g.text) for g in found.claims]
    assert any("26 countries" in g.text for g in contested)
    assert any("35 countries" in m.text for g in contested for m in g.opposing)


def test_quantities_agree_within_their_precision():
    def q(value, **kind):
        return Quantity("a", 0, 1, "x", value=value, **kind)

    assert agree(q(100, counted="people", low=100), q(120, counted="people")) is True  # "more than 100"
    assert agree(q(100, counted="people", low=100), q(80, counted="people")) is False
    assert agree(q(24, counted="countries", approximate=True), q(26, counted="countries")) is True
    assert agree(q(26, counted="countries"), q(35, counted="countries")) is False
    assert agree(q(26, counted="countries"), q(26, counted="soldiers")) is None


def test_a_story_of_one_article_is_all_single_source(seeds):
    (article,) = seeds["004"]
    found = corroborate([article], analyse_many([article]), embedder())
    assert found.claims and all(g.status == "single-source" for g in found.claims)
    assert len(found.independence) == 1


def test_a_headline_quoting_words_nobody_said_is_contested(seeds):
    from triangulate.brief import build_brief
    from triangulate.model import Story

    original = seeds["004"][0]
    copy = Article.build(
        original.text, title="Putin vows to ‘wipe out’ European troops", outlet="Example Daily",
        published=original.published,
    )  # fmt: skip
    articles = [original, copy]
    analyses = analyse_many(articles)
    found = corroborate(articles, analyses, embedder())
    (headline,) = [g for g in found.claims if g.members[0].field == "title"]
    assert headline.status == "contested" and "wipe out" in headline.explanation
    assert copy.title[headline.members[0].start : headline.members[0].end] == "wipe out"
    brief = build_brief(Story("s-x", copy.title, (original.id, copy.id)), articles, analyses, found)
    (line,) = [line for line in brief.section("disputed").lines if "wipe out" in line.text]
    (n,) = line.citations
    assert brief.citations[n - 1].field == "title" and brief.citations[n - 1].text == "wipe out"
    supported = Article.build(
        original.text, title="Putin: troops would be ‘legitimate targets’", outlet="Example Daily"
    )
    assert not [g for g in corroborate([original, supported], analyse_many([original, supported]), embedder()).claims
                if g.members[0].field == "title"]  # fmt: skip


def test_a_shared_wire_credit_or_owner_makes_one_source_and_the_reasons_say_so(seeds):
    from triangulate.model import Dateline

    base = seeds["003"][0]
    one = Article.build(base.text, title=base.title, outlet="Example Daily")
    other = Article.build(seeds["004"][0].text, title=seeds["004"][0].title, outlet="Example Times")
    assert len(independence_groups([one, other])) == 2  # different text, outlets and credits: two sources
    wire = Dateline(place="Moscow", credit="Reuters")
    credited = [
        Article.build(one.text, title=one.title, outlet="Example Daily", dateline=wire),
        Article.build(other.text, title=other.title, outlet="Example Times", dateline=wire),
    ]
    (group,) = independence_groups(credited)
    assert group.label == "Reuters" and any("both credit Reuters" in r for r in group.reasons)
    owned = [  # two DPG Media titles in the registry
        Article.build(one.text, title=one.title, outlet="De Morgen", url="https://www.demorgen.be/x"),
        Article.build(other.text, title=other.title, outlet="Het Laatste Nieuws", url="https://www.hln.be/y"),
    ]
    (group,) = independence_groups(owned)
    assert any("share an owner: DPG Media" in r for r in group.reasons)


def test_upstream_credits_in_a_sentence():
    from triangulate.corroborate.independence import upstream_credits

    assert upstream_credits("Putin said so, according to state media.") == ["State media"]
    assert upstream_credits("The ministry said on Friday, Interfax reported.") == ["Interfax"]
    assert upstream_credits("according to Putin, the talks failed.") == []  # a speaker, not an outlet
    assert upstream_credits("Reuters reported it first.", own_outlet="Reuters") == []


def test_figures_of_one_thing_in_different_roles_do_not_clash_but_the_same_measure_does():
    """ "killing hundreds of people" and "a town of about 15,000 people" count people in two roles; the quake's
    magnitude 6.1 against 5.9 is one measure two outlets give differently."""
    one = Article.build(
        "A 6.1-magnitude quake struck Qeshm island in southern Iran on Sunday, officials said.\n\n"
        "A 6.4-magnitude quake hit the town of Zarand in Kerman province in February, killing hundreds of people.",
        title="Quake strikes Qeshm island",
        outlet="Example Daily",
        published="2005-11-27",
    )
    two = Article.build(
        "A 5.9-magnitude quake struck Qeshm island on Sunday, Tehran's seismological centre said.\n\n"
        "The last major quake, of magnitude 6.4, rocked Zarand in Kerman province in February, a town of about "
        "15,000 people.",
        title="Iran quake hits island",
        outlet="Example Times",
        published="2005-11-27",
    )
    found = corroborate([one, two], analyse_many([one, two]), embedder())
    conflicts = [c for g in found.claims for c in g.conflicts]
    assert any("6.1" in c.ours and "5.9" in c.theirs for c in conflicts), conflicts
    assert not any("hundreds" in c.ours + c.theirs for c in conflicts), conflicts
