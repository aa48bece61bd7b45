"""Form rules against OCR damage: stamp words misread (edit distance, digits for letters, odd separators),
dates with a misread month or year, a DATE label with its value in the box below, datelines without a
year. Lines are built here as OCR gives them, with their place on the page; nothing is OCR'd except in
the test on a real record (skipped without ../shared)."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import CORPUS, need

from despatch.forms import apply_forms
from despatch.forms.fields import Line, damaged_stamp_level, fuzzy_level, is_stamp_line, level_of, written_dates
from despatch.ingest import IngestOptions, read_path
from despatch.model import Annotation, Document, FileInfo


def ocr_doc(lines: list[tuple[str, float]], pages: int = 1) -> Document:
    """A document as the scan reader stores it: text, and per page an `ocr_page` annotation with the
    page height, the lines and one word box per line at the given share of the page's height."""
    height = 3300
    text, anns = "", []
    per_page = [lines] if pages == 1 else lines  # type: ignore[list-item]
    for n, page_lines in enumerate(per_page, 1):
        start = len(text) + (1 if text else 0)
        text += ("\n" if text else "")
        rows, words = [], []
        for i, (t, pos) in enumerate(page_lines):
            s = len(text)
            text += t + ("\n" if i + 1 < len(page_lines) else "")
            rows.append([s, s + len(t)])
            words.append([s, s + len(t), 100, int(pos * height), 500, 40, 80])
        anns.append(Annotation("ocr_page", start, len(text), text[start:], {
            "page": n, "width": 2550, "height": height, "lines": rows, "words": words}, "ocr/test"))
    return Document(id="t/scan", collection="t", text=text, annotations=anns,
                    file=FileInfo(path="/x/scan.pdf", sha256="0" * 64, format="pdf", bytes=1))


def line(text: str, pos: float | None) -> Line:
    return Line(1, 0, len(text), text, False, pos)


def test_damaged_stamp_words_are_read_as_their_level():
    for word in ("SECRFT", "5ECRET", "SECRE7", "SEGRET", "SECRE", "CONFIDENTLAL", "C0NFIDENTIAL", "UNCLASSIFlED"):
        assert fuzzy_level(word) is not None, word
    assert fuzzy_level("SEKRET") == "SECRET" and fuzzy_level("CONFIDENTAL") == "CONFIDENTIAL"
    for word in ("SECRETS", "SECRETARY", "SECTOR", "SACRED", "REGRET", "CLASSIFIED", "DECLASSIFIED",
                 "SECRECY", "201-289248", "S.", "CONFIDENCE", "DECRET"):
        assert fuzzy_level(word) is None, word


def test_a_damaged_stamp_counts_only_where_stamps_sit_and_not_in_sentences():
    assert damaged_stamp_level(line("SEGRET", 0.05)) == "SECRET"
    assert damaged_stamp_level(line("CS COPY SECRFT", 0.93)) == "SECRET"
    assert damaged_stamp_level(line("SEGRET", 0.5)) is None  # the middle of the page: body text
    assert damaged_stamp_level(line("SEGRET", None)) is None  # not OCR: no place on the page
    assert damaged_stamp_level(line("segret", 0.05)) is None  # a stamp is in capitals
    assert damaged_stamp_level(line("He said the SEGRET police had come to the door again", 0.05)) is None
    assert damaged_stamp_level(line("SECRFT CONFIDENTLAL UNCLASSIFlED", 0.95)) is None  # a checkbox row


def test_spaced_letters_with_ocr_separators():
    assert is_stamp_line("J S-E=C~R-E-T .") and level_of("S-E=C~R-E-T") == "SECRET"
    assert is_stamp_line("S E.C R E T") and level_of("S_E_C_R_E_T") == "SECRET"


def test_stamp_on_a_page_of_ocr_lines_and_none_invented_on_an_unstamped_page():
    d = ocr_doc([("SEGRET", 0.04), ("MEMORANDUM FOR THE RECORD", 0.3), ("1. The meeting was held.", 0.5)])
    apply_forms(d)
    assert d.classification.level == "SECRET" and d.metadata["form"]["classified_pages"] == [1]
    plain = ocr_doc([("2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992", 0.01),
                     ("MEMORANDUM FOR THE RECORD", 0.3), ("SUBJECT: The secret talks", 0.35),
                     ("CLASSIFIED MESSAGE", 0.05), ("Box 8", 0.95)])
    apply_forms(plain)
    assert plain.classification is None


def test_dates_with_a_misread_month_or_year():
    assert [iso for _s, _e, iso in written_dates("DATE 26 Mareh l964")] == ["1964-03-26"]
    assert [iso for _s, _e, iso in written_dates("19 Septenber 1964, 3 0ctober 1964")] == ["1964-09-19", "1964-10-03"]
    assert [iso for _s, _e, iso in written_dates("30 Sept 64")] == ["1964-09-30"]
    assert written_dates("at 1406 hours 1964") == [] and written_dates("in 26 Marsupials 1964") == []


def test_date_label_with_its_value_in_the_box_below():
    d = ocr_doc([("ROUTING AND RECORD SHEET", 0.05), ("EXTENSION NO. DATE", 0.1), ("26 March 1964", 0.11),
                 ("The attached article of 7 March 1964 may be of interest.", 0.3)])
    apply_forms(d)
    assert d.date.start == "1964-03-26" and d.metadata["form"]["date"]["from"] == "DATE field"


def test_date_of_information_is_not_the_records_date():
    d = ocr_doc([("SECRET", 0.02), ("DATE OF INFO: 3 March 1964", 0.1), ("REPORT", 0.2)])
    apply_forms(d)
    assert d.date is None


def test_dateline_before_a_date_in_a_sentence_and_a_dateline_without_its_year():
    d = ocr_doc([("21 MAY", 0.07), ("US/82/71", 0.09), ("Dear Anthony,", 0.16),
                 ("Regarding your letter 6/705 of 10 May 1982, our records indicate", 0.17)])
    apply_forms(d)
    assert d.date.start == "1982-05-21" and d.metadata["form"]["date"]["from"] == "dateline"
    stacked = ocr_doc([("21 MAY", 0.07), ("1982", 0.08), ("Dear Anthony,", 0.16)])
    apply_forms(stacked)
    assert stacked.date.start == "1982-05-21"
    alone = ocr_doc([("21 MAY", 0.07), ("Dear Anthony,", 0.16), ("We met in June 1981.", 0.2)])
    apply_forms(alone)
    assert alone.date is None  # no year on the page for that month: no date rather than a guess


def test_real_letter_dated_by_a_stamp_without_its_year():
    """104-10012-10022: a 1982 letter whose date stamp reads "21 MAY" (the year beneath it is lost by OCR)
    and whose first sentence mentions a letter of 10 May 1982: the record's date is NARA's."""
    pdf = need(CORPUS / "jfk" / "104-10012-10022.pdf")
    catalog = need(CORPUS / "jfk" / "nara-catalog.csv")
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed")
    row = next(r for r in csv.DictReader(catalog.open()) if r["Record Num"] == "104-10012-10022")
    doc = read_path(pdf, IngestOptions(enrich=False))[0]
    mm, dd, yyyy = row["Doc Date"].split("/")
    assert doc.date.start == f"{yyyy}-{mm}-{dd}"


def test_a_sentence_that_names_a_level_is_not_a_stamp():
    assert not is_stamp_line("THAT TESTIMONY IS CLASSIFIED TOP SECRET, COMMITTEE SENSITIVE, -")
    assert not is_stamp_line("THE REPORT WAS MARKED SECRET")
    assert is_stamp_line("END OF MESSAGE SECRET") and is_stamp_line("SECRET FRP: , . +")


def test_a_cables_date_is_the_one_its_header_agrees_on():
    """A teletype cable's header gives its date three times, each damaged differently by OCR: the
    date-time group with its year misread (91 → 31), DOC DATE with a damaged label and year (OATE, QI)."""
    d = ocr_doc([("SECRET", 0.04), ("OSN: SPET 21162 DOC OATE: 20 NOV QI MHF #: 91-6320813", 0.11),
                 ("TOR: 2014552 NOV 31 SPET 21162", 0.27), ("SUBJECT: KGB OFFICIAL", 0.39),
                 ("2. DURING THE WEEK OF 3-9 NOVEMBER 1991, A PROFESSOR MET", 0.47)])
    apply_forms(d)
    assert d.date.start == "1991-11-20"
    one = ocr_doc([("SECRET 221430Z NOV 91 STAFF", 0.04), ("CITE ST PETERSBURG 21162", 0.1)])
    apply_forms(one)
    assert one.date.start == "1991-11-22" and one.metadata["form"]["date"]["from"] == "date-time group"


def test_page_values_reread_the_stored_ocr_and_ignore_the_catalogue():
    from despatch.dates import parse_iso
    from despatch.forms import page_values

    d = ocr_doc([("SEGRET", 0.04), ("9 July 1964", 0.27), ("MEMORANDUM FOR THE RECORD", 0.32)])
    d.date, d.title = parse_iso("1964-07-10", "07/10/1964"), "A catalogue's title"
    d.metadata = {"catalog": {"row": {"Doc Date": "07/10/1964"}}}
    read = page_values(d)
    assert read.date.start == "1964-07-09" and read.classification.level == "SECRET"
    assert read.doc_type == "memorandum for the record" and "catalog" not in read.metadata
    assert d.date.start == "1964-07-10" and d.title == "A catalogue's title"  # the stored record is untouched


def test_a_date_in_a_sentence_of_the_body_is_not_the_records_date():
    """A dispatch whose DATE box OCR did not read: the date of the article its first paragraph mentions
    is not the dispatch's date; no date is given rather than a wrong one. A short line with a date (a
    signature block's 'Ext. 7468 / 23 December 1964') still dates the record."""
    d = ocr_doc([("DISPATCH", 0.02), ("Chief, WOLIME", 0.15),
                 ("1. We are forwarding herewith a reprint of the article \"A Reporter At Large:", 0.23),
                 ("Garrison\", published in THE NEW YORKER, 13 July, 1968. It was written by", 0.25),
                 ("Attachment: 1 unclassified article, per para 1", 0.79)])
    apply_forms(d)
    assert d.date is None
    signed = ocr_doc([("Book Dispatch No. 4726", 0.05), ("2. The circumstances confronting the Commission", 0.3),
                      ("Originated by: Chief, CI/R&A, Ext, 7468/23 December 1964", 0.82)])
    apply_forms(signed)
    assert signed.date.start == "1964-12-23"


def test_file_numbers_from_file_labels_and_boxes_and_through_ocr_damage():
    """A cable's FILE line lists subject files beside 201 numbers; a dispatch's HEADQUARTERS FILE NUMBER
    box has its number below the label; OCR reads a 0 as O and a 1 as l in a 201 number."""
    d = ocr_doc([("S E C R E T 081247Z FEB 96 STAFF", 0.04),
                 ("4... FILE: , 021-120-004/1. .DECL' DRV. HUM 4-82.", 0.72),
                 ("CROSS FILE COPY FOR", 0.80), ("2O1-028924l", 0.82)])
    apply_forms(d)
    assert d.metadata["form"]["file_numbers"] == ["021-120-004/1", "201-0289241"]
    box = ocr_doc([("DISPATCH", 0.02), ("HEADQUARTERS FILE NUMBER", 0.70), ("CLASSIFICATION", 0.71),
                   ("( : 100-300-12 | a", 0.72)])
    apply_forms(box)
    assert box.metadata["form"]["file_numbers"] == ["100-300-12"]
    none = ocr_doc([("our file indicates that he served 1961-71, see 12-28-96 note", 0.3),
                    ("FILE: PLUMLEE, WILLIAM ROBERT", 0.4), ("Ext. 7468 100-300-12", 0.41)])
    apply_forms(none)
    assert "file_numbers" not in none.metadata.get("form", {})


def test_dates_and_date_time_groups_through_ocr_digit_and_letter_confusions():
    """OCR reads the letters of a month as digits ('N0V', '5EPT', 'FE8'), a J as T or an l as i in July
    and June ('Tuly', 'Juiy'), and a date-time group's 0 as O and 1 as l ('O81247Z')."""
    assert [iso for _s, _e, iso in written_dates("29 N0V 63")] == ["1963-11-29"]
    assert [iso for _s, _e, iso in written_dates("DATE: 3 5EPT 1964")] == ["1964-09-03"]
    assert [iso for _s, _e, iso in written_dates("9 Tuly 1964, 2 Juiy 1964")] == ["1964-07-09", "1964-07-02"]
    assert written_dates("the 12 jury 1964 panel") == [] and written_dates("3 800 1964") == []
    d = ocr_doc([("SECRET O8l247Z FE8 96 STAFF", 0.04), ("CITE COPENHAGEN 94608", 0.1)])
    apply_forms(d)
    assert d.date.start == "1996-02-08" and d.metadata["form"]["date_time_group"]["time"] == "1247Z"
    words = ocr_doc([("SECRET IOIOII Z JAN 96", 0.04)])
    apply_forms(words)
    assert words.date is None


def test_a_spaced_stamp_with_a_damaged_letter_is_read_where_stamps_sit():
    """Stamps typed in spaced capitals, with one letter misread by OCR, in the page's top or bottom band."""
    assert damaged_stamp_level(line("S E C R E 7", 0.03)) == "SECRET"
    assert damaged_stamp_level(line("- S E C R F T RYBAT", 0.95)) == "SECRET"
    assert damaged_stamp_level(line("C O N F I D E N T l A L", 0.02)) == "CONFIDENTIAL"
    assert damaged_stamp_level(line("S E C R E 7", 0.5)) is None  # the middle of the page
    assert damaged_stamp_level(line("A B C D E F", 0.03)) is None
    assert damaged_stamp_level(line("s e c r e 7", 0.03)) is None  # a stamp is in capitals
    d = ocr_doc([("S E C R E 7", 0.03), ("DISPATCH", 0.05), ("1. Forwarded herewith.", 0.3)])
    apply_forms(d)
    assert d.classification.level == "SECRET" and d.metadata["form"]["classified_pages"] == [1]


def test_job_numbers_through_ocr_damage():
    """A CIA job (accession) number as OCR gives it: O for 0, l for 1, a space or hyphen inside."""
    d = ocr_doc([("JOB 8OT0l357A BOX 8", 0.05), ("ACCESSION 80-T01357 A", 0.9), ("JOB NO. 78R03079R", 0.95)])
    apply_forms(d)
    assert d.metadata["form"]["file_numbers"] == ["80T01357A", "78R03079R"]
    words = ocr_doc([("IN TOTAL IITOOIII A STATION", 0.05)])
    apply_forms(words)
    assert "file_numbers" not in words.metadata.get("form", {})
