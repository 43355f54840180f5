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


def test_ingest_embeds_the_claims_so_the_first_brief_encodes_nothing(tmp_path):
    """Corroboration's vectors are made at analysis time: the first brief of a story finds every one cached."""
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
