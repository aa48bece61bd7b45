"""The reading room in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A user searches, applies and removes a facet, opens a document, switches annotation types off and on,
copies a citation and exports the results — and the browser console stays free of errors (a CSP
violation, a failed script or a 404 would show there).
"""

from __future__ import annotations

import re
import socket
import threading
import time
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(app):
    """Serve a web app on a free local port in a thread while the caller's fixture lasts; yields its URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from test_web import build_archive

    from despatch.web import create_app

    path = tmp_path_factory.mktemp("browser") / "web.db"
    build_archive(path)
    yield from serve_app(create_app(path))


def launch_browser():
    """Headless Chromium for as long as the caller's fixture lasts (test_browser_reading.py's too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(base_url=server, accept_downloads=True)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # a request cut short by the next navigation (net::ERR_ABORTED) is not a failure a user sees
    pg.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} {r.failure}")
          if "ERR_ABORTED" not in (r.failure or "") else None)
    pg.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def test_search_facet_document_annotations_citation_export(page):
    page.goto("/")
    page.get_by_label("Search the archive").fill("soviet")
    page.get_by_label("Search the archive").press("Enter")
    page.wait_for_url("**/?q=soviet")
    assert page.locator("#total").inner_text() == "9"
    assert page.locator(".hit mark").first.inner_text().lower() == "soviet"

    # apply a facet, then remove it by clicking it again
    page.locator("a.fv", has_text="notes").first.click()
    page.wait_for_load_state()
    assert page.locator("#total").inner_text() == "7"
    assert "filter=collection" in page.url
    page.locator("a.fv.selected", has_text="notes").click()
    page.wait_for_load_state()
    assert page.locator("#total").inner_text() == "9"

    # open a document
    page.get_by_role("link", name="The development of Soviet policy").click()
    page.wait_for_url(re.compile(r".*/documents/test/despatch\?q=soviet.*"))
    assert page.get_by_role("heading", name="The development of Soviet policy").is_visible()
    person = page.locator("#text .t-person").first
    highlighted = person.evaluate("e => getComputedStyle(e).backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")

    # switch the person annotations off and on again
    page.get_by_label("person").uncheck()
    assert person.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    note = page.locator(".t-judgment-note").first
    assert note.is_visible()
    page.get_by_label("judgment").uncheck()
    assert not note.is_visible()
    page.get_by_label("person").check()
    assert person.evaluate("e => getComputedStyle(e).backgroundColor") == highlighted

    # copy the citation shown
    shown = page.locator("pre.citation:not([hidden])").inner_text()
    page.get_by_role("button", name="Copy citation").click()
    from playwright.sync_api import expect

    # expect() retries from Python: wait_for_function would eval() in a page whose CSP forbids it
    expect(page.locator("#copy-status")).to_have_text(re.compile(r"\S"))
    assert page.evaluate("navigator.clipboard.readText()") == shown
    if page.locator("#cite-style").count():  # another style, then copy that one
        page.select_option("#cite-style", index=1)
        other = page.locator("pre.citation:not([hidden])").inner_text()
        assert other != shown
        page.get_by_role("button", name="Copy citation").click()
        deadline = time.monotonic() + 10
        while page.evaluate("navigator.clipboard.readText()") != other and time.monotonic() < deadline:
            time.sleep(0.1)
        assert page.evaluate("navigator.clipboard.readText()") == other

    # similar documents arrive from the API
    page.wait_for_selector("#similar ul li a")

    # export the results of a search
    page.goto("/?q=soviet")
    with page.expect_download() as dl:
        page.get_by_role("link", name="csv").click()
    path = dl.value.path()
    body = Path(path).read_text(encoding="utf-8")
    assert body.splitlines()[0].startswith("id,") or body.splitlines()[0].startswith("rank,")
    assert "test/despatch" in body and "notes/n6" in body

    assert page.errors == []  # type: ignore[attr-defined]


def test_histogram_timeline_entity_and_keyboard(page):
    page.goto("/?q=soviet")
    page.locator("svg.chart a").first.click()
    page.wait_for_load_state()
    assert "filter=year" in page.url
    page.goto("/timeline?q=soviet")
    page.locator("svg.chart a").first.click()
    page.wait_for_load_state()
    assert "from=1950" in page.url
    page.goto("/entity/person/Joseph%20Stalin")
    assert page.get_by_role("heading", name="Joseph Stalin").is_visible()
    assert page.locator("table.kwic mark").first.inner_text() == "Stalin"

    # keyboard: the skip link is the first stop and moves to the content; the query box is reachable
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.errors == []  # type: ignore[attr-defined]


def test_usable_at_360_pixels(browser, server):
    ctx = browser.new_context(base_url=server, viewport={"width": 360, "height": 740})
    pg = ctx.new_page()
    for url in ["/?q=soviet", "/documents/test/despatch", "/entity/person/Joseph%20Stalin", "/timeline"]:
        pg.goto(url)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{url} scrolls sideways by {overflow}px at 360px"
    ctx.close()
