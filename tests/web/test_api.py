"""The JSON API through an in-process client: pages of records, the brief's schema, and one error shape."""

from __future__ import annotations

import jsonschema
import pytest

STORY_ROUTES = ("", "/brief", "/claims", "/quotes", "/outlets")


def test_stories_are_pages_with_filters(client, main_story):
    listed = client.get("/api/stories").json()
    assert listed["total"] == 3 and [len(s["article_ids"]) for s in listed["items"]] == [5, 1, 1]
    assert {"id", "title", "article_ids", "outlets", "first_seen", "last_seen", "counts"} <= set(main_story)
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next"] and first["total"] == 3
    second = client.get(first["next"]).json()
    assert second["offset"] == 1 and second["items"][0]["id"] != first["items"][0]["id"]
    assert client.get("/api/stories", params={"outlet": "zerohedge"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "missile treaty"}).json()["items"][0]["title"].startswith("Trump")
    assert client.get("/api/stories", params={"since": "2025-09-06", "until": "2025-09-06"}).json()["total"] == 3
    assert client.get("/api/stories", params={"until": "2025-09-04"}).json()["total"] == 0


def test_story_brief_claims_quotes_and_outlets(client, main_story):
    sid = main_story["id"]
    story = client.get(f"/api/stories/{sid[:8]}").json()
    assert story["id"] == sid and [a["id"] for a in story["articles"]] == main_story["article_ids"]
    brief = client.get(f"/api/stories/{sid}/brief").json()
    jsonschema.validate(brief, client.get("/api/schema/brief").json())
    claims = client.get(f"/api/stories/{sid}/claims", params={"limit": 200}).json()
    assert claims["total"] == len(claims["items"]) > 5
    corroborated = client.get(f"/api/stories/{sid}/claims", params={"status": "corroborated"}).json()
    assert corroborated["total"] and {c["status"] for c in corroborated["items"]} == {"corroborated"}
    quotes = client.get(f"/api/stories/{sid}/quotes").json()["items"]
    assert quotes[0]["speaker"] == "Vladimir Putin" and len(quotes[0]["wordings"]) == 4
    outlets = client.get(f"/api/stories/{sid}/outlets").json()["sources"]
    assert len(outlets) == 5 and sum(not o["counted"] for o in outlets) == 1  # the digest is listed, not counted
    counted = client.get("/api/stories").json()["items"][0]["counts"]
    assert counted["corroborated"] == corroborated["total"]  # counts show once the story has been corroborated


def test_warming_briefs_the_newest_stories_so_the_list_counts_their_claims(seed_db):
    import time

    from fastapi.testclient import TestClient

    from triangulate.config import Settings
    from triangulate.web import create_app

    with TestClient(create_app(seed_db, Settings(db=seed_db), warm=1)) as fresh:
        deadline = time.monotonic() + 300
        while (counts := fresh.get("/api/stories").json()["items"][0]["counts"]) is None:
            assert time.monotonic() < deadline, "the first story was not briefed within 300 s"
            time.sleep(0.5)
        assert counts.get("corroborated")
        assert fresh.get("/api/stories").json()["items"][1]["counts"] is None  # one story of two or more articles


def test_articles_and_an_article_with_spans(client):
    listed = client.get("/api/articles", params={"limit": 2}).json()
    assert listed["total"] == 7 and len(listed["items"]) == 2 and listed["next"]
    article = client.get(f"/api/articles/{listed['items'][0]['id'][:6]}").json()
    for key in ("sentences", "quotes", "claims", "mentions"):
        for record in article[key]:
            assert article["text"][record["start"] : record["end"]] == record["text"]


def test_the_openapi_schema_lists_every_api_route(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}/brief", "/api/ingest", "/api/articles/{article_id}"} <= set(
        schema["paths"]
    )
    assert "ErrorOut" in schema["components"]["schemas"]


def _is_error_shape(response) -> None:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == response.status_code and isinstance(error["code"], str)
    assert isinstance(error["message"], str) and len(error["message"]) > 10 and isinstance(error["details"], list)
    assert response.headers["content-type"].startswith("application/json")


def test_every_route_gives_one_error_shape(client, make_client):
    schema = client.get("/api/openapi.json").json()
    bad_ids = {"{story_id}": "s-nothing", "{article_id}": "nothing"}
    seen = 0
    for path, methods in schema["paths"].items():
        concrete = path
        for name, value in bad_ids.items():
            concrete = concrete.replace(name, value)
        for method, operation in methods.items():
            params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if concrete != path:  # an unknown id
                response = client.request(method.upper(), concrete)
                assert response.status_code == 404 and "nothing" in response.json()["error"]["message"]
                _is_error_shape(response)
                seen += 1
            if "limit" in params:  # an invalid parameter
                response = client.request(method.upper(), path.replace("{story_id}", "s-a28d").replace(
                    "{article_id}", "01a8"), params={"limit": 0})  # fmt: skip
                assert response.status_code == 422
                _is_error_shape(response)
                seen += 1
            wrong = "DELETE" if method != "delete" else "PUT"
            response = client.request(wrong, concrete)
            assert response.status_code in (404, 405)
            _is_error_shape(response)
            seen += 1
    for response in (
        client.post("/api/ingest", json={}),
        client.post("/api/ingest", content=b"{not json", headers={"content-type": "application/json"}),
        client.post("/api/ingest", json={"documents": [{"text": ""}]}),
        client.get("/api/stories", params={"since": "yesterday"}),
        client.get("/api/stories/s-nothing/claims", params={"status": "sure"}),
        client.get("/api/no-such-route"),
        make_client(read_only=True).post("/api/ingest", json={"urls": ["https://example.com/"]}),
        make_client(token="sesame").post("/api/ingest", json={"urls": ["https://example.com/"]}),
        make_client(max_request_bytes=1000).post("/api/ingest", json={"documents": [{"text": "x" * 5000}]}),
    ):
        assert response.status_code >= 400
        _is_error_shape(response)
        seen += 1
    assert seen >= 25


@pytest.mark.parametrize("suffix", STORY_ROUTES)
def test_an_unknown_or_ambiguous_story_names_the_fix(client, suffix):
    unknown = client.get(f"/api/stories/s-nothing{suffix}").json()["error"]["message"]
    assert unknown == "no story with id 's-nothing'; list them with 'triangulate stories'"
    ambiguous = client.get(f"/api/stories/s-{suffix}").json()["error"]["message"]
    assert "matches several stories; give more of the id" in ambiguous


INVENTED = "The Kremlin also said that Russia will host the 2030 Winter Olympics in Vladivostok."


def test_check_a_text_against_a_story(client, main_story):
    text = (
        "Russian President Vladimir Putin said on Friday that any Western troops deployed in Ukraine would be "
        "legitimate targets. " + INVENTED
    )
    report = client.post("/api/check", json={"text": text, "story": main_story["id"][:10]}).json()
    verdicts = {s["text"]: s["verdict"] for s in report["sentences"]}
    assert verdicts[INVENTED] == "unsupported" and report["failed"] is True
    assert any(v in ("supported", "partly supported") for t, v in verdicts.items() if t != INVENTED)
