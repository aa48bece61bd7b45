"""Forms, redaction markers, redaction boxes and catalogue sidecars, on text and arrays made here (no OCR),
written as OCR gives them from the period's forms: spaced letters, stray punctuation, checkbox rows."""

from __future__ import annotations

import csv

import pytest
from conftest import CORPUS, need

from despatch.catalog import CatalogError, apply_catalog, catalog_date, load_catalog, parse_mapping
from despatch.enrich.redactions import RedactionAnnotator, summarise
from despatch.forms import apply_forms
from despatch.forms.fields import checked_level, is_stamp_line
from despatch.model import Document, FileInfo


def doc_of(text: str, name: str = "104-10000-10000.pdf") -> Document:
    return Document(id="t/" + name.split(".")[0], collection="t", text=text,
                    file=FileInfo(path=f"/x/{name}", sha256="0" * 64, format="pdf", bytes=1))


def test_teletype_cable_fields():
    d = doc_of("\n".join([
        "S E C R E T 221430Z NOV 91 STAFF",
        "CITE ST PETERSBURG 21162",
        "--TO: “ IMMEDIATE’ DIRECTOR.",
        "SLUGS: WNINTEL GTDANCER",
        "SUBJECT: KGB OFFICIAL NIKONOV",
        "REF: NONE",
        "1. ACTION REQUIRED: NONE.",
        "END OF MESSAGE",
    ]))
    apply_forms(d)
    f = d.metadata["form"]
    assert d.doc_type == "cable" and d.classification.level == "SECRET"
    assert d.date.start == "1991-11-22" and f["date"]["from"] == "date-time group"
    assert f["cites"] == ["ST PETERSBURG 21162"] and f["precedence"] == "IMMEDIATE"
    assert "DIRECTOR" in d.recipient and f["caveats"] == ["WNINTEL"]
    assert d.title == "KGB OFFICIAL NIKONOV"


def test_dispatch_memorandum_and_name_check_types():
    dispatch = doc_of("DISPATCH\nCLASSIFICATION\nS E C R E T\nTO\nChief, Special Affairs Staff\nFROM\n"
                      "Chief of Station, JMWAVE\nSUBJECT\nTYPIC/OPERATIONAL\nUFGA-14781\n19 March 64\n201-289248")
    apply_forms(dispatch)
    assert dispatch.doc_type == "dispatch" and dispatch.recipient == "Chief, Special Affairs Staff"
    assert dispatch.originator == "Chief of Station, JMWAVE" and dispatch.date.start == "1964-03-19"
    assert dispatch.metadata["form"]["dispatch_numbers"] == ["UFGA-14781"]
    assert dispatch.metadata["form"]["file_numbers"] == ["201-289248"]
    mfr = doc_of("SECRET\n23 August 1976\nMEMORANDUM FOR THE RECORD\nSUBJECT: Call from Jon French")
    apply_forms(mfr)
    assert mfr.doc_type == "memorandum for the record" and mfr.date.start == "1976-08-23"
    trace = doc_of("SECRET\nINDEX SEARCH AND 201 CONSOLIDATION REQUEST\nDATE 28 SEP 1977")
    apply_forms(trace)
    assert trace.doc_type == "name-check request" and trace.date.start == "1977-09-28"


def test_classification_stamps_not_sentences_and_checkbox_rows():
    assert is_stamp_line("S E C R E T") and is_stamp_line("SECRET/RYBAT") and is_stamp_line("TOP SECRET EYES ONLY")
    assert not is_stamp_line("THE SECRET SERVICE WAS INFORMED") and not is_stamp_line("Secret talks")
    assert not is_stamp_line("[] UNCLASSIFIED [] CONFIDENTIAL [] SECRET")
    assert checked_level("FORM 610 DX secreT [] CONFIDENTIAL [J INTERNAL = F]_UNCLASSIFIED") == "SECRET"
    assert checked_level("[] UNCLASSIFIED [] CONFIDENTIAL [] SECRET") is None
    d = doc_of("A letter that never mentions a level.\nThe Secret Service replied.")
    apply_forms(d)
    assert d.classification is None and "classification" not in d.metadata.get("form", {})


def test_no_date_is_guessed_where_the_page_gives_none():
    d = doc_of("SECRET\nMEMORANDUM FOR THE RECORD\nSUBJECT: Meeting in March")
    apply_forms(d)
    assert d.date is None


def test_redaction_markers_with_exemptions():
    d = doc_of("He met [name not declassified] in Rome. [1 line not declassified] Withheld (b)(1) (b)(3) "
               "and (b) (7)(C); 25X1; postponed under JFK Act 6(1)(B). [[DELETION]]")
    d.annotations = RedactionAnnotator()(d)
    summarise(d)
    ex = d.metadata["exemptions"]
    assert ex == sorted({"(b)(1)", "(b)(3)", "(b)(7)(C)", "25X1", "JFK Act 6(1)(B)"})
    kinds = [a.value["kind"] for a in d.annotations]
    assert kinds.count("not declassified") == 2 and "deletion" in kinds
    assert d.metadata["redacted"] == "yes" and d.metadata["redactions"] == len(d.annotations)
    clean = doc_of("Paragraph (b) of article 3 applies.")
    clean.annotations = RedactionAnnotator()(clean)
    summarise(clean)
    assert clean.annotations == [] and "redacted" not in clean.metadata


def test_redaction_boxes_on_a_page_array():
    np = pytest.importorskip("numpy")
    from despatch.ocr.boxes import find_redactions

    page = np.full((1100, 850), 255, dtype=np.uint8)
    page[300:340, 200:500] = 0  # a blacked-out name
    for x in range(100, 700, 14):  # a line of "type": thin strokes, never solid
        page[500:530, x:x + 3] = 0
    page[:, :25] = 0  # the scanner's dark edge
    boxes = find_redactions(page, dpi=100)
    assert len(boxes) == 1
    b = boxes[0]
    assert abs(b.left - 200) <= 4 and abs(b.top - 300) <= 4 and abs(b.width - 300) <= 8 and abs(b.height - 40) <= 8


def test_catalogue_values_with_page_values_beside_and_differences(tmp_path):
    cat_file = tmp_path / "cat.csv"
    cat_file.write_text("Ref,When,Heading,Author\nA-1,00/00/1963,Cable on travel,Station X\n")
    with pytest.raises(CatalogError, match="no column 'Record Num'"):
        load_catalog(str(cat_file), "Record Num")
    cat = load_catalog(str(cat_file), "Ref", "date=When,title=Heading,from=Author")
    d = doc_of("SECRET\nSUBJECT: TRAVEL\n081247Z FEB 63\nCITE DIR 1234", name="A-1.tif")
    apply_forms(d)
    assert apply_catalog(d, cat)
    assert d.title == "Cable on travel" and d.originator == "Station X"
    assert (d.date.start, d.date.precision) == ("1963-01-01", "year")
    assert d.metadata["page_values"]["date"] == "1963-02-08" and d.metadata["page_values"]["title"] == "TRAVEL"
    assert {x["field"] for x in d.metadata["catalog_differences"]} == {"title", "date"}
    with pytest.raises(CatalogError):
        parse_mapping("colour=Colour")
    assert catalog_date("02/08/1996").start == "1996-02-08" and catalog_date("00/00/0000") is None


def test_nara_catalogue_loads_and_maps():
    path = need(CORPUS / "jfk" / "nara-catalog.csv")
    cat = load_catalog(str(path), "Record Num")
    rows = list(csv.DictReader(path.open()))
    assert len(cat.rows) == len(rows) == 27
    d = doc_of("S E C R E T\nSUBJECT: RELEASE OF CLASSIFIED DOCUMENT", name="104-10014-10051.pdf")
    apply_catalog(d, cat)
    assert d.title == "CABLE: RELEASE OF CLASSIFIED DOCUMENT" and d.recipient == "DIRECTOR"
    assert d.date.start == "1996-02-08" and d.metadata["file_number"] == "80T01357A"


def test_redactions_are_search_facets_and_filters(archive):
    import pathlib
    import tempfile

    from despatch.ingest import IngestOptions
    from despatch.ingest import ingest as run

    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "box"
        folder.mkdir()
        (folder / "a.txt").write_text("Station reported the meeting. [1 line not declassified] Source (b)(1) (b)(3).\n")
        (folder / "b.txt").write_text("The ambassador reported the meeting in full.\n")
        run(archive, [folder], IngestOptions(enrich=True))
    res = archive.search("meeting", facets=["redacted", "exemption"])
    facets = {f.name: {v.value: (v.count, v.filter) for v in f.values} for f in res.facets}
    assert facets["redacted"] == {"yes": (1, "redacted:yes")}
    assert facets["exemption"]["(b)(3)"] == (1, 'exemptions:"(b)(3)"')
    hit = archive.search('meeting AND exemptions:"(b)(1)"')
    assert [h.id for h in hit.hits] == ["box/a"]


def test_the_catalogue_beside_the_records_is_not_ingested_as_one(archive, tmp_path):
    from despatch.ingest import IngestOptions
    from despatch.ingest import ingest as run

    box = tmp_path / "box"
    box.mkdir()
    (box / "A-1.txt").write_text("SUBJECT: TRAVEL\nThe station reported.\n")
    (box / "catalog.csv").write_text("Ref,Heading\nA-1,Cable on travel\n")
    s = run(archive, [box], IngestOptions(enrich=False, catalog=str(box / "catalog.csv"), catalog_key="Ref",
                                          catalog_map="title=Heading"))
    assert s.failed == 0 and [d.title for d in archive.iter_documents()] == ["Cable on travel"]
