"""Ingest on a Dask LocalCluster of two worker processes gives a plain run's stories, claim groups and statuses."""

import sys

import pytest

from triangulate.config import Settings
from triangulate.store import open_store

from .conftest import ROOT, SEEDS

distributed = pytest.importorskip("dask.distributed", reason="Dask is missing: pip install 'triangulate[dask]'")

ECB_DOCUMENTS = 200


@pytest.fixture(scope="module")
def client():
    """Two worker processes, one thread each, as ``--dask local:2`` starts them."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def plain(paths: list[str], url: str):
    """What ``triangulate ingest PATHS`` does, in this process."""
    from triangulate.ingest.sources import read_sources
    from triangulate.language import analyse_stored
    from triangulate.stories.build import cluster_stored

    store = open_store(url)
    store.added = []
    for _, articles, _ in read_sources(paths, Settings()):
        for article in articles or []:
            if store.add_article(article):
                store.added.append(article.id)
    analyse_stored(store)
    cluster_stored(store, Settings())
    return store


def results(store) -> tuple:
    """Everything a reader sees of the stored run: stories, analyses, claim groups with statuses, quote groups."""
    from triangulate.corroborate import corroborate_story

    stories = store.stories()
    corroborated = {}
    for story in stories:
        if len(story.article_ids) >= 2:
            _, _, found = corroborate_story(store, story.id, Settings())
            corroborated[story.id] = ([g.to_dict() for g in found.claims], [g.to_dict() for g in found.quotes])
    analyses = {a.id: store.analysis(a.id) for a in store.articles()}
    return [(s.id, s.title, s.article_ids, s.first_seen, s.last_seen) for s in stories], analyses, corroborated


def on_dask(paths: list[str], url: str, client, monkeypatch):
    """``triangulate ingest PATHS --dask``, with spaCy disabled in this process: only the workers may run it."""
    from triangulate.distributed import ingest_on_dask
    from triangulate.language import _nlp

    def refuse(texts):
        raise AssertionError(f"the writer ran the recogniser over {len(texts)} texts; the workers should have")

    store = open_store(url)
    with monkeypatch.context() as patched:
        patched.setattr(_nlp, "named_entities", refuse)
        report = ingest_on_dask(paths, Settings(), store, client)
    assert report.workers == 2 and not report.failed
    assert 0 < report.seconds["writer"] < report.seconds["total"]
    return store, report


def test_the_seeds_on_two_workers_give_the_plain_run(client, tmp_path, monkeypatch):
    alone = plain([str(SEEDS)], str(tmp_path / "plain.db"))
    spread, report = on_dask([str(SEEDS)], str(tmp_path / "dask.db"), client, monkeypatch)
    assert len(report.added) == 7 and report.added == alone.added  # stored in the plain run's order
    expected, found = results(alone), results(spread)
    assert len(expected[0]) >= 2 and expected[2]  # stories, and claim groups to compare
    assert found == expected


@pytest.mark.slow
def test_two_hundred_ecb_documents_on_two_workers_give_the_plain_run(client, data, tmp_path, monkeypatch):
    from triangulate.distributed import model_loads

    sys.path.insert(0, str(ROOT / "bench"))
    from _data import ecb_documents

    folder = tmp_path / "ecb"
    folder.mkdir()
    for number, doc in enumerate(ecb_documents(data / "ecbplus")[:ECB_DOCUMENTS]):
        (folder / f"{number:03d}_{doc.name}.txt").write_text(doc.text + "\n", encoding="utf-8")
    alone = plain([str(folder)], str(tmp_path / "plain.db"))
    spread, report = on_dask([str(folder)], str(tmp_path / "dask.db"), client, monkeypatch)
    assert report.added == alone.added and len(report.added) >= ECB_DOCUMENTS
    expected, found = results(alone), results(spread)
    assert len(expected[0]) >= 10
    assert found[0] == expected[0]  # the stories first: the clearest message when they differ
    assert found == expected
    loads = client.run(model_loads)
    assert [(v["spacy"], v["embedder"]) for v in loads.values()] == [(1, 1), (1, 1)]  # once per process, not per task


def test_a_bad_address_an_absent_scheduler_or_a_missing_dask_say_what_to_do(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from triangulate import distributed
    from triangulate.cli import main

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "ingest", str(SEEDS), "--dask", "local:two"])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "--dask: 'local:two' is not local, local:N" in said and "tcp://HOST:8786" in said
    monkeypatch.setenv("TRIANGULATE_DASK", "local:0")  # the setting, as from triangulate.toml or the environment
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "ingest", str(SEEDS)])
    assert result.exit_code == 1 and "'local:0' is not local" in " ".join(result.output.split())
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 1)
    with pytest.raises(distributed.FetchError, match=r"cannot reach the Dask scheduler .*--dask local"):
        distributed.ingest_on_dask([str(SEEDS)], Settings(), open_store(":memory:"), "tcp://127.0.0.1:9")
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(distributed.TriangulateError, match=r"pip install 'triangulate\[dask\]'"):
        distributed.ingest_on_dask([str(SEEDS)], Settings(), open_store(":memory:"), "local")
