"""The model writer against a real local HTTP server speaking the OpenAI chat-completions protocol."""

from __future__ import annotations

import json

import pytest

from triangulate.brief import brief_story
from triangulate.brief.writer import check, rewrite
from triangulate.config import Settings
from triangulate.embed import embedder
from triangulate.errors import FetchError


def scripted(replies):
    """A chat-completions route: each request gets the next scripted reply (a function of the sentence)."""
    seen = []

    def answer(handler):
        request = json.loads(handler.body)
        sentence = request["messages"][1]["content"].split("\n")[0].removeprefix("Sentence: ")
        seen.append(request)
        reply = replies[min(len(seen) - 1, len(replies) - 1)](sentence)
        body = {"choices": [{"message": {"role": "assistant", "content": reply}}]}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    return answer, seen


def fluent(sentence: str) -> str:
    return sentence.replace("On 5 September 2025 in Vladivostok: ", "In Vladivostok on 5 September 2025, ")


def wrong_number(sentence: str) -> str:
    return sentence.replace("26", "27") if "26" in sentence else sentence + " Some 27 countries agreed."


def invented_quote(sentence: str) -> str:
    return sentence.rstrip(".") + ', calling it "a declaration of war."'


def dropped_negation(sentence: str) -> str:
    return "Putin was ready to accept Western troops in Ukraine."


def test_the_check_catches_a_wrong_number_an_invented_quote_and_a_lost_negation(seeded, server):
    store, _, seeds = seeded
    story = store.story_of(seeds["000"][0].id)
    route, seen = scripted([fluent, wrong_number, invented_quote, dropped_negation, lambda s: s])
    server.routes["/v1/chat/completions"] = route
    settings = Settings(writer="model", writer_url=server.url("/v1"), writer_model="scripted")
    brief = brief_story(store, story, settings)
    result = rewrite(brief, settings, embedder())
    reasons = [why for _, why in result.rejected]
    assert any(why.startswith("number 27") for why in reasons), reasons
    assert any(why.startswith("quotation") for why in reasons), reasons
    assert len(reasons) >= 3, reasons  # the sentence with Ukraine and without its negation is refused too
    assert result.accepted >= 1
    (lead,) = result.brief.section("lead").lines
    assert lead.text.startswith("In Vladivostok on 5 September 2025, ")  # the fluent, faithful rewrite was kept
    written = " ".join(line.text for s in result.brief.sections for line in s.lines)
    assert "27 countries" not in written and "declaration of war" not in written
    assert seen[0]["model"] == "scripted" and seen[0]["messages"][0]["role"] == "system"
    # the sections that quote are never sent
    assert all("Also worded" not in r["messages"][1]["content"] for r in seen)


def test_a_broken_endpoint_is_one_clear_error(seeded, server):
    _, brief, _ = seeded
    server.routes["/v1/chat/completions"] = lambda handler: (500, {}, b"oops")
    settings = Settings(writer="model", writer_url=server.url("/v1"), writer_model="m")
    with pytest.raises(FetchError, match="answered 500"):
        rewrite(brief, settings)
    server.routes["/v1/chat/completions"] = lambda handler: (200, {"Content-Type": "application/json"}, b"[]")
    with pytest.raises(FetchError, match="not an OpenAI-style"):
        rewrite(brief, settings)
    with pytest.raises(FetchError, match="needs writer_url"):
        rewrite(brief, Settings(writer="model"))


def test_check_rules():
    original = "Putin did not rule out a meeting with Zelensky in Moscow."
    assert check("Putin did not rule out meeting Zelensky in Moscow.", original, []) is None
    assert check("Putin ruled out a meeting with Zelensky in Moscow.", original, []).startswith("negation")
    assert check("Putin did not rule out a meeting with Zelensky in Kyiv.", original, []).startswith("name 'kyiv'")
    quoted = 'Putin said troops would be "legitimate targets".'
    assert check(quoted, "Putin said troops would be targets.", ["troops would be legitimate targets"]) is None


def test_the_brief_command_uses_the_model_writer_when_asked(server, tmp_path):
    from click.testing import CliRunner

    from triangulate.cli import main

    from ..conftest import SEEDS

    route, seen = scripted([wrong_number])
    server.routes["/v1/chat/completions"] = route
    config = tmp_path / "triangulate.toml"
    config.write_text(f'writer_url = "{server.url("/v1")}"\nwriter_model = "scripted"\n', encoding="utf-8")
    db = str(tmp_path / "t.db")
    args = ["--config", str(config), "--db", db, "brief", str(SEEDS / "004_2a5f1276f053ce1e.txt")]
    result = CliRunner().invoke(main, [*args, "--writer", "model", "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0 and seen
    assert "refused (number 27" in result.stderr
    assert "## Lead" in result.stdout and "27 countries" not in result.stdout  # every reply had a wrong number
