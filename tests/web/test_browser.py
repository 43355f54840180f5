"""The pages in a real headless Chromium (Debian's, driven by Playwright) against a real uvicorn.

Skipped, saying why, when Playwright or the browser is missing (``apt-get install chromium``). The story page
screenshots at phone and desktop widths are saved in ``docs/`` for the README.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from triangulate.config import Settings
from triangulate.web import create_app

from ..conftest import ROOT, SEEDS
from .conftest import LiveServer

CHROMIUM = os.environ.get("TRIANGULATE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set TRIANGULATE_CHROMIUM)")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _story_page(browser, live, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height}, has_touch=width < 500)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live.url + "/")
    page.click("a.story-title >> nth=0")
    page.wait_for_selector("h2:has-text('Key takeaways')", timeout=120_000)
    return page, errors


def test_hovering_a_citation_shows_its_source_sentence(browser, live):
    page, errors = _story_page(browser, live, 1280, 900)
    cited = page.inner_text("#c1 mark")
    page.hover("a.cite[data-cite='1']")
    card = page.wait_for_selector("#cite-pop", state="visible")
    assert cited in card.inner_text() and "[1]" in card.inner_text()
    assert page.locator("details.appendix").get_attribute("open") is None  # the appendix is folded
    assert page.locator(".badge.corroborated").count() > 0
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "web-story-desktop.png"))
    page.mouse.move(0, 0)
    page.wait_for_selector("#cite-pop", state="hidden")
    assert errors == []  # nothing blocked by the Content-Security-Policy, no script error
    page.close()


def test_tapping_a_citation_on_a_phone_shows_it_too(browser, live):
    page, errors = _story_page(browser, live, 390, 844)
    link = page.locator("#lead a.cite").nth(1)
    link.scroll_into_view_if_needed()
    link.tap()
    card = page.wait_for_selector("#cite-pop", state="visible")
    assert page.inner_text(f"#c{link.get_attribute('data-cite')} mark") in card.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of a phone
    page.screenshot(path=str(DOCS / "web-story-phone.png"))
    assert errors == []
    page.close()


def test_pasting_an_article_lists_it(browser, tmp_path):
    db = str(tmp_path / "fresh.db")
    with LiveServer(create_app(db, Settings(db=db))) as live:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(live.url + "/")
        assert "No story yet" in page.inner_text("main")
        page.click("text=Ingest")
        page.fill("#text", (SEEDS / "002_18aa301ec3c67bd7.txt").read_text(encoding="utf-8"))
        page.click("button[type=submit]")
        page.wait_for_selector("#report", timeout=180_000)
        assert "1 added, 0 unchanged, 0 failed" in page.inner_text("#report")
        page.click("text=Stories")
        titles = page.locator("a.story-title").all_inner_texts()
        assert titles == ["NATO Troops In Ukraine ‘Legitimate Targets’ Even If There For Peace Deal: Putin"]
        page.click("a.story-title")
        page.wait_for_selector("h2:has-text('Lead')", timeout=120_000)
        page.close()


def test_checking_a_text_marks_an_unsupported_sentence(browser, live):
    invented = "The Kremlin also said that Russia will host the 2030 Winter Olympics in Vladivostok."
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live.url + "/check")
    page.fill("#text", "Putin said Western troops in Ukraine would be legitimate targets. " + invented)
    page.click("button[type=submit]")
    page.wait_for_selector("#report", timeout=180_000)
    marked = page.locator("li.sentence[data-verdict='unsupported']").all_inner_texts()
    assert any(invented in text for text in marked)
    page.close()
