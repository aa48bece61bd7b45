"""PDF: the text layer page by page (pypdf, pure Python), with a `page_break` span where each page begins.

Title and author come from the PDF's document information where present. Its creation date dates the
file, not the document (a scan made in 2026 of a 1963 cable): it is kept as `metadata.file_created` and never
becomes the document date, which comes only from the text — a "Date:" line or a dateline among the opening
lines (`metadata.date_source = "text"`). A PDF without a text layer (a scan) is read by OCR (`readers.scan`).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..dates import parse_iso, parse_written_date
from ..model import Document
from ..textbuild import TextBuilder
from .base import ReadContext, ReaderError
from .blocks import join_lines

_PDF_DATE = re.compile(r"^D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?")


def _pdf_date(raw: object) -> object:
    m = _PDF_DATE.match(str(raw or ""))
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    iso = y + (f"-{mo}" if mo else "") + (f"-{d}" if mo and d else "")
    return parse_iso(iso, str(raw))


_TERMINAL = tuple(".!?:;\"'”’)]")
_STARTS_NEW = re.compile(r"^(?:\d{1,3}\.|\(?[a-z0-9]{1,3}\)|[-•–*]\s)")


def _paragraphs(raw: str) -> list[list[str]]:
    """Lines of a page's text layer grouped into paragraphs: at blank lines, after a short line that ends
    a sentence, before a numbered or bulleted line, and around short all-capital headings."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = max((len(x.strip()) for x in lines), default=0)
    out: list[list[str]] = []
    cur: list[str] = []
    prev = ""
    for line in lines:
        s = line.strip()
        if not s:
            if cur:
                out.append(cur)
                cur = []
            prev = ""
            continue
        heading = s.isupper() and len(s) < 80
        prev_heading = prev.isupper() and len(prev) < 80
        new = bool(cur) and (
            heading or prev_heading or _STARTS_NEW.match(s) is not None
            or (prev.endswith(_TERMINAL) and len(prev) < 0.8 * width)
        )
        if new:
            out.append(cur)
            cur = []
        cur.append(s)
        prev = s
    if cur:
        out.append(cur)
    return out


_DATE_LINE = re.compile(r"^(?:date|dated)\s*[:.]?\s+(?P<d>.{4,40})$", re.I)


def _opening_date(text: str, tb: TextBuilder):
    """A date the document writes at its head: a "Date:" line, a line that is a date, or a dateline's end
    ("Washington, April 3, 1917, 6 p.m."); None if the first lines hold none."""
    for s in [x for x in tb.structure if x.type == "paragraph"][:12]:
        line = text[s.start:s.end].strip()
        if len(line) > 90:
            continue
        m = _DATE_LINE.match(line)
        cands = [m["d"]] if m else [line] + [line.split(",", i)[-1] for i in (1, 2)]
        for c in cands:
            c = re.sub(r",?\s*\d{1,2}(?:[.:]\d\d)?\s*[ap]\.\s?m\.?$", "", c.strip())
            d = parse_written_date(c)
            if d is not None:
                return d
    return None


class PDFReader:
    name = "pdf"

    def sniff(self, head: bytes, path: Path) -> float:
        return 0.99 if b"%PDF-" in head[:1024] else 0.0

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            pdf = PdfReader(io.BytesIO(data))
            if pdf.is_encrypted and not pdf.decrypt(""):
                raise ReaderError("encrypted PDF (needs a password)")
            pages = list(pdf.pages)
            try:
                labels = list(pdf.page_labels)
            except Exception:  # noqa: BLE001 - a broken label tree: fall back to 1, 2, 3…
                labels = []
            texts = [(p.extract_text() or "") for p in pages]
            info = pdf.metadata or {}
        except ReaderError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AssertionError, OSError) as e:
            raise ReaderError(f"unreadable PDF: {e}") from None
        if not any(t.strip() for t in texts):
            from .scan import read_scan_pdf  # a scan: every page is recognised with OCR

            yield read_scan_pdf(data, ctx, len(pages), dict(info))
            return
        tb = TextBuilder()
        for i, raw in enumerate(texts):
            number = labels[i] if i < len(labels) and labels[i] else str(i + 1)
            page_start = None
            for chunk in _paragraphs(raw):
                para = join_lines(chunk)
                if not para.strip():
                    continue
                span = tb.block("paragraph", para)
                if span and page_start is None:
                    page_start = span.start
            at = page_start if page_start is not None else tb.pos
            tb.mark("page_break", at, at, number=number)
        text = tb.finish()
        title = str(info.get("/Title") or "").strip() or None
        author = str(info.get("/Author") or "").strip() or None
        subject = str(info.get("/Subject") or "").strip() or None
        created = _pdf_date(info.get("/CreationDate"))
        meta: dict = {"pages": len(pages)}
        if created is not None:
            meta["file_created"] = created.start  # type: ignore[attr-defined]
        date = _opening_date(text, tb)
        if date is not None:
            meta["date_source"] = "text"
        for key in ("/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
            if info.get(key):
                meta[key.strip("/").lower()] = str(info.get(key))
        if title is None:
            first = next((s for s in tb.structure if s.type == "paragraph"), None)
            if first is not None and first.end - first.start <= 120:
                title = text[first.start : first.end]
        yield Document(
            id=ctx.doc_id(ctx.path.name.split("!")[-1].rsplit(".", 1)[0] or "document"),
            collection=ctx.collection,
            text=text,
            title=title,
            caption=subject,
            date=date,  # type: ignore[arg-type]
            originator=author,
            file=ctx.file_info("pdf"),
            structure=tb.structure,
            metadata=meta,
        )


