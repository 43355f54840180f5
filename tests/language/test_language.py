"""Unit behaviour of the language layer on real text, and hostile or odd input."""

from triangulate.language import analyse
from triangulate.language.marks import quote_spans
from triangulate.language.sentences import sentence_bounds
from triangulate.model import Analysis, Article


def test_sentences_keep_abbreviations_and_attributions_together():
    text = 'Mr. Putin spoke in the U.S. on Sept. 5. "Is it true?" she asked. The U.S. The end\nA headline'
    assert [text[s:e] for s, e in sentence_bounds(text)] == [
        "Mr. Putin spoke in the U.S. on Sept. 5.",
        '"Is it true?" she asked.',
        "The U.S.",
        "The end",
        "A headline",
    ]


def test_quote_marks_of_every_kind():
    text = "He said ''this is it,'' then «ça va» and “nested ‘inner’ words” but not don’t or rock 'n' roll."
    assert [text[q.start : q.end] for q in quote_spans(text)] == ["this is it,", "ça va", "nested ‘inner’ words"]


def test_a_quote_run_over_paragraphs_is_one_speakers():
    text = '"We will go on," Peskov said. "And on.\n\n"And we will win," he added.'
    result = analyse(Article.build(text, title="t"))
    assert [q.speaker.name for q in result.quotes] == ["Peskov"] * len(result.quotes)


def test_analysis_round_trips_through_json(seeds):
    article = seeds["004"][0]
    result = analyse(article)
    again = Analysis.from_dict(result.to_dict())
    assert again == result


def test_every_record_is_a_valid_span_of_the_text(seeds):
    for key in seeds:
        for article in seeds[key]:
            result = analyse(article)
            for kind in ("sentences", "mentions", "quotes", "quantities", "times", "claims"):
                for record in getattr(result, kind):
                    assert article.text[record.start : record.end] == record.text, (key, kind)


def test_odd_and_hostile_text_is_analysed_without_error():
    texts = [
        "x",
        '"' * 500,
        "“unclosed quote that runs to the end of the text",
        "[bold red]not markup[/] said Putin. \x1b[31m escape",
        "Number soup: 1,2,3 $ € 10e5 1/2 3.14.15 -- 99,999,999,999,999 twenty-twenty.",
        ("Putin said the talks would go on. " * 3000).strip(),  # a huge article
        "Ünïcödé Zelenskyy in Київ and 北京 said “好的”.",
    ]
    for text in texts:
        result = analyse(Article.build(text, title="t"))
        assert result.sentences or not any(c.isalnum() for c in text)
        for quote in result.quotes:
            assert text[quote.start : quote.end] == quote.text


def test_recogniser_runs_once_per_text_across_outlets_and_reanalysis(seeds, monkeypatch):
    from triangulate.language import _nlp, analyse_many
    from triangulate.store import open_store

    calls = []
    real = _nlp.named_entities
    monkeypatch.setattr(_nlp, "named_entities", lambda texts: calls.append(len(texts)) or real(texts))
    article = seeds["004"][0]
    wire_copy = article.with_meta(outlet="Another Outlet")  # the same text published elsewhere
    store = open_store(":memory:")
    first = analyse_many([article, wire_copy], store=store)
    again = analyse_many([article], store=store)
    assert calls == [1]
    assert again[0].mentions == first[0].mentions and first[1].article_id != first[0].article_id


def test_figures_a_converter_spaced_out_are_read_whole_and_do_not_split_sentences():
    from triangulate.language.quantities import find_quantities

    text = (
        "Tremors from an earthquake registering 6. 1 on the Richter scale were felt in Dubai. More than 31, 000 "
        "people died in Bam in 2003. On Dec 19, 2008 the toll was revised. He was born in 1961. 2 people came."
    )
    found = {q.text: q.value for q in find_quantities(Article.build(text, title="Quake"))}
    assert found["6. 1"] == 6.1
    assert found["More than 31, 000 people"] == 31_000
    assert not [t for t in found if t.startswith("19,")]  # a date's day and year stay apart
    starts = [text[s:e].split()[0] for s, e in sentence_bounds(text)]
    assert starts == ["Tremors", "More", "On", "He", "2"]
