"""The command line, run in-process with click's runner."""

import json

import pytest
from click.testing import CliRunner

from triangulate.cli import main

from .conftest import SEEDS


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "cli.db")

    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["--db", db, *args], input=input, catch_exceptions=False)

    return invoke


def test_every_command_has_help():
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help.split("\n")[0][:40] in result.output


def test_ingest_then_list_then_show(run):
    first = run("ingest", str(SEEDS), "--json")
    assert first.exit_code == 0
    report = json.loads(first.output)
    assert len(report["added"]) == 7 and report["failed"] == []
    again = json.loads(run("ingest", str(SEEDS), "--json").output)
    assert again["added"] == [] and len(again["unchanged"]) == 7
    listed = json.loads(run("articles", "--json").output)
    assert {a["outlet"] for a in listed} == {"FE Today", "ZeroHedge", None}
    zh = next(a for a in listed if a["outlet"] == "ZeroHedge")
    assert set(zh) >= {
        "id",
        "outlet",
        "title",
        "title_derived",
        "url",
        "published",
        "byline",
        "dateline",
        "language",
        "page_id",
        "segment",
    }
    assert set(zh["dateline"]) >= {"place", "date", "credit"}
    shown = run("article", zh["id"][:6])
    assert "Tyler Durden" in shown.output and "French president Emmanuel Macron" in shown.output
    full = json.loads(run("article", zh["id"], "--json").output)
    assert full["text"].startswith("French president Emmanuel Macron")


def test_db_option_may_follow_the_subcommand(tmp_path):
    db = str(tmp_path / "after.db")
    result = CliRunner().invoke(main, ["ingest", str(SEEDS / "002_18aa301ec3c67bd7.txt"), "--db", db])
    assert result.exit_code == 0
    assert "ZeroHedge" in CliRunner().invoke(main, ["articles", "--db", db]).output


def test_environment_variable_picks_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRIANGULATE_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(main, ["ingest", str(SEEDS / "004_2a5f1276f053ce1e.txt")]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_stdin_and_a_failed_item_exit_one_with_one_line_each(run, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    text = (SEEDS / "003_730480621d05b789.txt").read_text()
    result = run("ingest", "-", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), input=text)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("empty.txt" in errors[0] or "missing.txt" in e for e in errors)
    assert "added 1, unchanged 0, failed 2" in result.output


def test_unknown_article_is_one_line_not_a_traceback(run):
    result = run("article", "nope")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: no article with id 'nope'")
    assert "Traceback" not in result.output


def test_article_json_carries_every_language_list_as_spans(run):
    run("ingest", str(SEEDS))
    listed = json.loads(run("articles", "--json").output)
    zh = next(a for a in listed if a["outlet"] == "ZeroHedge")
    full = json.loads(run("article", zh["id"], "--json").output)
    for key in ("sentences", "entities", "mentions", "quotes", "quantities", "times", "claims"):
        assert full[key], key
    for key in ("sentences", "mentions", "quotes", "quantities", "times", "claims"):
        for record in full[key]:
            assert full["text"][record["start"] : record["end"]] == record["text"]
    quote = next(q for q in full["quotes"] if "dragging of Ukraine" in q["text"])
    assert set(quote["speaker"]) >= {"name", "entity_id", "start", "end", "kind"}
    assert quote["speaker"]["name"] == "Vladimir Putin" and quote["cue"] == "described"


def test_annotate_highlights_without_interpreting_markup(run, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        'Markup test\n\n"[bold red]We are ready[/]," Vladimir Putin said on Friday in Vladivostok. '
        "He added that 26 countries had been warned.\n",
        encoding="utf-8",
    )
    run("ingest", str(hostile))
    (only,) = json.loads(run("articles", "--json").output)
    shown = run("article", only["id"], "--annotate")
    assert shown.exit_code == 0
    assert "[bold red]We are ready[/]" in shown.output  # printed as text, never as style markup
    assert "Vladimir Putin (named) said" in shown.output


def test_analyse_command_fills_in_skipped_analysis(run):
    run("ingest", str(SEEDS), "--no-analysis")
    result = run("analyse")
    assert result.exit_code == 0 and "analysed 7" in result.output
    assert "analysed 0" in run("analyse").output


def test_stories_story_and_recluster(run):
    assert run("ingest", str(SEEDS)).exit_code == 0
    listed = json.loads(run("stories", "--json").output)
    assert [len(s["article_ids"]) for s in listed] == [5, 1, 1]
    main_story = listed[0]
    assert set(main_story) >= {"id", "title", "article_ids", "outlets", "first_seen", "last_seen"}
    assert main_story["first_seen"] == "2025-09-05" and "ZeroHedge" in main_story["outlets"]
    shown = json.loads(run("story", main_story["id"][:8], "--json").output)
    assert [a["id"] for a in shown["articles"]] == main_story["article_ids"]
    table = run("stories").output
    assert main_story["id"] in table
    rebuilt = json.loads(run("recluster", "--json").output)
    assert sorted(s["id"] for s in rebuilt) == sorted(s["id"] for s in listed)
    assert run("ingest", str(SEEDS)).exit_code == 0  # again: nothing moves
    assert json.loads(run("stories", "--json").output) == listed


def test_unknown_story_is_one_line(run):
    result = run("story", "s-nothing")
    assert result.exit_code == 1 and "no story with id 's-nothing'" in result.output


def test_story_titles_are_printed_as_text_not_markup(run, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "[bold red]Kamchatka[/] quake shakes Petropavlovsk\n\n"
        "A strong earthquake struck off Kamchatka on Friday, shaking Petropavlovsk-Kamchatsky.\n",
        encoding="utf-8",
    )
    run("ingest", str(hostile))
    assert "[bold red]Kamchatka[/]" in run("stories").output
    (story,) = json.loads(run("stories", "--json").output)
    assert "[bold red]Kamchatka[/]" in run("story", story["id"]).output


def test_claims_and_quotes_of_a_story(run):
    run("ingest", str(SEEDS))
    (main_story, *_) = json.loads(run("stories", "--json").output)
    claims = json.loads(run("claims", main_story["id"], "--json").output)
    assert {"id", "status", "explanation", "text", "members", "opposing"} <= set(claims[0])
    assert {"article_id", "outlet", "start", "end", "text"} <= set(claims[0]["members"][0])
    assert {c["status"] for c in claims} <= {"contested", "corroborated", "statement", "single-source"}
    quotes = json.loads(run("quotes", main_story["id"], "--json").output)
    assert {"id", "speaker", "status", "wordings"} <= set(quotes[0])
    putin = quotes[0]
    assert putin["speaker"] == "Vladimir Putin" and len(putin["wordings"]) == 4  # the digest 001 is not a source
    shown = run("claims", main_story["id"][:10], "--status", "corroborated").output
    assert "corroborated" in shown and "single-source (" not in shown
    assert "Vladimir Putin" in run("quotes", main_story["id"]).output


def test_claims_print_article_text_as_text_not_markup(run, tmp_path):
    for name, outlet in (("one.txt", "Example Daily"), ("two.txt", "Example Times")):
        (tmp_path / name).write_text(
            f"[bold red]Quake[/] strikes Kamchatka\n\nBy {outlet} staff\n\n"
            "A magnitude 6.1 earthquake struck off Kamchatka on Friday, the [link=http://x]geophysical service[/link] "
            "said. "
            '"[blink]We felt it[/blink] strongly," said Ivan Petrov, a resident of Petropavlovsk-Kamchatsky.\n',
            encoding="utf-8",
        )
    run("ingest", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"))
    (story, *_) = json.loads(run("stories", "--json").output)
    assert "[link=http://x]geophysical" in run("claims", story["id"]).output
    assert "[blink]We felt" in run("quotes", story["id"]).output


def test_claims_of_an_unknown_story_is_one_line(run):
    result = run("claims", "s-nothing")
    assert result.exit_code == 1 and "no story with id 's-nothing'" in result.output


def test_brief_one_shot_from_files_to_markdown_html_and_json(run, tmp_path):
    result = run("brief", str(SEEDS), "--format", "md")
    assert result.exit_code == 0
    assert (
        result.output.startswith("# ")
        and "## Lead" in result.output
        and "On 5 September 2025 in Vladivostok" in result.output
    )
    page = tmp_path / "brief.html"
    assert run("brief", "--all", "--format", "html", "-o", str(page)).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not list(tmp_path.glob(".*partial"))
    (story, *_) = json.loads(run("stories", "--json").output)
    document = json.loads(run("brief", story["id"], "--format", "json").output)
    import jsonschema

    jsonschema.validate(document, json.loads(run("schema").output))


def test_brief_needs_a_target_and_reports_bad_items(run, tmp_path):
    assert run("brief").exit_code != 0
    missing = run("brief", "s-nothing")
    assert missing.exit_code == 1 and "no story with id 's-nothing'" in missing.output
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = str(SEEDS / "002_18aa301ec3c67bd7.txt")
    result = run("brief", str(binary), str(empty), good, "--format", "md")
    assert result.exit_code == 1  # the bad items are named, the good one is briefed all the same
    assert "junk.txt" in result.output and "empty.txt" in result.output and "## Lead" in result.output
    only_bad = run("brief", str(empty), "--format", "md")
    assert only_bad.exit_code != 0 and "empty.txt" in only_bad.output and "no story to brief" in only_bad.output
