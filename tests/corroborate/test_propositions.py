"""Issue 11 on the seeds: propositions that line up across the four real articles, the right speakers, and a
real dispute. (001 is an AI digest; these checks are about the four reports.)"""

from __future__ import annotations

import re

import pytest

from triangulate.config import Settings
from triangulate.corroborate import corroborate_story
from triangulate.ingest.places import place

REAL = ("000", "002", "003", "004")


@pytest.fixture(scope="module")
def story(seeds, seed_store):
    main = seed_store.story_of(seeds["000"][0].id)
    _, articles, found = corroborate_story(seed_store, main, Settings())
    ids = {key: articles_[0].id for key, articles_ in seeds.items()}
    return ids, articles, found


def holding(groups, pattern):
    return [g for g in groups if any(re.search(pattern, m.text) for m in g.members)]


def articles_of(group) -> set[str]:
    return {m.article_id for m in group.members}


def test_the_legitimate_target_proposition_is_one_group_of_all_four_real_articles(story):
    ids, _, found = story
    groups = holding([*found.claims, *found.quotes], r"legitimate (military )?targets?")
    assert any({ids[k] for k in REAL} <= articles_of(g) for g in groups)


def test_peskovs_remark_is_one_quote_group_across_000_and_003(story):
    ids, _, found = story
    (group,) = holding(found.quotes, r"organized very quickly")
    assert {ids["000"], ids["003"]} <= articles_of(group)
    assert group.speaker == "Dmitry Peskov" and group.status == "statement"


def test_putins_no_sense_and_no_point_are_one_utterance(story):
    ids, _, found = story
    (group,) = holding(found.quotes, r"no sense in such a presence")
    assert any("no point in their presence" in m.text for m in group.members)
    assert {ids["002"], ids["003"]} <= articles_of(group)


def test_zelenskys_thousands_is_reported_by_003_and_004(story):
    ids, _, found = story
    groups = [g for g in holding(found.claims, r"thousands") if {ids["003"], ids["004"]} <= articles_of(g)]
    assert groups and groups[0].status in {"corroborated", "statement"}


@pytest.mark.parametrize("pattern", [r"front line", r"wag(e|ing) war"])
def test_macrons_front_line_and_no_war_remarks_line_up_across_000_and_004(story, pattern):
    ids, _, found = story
    groups = holding([*found.claims, *found.quotes], pattern)
    assert any({ids["000"], ids["004"]} <= articles_of(g) for g in groups)


def test_speakers_are_the_ones_the_sentences_name(story):
    _, _, found = story
    (poletaev,) = holding(found.quotes, r"words on paper")
    assert poletaev.speaker == "Sergey Poletaev"  # '…," a Russian analyst, Sergey Poletaev, editor of …, has stated'
    (live,) = holding(found.quotes, r"help people live")
    assert live.speaker == "Donald Trump"  # "he" is the US president of the sentence before, not Putin
    (constructive,) = [q for q in holding(found.quotes, r"new major aggression") if q.speaker]
    assert constructive.speaker == "Emmanuel Macron"


def test_no_speaker_is_a_place_a_bare_pronoun_or_a_scare_quote(seed_store, story):
    _, articles, _ = story
    pronouns = {"he", "she", "it", "they", "we", "i", "his", "her", "their"}
    for article in articles:
        analysis = seed_store.analysis(article.id)
        speakers = [q.speaker for q in analysis.quotes] + [c.speaker for c in analysis.claims]
        for speaker in filter(None, speakers):
            assert speaker.name.lower() not in pronouns or speaker.kind == "unknown", speaker
            assert speaker.kind == "unknown" or place(speaker.name) is None, speaker
        for quote in analysis.quotes:
            if re.fullmatch(r"(?i)coalition of the willing,?", quote.text):
                assert quote.speaker is None  # a term in quotation marks, not anyone's words


def test_the_35_country_coalition_is_only_000s(story):
    _, _, found = story
    for group in holding(found.claims, r"35 countries"):
        assert group.status == "single-source" or "35 countries" in group.unconfirmed, group.explanation


def test_002s_even_for_a_peace_deal_framing_is_contested_against_the_quoted_words(story):
    _, _, found = story
    (group,) = holding(found.claims, r"even in the scenario of enforcing a peace deal")
    assert group.status == "contested"
    assert group.conflicts[0].kind == "framing" and group.conflicts[0].severity == "soft"
    assert any("especially now" in m.text or "while the hostilities" in m.text for m in group.opposing)


def test_a_quotation_stitched_from_anothers_fragments_is_flagged(seeds):
    """001 (a digest, so not a source of the story) prints Zelensky's words as one quotation; 003, the only source,
    prints two fragments. An outlet that did what 001 did is flagged as not verbatim."""
    from triangulate.corroborate import corroborate
    from triangulate.embed import embedder
    from triangulate.language import analyse_many
    from triangulate.model import Article

    source = seeds["003"][0]
    digest = seeds["001"][0].text
    start = digest.index("“We are ready")
    quotation = digest[start : digest.index("”", start) + 1]
    base = seeds["004"][0]
    copy = Article.build(
        base.text + f"\n\n{quotation[:-2]},” Zelensky said.", title=base.title, outlet="Example Daily",
        published=base.published,
    )  # fmt: skip
    found = corroborate([source, copy], analyse_many([source, copy]), embedder())
    (group,) = holding(found.quotes, r"ready for any kind of meetings")
    assert {m.article_id for m in group.members} == {source.id, copy.id}
    assert [m.article_id for m in group.stitched] == [copy.id]
    assert "Not verbatim" in group.explanation
