"""The stand-alone rules on sentences the seeds really hold (the lines issue 12 found in the old brief)."""

from __future__ import annotations

import pytest

from triangulate.brief import junk, shortened
from triangulate.brief.lines import first_clause, without_prefix


def seed_text(seeds, key: str) -> str:
    return "\n".join(a.text for a in seeds[key])


@pytest.mark.parametrize(
    ("key", "sentence", "why"),
    [
        ("003", "only once a possible ceasefire has been established.", "fragment: starts in lower case"),
        ("003", "And he sees the deployment of foreign peacekeepers as a possible solution.", "fragment: opens"),
        ("001", "Vladimir Putin, Russian President (Vladivostok, Sept. 5, 2025)", "credit line"),
        ("001", "Volodymyr Zelenskiy, Ukrainian President (statement)", "credit line"),
        ("002", "One such example is featured in The Guardian as follows:", "fragment: ends with a colon"),
        ("003", "Putin once again challenges Zelensky to go to Moscow", "fragment: no closing punctuation"),
        ("003", "It also announced the capture of Fedorivka, about 30 kilometers from these two key cities.",
         "pronoun"),
        ("003", "This Friday, Kremlin spokesman Dmitry Peskov said that Putin and Donald Trump could meet again soon, "
         "after doing so for the first time in the US president's second term. last month in Alaska\"I have no "
         "doubt that if the presidents deem it necessary, their meeting can be organized very quickly, as was the "
         "case with the one in Alaska,\" Peskov said in an interview with the Russian outlet Argumenty and Fakty.",
         "run-on"),
        ("001", "Key Takeaways", "heading"),
    ],
)  # fmt: skip
def test_junk_lines_from_the_seeds_are_rejected(seeds, key, sentence, why):
    assert sentence in seed_text(seeds, key)
    assert (junk(sentence) or "").startswith(why)


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("003", "This Friday, Ukrainian President Volodymyr Zelensky said that \"thousands\" of soldiers could be "
         "sent to the country once the war is over."),
        ("004", "The French-led push comes amid fading hopes for a ceasefire."),
        ("001", "Western positions remain divided."),
    ],
)  # fmt: skip
def test_sentences_that_stand_alone_pass(seeds, key, sentence):
    assert sentence in seed_text(seeds, key)
    assert junk(sentence) is None


def test_shortening_keeps_the_words_it_keeps(seeds):
    sentence = (
        "However, Russian President Vladimir Putin has reiterated in Friday comments that any Western troops in "
        "Ukraine would become legitimate targets, even in the scenario of enforcing a peace deal."
    )
    assert sentence in seed_text(seeds, "002")
    assert shortened(sentence) == sentence.removeprefix("However, ")
    clause = "Ukraine seeks strong, durable guarantees to deter future aggression"
    assert clause + ";" in seed_text(seeds, "001")
    assert first_clause(clause, "; Russia demands reciprocal assurances for its own security.") == clause + "."
    assert first_clause(clause, " to deter") is None
    assert without_prefix("4 September 2025: Macron spoke in Paris.") == "Macron spoke in Paris."


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("As of Tuesday afternoon, that's the vast majority of U.S. counties.", "pronoun"),
        ("On Friday, he said the talks would resume soon.", "pronoun"),
        ("On Friday, Putin said the talks would resume soon.", None),
        ("7: 15 a. m.", "timestamp"),
        ("Updated 1: 32 PM PDT", "timestamp"),
    ],
)
def test_a_pronoun_after_an_opening_phrase_and_a_spaced_time_are_caught(line, why):
    assert (junk(line) or "").startswith(why) if why else junk(line) is None
