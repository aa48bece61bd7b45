"""Make the README and docs/web.md screenshots from the real reading room, with Debian's headless Chromium.

    .venv/bin/python docs/screenshots/take.py                  # builds an archive from ../shared/corpus
    .venv/bin/python docs/screenshots/take.py --archive my.db  # or shoots an archive you have

Without --archive it ingests (with enrichment) the seed document and the UN General Debate speeches of
1953 from ../shared/corpus beside the repository into a temporary archive, serves it on a free port, and
shoots: the search page (facets, histogram, marked snippets), a speech opened from a hit at its first
match (marks, "match N of M"), and an entity page. The pictures are written beside this script.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY = '"peaceful coexistence"'


def build(path: Path) -> None:
    from despatch.ingest import IngestOptions, ingest
    from despatch.store import open_archive

    seed = CORPUS / "seed"
    un1953 = CORPUS / "ungdc" / "sessions" / "1953"
    missing = [p for p in (seed, un1953) if not p.exists()]
    if missing:
        sys.exit(f"{missing[0]} is absent: put the corpora in {CORPUS} or pass --archive PATH")
    arch = open_archive(path)
    try:
        ingest(arch, [str(seed)], IngestOptions(collection="seed"))
        ingest(arch, [str(un1953)], IngestOptions(name_pattern="{country}_{session}_{year}", collection="ungdc"))
        arch.sync_search()
    finally:
        arch.close()


def serve(path: Path) -> tuple[str, object, threading.Thread]:
    import uvicorn

    from despatch.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", srv, t


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = b.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)

        def save(name: str) -> None:
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / name), full_page=False)
            print(HERE / name)

        page.goto(base + "/?" + "q=" + QUERY.replace(" ", "+").replace('"', "%22"))
        save("search.png")
        # the first hit, opened as a reader would: at its first match, every match marked
        page.locator("li.hit h2 a").first.click()
        page.locator("#hit-next").wait_for()
        page.locator("#hit-next").click()
        save("document.png")
        # the entity most mentioned with the query: its facet value's entity page
        page.goto(base + "/?q=coexistence")
        person = page.locator('.facet a.fv[aria-label^="Filter by person"] .fl').first
        name = person.inner_text() if person.count() else "Georgy Malenkov"
        page.goto(base + "/entity/person/" + name.replace(" ", "%20"))
        save("entity.png")
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", help="an existing archive to shoot (default: build one from ../shared/corpus)")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is absent: apt-get install chromium (the screenshots use Debian's browser)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.archive) if args.archive else Path(tmp) / "screens.db"
        if not args.archive:
            build(path)
        elif not path.exists():
            sys.exit(f"no archive at {path}")
        base, srv, t = serve(path)
        try:
            shoot(base)
        finally:
            srv.should_exit = True  # type: ignore[attr-defined]
            t.join(timeout=10)


if __name__ == "__main__":
    main()
