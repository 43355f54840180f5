"""Article ids and checked spans."""

import pytest

from triangulate.errors import SpanError
from triangulate.model import Article, Sentence, content_id


def test_id_ignores_case_and_spacing_but_not_outlet():
    assert content_id("Putin  spoke.\n") == content_id("putin spoke.")
    assert content_id("Putin spoke.", "AFP") != content_id("Putin spoke.", "Reuters")


def test_span_is_a_checked_view(seeds):
    article = seeds["004"][0]
    start = article.text.index("Vladimir Putin")
    span = Sentence.of(article, start, start + len("Vladimir Putin"))
    assert isinstance(span, Sentence)
    assert (span.article_id, span.text) == (article.id, "Vladimir Putin")


@pytest.mark.parametrize(
    ("start", "end", "fault"),
    [(-1, 5, "outside"), (0, 10_000_000, "outside"), (5, 5, "outside"), (0, 3, "cuts a word"), (7, 12, "white space")],
)
def test_span_refuses_bad_offsets(start, end, fault):
    article = Article.build("Putin spoke on Friday in Vladivostok.", title="t")
    with pytest.raises(SpanError, match=fault):
        article.span(start, end)


def test_with_meta_keeps_the_id_in_step_with_the_outlet():
    article = Article.build("Putin spoke.", title="t")
    moved = article.with_meta(outlet="Reuters")
    assert moved.id == content_id("Putin spoke.", "Reuters") != article.id


def test_an_analysis_as_a_dict_is_asdicts_less_each_spans_article_id(seed_store):
    """to_dict reads fields directly; what it gives (and so what the store writes) is what asdict gave."""
    import json
    from dataclasses import asdict

    from triangulate.model import Analysis

    analyses = [seed_store.analysis(a.id) for a in seed_store.articles()]
    assert len(analyses) == 7 and all(a.quotes and a.claims for a in analyses)
    for analysis in analyses:
        expected = asdict(analysis)
        for key in ("sentences", "mentions", "quotes", "quantities", "times", "claims"):
            for record in expected[key]:
                del record["article_id"]
        made = analysis.to_dict()
        assert made == expected
        assert json.dumps(made, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
        assert Analysis.from_dict(json.loads(json.dumps(made))) == analysis
