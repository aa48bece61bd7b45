"""Scanned records: OCR of image files and scanned PDFs, words with boxes, release furniture, redaction
boxes, bad input. Page images are drawn here with Pillow (a cable on a form, a black box over a name),
so the tests know what the page says; one real JFK page checks the whole path on a true scan."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from conftest import CORPUS, need

from despatch.ingest import IngestOptions, ingest, read_path
from despatch.readers import ReaderError

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None,
                                reason="Tesseract is not installed (./dev test installs tesseract-ocr)")

PIL = pytest.importorskip("PIL")
np = pytest.importorskip("numpy")

CABLE = [
    "104-10999-10001",
    "2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992",
    "",
    "S E C R E T 081247Z FEB 63 STAFF",
    "CITE MEXICO CITY 6453",
    "TO: IMMEDIATE DIRECTOR",
    "SLUGS: WNINTEL RYBAT",
    "SUBJECT: TRAVEL OF SOVIET CONSULAR OFFICER",
    "REF: DIRECTOR 12345",
    "1. THE STATION HAS LEARNED THAT THE OFFICER",
    "WILL TRAVEL TO HAVANA ON THE MORNING FLIGHT.",
    "2. FILE: 201-289248.",
    "END OF MESSAGE",
]
BOX = (700, 1130, 1100, 1190)  # a blacked-out name, in pixels


def draw_page(lines: list[str], box: tuple[int, int, int, int] | None = BOX, size=(1700, 2200)):
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("L", size, 255)
    d = ImageDraw.Draw(im)
    font = ImageFont.load_default(size=36)
    y = 120
    for line in lines:
        d.text((120, y), line, fill=0, font=font)
        y += 70
    if box:
        d.rectangle(box, fill=0)
    return im


def png_bytes(im) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", dpi=(200, 200))
    return buf.getvalue()


@pytest.fixture(scope="module")
def cable_doc(tmp_path_factory):
    p = tmp_path_factory.mktemp("scan") / "cable.png"
    p.write_bytes(png_bytes(draw_page(CABLE)))
    return read_path(p, IngestOptions(enrich=True))[0]


def test_image_is_read_with_words_boxes_confidence_and_producer(cable_doc):
    doc = cable_doc
    assert "STATION HAS LEARNED" in doc.text
    assert doc.metadata["ocr"]["engine"] == "tesseract" and doc.metadata["ocr"]["lang"] == "eng"
    assert doc.metadata["text_producer"].startswith("OCR: Tesseract 5")
    pages = [a for a in doc.annotations if a.type == "ocr_page"]
    assert len(pages) == 1 and pages[0].producer.startswith("ocr/tesseract@5")
    v = pages[0].value
    assert v["page"] == 1 and v["width"] == 1700 and v["height"] == 2200
    # every word points at its text, and its box lies on the line where it was drawn
    words = {doc.text[s:e]: (left, top, w, h, conf) for s, e, left, top, w, h, conf in v["words"]}
    left, top, w, h, conf = words["HAVANA"]
    assert 120 + 10 * 70 - 10 <= top <= 120 + 10 * 70 + 40 and conf > 50
    assert [s.type for s in doc.structure].count("page_break") == 1


def test_release_banner_and_record_number_are_metadata_not_body(cable_doc):
    doc = cable_doc
    assert doc.metadata["release"].startswith("2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY")
    assert doc.metadata["record_number"] == "104-10999-10001"
    release = [s for s in doc.structure if s.type == "release"]
    assert release and all("ASSASSINATION" not in doc.text[p.start:p.end] for p in doc.paragraphs())


def test_cable_form_fields(cable_doc):
    doc = cable_doc
    form = doc.metadata["form"]
    assert doc.doc_type == "cable"
    assert doc.classification.level == "SECRET"
    assert {"RYBAT", "WNINTEL"} <= set(form["caveats"])
    assert form["cites"] == ["MEXICO CITY 6453"]
    assert form["date_time_group"]["date"] == "1963-02-08"
    assert doc.date.start == "1963-02-08"
    assert form["precedence"] == "IMMEDIATE"
    assert doc.recipient and "DIRECTOR" in doc.recipient
    assert form["subject"] == "TRAVEL OF SOVIET CONSULAR OFFICER"
    assert "201-289248" in form["file_numbers"]
    assert form["refs"] == ["DIRECTOR 12345"]
    fields = {a.value["field"] for a in doc.annotations if a.type == "form_field"}
    assert {"classification", "cite", "dtg", "subject", "file_number"} <= fields


def test_blacked_out_box_becomes_a_redaction_with_page_and_box(cable_doc):
    reds = [a for a in cable_doc.annotations if a.type == "redaction" and a.value.get("source") == "image"]
    assert len(reds) == 1
    left, top, w, h = reds[0].value["box"]
    assert reds[0].value["page"] == 1
    assert abs(left - BOX[0]) <= 12 and abs(top - BOX[1]) <= 12 and abs(w - (BOX[2] - BOX[0])) <= 24
    assert cable_doc.metadata["redacted"] == "yes"


def test_multipage_tiff_gives_one_document_with_page_breaks(tmp_path):
    a = draw_page(["MEMORANDUM FOR THE RECORD", "SUBJECT: MEETING IN MIAMI", "1. THE MEETING TOOK PLACE."], None)
    b = draw_page(["2. NOTHING FURTHER WAS LEARNED.", "[1 line not declassified]", "(b)(1) (b)(3)"], None)
    p = tmp_path / "memo.tif"
    a.save(p, "TIFF", save_all=True, append_images=[b])
    doc = read_path(p, IngestOptions())[0]
    breaks = [s for s in doc.structure if s.type == "page_break"]
    assert [s.number for s in breaks] == ["1", "2"]
    assert doc.text.index("MEETING TOOK PLACE") < breaks[1].start <= doc.text.index("NOTHING FURTHER")
    assert doc.doc_type == "memorandum for the record" and doc.metadata["pages"] == 2
    assert doc.file.format == "tiff"
    assert {"(b)(1)", "(b)(3)"} <= set(doc.metadata["exemptions"])
    assert any(a.type == "redaction" and a.value.get("kind") == "not declassified" for a in doc.annotations)


def test_an_image_that_is_not_a_document_is_refused(tmp_path):
    rng = np.random.default_rng(1)
    x = np.linspace(0, 255, 900)
    photo = (np.add.outer(x, x) / 2 + rng.normal(0, 20, (900, 900))).clip(0, 255).astype("uint8")
    p = tmp_path / "photo.jpg"
    PIL.Image.fromarray(photo).save(p, "JPEG")
    with pytest.raises(ReaderError, match="no text found"):
        read_path(p, IngestOptions(enrich=False))
    tiny = tmp_path / "icon.png"
    PIL.Image.new("L", (40, 40), 0).save(tiny)
    with pytest.raises(ReaderError, match="too small to be a document page"):
        read_path(tiny, IngestOptions(enrich=False))


def test_tesseract_missing_says_how_to_install(tmp_path, monkeypatch):
    from despatch.ocr import engine

    monkeypatch.setenv("DESPATCH_TESSERACT", str(tmp_path / "no-such-tesseract"))
    engine.tesseract_version.cache_clear()
    engine.installed_languages.cache_clear()
    p = tmp_path / "page.png"
    p.write_bytes(png_bytes(draw_page(["A PAGE"], None)))
    try:
        with pytest.raises(ReaderError, match="apt-get install tesseract-ocr"):
            read_path(p, IngestOptions(enrich=False))
    finally:
        engine.tesseract_version.cache_clear()
        engine.installed_languages.cache_clear()


def test_page_over_the_time_limit_fails_with_its_reason_and_the_batch_goes_on(tmp_path, archive):
    folder = tmp_path / "box"
    folder.mkdir()
    (folder / "a-page.png").write_bytes(png_bytes(draw_page(["A PAGE THAT TAKES TOO LONG"], None)))
    (folder / "b-note.txt").write_text("A typed note that needs no OCR.\n")
    (folder / "c-broken.pdf").write_bytes(b"%PDF-1.4\n% not really a PDF\n")
    summary = ingest(archive, [folder], IngestOptions(enrich=False, page_timeout=0.001))
    reasons = {f.path.rsplit("/", 1)[-1]: f.reason for f in summary.failures}
    assert "page time limit" in reasons["a-page.png"]
    assert "PDF" in reasons["c-broken.pdf"] and "\n" not in reasons["c-broken.pdf"]
    assert summary.files == 3 and summary.failed == 2 and summary.documents_added == 1


def test_encrypted_pdf_is_one_line(tmp_path, archive):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret-password")
    p = tmp_path / "locked.pdf"
    with p.open("wb") as f:
        w.write(f)
    summary = ingest(archive, [p], IngestOptions(enrich=False))
    assert summary.failed == 1 and "encrypted" in summary.failures[0].reason


def test_original_bytes_kept_and_reingest_changes_nothing(tmp_path, archive):
    p = tmp_path / "scan.png"
    data = png_bytes(draw_page(["SUBJECT: A SHORT NOTE", "THE TEXT OF THE NOTE."], None))
    p.write_bytes(data)
    first = ingest(archive, [p], IngestOptions(enrich=False))
    again = ingest(archive, [p], IngestOptions(enrich=False))
    doc_id = archive.list()[0].id
    assert first.documents_added == 1 and again.unchanged_files == 1
    assert archive.source(doc_id)[1] == data


def test_real_scanned_cable_against_the_catalogue(tmp_path):
    """One real page (a 1996 teletype cable): date, classification, file number and release number."""
    pdf = need(CORPUS / "jfk" / "104-10014-10051.pdf")
    catalog = need(CORPUS / "jfk" / "nara-catalog.csv")
    row = next(r for r in csv.DictReader(catalog.open()) if r["Record Num"] == "104-10014-10051")
    doc = read_path(pdf, IngestOptions(enrich=False))[0]
    mm, dd, yyyy = row["Doc Date"].split("/")
    assert doc.date.start == f"{yyyy}-{mm}-{dd}"
    assert doc.doc_type == "cable" and doc.classification.level == "SECRET"
    assert doc.metadata["record_number"] == row["Record Num"]
    assert doc.metadata["release"].startswith("2025 RELEASE")
    assert any(x.replace("-0", "-") == "201-289248" for x in doc.metadata["form"]["file_numbers"])
    withcat = read_path(pdf, IngestOptions(enrich=False, catalog=str(catalog)))[0]
    assert withcat.title == row["Title"] and withcat.recipient == row["To Name"]
    assert withcat.metadata["page_values"]["date"] == doc.date.start
    assert withcat.metadata["file_number"] == row["File Num"]


def test_reading_room_page_view_of_a_scanned_pdf(tmp_path):
    """A scanned PDF (an image-only PDF made here): page image rendered from the stored original and
    cached beside the archive, words and redaction drawn as boxes, search hits marked, CSP kept."""
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from despatch.store import open_archive
    from despatch.web import create_app

    pdf = tmp_path / "in" / "cable.pdf"
    pdf.parent.mkdir()
    draw_page(CABLE).convert("RGB").save(pdf, "PDF", resolution=200)
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        summary = ingest(arch, [pdf.parent], IngestOptions(enrich=False))
    assert summary.failed == 0 and summary.pages == 1
    with TestClient(create_app(db), base_url="http://localhost") as c:
        doc = c.get("/documents/in/cable")
        assert doc.status_code == 200 and 'href="/pages/in/cable?page=1"' in doc.text
        assert "unsafe-inline" not in doc.headers["content-security-policy"]
        page = c.get("/pages/in/cable", params={"page": 1, "q": "HAVANA <script>"})
        assert page.status_code == 200
        assert 'class="box red"' in page.text
        assert "HAVANA <script>" not in page.text and "HAVANA &lt;script&gt;" in page.text
        assert 'class="box word good hit"' in page.text or 'class="box word fair hit"' in page.text
        assert "<mark>HAVANA</mark>" in page.text
        img = c.get("/page-image/1/in/cable")
        assert img.status_code == 200 and img.content.startswith(b"\x89PNG")
        assert list((tmp_path / "a.db.pages").glob("*/1.png"))
        api = c.get("/api/pages/in/cable", params={"page": 1}).json()
        assert api["pages"] == 1 and api["redactions"] and all("confidence" in w for w in api["words"])
        assert c.get("/pages/in/cable", params={"page": 9}).status_code == 404


def test_the_files_time_limit_stops_the_pages_tesseract(tmp_path, monkeypatch):
    """A scan stopped by --time-limit while Tesseract reads a page leaves no Tesseract running (it went on
    reading the page, orphaned, for up to its CPU limit while the batch moved on)."""
    import os
    import time

    from despatch.ocr import engine
    from despatch.timelimit import TimeLimitExceeded, time_limit

    pidfile = tmp_path / "pid"
    slow = tmp_path / "slow-tesseract"
    slow.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setenv("DESPATCH_TESSERACT", str(slow))
    page = tmp_path / "page.png"
    page.write_bytes(png_bytes(draw_page(["A PAGE"], None)))
    with pytest.raises(TimeLimitExceeded), time_limit(2.0):
        engine.recognise(page)
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(pid, 0)


def test_the_files_time_limit_stops_a_long_scan_after_the_pages_in_hand(tmp_path):
    """With pages on several threads, --time-limit stops the scan after the pages already being read;
    the rest are not read (they were, one by one, before the file was reported as over its limit)."""
    import time

    from despatch.ocr.recognise import ScanSettings, recognise_pages
    from despatch.timelimit import TimeLimitExceeded, time_limit

    started: list[int] = []

    def slow_blank_page(number, out):  # a page that takes 0.5 s to render and is blank (no Tesseract)
        started.append(number)
        time.sleep(0.5)
        PIL.Image.new("L", (850, 1100), 255).save(out)
        return out, 100

    with pytest.raises(TimeLimitExceeded), time_limit(1.2):
        recognise_pages(20, slow_blank_page, ScanSettings(jobs=2))
    time.sleep(1.0)
    assert len(started) <= 8  # 2 at a time for 1.2 s, then only those in hand; not all 20


def test_a_typed_page_automatic_layout_analysis_finds_nothing_on_is_read_as_one_block(tmp_path, monkeypatch):
    """Tesseract's automatic layout analysis sometimes takes a whole typed page for a picture (a dark scanner
    edge does it) and returns no words; such a page is read again as one block of text, not stored empty."""
    from despatch.ocr import engine

    real = engine.recognise

    def layout_blind(image, lang=engine.DEFAULT_LANG, timeout=engine.DEFAULT_PAGE_TIMEOUT, psm=3):
        return [] if psm == 3 else real(image, lang, timeout, psm)

    monkeypatch.setattr(engine, "recognise", layout_blind)
    p = tmp_path / "list.png"
    p.write_bytes(png_bytes(draw_page([f"HQS DISTRIBUTION STATION {n}" for n in range(20)], None)))
    doc = read_path(p, IngestOptions(enrich=False))[0]
    (page,) = [a for a in doc.annotations if a.type == "ocr_page"]
    assert "DISTRIBUTION" in doc.text and page.value["psm"] == 6 and page.value["words"]
