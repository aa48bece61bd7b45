"""The reading room in headless Chromium (Debian's /usr/bin/chromium): from a hit to the passage, every page
type checked by axe-core (WCAG 2.1 AA), and the whole path done with the keyboard alone.

The archive holds the test documents of test_web.py, a scanned cable (an image-only PDF drawn by
test_ocr.py, read by Tesseract) and the real seed document and a real UN speech (read in place from
../shared/corpus; the tests that need them skip, saying so, where they are absent). The pages only an
admin sees are checked on a second server, with the accounts of test_access.py.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import SEED, UNGDC
from test_browser import CHROMIUM, launch_browser, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"),
]

SPEECH = UNGDC / "sessions" / "1953" / "GBR_08_1953.txt"  # "co-existence" and "coexistence" both


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from test_web import build_archive

    from despatch.ingest import IngestOptions, ingest
    from despatch.store import open_archive
    from despatch.web import create_app

    tmp = tmp_path_factory.mktemp("reading")
    path = tmp / "web.db"
    build_archive(path)
    with open_archive(path) as arch:
        if shutil.which("tesseract") and shutil.which("pdftoppm"):
            from test_ocr import CABLE, draw_page

            (tmp / "scan").mkdir()
            draw_page(CABLE).convert("RGB").save(tmp / "scan" / "cable.pdf", "PDF", resolution=200)
            assert ingest(arch, [str(tmp / "scan")], IngestOptions(enrich=False)).pages == 1
        if SEED.exists():
            ingest(arch, [str(SEED)], IngestOptions(collection="seed"))
        if SPEECH.exists():
            ingest(arch, [str(SPEECH)], IngestOptions(name_pattern="{country}_{session}_{year}", collection="ungdc"))
    yield from serve_app(create_app(path))


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def _expect():
    from playwright.sync_api import expect

    return expect


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _current(page) -> int:
    return int(page.locator("#hitnav").get_attribute("data-current") or 0)


def _walk_every_match(page, start: int) -> None:
    """From match `start`, next through every match in document order and back with the key p."""
    expect = _expect()
    count = int(page.locator("#hitnav").get_attribute("data-count"))
    assert count == page.locator("mark.hit[id]").count() > 0
    expect(page.locator("#hit-status")).to_have_text(f"match {start} of {count}")
    tops = []
    n = start
    for _ in range(count):
        mark = page.locator(f"#m{n}")
        expect(mark).to_have_class(re.compile(r"\bcurrent\b"))
        assert _in_view(page, mark), f"match {n} is not scrolled into view"
        tops.append((n, page.evaluate(f"document.getElementById('m{n}').getBoundingClientRect().top + scrollY")))
        page.get_by_role("button", name="Next").click()
        n = n % count + 1
        expect(page.locator("#hit-status")).to_have_text(f"match {n} of {count}")
    assert n == start  # round the whole document
    ordered = sorted(tops)
    assert [t for _, t in ordered] == sorted(t for _, t in ordered), "matches are not numbered in reading order"
    page.keyboard.press("p")
    expect(page.locator("#hit-status")).to_have_text(f"match {(start - 2) % count + 1} of {count}")
    page.keyboard.press("n")
    expect(page.locator("#hit-status")).to_have_text(f"match {start} of {count}")


def _search_and_open(page, query: str, href_part: str) -> None:
    page.goto("/")
    box = page.get_by_label("Search the archive")
    box.fill(query)
    box.press("Enter")
    page.wait_for_load_state()
    page.locator(f'li.hit h2 a[href*="{href_part}"]').first.click()
    page.wait_for_load_state()
    _expect()(page.locator("#hit-status")).to_have_text(re.compile(r"^match \d+ of \d+$"))


def test_seed_hit_opens_at_a_marked_match_and_walks_every_match(page):
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the real corpora live in ../shared/corpus")
    _search_and_open(page, "Malenkov", "/documents/seed/")
    assert "q=Malenkov" in page.url
    assert _current(page) == 1
    assert page.locator("mark.hit").first.inner_text() == "Malenkov"
    _walk_every_match(page, 1)
    # back to the result list, at the hit
    page.get_by_role("link", name="Back to the results").click()
    page.wait_for_load_state()
    assert re.search(r"#hit-\d+$", page.url)
    assert page.errors == []  # type: ignore[attr-defined]


def test_un_speech_both_spellings_marked_and_walked(page):
    if not SPEECH.exists():
        pytest.skip(f"{SPEECH} is absent: the real corpora live in ../shared/corpus")
    _search_and_open(page, "coexistence", "GBR_08_1953")
    marked = {t.lower() for t in page.locator("mark.hit").all_inner_texts()}
    assert {"co-existence", "coexistence"} & marked or any("coexist" in t for t in marked), marked
    _walk_every_match(page, 1)
    assert page.errors == []  # type: ignore[attr-defined]


def test_paragraph_hit_opens_at_its_paragraph(page):
    if not SPEECH.exists():
        pytest.skip(f"{SPEECH} is absent: the real corpora live in ../shared/corpus")
    page.goto("/?q=coexistence&by=paragraph&filter=collection:ungdc")
    links = page.locator("li.hit h2 a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # a paragraph that is not the first with a match: the document must open there, not at the top
    later = [h for h in hrefs if "hit=1&" not in h and "hit=1#" not in h]
    assert later, hrefs
    href = later[0]
    at = int(re.search(r"at=(\d+)", href).group(1))
    page.locator(f'li.hit h2 a[href="{href}"]').click()
    page.wait_for_load_state()
    expect = _expect()
    expect(page.locator("#hit-status")).to_have_text(re.compile(r"^match \d+ of \d+$"))
    n = _current(page)
    assert n > 1
    mark = page.locator(f"#m{n}")
    assert _in_view(page, mark)
    assert page.evaluate(f"document.getElementById('m{n}').closest('#s{at}') !== null"), "not in its paragraph"
    _walk_every_match(page, n)


def test_test_archive_hit_without_real_corpora(page):
    """The same path on the built-in test archive, so it runs everywhere."""
    _search_and_open(page, '"soviet policy" OR leaders', "/documents/test/despatch")
    assert page.locator("mark.hit").all_inner_texts() == ["leaders", "Soviet policy"]
    _walk_every_match(page, 1)
    assert page.errors == []  # type: ignore[attr-defined]


PAGE_TYPES = {
    "home": "/",
    "search with facets": "/?q=soviet",
    "search by paragraph": "/?q=soviet&by=paragraph",
    "document": "/documents/test/despatch",
    "document with matches": "/documents/test/despatch?q=soviet&hit=1",
    "entity": "/entity/person/Joseph%20Stalin",
    "timeline": "/timeline?q=soviet",
    "collections": "/collections",
    "similar": "/similar/test/despatch",
    "scanned page": "/pages/scan/cable?page=1&q=havana",
    "analysis": "/analysis?q=soviet",
    "analysis: trend": "/analysis/trend?q=soviet",
    "analysis: keyness": "/analysis/keyness?q=soviet",
    "analysis: network": "/analysis/network?q=soviet",
    "sign-in": "/sign-in",
    "api docs": "/api/docs",
    "error 404": "/documents/no/such-document",
    "error 400": "/?q=%22unclosed",
}


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_no_serious_or_critical_violation(page, name):
    if name == "scanned page" and not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        pytest.skip("tesseract or pdftoppm is absent (apt-get install tesseract-ocr poppler-utils)")
    response = page.goto(PAGE_TYPES[name])
    assert response.status == (404 if name == "error 404" else 400 if name == "error 400" else 200), name
    _assert_axe_clean(page, name)


def _assert_axe_clean(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"runOnly": {"type": "tag",
                                                   "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name} ({page.url}): {bad}"


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    from test_access import build

    from despatch.web import create_app

    path = tmp_path_factory.mktemp("accounts") / "a.db"
    build(path)
    yield from serve_app(create_app(path))


#: the pages only a signed-in admin reaches
ADMIN_PAGES = {"audit": "/audit", "audit, one action": "/audit?action=sign-in"}


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_axe_finds_no_serious_or_critical_violation_on_admin_pages(browser, accounts_server, name):
    from test_access import PASSWORD

    ctx = browser.new_context(base_url=accounts_server, viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    try:
        page.goto("/sign-in")
        page.get_by_label("Name").fill("adam")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r".*/$"))
        response = page.goto(ADMIN_PAGES[name])
        assert response.status == 200
        # the audit lists this very sign-in, by adam
        assert page.locator("tr", has=page.locator("td", has_text="adam")).filter(has_text="sign-in").count() >= 1
        _assert_axe_clean(page, name)
    finally:
        ctx.close()


def _tab_to(page, selector: str, limit: int = 300, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; it must show its focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            break
        page.keyboard.press("Shift+Tab" if back else "Tab")
    else:
        raise AssertionError(f"{selector} was not reached with the keyboard")
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                            " return [s.outlineStyle, s.outlineWidth]; })()")
    assert outline[0] != "none" and outline[1] != "0px", f"no visible focus on {selector}: {outline}"


def test_keyboard_alone_search_facets_paging_hits_and_citation(browser, server):
    ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = ctx.new_page()
    expect = _expect()
    page.goto("/")
    _tab_to(page, "#q")
    page.keyboard.type("soviet")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?q=soviet$"))
    total = int(page.locator("#total").inner_text().replace(",", ""))

    # a facet, by keyboard, and off again
    _tab_to(page, 'a.fv[aria-label^="Filter by collection notes"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*filter=collection.*"))
    narrowed = int(page.locator("#total").inner_text())
    assert narrowed < total
    _tab_to(page, "a.fv.selected")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?q=soviet$"))

    # paging
    page.goto("/?q=soviet&per_page=2")  # a short page so that there is a next one
    _tab_to(page, 'a[rel="next"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*[?&]page=2(&|$).*"))
    expect(page.locator(".pager")).to_contain_text("Page 2 of")

    # a hit, its matches, and back
    page.goto("/?q=soviet")
    _tab_to(page, 'li.hit h2 a[href*="/documents/test/despatch"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/documents/test/despatch\?.*"))
    expect(page.locator("#hit-status")).to_have_text("match 1 of 3")
    _tab_to(page, "#hit-next")
    page.keyboard.press("Enter")
    expect(page.locator("#hit-status")).to_have_text("match 2 of 3")
    page.keyboard.press("n")
    expect(page.locator("#hit-status")).to_have_text("match 3 of 3")
    _tab_to(page, "#hit-prev", back=True)
    page.keyboard.press("Space")
    expect(page.locator("#hit-status")).to_have_text("match 2 of 3")

    # citation: choose a style and copy it
    _tab_to(page, "#cite-style")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("pre.citation:not([hidden])").inner_text()
    _tab_to(page, "#copy-cite")
    page.keyboard.press("Enter")
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == chosen

    # back to the results, at the hit
    _tab_to(page, "#back-to-results", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?q=soviet#hit-\d+$"))
    ctx.close()
