"""The language layer's acceptance on the five seed articles (issue 3)."""

from datetime import date

import pytest

from triangulate.language import analyse_many, batch_date


@pytest.fixture(scope="module")
def analysed(seeds):
    articles = [a for key in sorted(seeds) for a in seeds[key]]
    fallback = batch_date(articles)
    results = analyse_many(articles, fallback_date=fallback)
    by_seed = {}
    for article, analysis in zip(articles, results, strict=True):
        by_seed.setdefault(article.source or next(k for k in seeds if article in seeds[k]), []).append(
            (article, analysis)
        )
    return {key: [(a, r) for a, r in zip(articles, results, strict=True) if a in seeds[key]] for key in seeds}


def quotes_with(analysed, key, words):
    return [q for _, r in analysed[key] for q in r.quotes if words in q.text]


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_putins_legitimate_targets_quote_is_credited_to_putin(analysed, key):
    found = quotes_with(analysed, key, "legitimate")
    assert found, f"no 'legitimate targets' quote in {key}"
    assert any(q.speaker and q.speaker.entity_id == "per:vladimir-putin" for q in found)


def test_macron_and_zelensky_quotes_in_000(analysed):
    (macron,) = quotes_with(analysed, "000", "We have today 26 countries")
    assert macron.speaker.name == "Emmanuel Macron" and macron.cue == "told"
    (zelensky,) = quotes_with(analysed, "000", "I think that today")
    assert zelensky.speaker.name == "Volodymyr Zelensky"  # the article spells him Zelensky and Zelenskyy
    entity = next(e for _, r in analysed["000"][:1] for e in r.entities if e.id == zelensky.speaker.entity_id)
    assert "Volodymyr Zelenskyy" in entity.aliases


def test_peskov_quote_and_relayed_putin_quote(analysed):
    (peskov,) = quotes_with(analysed, "003", "I have no doubt")
    assert peskov.speaker.name == "Dmitry Peskov"
    (relayed,) = quotes_with(analysed, "002", "The West’s dragging")
    assert relayed.speaker.name == "Vladimir Putin" and relayed.speaker.relayed_by == "state media translation"


def test_times_resolve_against_the_dateline(analysed):
    _, first = analysed["000"][0]
    values = {t.text: t.value for t in first.times}
    assert values["Friday"] == "2025-09-05" and values["Thursday"] == "2025-09-04"
    assert first.anchor == "2025-09-05" and first.anchor_source == "dateline"


def test_last_month_in_003_is_august(analysed):
    ((_, result),) = analysed["003"]
    # 003 prints no date of its own: the batch's median date anchors it, and says so
    assert result.anchor_source == "batch" and date.fromisoformat(result.anchor) == date(2025, 9, 5)
    assert [t.value for t in result.times if t.text.lower() == "last month"] == ["2025-08"]


def test_quantities(analysed):
    def found(key):
        return [q for _, r in analysed[key] for q in r.quantities]

    dozen = next(q for q in found("000") if q.text.lower().startswith("two dozen"))
    assert dozen.value == 24 and dozen.approximate and dozen.counted == "countries"
    assert any(q.value == 35 and q.counted == "countries" for q in found("000"))
    for key in ("000", "001", "003", "004"):
        assert any(q.value == 26 and q.counted == "countries" for q in found(key)), key
    km = next(q for q in found("003") if q.unit == "km" and q.value == 16)
    assert km.approximate  # "about 16 kilometers"
    assert any(q.text.lower().startswith("twenty-six") and q.value == 26 for q in found("003"))


def test_places_and_roles(analysed):
    ((_, r003),) = analysed["003"]
    names = {e.name: e for e in r003.entities}
    assert "Kiev" in names["Kyiv"].aliases
    assert "Ukhhorod" in names["Uzhhorod"].aliases  # corrected: the sentence is about Ukraine
    roles = [m for m in r003.mentions if m.kind == "role" and m.entity_id == "per:vladimir-putin"]
    assert roles and roles[0].text == "The Russian president"


def test_claims_carry_attribution_hedging_and_kind(analysed):
    _, first = analysed["000"][0]
    claims = first.claims
    assert all(
        first.sentences[c.sentence].start <= c.start and c.end <= first.sentences[c.sentence].end for c in claims
    )
    putin = [c for c in claims if c.speaker and c.speaker.entity_id == "per:vladimir-putin"]
    assert putin and all(c.kind == "statement" for c in putin)
    ((_, r003),) = analysed["003"]
    assert any(c.hedges for c in r003.claims)
    assert any(c.negated for c in r003.claims)
    assert any(c.kind == "event" and c.speaker is None for c in r003.claims)


def test_one_identity_across_articles_and_spellings(analysed):
    def spellings(entity_id):
        return {
            m.text
            for key in analysed
            for _, r in analysed[key]
            for m in r.mentions
            if m.entity_id == entity_id and m.kind == "name"
        }

    assert {"Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelensky"} <= spellings("per:volodymyr-zelensky")
    (credited,) = quotes_with(analysed, "001", "We are ready for any kind of meetings")
    assert credited.speaker.entity_id == "per:volodymyr-zelensky"  # "Volodymyr Zelenskiy, Ukrainian President"
    assert {"Kyiv", "Kiev"} <= spellings("loc:kyiv")
    assert {"US", "U.S."} <= spellings("loc:united-states")
    assert {"Putin", "Vladimir Putin"} <= spellings("per:vladimir-putin")


def test_relayed_and_coordinated_speech_in_the_china_story(analysed):
    _, china = analysed["000"][1]
    (oil,) = [q for q in china.quotes if q.text.startswith("Europe must stop")]
    # 'Trump … also said "…", a senior White House official told AFP': Trump speaks, the official relays
    assert oil.speaker.entity_id == "per:donald-trump"
    assert oil.speaker.relayed_by == "a senior White House official"
    never = next(c for c in china.claims if c.text.startswith("China has never denounced"))
    assert never.negated and never.speaker.name == "China (government)"  # a place speaks as its government
