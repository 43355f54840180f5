"""Checking a text against its sources: the seeds' AI-written digest (001) against the four real articles."""

import json
import re

import jsonschema
import pytest
from click.testing import CliRunner

from triangulate.check import check
from triangulate.check.render import html_page, markdown, schema
from triangulate.cli import main
from triangulate.errors import EmptyInput, TooLarge
from triangulate.model import Article

from .conftest import SEEDS


@pytest.fixture(scope="module")
def digest_report(seeds):
    sources = [a for key in ("000", "002", "003", "004") for a in seeds[key]]
    text = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    return check(text, sources)


def _sentence(report, words: str):
    return next(s for s in report.sentences if words in s.text)


def _proposition(report, words: str):
    return next(p for s in report.sentences for p in s.propositions if words in p.text)


def test_the_zelensky_quote_is_stitched_from_two_fragments(digest_report):
    quote = next(q for q in digest_report.quotes if q.text.startswith("We are ready for any kind"))
    assert quote.verdict == "stitched" and quote.failed
    fragments = [m.text for m in quote.matches]
    assert any("for any type of meeting" in f for f in fragments)
    assert any("Putin is ready to end this war" in f for f in fragments)


def test_claims_no_source_makes_are_unsupported(digest_report):
    assert _proposition(digest_report, "took office in January 2025").verdict == "unsupported"
    assert _proposition(digest_report, "would not put ground troops").verdict == "unsupported"


def test_putins_wording_is_not_verbatim_and_the_closest_sources_are_named(digest_report, seeds):
    quote = next(q for q in digest_report.quotes if "we proceed from the fact" in q.text)
    assert quote.verdict == "paraphrase" and quote.failed
    closest = {m.article_id for m in quote.matches}
    assert {seeds["000"][0].id, seeds["003"][0].id} <= closest
    for match in quote.matches:
        assert match.differs[0]  # the words of the digest that the source does not print
        assert match.same_speaker is True  # both credit Putin


def test_the_26_countries_are_supported_by_all_four_sources(digest_report):
    proposition = _proposition(digest_report, "Macron has said 26 countries pledged")
    assert proposition.verdict == "supported"
    assert len(proposition.sources) == 4
    for evidence in proposition.support:
        assert re.search(r"\b26\b|Twenty-six", evidence.text)


def test_the_digest_fails_the_check_and_renders_escaped(digest_report):
    assert digest_report.failed
    counts = digest_report.counts()
    assert counts["supported"] >= 3 and counts["unsupported"] >= 5
    jsonschema.validate(digest_report.to_dict(), schema())
    page = html_page(digest_report)
    assert page.count('class="s') == len(digest_report.sentences)
    assert 'data-verdict="unsupported"' in page


def test_a_changed_figure_is_contradicted_with_both_values():
    source = Article.build("Officials said 26 countries pledged troops for Ukraine on Thursday.", title="Pledges",
                           outlet="Wire A")  # fmt: skip
    report = check("Officials said 31 countries pledged troops for Ukraine on Thursday.", [source])
    proposition = report.sentences[0].propositions[0]
    assert proposition.verdict == "contradicted"
    (_, differences), *_ = proposition.contradictions
    assert ("figure", "31 countries", "26 countries") in {(d.kind, d.ours, d.theirs) for d in differences}


def test_a_country_that_only_qualifies_a_name_need_not_be_printed_but_a_missing_actor_is_still_refused():
    source = Article.build(
        "Many Republicans said the removal should be left to the states, which are each allowed to place two "
        "statues in the Capitol.",
        title="House votes on statues",
        outlet="Wire A",
    )
    (qualified,) = check("Each state is allowed to place two statues in the U.S. Capitol.", [source]).sentences
    assert not [d for p in qualified.propositions if p.closest for d in p.closest[1] if d.ours == "U.S."]
    (actor,) = check(
        "Each state is allowed to place two statues in the Capitol, Nancy Pelosi said.", [source]
    ).sentences
    assert actor.verdict != "supported"


def test_a_verbatim_quote_credited_to_someone_else_is_a_misquote():
    source = Article.build('"We will not retreat," Defence Minister Anna Kowalski said on Monday.',
                           title="Minister speaks", outlet="Wire A")  # fmt: skip
    right = check('"We will not retreat," Kowalski said.', [source]).quotes[0]
    assert right.verdict == "verbatim" and not right.failed
    wrong = check('"We will not retreat," Prime Minister John Smith said.', [source]).quotes[0]
    assert wrong.verdict == "verbatim" and wrong.matches[0].same_speaker is False and wrong.failed


def test_hostile_text_gives_a_message_or_a_result(seeds):
    sources = seeds["000"]
    with pytest.raises(EmptyInput, match="no text to check"):
        check("   \n ", sources)
    with pytest.raises(TooLarge, match="check it in parts"):
        check("word " * 2_100_000, sources)
    foreign = check("Le président a déclaré que vingt-six pays enverraient des troupes en Ukraine.", sources)
    assert foreign.sentences and foreign.sentences[0].verdict in ("unsupported", "supported", "partly supported")
    hostile = check('<script>alert(1)</script> Putin said <img src=x onerror=alert(2)> troops "would be targets".',
                    sources)  # fmt: skip
    assert "<script>" not in html_page(hostile) and "<img" not in html_page(hostile)
    assert "<script>" not in markdown(hostile)


def test_the_command_reads_files_and_exits_1_on_a_misquote(tmp_path):
    digest = next(SEEDS.glob("001_*.txt"))
    sources = [str(p) for p in sorted(SEEDS.glob("00[0234]_*.txt"))]
    args = ["--db", str(tmp_path / "c.db"), "check", str(digest), "--format", "json"]
    result = CliRunner().invoke(main, [*args, *[x for s in sources for x in ("--against", s)]])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    jsonschema.validate(report, schema())
    assert report["failed"] and any(q["verdict"] == "stitched" for s in report["sentences"] for q in s["quotes"])
    good = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "check", "--format", "md", "--against",
                                     sources[0], "French President Emmanuel Macron said 26 countries have formally "
                                     "committed to deploy troops in Ukraine."])  # fmt: skip
    assert good.exit_code == 0, good.output
    assert re.search(r"\*\*SUPPORTED\*\*", good.output)


def test_the_command_reports_bad_input_without_a_traceback(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    source = str(next(SEEDS.glob("000_*.txt")))
    for given in (str(binary), str(empty)):
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "check", given, "--against", source])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "error:" in result.output and given in result.output
    missing = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "check", "Some text here to check.",
                                        "--against", "nosuchstory"])  # fmt: skip
    assert missing.exit_code != 0 and "Traceback" not in missing.output
