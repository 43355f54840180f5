"""Bad input: each bad item gets one message naming it and the fix; the rest of the batch lands."""

import gzip
import json

import pytest

from triangulate.config import Settings
from triangulate.errors import BinaryInput, EmptyInput, MalformedInput, NoArticleBody, TooLarge
from triangulate.ingest.sources import read_sources

from ..conftest import SEEDS

SEED = (SEEDS / "002_18aa301ec3c67bd7.txt").read_text(encoding="utf-8")


def outcomes(*paths, settings=None):
    return list(read_sources([str(p) for p in paths], settings or Settings()))


def only_error(path, settings=None):
    (result,) = outcomes(path, settings=settings)
    _item, articles, error = result
    assert articles is None and error is not None
    assert str(path) in str(error)  # the message names the item
    return error


def test_empty_and_blank_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n\t \n")
    assert isinstance(only_error(tmp_path / "empty.txt"), EmptyInput)
    assert isinstance(only_error(tmp_path / "blank.txt"), EmptyInput)


def test_only_boilerplate_is_empty(tmp_path):
    (tmp_path / "furniture.txt").write_text("FE Today Logo\n\nShare if you like\nLeave a Comment\n")
    assert isinstance(only_error(tmp_path / "furniture.txt"), EmptyInput)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_binary_files_are_refused(tmp_path, data, says):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    error = only_error(path)
    assert isinstance(error, BinaryInput) and says in str(error)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_legacy_encodings_are_detected(tmp_path, encoding):
    text = SEED.replace("Macron", "Macrón").replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    ((_, articles, error),) = outcomes(path)
    assert error is None
    assert "Macrón" in articles[0].text and articles[0].byline == "Tyler Durden"


def test_mojibake_is_repaired(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_text(SEED.encode("utf-8").decode("cp1252", errors="replace"), encoding="utf-8")
    ((_, articles, error),) = outcomes(path)
    assert error is None
    assert "‘coalition of the willing’" in articles[0].text


def test_a_50_mb_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)
    error = only_error(path)
    assert isinstance(error, TooLarge) and "50.0 MB" in str(error) and "max_document_bytes" in str(error)


def test_a_gzip_bomb_is_capped(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 30_000_000))
    assert isinstance(only_error(path, Settings(max_document_bytes=1_000_000, max_stream_bytes=1_000_000)), TooLarge)


def test_truncated_gzip(tmp_path):
    whole = gzip.compress(SEED.encode())
    path = tmp_path / "cut.html.gz"
    path.write_bytes(whole[: len(whole) // 2])
    error = only_error(path)
    assert isinstance(error, MalformedInput) and "truncated" in str(error)


def test_html_without_an_article_body(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text(
        "<html><head><title>Home</title><script>var x = 1;</script></head>"
        "<body><nav><a href='/'>Home</a></nav></body></html>"
    )
    assert isinstance(only_error(path), NoArticleBody)


def test_malformed_feed(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>x</title><item><title>unclosed")
    errors = [error for _, _, error in outcomes(path)]
    assert isinstance(errors[0], MalformedInput) and str(path) in str(errors[0]) and "well-formed" in str(errors[0])
    (path.parent / "nothing.rss").write_text("<rss version='2.0'><channel><title>x</title></channel></rss>")
    assert "RSS or Atom" in str(only_error(path.parent / "nothing.rss"))


def test_hostile_text_loses_its_control_characters(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text("Title \x1b[2J here\n\n" + SEED.replace("Putin", "Pu\x1b]0;pwned\x07tin", 1))
    ((_, articles, error),) = outcomes(path)
    assert error is None
    assert "\x1b" not in articles[0].text and "\x07" not in articles[0].text and "\x1b" not in articles[0].title


def test_a_batch_keeps_its_good_items(tmp_path):
    (tmp_path / "a_good.txt").write_text(SEED)
    (tmp_path / "b_empty.txt").write_text("")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    lines = [
        json.dumps({"text": SEED, "outlet": "ZeroHedge"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps([1]),
    ]
    (tmp_path / "d_items.jsonl").write_text("\n".join(lines))
    (tmp_path / "e_ignored.png").write_bytes(b"\x89PNG")
    results = outcomes(tmp_path)
    good = [item for item, articles, error in results if error is None]
    bad = {item: str(error) for item, _, error in results if error is not None}
    assert good == [str(tmp_path / "a_good.txt"), f"{tmp_path / 'd_items.jsonl'} line 1"]
    assert set(bad) == {
        str(tmp_path / "b_empty.txt"),
        str(tmp_path / "c_binary.txt"),
        f"{tmp_path / 'd_items.jsonl'} line 2",
        f"{tmp_path / 'd_items.jsonl'} line 3",
        f"{tmp_path / 'd_items.jsonl'} line 4",
    }
    assert "not valid JSON" in bad[f"{tmp_path / 'd_items.jsonl'} line 2"]
    assert "'text' or 'html'" in bad[f"{tmp_path / 'd_items.jsonl'} line 3"]


def test_short_legacy_text_is_not_taken_for_utf16(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("Café Putin à Paris, déjà vu.".encode("cp1252"))
    ((_, articles, error),) = outcomes(path)
    assert error is None and articles[0].text == "Café Putin à Paris, déjà vu."


def test_a_folder_readme_is_not_an_article(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n\nThese are the seed articles we collected for the test run today.")
    (tmp_path / "story.txt").write_text(SEED)
    assert [item for item, _, _ in outcomes(tmp_path)] == [str(tmp_path / "story.txt")]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Президент России Владимир Путин заявил в пятницу, что войска будут законными целями.", "cp1251"),
        ("Prezydent powiedział, że żołnierze będą uważani za cele. Łódź, Gdańsk, źródło.", "cp1250"),
        ("Der Präsident sagte am Freitag, Truppen in der Ukraine wären legitime Ziele. Größe.", "latin-1"),
    ],
)
def test_other_code_pages_survive_the_cp1252_preference(tmp_path, text, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    ((_, articles, error),) = outcomes(path)
    assert error is None and articles[0].text == text


def test_a_gzipped_document_is_capped_at_the_document_limit(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>" + b"word " * 600_000 + b"</p></body></html>"))
    error = only_error(path, Settings(max_document_bytes=1_000_000, max_stream_bytes=100_000_000))
    assert isinstance(error, TooLarge) and "1.0 MB" in str(error)
