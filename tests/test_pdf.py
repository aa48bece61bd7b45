"""PDF reader: text layer page by page with page breaks; metadata; a scan with nothing legible on it
refused with a clear reason (scans with text are read by OCR: test_ocr.py)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES

from despatch.ingest import IngestOptions, ingest, read_path
from despatch.readers import ReaderError, detect

PDF = FIXTURES / "pdf"
NO_ENRICH = IngestOptions(enrich=False)


def test_text_layer_with_page_breaks():
    (doc,) = read_path(PDF / "memorandum.pdf", NO_ENRICH)
    assert "1. The Soviet blockade of Berlin began on 24 June 1948 and was met by an airlift." in doc.text
    breaks = [s for s in doc.structure if s.type == "page_break"]
    assert [b.number for b in breaks] == ["1", "2"]
    assert all(b.start == b.end for b in breaks)
    assert doc.text[breaks[1].start :].startswith("3. Supplies reached 4,500 tons a day by the end of the year.")
    paras = [doc.text[s.start : s.end] for s in doc.structure if s.type == "paragraph"]
    assert paras[0] == "MEMORANDUM" and len(paras) == 4


def test_title_and_author_from_metadata_but_never_the_creation_date():
    (doc,) = read_path(PDF / "memorandum.pdf", NO_ENRICH)
    assert doc.title == "Memorandum on the Berlin blockade"
    assert doc.originator == "Policy Planning Staff"
    # the file's creation date dates the file, not the memorandum, whose text writes no date of its own
    assert doc.date is None and doc.metadata["file_created"] == "1948-07-14"
    assert "date_source" not in doc.metadata and doc.metadata["pages"] == 2


# The fixture scan is a drawn frame with two rules and no letters: OCR finds no text on it (or, where
# Tesseract is missing, the reason says how to install it).
NOTHING_LEGIBLE = r"no text found on any page|Tesseract is not installed"


def test_scan_without_text_layer_or_legible_text_is_refused():
    with pytest.raises(ReaderError, match=NOTHING_LEGIBLE):
        read_path(PDF / "scanned.pdf", NO_ENRICH)


def test_scan_is_not_stored_as_an_empty_document(archive):
    summary = ingest(archive, [PDF / "scanned.pdf", PDF / "memorandum.pdf"], IngestOptions(collection="p",
                                                                                          enrich=False))
    assert summary.failed == 1
    assert re.search(NOTHING_LEGIBLE, summary.failures[0].reason)
    assert [d.id for d in archive.iter_documents("p")] == ["p/memorandum"]


def test_recognised_by_content(tmp_path):
    p = tmp_path / "download"
    p.write_bytes((PDF / "memorandum.pdf").read_bytes())
    assert detect(p.read_bytes()[:65536], p).name == "pdf"


def test_garbage_after_pdf_magic_is_a_clear_error(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    with pytest.raises(ReaderError, match="PDF"):
        read_path(p, NO_ENRICH)
