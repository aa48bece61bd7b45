"""Recognise every page of a scan: page images, words with boxes and confidences, redaction boxes.

Pages run on a thread pool (each thread drives one Tesseract process), bounded across ingest workers by
`slots`. A page that fails (cannot be rendered, takes longer than the time limit) is recorded with its
reason and the other pages go on; the file fails only when no page could be read.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import engine, pages, slots
from .boxes import Box, find_redactions
from .engine import OcrError, Word


@dataclass
class ScanSettings:
    """What decides how a scan is read; part of the ingest's options key (a change re-reads the file)."""

    lang: str = engine.DEFAULT_LANG
    page_timeout: float = engine.DEFAULT_PAGE_TIMEOUT
    jobs: int | None = None  # pages at once; None: the ingest's slot group size (-j)
    dpi: int = pages.RENDER_DPI

    def key(self) -> str:
        return f"ocr:{self.lang}:{self.dpi}"


@dataclass
class Page:
    number: int
    width: int = 0
    height: int = 0
    dpi: int = 300
    words: list[Word] = field(default_factory=list)
    redactions: list[Box] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    psm: int = 3  # Tesseract's page segmentation mode that gave the words


PageSource = Callable[[int, Path], tuple[Path, int]]  # (page number, where) -> (image path, dpi)


def _one(number: int, source: PageSource, workdir: Path, settings: ScanSettings) -> Page:
    t0 = time.monotonic()
    page = Page(number)
    img = workdir / f"page-{number}.png"
    try:
        with slots.slot():
            path, page.dpi = source(number, img)
            gray = _load_gray(path)
            page.height, page.width = gray.shape
            if _blank(gray):
                page.words = []
            else:
                page.words = engine.recognise(path, settings.lang, settings.page_timeout)
                if not page.words and _inked(gray):
                    # Automatic layout analysis found no text block on a page with type on it (a dark
                    # scanner edge can make it take the page for a picture): read it as one block of text
                    # rather than store the page empty, if that reads as text (a photograph gives a few
                    # words of noise, almost none with any confidence). A second pass on such pages only.
                    block = engine.recognise(path, settings.lang, settings.page_timeout, psm=6)
                    if sum(w.conf >= 60 for w in block) >= 10:
                        page.words, page.psm = block, 6
            page.redactions = find_redactions(gray, page.dpi)
    except OcrError as e:
        page.error = str(e)
    finally:
        img.unlink(missing_ok=True)
    page.seconds = time.monotonic() - t0
    return page


def _load_gray(path: Path):  # -> numpy array
    import numpy as np
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        g = np.asarray(im.convert("L"))
    if g.mean() < 100:  # stored inverted (white on black): turn it the right way for OCR and boxes
        g = 255 - g
        from PIL import Image as _I

        _I.fromarray(g).save(path, "PNG")
    return g


def _inked(gray) -> bool:
    """A page with type on it: 1-25% dark pixels (not a blank sheet with specks, not a photograph)."""
    return 0.01 <= float((gray < 128).mean()) <= 0.25


def _blank(gray) -> bool:
    """A page with (almost) no ink: nothing to recognise."""
    return float((gray < 128).mean()) < 0.0005


def recognise_pages(count: int, source: PageSource, settings: ScanSettings,
                    on_page: Callable[[Page], None] | None = None) -> list[Page]:
    """Recognise pages 1..count; results in page order."""
    engine.tesseract_version()  # Tesseract missing: one clear reason before any page is tried
    engine.check_languages(settings.lang)
    jobs = max(1, min(count, settings.jobs or slots.group_size()))
    with tempfile.TemporaryDirectory(prefix="despatch-ocr-") as tmp:
        work = Path(tmp)
        if jobs == 1:
            out = []
            for n in range(1, count + 1):
                out.append(_one(n, source, work, settings))
                if on_page:
                    on_page(out[-1])
            return out
        with ThreadPoolExecutor(jobs) as pool:
            futures = [pool.submit(_one, n, source, work, settings) for n in range(1, count + 1)]
            out = []
            try:
                for f in futures:
                    out.append(f.result())
                    if on_page:
                        on_page(out[-1])
            except BaseException:
                # the file's --time-limit (raised in this thread) or an interrupt: the pages not started
                # are dropped, so the file stops after the pages in hand instead of reading every page
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            return out


def pdf_source(pdf: Path, settings: ScanSettings) -> PageSource:
    """Pages of a PDF: the scanned image itself where a page is one image, else rendered at `dpi`."""
    direct = pages.single_image_pages(pdf)

    def source(number: int, out: Path) -> tuple[Path, int]:
        if number in direct:
            try:
                return pages.extract_pdf_page_image(pdf, number, out, settings.page_timeout), settings.dpi
            except OcrError:
                pass
        return pages.render_pdf_page(pdf, number, out, settings.dpi, settings.page_timeout), settings.dpi

    return source


def image_source(data: bytes) -> PageSource:
    def source(number: int, out: Path) -> tuple[Path, int]:
        pages.save_image_frame(data, number - 1, out)
        return out, _image_dpi(data)

    return source


def _image_dpi(data: bytes) -> int:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi")
    try:
        v = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError):
        v = 0
    return v if 72 <= v <= 1200 else 300
