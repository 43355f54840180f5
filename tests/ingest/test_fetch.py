"""URL and feed ingest against a real HTTP server on loopback (never the internet)."""

import pytest

from triangulate.config import Settings
from triangulate.errors import BlockedAddress, FetchError, TooLarge
from triangulate.ingest.fetch import fetch
from triangulate.ingest.sources import read_sources

from ..conftest import SEEDS, slow

SEED = (SEEDS / "004_2a5f1276f053ce1e.txt").read_text(encoding="utf-8")
PAGE = (
    "<html><head><title>Putin rejects Western reassurance force</title>"
    '<meta property="og:site_name" content="Reuters"></head><body><nav>Home | World</nav><article>'
    + "".join(f"<p>{p}</p>" for p in SEED.split("\n\n"))
    + "</article><footer>© Reuters</footer></body></html>"
).encode()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_page_is_fetched_and_read(server, loopback):
    server.routes["/world/putin"] = (200, HTML, PAGE)
    ((_item, articles, error),) = read_sources([server.url("/world/putin")], loopback)
    assert error is None
    (article,) = articles
    assert article.title == "Putin rejects Western reassurance force"
    assert article.outlet == "Reuters"
    assert article.url == server.url("/world/putin")
    assert article.text.startswith("Russian President Vladimir Putin on Friday")
    assert "Home | World" not in article.text


def test_loopback_is_refused_unless_allowed(server):
    server.routes["/a"] = (200, HTML, PAGE)
    with pytest.raises(BlockedAddress, match="loopback"):
        fetch(server.url("/a"), Settings())
    with pytest.raises(BlockedAddress, match="loopback"):
        fetch(server.url("/a").replace("127.0.0.1", "localhost"), Settings())


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/", "http://[::1]:9/"])
def test_a_redirect_to_a_private_address_is_refused(server, loopback, target):
    server.routes["/go"] = (302, {"Location": target}, b"")
    with pytest.raises(BlockedAddress) as caught:
        fetch(server.url("/go"), loopback.but(allowed_networks="127.0.0.0/8"))
    assert server.url("/go") in str(caught.value)


def test_http_errors_timeouts_loops_types_and_sizes(server, loopback):
    server.routes["/slow"] = slow(3)
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    server.routes["/pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7")
    server.routes["/big"] = (200, HTML, b"<p>" + b"x" * 2_000_000)
    with pytest.raises(FetchError, match="404"):
        fetch(server.url("/missing"), loopback)
    with pytest.raises(FetchError, match=r"timed out|took longer"):
        fetch(server.url("/slow"), loopback.but(fetch_timeout=0.5))
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.url("/loop"), loopback)
    with pytest.raises(FetchError, match="application/pdf"):
        fetch(server.url("/pdf"), loopback)
    with pytest.raises(TooLarge):
        fetch(server.url("/big"), loopback.but(max_document_bytes=1_000_000))
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd", loopback)


def test_a_feed_with_full_text_and_link_only_entries(server, loopback):
    server.routes["/story"] = (200, HTML, PAGE)
    full = "".join(f"<p>{p}</p>" for p in (SEEDS / "003_730480621d05b789.txt").read_text().split("\n")[3:])
    rss = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>BBC News - World</title><link>https://www.bbc.com/news/world</link>
<item><title>Putin threatens Europe</title><link>https://www.bbc.com/news/1</link>
<pubDate>Fri, 05 Sep 2025 12:00:00 GMT</pubDate>
<source url="https://www.reuters.com/world/">Reuters</source>
<description><![CDATA[{full}]]></description></item>
<item><title>Putin rejects force</title><link>{server.url("/story")}</link>
<description>Short summary.</description></item>
<item><title>Gone</title><link>{server.url("/gone")}</link><description>Short.</description></item>
</channel></rss>"""
    server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss.encode())
    results = list(read_sources([server.url("/feed.xml")], loopback))
    assert [error is None for _, _, error in results] == [True, True, False]
    first, second = results[0][1][0], results[1][1][0]
    assert first.outlet == "BBC News" and first.origin == "Reuters"  # one publisher, and who originated it
    assert first.published == "2025-09-05T12:00:00+00:00"
    assert first.title == "Putin threatens Europe"
    assert second.text.startswith("Russian President Vladimir Putin on Friday")
    assert "404" in str(results[2][2]) and "entry 3" in str(results[2][2])
