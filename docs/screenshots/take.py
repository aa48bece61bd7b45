"""Take the README screenshots of a running reading room with headless Chromium.

    despatch --archive /tmp/web.db serve --port 8000 &
    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000 "DOC_ID" "ENTITY_TYPE/NAME"
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent


def main() -> None:
    base, doc_id, entity = sys.argv[1], sys.argv[2], sys.argv[3]
    shots = {
        "search.png": "/?q=soviet+policy",
        "document.png": f"/documents/{doc_id}",
        "entity.png": f"/entity/{entity}",
    }
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = b.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        for name, url in shots.items():
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / name), full_page=False)
            print(HERE / name)
        b.close()


if __name__ == "__main__":
    main()
