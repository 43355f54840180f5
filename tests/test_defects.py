"""Issue 15's reproduced defects, one test each, with the issue's own inputs: bad items never poison the store."""

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from triangulate.brief.render import markdown
from triangulate.cli import main
from triangulate.config import Settings
from triangulate.errors import FetchError, TooLarge, TooSlow
from triangulate.ingest.fetch import GuardedBackend, fetch, refuse_reason
from triangulate.ingest.sources import read_sources
from triangulate.language import VERSION, analyse_many, analyse_stored
from triangulate.model import Article
from triangulate.store import open_store
from triangulate.stories.build import cluster_stored

from .conftest import ROOT, SEEDS

SEED = (SEEDS / "002_18aa301ec3c67bd7.txt").read_text(encoding="utf-8")
OTHER = (SEEDS / "004_2a5f1276f053ce1e.txt").read_text(encoding="utf-8")


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def cli(db, *args, input=None):
    return CliRunner().invoke(main, ["--db", db, *args], input=input, catch_exceptions=False)


def errors_of(result) -> list[str]:
    """Each error message, its lines joined again (the terminal view wraps them)."""
    found = [e.replace("\n", " ") for e in result.output.split("error: ")[1:]]
    return [e.split(" added ")[0].split(" analysed ")[0] for e in found]


def poison(db: str, **fields) -> str:
    """Write an article row as an older triangulate did, past today's door; return its id."""
    store = open_store(db)
    row = {"id": "feedfacefeedface", "title": "Poison", "text": SEED, "source": "old.jsonl", **fields}
    names = ", ".join(row)
    store.db.execute(
        f"INSERT INTO articles ({names}, ingested_at) VALUES ({', '.join('?' * len(row))}, '2025-01-01')",
        list(row.values()),
    )
    store.close()
    return row["id"]


def test_defect_01_an_oversized_article_cannot_poison_the_store(db, tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text(
        json.dumps({"text": "Putin spoke on Friday. " * 45_000, "title": "Huge"}) + "\n" + json.dumps({"text": SEED})
    )
    result = cli(db, "ingest", str(items))
    assert result.exit_code == 1
    (line,) = errors_of(result)
    assert "line 1" in line and "1,034,999 characters" in line and "split it" in line
    assert "added 1" in result.output
    piped = cli(db, "ingest", "-", input=b"word " * 10_000_000)  # 50 MB through stdin
    assert piped.exit_code == 1 and "stdin" in piped.output and "10.0 MB limit" in " ".join(errors_of(piped))
    # a store an older version poisoned: the long row is that article's error once, and nothing else fails
    poisoned = poison(db, text="Putin spoke on Friday. " * 45_000)
    first = cli(db, "analyse")
    (message,) = errors_of(first)
    assert first.exit_code == 1 and f"article {poisoned}" in message and "over the 1,000,000" in message
    assert "old.jsonl" in message
    for args in (("analyse",), ("ingest", str(SEEDS / "003_730480621d05b789.txt")), ("stories",)):
        assert cli(db, *args).exit_code == 0, args


BAD_DATES = ["tomorrow", "garbage-date-xyz", "2025-13-45", "0001-01-01"]


def test_defect_02_a_bad_date_is_refused_at_the_door(db, tmp_path):
    items = tmp_path / "dates.jsonl"
    lines = [json.dumps({"text": SEED, "published": bad}) for bad in BAD_DATES]
    items.write_text("\n".join([*lines, json.dumps({"text": OTHER, "published": "Fri, 05 Sep 2025 12:00:00 GMT"})]))
    result = cli(db, "ingest", str(items))
    assert result.exit_code == 1
    found = errors_of(result)
    assert len(found) == 4 and all("field 'published'" in e and "line" in e for e in found)
    assert "added 1" in result.output
    assert open_store(db).articles()[0].published == "2025-09-05T12:00:00+00:00"
    feed = tmp_path / "feed.rss"
    entry = "<item><title>{t}</title><link>https://example.com/{n}</link><pubDate>{d}</pubDate>"
    entry += "<description><![CDATA[{body}]]></description></item>"
    body = "".join(f"<p>{p}</p>" for p in SEED.split("\n\n"))
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Example</title>"
        + entry.format(t="Far future", n=1, d="Fri, 31 Dec 9999 12:00:00 GMT", body=body)
        + entry.format(t="Far past", n=2, d="Mon, 01 Jan 0001 12:00:00 GMT", body=body)
        + "</channel></rss>"
    )
    dated = cli(db, "ingest", str(feed))
    assert dated.exit_code == 1 and len(errors_of(dated)) == 2
    assert all("outside the years 1800–2100" in e for e in errors_of(dated))
    # rows an older version stored with such dates no longer crash analysis or clustering
    for bad in BAD_DATES:
        poison(db, id=f"bad{abs(hash(bad)):013d}"[:16], published=bad, title=bad)
    assert cli(db, "analyse").exit_code == 0
    assert cli(db, "stories").exit_code == 0 and cli(db, "recluster").exit_code == 0


def drip_headers(handler):
    """Answer one byte of the headers a second, never finishing within the test."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 60:
        try:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        except OSError:
            return None
        time.sleep(1)
    return None


def test_defect_03_dripped_headers_meet_the_one_deadline(server, loopback):
    server.routes["/drip"] = drip_headers
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out|took longer"):
        fetch(server.url("/drip"), loopback.but(fetch_timeout=2.0))
    assert time.monotonic() - started < 4.0


QUADRATIC = {
    "said": "said " * 8_000,
    "yes he said": '"Yes," he said. ' * 4_000,
    "unclosed curly quotes": "Putin warned “ that " * 4_000,
    "straight quotes": "x " + '"' * 20_000,
    "dashes": "x " + "—" * 20_000,
    "brackets": "x " + "(" * 20_000,
    "guillemets": "x " + "«" * 20_000,
}


def test_defect_04_pathological_texts_take_linear_time():
    articles = [Article.build(text, title=name, source=name) for name, text in QUADRATIC.items()]
    analyse_many(articles[:1])  # the recogniser's one-off load
    for article in articles:
        started = time.perf_counter()
        (analysis,) = analyse_many([article], seconds=30)
        assert analysis.article_id == article.id
        assert time.perf_counter() - started < 12, article.title  # 20–43 s before, on the machine
    attributes = " ".join(f'a{i}="v{i}"' for i in range(100_000))
    page = f"<html><body><div {attributes}><article><p>{SEED}</p></article></div></body></html>"
    started = time.perf_counter()
    ((_, found, error),) = list(read_sources_from_text(page, ".html"))
    assert error is None and found and time.perf_counter() - started < 10  # 2 min 31 s before


def read_sources_from_text(text, suffix, settings=None):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=suffix, encoding="utf-8", delete=False) as handle:
        handle.write(text)
    try:
        yield from read_sources([handle.name], settings or Settings())
    finally:
        os.unlink(handle.name)


def test_defect_04_an_item_past_its_deadline_is_that_items_error(db):
    store = open_store(db)
    slow, good = (Article.build(t, title=n, source=n) for n, t in (("slow.txt", SEED * 40), ("good.txt", OTHER)))
    for article in (slow, good):
        store.add_article(article)
    failed = []
    done = analyse_stored(store, on_error=lambda a, e: failed.append((a.id, e)), seconds=0.05)
    assert [a for a, _ in failed] == [slow.id] and isinstance(failed[0][1], TooSlow)
    assert "slow.txt" in str(failed[0][1]) and "item_seconds" in str(failed[0][1])
    assert done == 1 and store.analysis(good.id) is not None
    assert store.unanalysed(VERSION) == []  # the failure is recorded: later runs do not pay for it again


def test_defect_05_markdown_cannot_be_injected_through_a_url(db, tmp_path):
    from markdown_it import MarkdownIt

    items = tmp_path / "feed.jsonl"
    hostile = 'https://example.com/a"><script>alert(1)</script>'
    items.write_text(json.dumps({"text": SEED, "url": hostile, "outlet": "Example"}))
    assert cli(db, "ingest", str(items)).exit_code == 0
    (story,) = open_store(db).stories()
    page = MarkdownIt("commonmark").render(cli(db, "brief", story.id, "--format", "md").output)
    assert "<script" not in page and "alert(1)</script>" not in page
    refused = cli(db, "ingest", str(_jsonl(tmp_path, {"text": OTHER, "url": "javascript:alert(1)"})))
    assert refused.exit_code == 1 and "field 'url'" in refused.output
    from triangulate.brief.render import _md_link

    assert _md_link("javascript:alert(1)") == "" and "javascript" not in MarkdownIt("commonmark").render(
        markdown_with_url("javascript:alert(1)")
    )


def _jsonl(folder: Path, record: dict) -> Path:
    path = folder / "one.jsonl"
    path.write_text(json.dumps(record))
    return path


def markdown_with_url(url: str) -> str:
    from triangulate.brief import Brief, Source

    source = Source(1, "a" * 16, "Example", "Example", "Title", None, None, url, "Example", 0, "news report", "", True)
    return markdown(Brief("s-x", "Headline", [], [source], []))


def test_defect_06_one_bad_item_never_aborts_the_batch(db, tmp_path):
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(SEED)
    (folder / "sub" / "b.txt").write_text(OTHER)
    odd = os.fsencode(folder) + b"/caf\xe9.txt"  # a file name that is not valid UTF-8
    with open(odd, "wb") as handle:
        handle.write((SEEDS / "003_730480621d05b789.txt").read_bytes())
    feed = tmp_path / "links.rss"
    feed.write_text(
        "<rss version='2.0'><channel><title>x</title>"
        "<item><title>Bad link</title><link>http://[::1</link><description>Short.</description></item>"
        f"<item><title>Full</title><description><![CDATA[{SEED}]]></description></item></channel></rss>"
    )
    result = cli(db, "ingest", str(folder), "http://[::1", str(feed))
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = errors_of(result)
    assert len(found) == 2 and "not a valid URL" in found[0] and "entry 1" in found[1]
    assert "failed 2" in result.output and "caf\ufffd.txt" in {Path(a.source).name for a in open_store(db).articles()}


def test_defect_06_a_folder_without_permission_is_one_item(tmp_path):
    import tempfile

    base = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        base.chmod(0o755)
        (base / "locked").mkdir()
        (base / "locked" / "x.txt").write_text(SEED)
        (base / "open.txt").write_text(OTHER)
        (base / "open.txt").chmod(0o644)
        (base / "locked").chmod(0o600)  # readable but not searchable
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # as an unprivileged user, since root may enter any folder
            try:
                os.setgid(65534)
                os.setuid(65534)
                found = [(item, error is None) for item, _, error in read_sources([str(base)], Settings())]
                os.write(write, json.dumps(found).encode())
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        os.close(write)
        found = json.loads(os.read(read, 100_000) or b"[]")
    finally:
        (base / "locked").chmod(0o755)
        subprocess.run(["rm", "-rf", str(base)], check=True)
    assert [str(base / "locked"), False] in found and [str(base / "open.txt"), True] in found


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.100.100.200", "carrier-grade NAT"),
        ("2002:a9fe:a9fe::1", "6to4"),
        ("2002:7f00:0001::", "6to4"),
        ("fec0::1", "site-local"),
        ("::ffff:100.100.100.200", "carrier-grade NAT"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
    ],
)
def test_defect_08_cgnat_6to4_and_site_local_are_refused(address, reason):
    assert refuse_reason(address) == reason
    assert GuardedBackend(False)._refused(address) == reason  # asked of the guard alone: no packet is ever sent
    assert refuse_reason("93.184.216.34") is None and refuse_reason("2606:2800:220:1::") is None


def test_defect_09_special_files_are_refused_at_once(db, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "triangulate.cli", "--db", db, "ingest", str(fifo), "/dev/zero"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    said = done.stderr.replace("\n", " ")
    assert said.count("is not a regular file") == 2 and "pipe.txt" in said and "/dev/zero" in said


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_defect_10_recogniser_workers_die_with_their_parent(db, tmp_path, how):
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0234]*.txt"))]
    for i in range(16):  # two batches' worth of the recogniser's spread (8 texts or more)
        (folder / f"{i:02d}.txt").write_text(texts[i % 4] * 2 + f"\n\nThis was item number {i}.\n")
    env = {**os.environ, "TRIANGULATE_PROCESSES": "2"}
    command = [sys.executable, "-m", "triangulate.cli", "--db", db, "ingest", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 90
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers |= _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the recogniser never started its workers"
    process.send_signal(how)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


def test_defect_11_an_undated_article_is_analysed_the_same_whatever_else_is_pending(seeds, tmp_path):
    articles = [a for page in seeds.values() for a in page]
    undated = [a for a in articles if not a.published and not a.dateline.date]
    assert undated
    together, apart = open_store(str(tmp_path / "one.db")), open_store(str(tmp_path / "two.db"))
    for article in articles:
        together.add_article(article)
    analyse_stored(together)
    for batch in (undated, [a for a in articles if a not in undated]):  # as a run killed and resumed might
        for article in batch:
            apart.add_article(article)
        analyse_stored(apart)
    for article in undated:
        assert together.analysis(article.id).to_dict() == apart.analysis(article.id).to_dict()
    cluster_stored(together, Settings())
    from triangulate.corroborate import load_story

    _, _, analyses = load_story(together, together.story_of(undated[0].id))
    anchored = [a for a in analyses if a.article_id in {u.id for u in undated}]
    assert anchored and all(a.anchor_source in ("story", "text") for a in anchored)


def test_defect_12_a_few_bad_bytes_keep_the_file_utf8(tmp_path):
    seeds = ("001_5a3bb7c29c49728e.txt", "002_18aa301ec3c67bd7.txt", "004_2a5f1276f053ce1e.txt")
    data = bytearray(b"\n\n".join((SEEDS / name).read_bytes() for name in seeds))
    assert len(data) > 8_800
    for k in range(9):  # nine invalid bytes, between words
        at = data.index(b" ", 500 + 800 * k)
        data[at : at + 1] = b" \xff"
    path = tmp_path / "nine.txt"
    path.write_bytes(bytes(data))
    ((_, articles, error),) = read_sources([str(path)], Settings())
    assert error is None
    text = "\n".join(f"{a.title}\n{a.subtitle}\n{a.text}" for a in articles)
    assert text.count("\ufffd") == 9 and "’" in text and "â€" not in text


def test_defect_13_no_escape_or_bidi_character_reaches_any_output(db, tmp_path):
    items = tmp_path / "spoof.jsonl"
    spoof = "\u202eevil\u2066 Putin speaks"
    items.write_text(
        json.dumps({"text": SEED, "title": spoof, "language": "\x1b[31men"})
        + "\n"
        + json.dumps({"text": SEED.replace("Putin", "Pu\u202etin"), "title": spoof, "byline": "\u2066Ann\u2069"})
    )
    result = cli(db, "ingest", str(items))
    assert result.exit_code == 1 and "field 'language'" in errors_of(result)[0] and "\x1b" not in result.output
    (article,) = open_store(db).articles()
    for output in (
        cli(db, "article", article.id).output,
        cli(db, "article", article.id, "--json").output,
        cli(db, "articles", "--json").output,
        cli(db, "brief", "--all", "--format", "md").output + cli(db, "brief", open_store(db).stories()[0].id).output,
    ):
        assert not any(ch in output for ch in "\x1b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert article.title == "evil Putin speaks" and "Putin" in article.text and article.byline == "Ann"


@pytest.mark.parametrize("reference", ["&#27;", "&#1;", "&#xFFFE;"])
def test_defect_14_one_odd_character_reference_keeps_the_page(tmp_path, reference):
    body = "".join(f"<p>{p}</p>" for p in OTHER.split("\n\n"))
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>Putin</title></head><body><article>{reference}{body}</article></body></html>")
    ((_, articles, error),) = read_sources([str(path)], Settings())
    assert error is None and articles[0].text.startswith("Russian President Vladimir Putin")


def test_defect_15_messages_say_what_happened(db, tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 30_000_000))
    ((_, _, error),) = read_sources([str(bomb)], Settings())
    assert isinstance(error, TooLarge) and "decompresses to more than the 10.0 MB limit" in str(error)
    assert "10.0 MB is over" not in str(error)
    for where, says in (("/dev/null/sub/t.db", "cannot create the folder"), ("/proc/t.db", "read-only")):
        result = CliRunner().invoke(main, ["--db", where, "articles"])
        assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
        (message,) = errors_of(result)
        assert says in message and "SQLite file" not in message


def test_defect_15_a_store_that_is_not_a_database_still_says_so(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    result = CliRunner().invoke(main, ["--db", str(junk), "articles"])
    assert result.exit_code == 1 and "is it an SQLite file?" in result.output


def test_defect_03_a_slow_server_costs_one_item_not_the_batch(server, loopback):
    server.routes["/drip"] = drip_headers
    server.routes["/page"] = (200, {"Content-Type": "text/html"}, f"<html><body><p>{SEED}</p></body></html>".encode())
    settings = loopback.but(fetch_timeout=1.5)
    results = list(read_sources([server.url("/drip"), server.url("/page")], settings))
    assert [error is None for _, _, error in results] == [False, True]


def test_the_fetch_deadline_also_bounds_a_slow_connect():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # never accepted: the handshake may complete, the answer never comes
    try:
        started = time.monotonic()
        with pytest.raises(FetchError):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", Settings(allow_private_urls=True, fetch_timeout=1))
        assert time.monotonic() - started < 3
    finally:
        listener.close()
