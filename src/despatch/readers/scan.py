"""Scans: image files (TIFF, multi-page TIFF, PNG, JPEG) and PDFs without a text layer, read by OCR.

The text's producer is recorded in `metadata["ocr"]` (engine, version, language, resolution, mean
confidence, pages that failed) and on every annotation this reader makes (`ocr/tesseract@5.3.0+eng`).
What the page says in its form fields (classification, from, to, date-time group, file numbers…) and its
type come from `despatch.forms`; the record's release furniture (banner, record number) goes to
metadata, not the body.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import Document
from ..ocr import engine
from ..ocr.document import build
from ..ocr.engine import OcrError
from ..ocr.recognise import ScanSettings, image_source, pdf_source, recognise_pages
from .base import ReadContext, ReaderError

_MAGIC = (b"II*\x00", b"MM\x00*", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MIN_WORDS = 3  # fewer words than this on every page: not a document (a photograph, a blank sheet)


def settings_from(ctx: ReadContext) -> ScanSettings:
    s = getattr(ctx, "settings", None) or {}
    return ScanSettings(
        lang=s.get("ocr_lang") or engine.DEFAULT_LANG,
        page_timeout=float(s.get("page_timeout") or engine.DEFAULT_PAGE_TIMEOUT),
    )


def read_scan_pdf(data: bytes, ctx: ReadContext, pages: int, info: dict[str, Any] | None = None) -> Document:
    """OCR a PDF that has no text layer."""
    settings = settings_from(ctx)
    with tempfile.TemporaryDirectory(prefix="despatch-pdf-") as tmp:
        pdf = Path(tmp) / "scan.pdf"
        pdf.write_bytes(data)
        try:
            result = recognise_pages(pages, pdf_source(pdf, settings), settings)
        except OcrError as e:
            raise ReaderError(str(e)) from None
    return _document(result, ctx, settings, "pdf", info or {})


def _document(result: list, ctx: ReadContext, settings: ScanSettings, fmt: str, info: dict[str, Any]) -> Document:
    from ..forms import apply_forms

    failed = [p for p in result if p.error]
    if len(failed) == len(result):
        raise ReaderError(f"no page could be read: page {failed[0].number}: {failed[0].error}")
    if sum(len(p.words) for p in result) < MIN_WORDS:
        raise ReaderError("no text found on any page (not a document, or a blank scan)")
    version = engine.tesseract_version()
    producer = f"ocr/tesseract@{version}+{settings.lang}"
    built = build(result, producer)
    confs = [w.conf for p in result for w in p.words if w.conf >= 0]
    meta: dict[str, Any] = {
        "pages": len(result),
        "text_producer": f"OCR: Tesseract {version}, language {settings.lang}",
        "ocr": {
            "engine": "tesseract", "version": version, "lang": settings.lang,
            "mean_confidence": round(sum(confs) / len(confs), 1) if confs else None,
            "words": len(confs), "seconds": round(sum(p.seconds for p in result), 2),
        },
    }
    if failed:
        meta["ocr"]["failed_pages"] = [{"page": p.number, "reason": p.error} for p in failed]
    if built.release:
        meta["release"] = built.release.most_common(1)[0][0]
    if built.record_numbers:
        meta["record_number"] = built.record_numbers.most_common(1)[0][0]
    if built.crest:
        meta["crest_number"] = built.crest.most_common(1)[0][0]
    for k in ("/Author", "/Creator", "/Producer", "/CreationDate"):
        if info.get(k):
            meta[k.strip("/").lower()] = str(info[k])
    stem = ctx.path.name.split("!")[-1].rsplit(".", 1)[0] or "document"
    doc = Document(
        id=ctx.doc_id(stem),
        collection=ctx.collection,
        text=built.text,
        language="en" if settings.lang.startswith("eng") else None,
        file=ctx.file_info(fmt),
        structure=built.structure,
        annotations=built.annotations,
        metadata=meta,
    )
    apply_forms(doc)
    return doc


class ImageScanReader:
    """TIFF, PNG and JPEG images of document pages."""

    name = "image"

    def sniff(self, head: bytes, path: Path) -> float:
        return 0.95 if head.startswith(_MAGIC) else 0.0

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        from ..ocr.pages import image_frames

        settings = settings_from(ctx)
        try:
            count = image_frames(data)
            result = recognise_pages(count, image_source(data), settings)
        except OcrError as e:
            raise ReaderError(str(e)) from None
        fmt = "tiff" if data.startswith((b"II*\x00", b"MM\x00*")) else "png" if data.startswith(b"\x89PNG") else "jpeg"
        yield _document(result, ctx, settings, fmt, {})


