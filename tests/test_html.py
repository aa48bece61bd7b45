"""HTML reader: main text without boilerplate, title, dates and fields from meta tags and labelled fields."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from despatch.ingest import IngestOptions, ingest, read_path
from despatch.readers import detect

HTML = FIXTURES / "html"
NO_ENRICH = IngestOptions(enrich=False)


@pytest.fixture(scope="module")
def page():
    (doc,) = read_path(HTML / "archive-page.html", NO_ENRICH)
    return doc


def test_main_text_without_scripts_styles_or_navigation(page):
    for junk in ("SCRIPT", "STYLE", "COOKIE", "SITE-BANNER", "NAV-TEXT", "BREADCRUMB", "RELATED", "FOOTER",
                 "tracker", "font-family", "Accept"):
        assert junk not in page.text, junk
    assert "Soviet note of July 14 rejects our protest on the blockade of Berlin and repeats" in page.text
    assert page.text.startswith("Telegram on the Berlin blockade\n")


def test_structure_headings_list_items_and_table_rows(page):
    spans = {(s.type, page.text[s.start : s.end]) for s in page.structure}
    assert ("heading", "Telegram on the Berlin blockade") in spans
    assert ("list_item", "to force the western powers out of Berlin;") in spans
    assert ("paragraph", "American | 970,000") in spans
    assert [s.level for s in page.structure if s.type == "heading"] == [1]


def test_a_definition_list_entry_is_one_paragraph(page, tmp_path):
    spans = {(s.type, page.text[s.start : s.end]) for s in page.structure}
    assert ("paragraph", "Date: 14 July 1948") in spans
    assert ("paragraph", "From: Ambassador Smith, Moscow") in spans
    p = tmp_path / "dl.html"
    p.write_text("<html><body><ul><li>Entry<dl><dt>Box:</dt><!-- c --><dd>12</dd><dt>Folder</dt>"
                 "<dt>Note</dt><dd>Torn</dd></dl></li></ul></body></html>", encoding="utf-8")
    (doc,) = read_path(p, NO_ENRICH)
    spans = [(s.type, doc.text[s.start : s.end]) for s in doc.structure]
    assert ("paragraph", "Box: 12") in spans and ("paragraph", "Note: Torn") in spans
    assert ("paragraph", "Folder") in spans  # a term without its own definition stands alone
    p.write_text("<html><body><dl><dt></dt><dd>A</dd></dl><div>Text <dd>B</dd></div></body></html>",
                 encoding="utf-8")
    (doc,) = read_path(p, NO_ENRICH)
    assert [doc.text[s.start : s.end] for s in doc.structure] == ["A", "Text", "B"]


def test_title_date_and_fields(page):
    assert page.title == "Telegram from Ambassador Smith to the Secretary of State"  # citation_title
    assert (page.date.start, page.date.precision, page.date.text) == ("1948-07-14", "day", "14 July 1948")
    assert page.originator == "Ambassador Smith, Moscow" and page.recipient == "Secretary of State"
    assert page.classification.level == "TOP SECRET"
    assert page.caption.startswith("A telegram from the Embassy in Moscow")
    assert page.url == "https://archive.example.org/document/1948-berlin-0714"
    assert page.language == "en"
    assert page.metadata["meta"]["citation_author"] == "Smith, Walter Bedell"


def test_date_from_meta_when_no_visible_field(tmp_path):
    p = tmp_path / "page.html"
    p.write_text('<!DOCTYPE html><html><head><meta property="article:published_time" content="1953-09-03T10:15:00Z">'
                 "<title>Note</title></head><body><p>Text.</p></body></html>", encoding="utf-8")
    (doc,) = read_path(p, NO_ENRICH)
    assert (doc.date.start, doc.date.precision) == ("1953-09-03T10:15", "minute")
    assert doc.metadata["date_source"] == "meta:article:published_time"
    assert doc.title == "Note"


def test_ordinary_page_in_a_legacy_encoding():
    (doc,) = read_path(HTML / "plain-cp1252.htm", NO_ENRICH)
    assert doc.title == "Plain page"
    assert doc.text == "Café au lait – a note from 12 March 1921.\nSecond paragraph."


def test_recognised_by_content(tmp_path):
    p = tmp_path / "saved-page.dat"
    p.write_bytes((HTML / "archive-page.html").read_bytes())
    assert detect(p.read_bytes(), p).name == "html"


def test_page_stored_whole(archive, tmp_path):
    summary = ingest(archive, [HTML / "archive-page.html"], IngestOptions(collection="pages", enrich=False))
    assert summary.failed == 0 and summary.documents_added == 1
    (doc,) = list(archive.iter_documents("pages"))
    assert doc.file.format == "html" and "SCRIPT" not in doc.text
    assert archive.source(doc.id)[1] == (HTML / "archive-page.html").read_bytes()
