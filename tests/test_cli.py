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
    assert set(zh) >= {"id", "outlet", "title", "title_derived", "url", "published", "byline", "dateline",
                       "language", "page_id", "segment"}
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
