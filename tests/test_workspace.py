"""The facade: per-item ingest results, paths refused where only URLs may come, filters, and cached briefs."""

from __future__ import annotations

from datetime import date

from triangulate import Document, Settings, Workspace

from .conftest import SEEDS


def test_ingest_reports_each_item_and_keeps_the_good_ones(tmp_path):
    with Workspace(str(tmp_path / "ws.db"), Settings()) as ws:
        seen: list[tuple[str, str]] = []
        seed = str(SEEDS / "002_18aa301ec3c67bd7.txt")
        report = ws.ingest(
            [Document("empty.txt", b""), seed, Document("pasted.txt", b"\x00\x01" * 50)],
            analyse=False,
            on_error=lambda item, message: seen.append((item, message)),
        )
        assert [item.item for item in report.items] == ["empty.txt", seed, "pasted.txt"]
        assert len(report.added) == 1 and report.unchanged == []
        assert [f["item"] for f in report.failed] == ["empty.txt", "pasted.txt"] == [item for item, _ in seen]
        assert "the file is empty" in report.failed[0]["error"]
        again = ws.ingest([seed], analyse=False)
        assert again.added == [] and again.unchanged == report.added


def test_without_paths_only_urls_are_read(tmp_path):
    with Workspace(str(tmp_path / "ws.db"), Settings()) as ws:
        report = ws.ingest([str(SEEDS), "-", "file:///etc/passwd"], paths=False, analyse=False)
        assert report.added == [] and len(report.failed) == 3
        assert all("only http(s) URLs can be submitted here" in f["error"] for f in report.failed)


def test_stories_filter_and_briefs_are_cached_by_content(seed_store):
    ws = Workspace(seed_store, Settings())
    rows = ws.stories()
    assert [row.size for row in rows] == [5, 1, 1]
    assert [row.id for row in ws.stories(outlet="ZeroHedge")] == [rows[0].id]
    assert [row.size for row in ws.stories(query="beijing")] == [1]
    assert ws.stories(since=date(2025, 9, 7)) == [] and len(ws.stories(until=date(2025, 9, 5))) == 1
    assert ws.stories(min_articles=2) == rows[:1]
    assert ws.cached_counts(rows[0]) is None
    first = ws.brief(rows[0].id[:8])
    assert ws.brief(rows[0].id) is first  # cached: the story's articles and the rules are unchanged
    counts = ws.cached_counts(rows[0])
    assert counts and sum(counts.values()) == len(ws.claims(rows[0].id))
    assert {g.status for g in ws.claims(rows[0].id, "corroborated")} == {"corroborated"}
    assert ws.quotes(rows[0].id)[0].speaker == "Vladimir Putin"
    ws.close()  # the store is the caller's: it stays open
    assert seed_store.count() == 7


def test_story_rows_made_by_one_connection_serve_another_until_anything_is_written(tmp_path):
    from triangulate.workspace import Cache

    cache = Cache()
    db = str(tmp_path / "t.db")
    with Workspace(db, Settings(), cache) as first:
        first.ingest([str(SEEDS / "002_18aa301ec3c67bd7.txt")])
        with Workspace(db, Settings(), cache) as loop, Workspace(db, Settings(), cache) as worker:
            since = loop.version()
            assert loop.stories(cached_only=True) is None
            made = worker.stories()
            loop.adopt_story_rows(worker, since)
            assert loop.stories(cached_only=True) == made  # answered without reading the store again
            since = loop.version()
            first.ingest([str(SEEDS / "003_730480621d05b789.txt")])  # another connection writes
            worker.stories()
            loop.adopt_story_rows(worker, since)
            assert loop.stories(cached_only=True) is None  # the marker moved: the rows may be stale


def test_ingest_embeds_the_claims_so_the_first_brief_encodes_nothing(tmp_path):
    """Corroboration's vectors are made when articles join a story of two or more: its first brief finds every
    one cached."""
    from triangulate.corroborate import corroborate, load_story
    from triangulate.embed import embedder

    model = embedder()

    class Counting:
        model_id, dim = model.model_id, model.dim

        def __init__(self) -> None:
            self.texts: list[str] = []

        def encode(self, texts):
            self.texts += texts
            return model.encode(texts)

    with Workspace(str(tmp_path / "ws.db"), Settings()) as ws:
        ws.ingest([str(SEEDS)])
        stored = ws.store.db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        counting = Counting()
        _, articles, analyses = load_story(ws.store, ws.stories()[0].id)
        found = corroborate(articles, analyses, counting, ws.store)
        assert counting.texts == []  # nothing left to encode
        assert ws.store.db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == stored
        assert found.claims and found.quotes


def test_a_brief_is_kept_in_the_store_by_content_and_served_by_a_fresh_process(seed_store, tmp_path, monkeypatch):
    """A second Workspace (a new process, a restarted server) reads the brief back without corroborating; the
    key follows the story's articles, the rules and the code, so a changed story or release is briefed anew."""
    import sqlite3

    from triangulate import workspace
    from triangulate.brief import Brief
    from triangulate.brief.render import as_json, html_page, markdown

    path = str(tmp_path / "copy.db")
    copy = sqlite3.connect(path)
    seed_store.db.backup(copy)
    copy.close()
    with Workspace(path, Settings()) as ws:
        story = ws.stories()[0]
        made = ws.brief(story.id)
        counts = ws.cached_counts(story)
    assert Brief.from_dict(made.to_dict()) == made
    with Workspace(path, Settings()) as fresh:
        kept = fresh.brief(story.id)
        assert fresh.cache.get(("story", fresh.content_key(story.story))) is None  # nothing was corroborated
        assert kept == made and markdown(kept, full=True) == markdown(made, full=True)
        assert as_json(kept) == as_json(made) and html_page([kept]) == html_page([made])
        assert fresh.cached_counts(story) == counts
    monkeypatch.setattr(workspace, "code_version", lambda: "another release")
    with Workspace(path, Settings()) as upgraded:
        assert upgraded.brief(story.id) == made
        assert upgraded.cache.get(("story", upgraded.content_key(story.story))) is not None  # made again
        kept = upgraded.store.db.execute("SELECT key FROM briefs WHERE story_id = ?", (story.id,)).fetchall()
        assert [row[0] for row in kept] == [upgraded.content_key(story.story)]  # in place of the older one
