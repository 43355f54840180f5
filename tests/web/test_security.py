"""Hostile text stays text on every page; headers, caps, read-only, the token and the URL guard hold."""

from __future__ import annotations

from html.parser import HTMLParser

from triangulate.web.guard import CSP

HOSTILE = (
    "<script>alert(1)</script> Quake <img src=x onerror=alert(2)> hits Kamchatka\n\n"
    "By Example Daily staff\n\n"
    'A magnitude 6.1 earthquake struck off Kamchatka on Friday, <a href="javascript:alert(3)">the service</a> said. '
    '"<script>alert(4)</script>We felt it <b onmouseover=alert(5)>strongly</b>," said Ivan Petrov, a resident of '
    "Petropavlovsk-Kamchatsky. The quake was felt across the peninsula on Friday morning, officials said.\n"
)


class _Tags(HTMLParser):
    """Every element and attribute of a page, as the browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_inert(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "b", "iframe", "object"), tag
        if tag == "script":
            assert attrs == {"src": "/static/app.js", "defer": None}, attrs
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (tag, attrs)


def test_hostile_article_is_escaped_on_every_page(make_client):
    client = make_client()
    second = HOSTILE.replace("Example Daily", "Example Times").replace("officials said", "the agency said")
    report = client.post(
        "/api/ingest", json={"documents": [{"name": "one.txt", "text": HOSTILE}, {"name": "two.txt", "text": second}]}
    ).json()
    assert len(report["added"]) == 2 and report["failed"] == []
    article_id = report["added"][0]
    story_id = next(s["id"] for s in client.get("/api/stories").json()["items"] if article_id in s["article_ids"])
    pages = [
        "/", "/?q=kamchatka", f"/stories/{story_id}", f"/stories/{story_id}/claims", f"/stories/{story_id}/outlets",
        f"/articles/{article_id}", f"/articles/{article_id}?start=0&end=30",
    ]  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_inert(response.text)
        assert "&lt;script&gt;alert(" in response.text, path  # shown, as text


def test_ingest_page_escapes_the_names_and_errors_it_reports(make_client):
    client = make_client()
    response = client.post(
        "/ingest",
        files={"files": ("<img src=x onerror=alert(1)>.txt", b"", "text/plain")},
        data={"text": HOSTILE, "name": "<script>alert(9)</script>.txt"},
    )
    assert response.status_code == 200 and "1 added" in response.text and "1 failed" in response.text
    _assert_inert(response.text)
    assert "&lt;img src=x onerror=alert(1)&gt;.txt: the file is empty" in response.text


def test_every_response_carries_the_security_headers(client, main_story):
    for path in ("/", f"/stories/{main_story['id']}", "/static/app.js", "/api/stories", "/api/nothing", "/nothing"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


def test_no_path_reaches_the_file_system(client):
    for path in (
        "/static/../pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/app.css/../../../../etc/passwd", "/static//etc/passwd", "/static/..%5c..%5cpyproject.toml",
    ):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert "[project]" not in response.text and "root:" not in response.text


def test_uploads_are_capped(make_client):
    client = make_client(max_request_bytes=100_000)
    big = client.post("/ingest", files={"files": ("big.txt", b"word " * 50_000, "text/plain")})
    assert big.status_code == 413 and "over the 0.1 MB cap" in big.json()["error"]["message"]
    chunked = client.post("/api/ingest", content=(b"x" * 10_000 for _ in range(20)),
                          headers={"content-type": "application/json"})  # fmt: skip
    assert chunked.status_code == 413


def test_read_only_and_token(make_client):
    read_only = make_client(read_only=True)
    refused = read_only.post("/api/ingest", json={"documents": [{"text": HOSTILE}]})
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]["message"]
    assert read_only.post("/ingest", data={"text": HOSTILE}).status_code == 403
    assert "Ingest" not in read_only.get("/").text.split("<main>")[0]  # no ingest link in the menu
    guarded = make_client(token="sesame")
    assert guarded.post("/api/ingest", json={"documents": [{"text": HOSTILE}]}).status_code == 401
    assert guarded.post("/ingest", data={"text": HOSTILE, "token": "wrong"}).status_code == 401
    bearer = {"authorization": "Bearer sesame"}
    ok = guarded.post("/api/ingest", json={"documents": [{"text": HOSTILE}]}, headers=bearer)
    assert ok.status_code == 200 and len(ok.json()["added"]) == 1


def test_a_cross_site_post_is_refused(make_client):
    client = make_client()
    for headers in ({"origin": "https://evil.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"},
                    {"sec-fetch-site": "same-site", "origin": "http://testserver"}):  # fmt: skip
        response = client.post("/ingest", data={"text": HOSTILE}, headers=headers)
        assert response.status_code == 403 and "another site" in response.json()["error"]["message"]


def test_urls_pass_the_address_guard_and_paths_are_refused(make_client):
    client = make_client()
    report = client.post(
        "/api/ingest",
        json={"urls": ["http://127.0.0.1:9/article", "http://169.254.169.254/latest/meta-data", "/etc/passwd",
                       "file:///etc/passwd", "-"]},
    ).json()  # fmt: skip
    assert report["added"] == [] and len(report["failed"]) == 5
    errors = [f["error"] for f in report["failed"]]
    assert all("refused" in e or "private" in e or "loopback" in e or "link-local" in e for e in errors[:2]), errors
    assert all("only http(s) URLs can be submitted here" in e for e in errors[2:])


def test_writes_are_limited_per_client_address(make_client):
    client = make_client(writes_per_minute=2)
    bodies = [{"documents": [{"name": f"{n}.txt", "text": f"Short note number {n}."}]} for n in range(3)]
    assert [client.post("/api/ingest", json=body).status_code for body in bodies[:2]] == [200, 200]
    refused = client.post("/api/ingest", json=bodies[2])
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_requests"
    assert "at most 2 a minute" in refused.json()["error"]["message"]
    assert client.get("/api/stories").status_code == 200  # reads are never limited
