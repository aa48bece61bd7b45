"""TEI / FRUS reader and safe XML: fixtures written by hand, and all 23 real volumes."""

from __future__ import annotations

import collections
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES
from lxml import etree

from despatch.ingest import IngestOptions, ingest, read_file, read_path
from despatch.readers import ReaderError, detect

TEI = FIXTURES / "tei"
NO_ENRICH = IngestOptions(enrich=False)
T = "{http://www.tei-c.org/ns/1.0}"
FRUS_MIN = "{http://history.state.gov/frus/ns/1.0}doc-dateTime-min"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def read(name: str, collection: str = "frus"):
    p = TEI / name
    return read_file(str(p), p.read_bytes(), collection, NO_ENRICH)


@pytest.fixture(scope="module")
def mini():
    fmt, docs, auth = read("mini-volume.xml")
    assert fmt == "tei"
    return {d.id: d for d in docs}, auth


def span_texts(doc, kind):
    return [(doc.text[s.start : s.end], s) for s in doc.structure if s.type == kind]


# -- the reader on a small volume ----------------------------------------------------------------
def test_one_document_per_div_with_stable_ids(mini):
    docs, _ = mini
    assert sorted(docs) == ["frus/frus1999Test-d1", "frus/frus1999Test-d2", "frus/frus1999Test-d2-att1",
                            "frus/frus1999Test-d3"]


def test_fields_from_head_dateline_and_source_note(mini):
    d = mini[0]["frus/frus1999Test-d1"]
    assert d.title == "The Chargé in the Netherlands (Langhorne) to the Secretary of State"
    assert d.originator == "The Chargé in the Netherlands (Langhorne)"
    assert d.recipient == "the Secretary of State"
    assert d.place == "The Hague"
    assert (d.date.start, d.date.precision, d.date.text) == ("1917-04-18T11:00", "minute", "April 18, 1917—11 a.m.")
    assert d.doc_type == "telegram"
    assert d.classification.level == "CONFIDENTIAL"
    assert d.url == "https://history.state.gov/historicaldocuments/frus1999Test/d1"
    m = d.metadata
    assert m["volume"] == "frus1999Test" and m["number"] == "1"
    assert m["chapter"] == "Shipping questions"
    assert m["sections"] == ["Part I: The Netherlands", "Shipping questions"]
    assert m["archival_source"] == "File No. 763.72112/3505: Telegram"
    assert m["pages"] == ["697", "698"]


def test_citation_record_from_header(mini):
    s = mini[0]["frus/frus1999Test-d1"].source
    assert s.title == "Foreign Relations of the United States, 1999, Test Volume"
    assert s.editors == ["Fuller, Joseph V.", "Smith, Anna"]
    assert (s.publisher, s.place, s.year, s.isbn) == ("United States Government Printing Office", "Washington", 2001,
                                                      "978-0-16-000000-0")
    assert s.pages == "697-698"
    assert "Test Volume" in s.text and "2001" in s.text


def test_footnotes_after_body_with_numbers_and_anchors(mini):
    d = mini[0]["frus/frus1999Test-d1"]
    notes = span_texts(d, "note")
    footnotes = [(t, s.number) for t, s in notes if s.number]
    assert footnotes == [("See document 2.", "1"), ("The Ambassador reported the same.", "2")]
    paras = [t for t, _ in span_texts(d, "paragraph")]
    assert not any("reported the same" in p for p in paras)
    last_para_end = max(s.end for s in d.structure if s.type == "paragraph")
    assert all(s.start > last_para_end for _, s in notes if s.number)
    refs = [s for s in d.structure if s.type == "note_ref"]
    assert [r.number for r in refs] == ["1", "2"] and all(r.start == r.end for r in refs)
    assert d.text[: refs[1].start].endswith("to Batavia.")


def test_page_breaks_list_items_tables_and_omissions(mini):
    d = mini[0]["frus/frus1999Test-d1"]
    pb = [s for s in d.structure if s.type == "page_break"]
    assert [(p.number, p.start == p.end) for p in pb] == [("698", True)]
    assert d.text[pb[0].start :].startswith("published.")
    items = span_texts(d, "list_item")
    assert [(t, s.label) for t, s in items] == [("(a) no ship will sail in convoy;", "(a)"),
                                                ("(b) the BL will be published.", "(b)")]
    assert "Rotterdam | 24,149" in [t for t, _ in span_texts(d, "paragraph")]
    om = span_texts(d, "omission")
    assert ("[1 paragraph (3 lines) not declassified]" in [t for t, _ in om])
    assert ". . . . . . ." in [t for t, _ in om]
    assert any(t == "" and s.label == "1 characters" for t, s in om)
    closer = span_texts(d, "closer")
    assert [t for t, _ in closer] == ["Langhorne"]


def test_edition_markup_becomes_exact_annotations(mini):
    d = mini[0]["frus/frus1999Test-d1"]
    anns = {(a.type, a.text) for a in d.annotations}
    assert {("person", "Langhorne"), ("term", "Secretary of State"), ("place", "The Hague"), ("place", "Batavia"),
            ("org", "Netherland Government"), ("term", "BL"), ("person", "Ambassador"),
            ("date", "April 18, 1917—11 a.m."), ("ref", "document 2")} <= anns
    for a in d.annotations:
        assert a.producer == "tei"
        assert d.text[a.start : a.end] == a.text
    lang = next(a for a in d.annotations if a.text == "Langhorne" and a.value.get("type") == "from")
    assert lang.value["corresp"] == "#p_LW1" and lang.value["authority"] == "frus1999Test#p_LW1"
    date = next(a for a in d.annotations if a.type == "date")
    assert date.value["when"] == "1917-04-18T11:00:00"


def test_doc_datetime_range_classification_and_attachment(mini):
    docs, _ = mini
    d2 = docs["frus/frus1999Test-d2"]
    assert (d2.date.start, d2.date.end, d2.date.precision) == ("1917-04-20", "1917-04-20", "day")
    assert d2.classification.level == "CONFIDENTIAL" and d2.classification.text.lower() == "strictly confidential"
    assert (d2.originator, d2.recipient) == ("Mr. Lansing", "Mr. Langhorne")
    assert "An enclosed memorandum." not in d2.text
    assert d2.text.endswith("I am, sir, your obedient servant.")
    assert [t for t, _ in span_texts(d2, "quote")] == ["your obedient servant"]
    att = docs["frus/frus1999Test-d2-att1"]
    assert att.text.endswith("An enclosed memorandum.")
    assert att.metadata["attached_to"] == d2.id and d2.metadata["attachments"] == [att.id]
    assert att.url == d2.url
    d3 = docs["frus/frus1999Test-d3"]
    assert d3.doc_type == "editorial-note"
    assert d3.date is None  # an editorial note does not take a neighbour's date
    assert d3.source.pages == "698-699"


def test_authority_lists(mini):
    _, auth = mini
    got = {(a.id, a.kind, a.name, a.description) for a in auth}
    assert ("frus1999Test#p_LW1", "person", "Langhorne, Marshall", "Chargé in the Netherlands") in got
    assert ("frus1999Test#t_BL1", "term", "BL", "black list") in got


def test_excerpt_without_header(tmp_path):
    fmt, docs, _ = read("excerpt-no-header.xml", "excerpts")
    assert fmt == "tei" and len(docs) == 1
    d = docs[0]
    assert d.id == "excerpts/excerpt-no-header-d7"
    assert d.date.start == "1917-04-18T11:00" and d.place == "The Hague"
    assert d.originator == "The Chargé in the Netherlands (Langhorne)"
    assert d.classification.level == "CONFIDENTIAL"
    assert "will not object." in d.text


def test_recognised_by_content_not_extension(tmp_path):
    p = tmp_path / "volume.txt"
    p.write_bytes((TEI / "excerpt-no-header.xml").read_bytes())
    assert detect(p.read_bytes()[:65536], p).name == "tei"
    assert read_path(p, NO_ENRICH)[0].metadata["number"] == "7"


# -- safe XML ------------------------------------------------------------------------------------
def test_billion_laughs_refused():
    with pytest.raises(ReaderError, match="entit"):
        read("billion-laughs.xml")


def test_external_entity_refused_and_never_read():
    with pytest.raises(ReaderError, match="entit") as e:
        read("external-entity.xml")
    assert "CANARY" not in str(e.value)


def test_deep_nesting_refused():
    with pytest.raises(ReaderError, match="nested deeper than"):
        read("deep-nesting.xml")


def test_truncated_volume_reports_line_and_column():
    with pytest.raises(ReaderError, match=r"malformed XML at line \d+, column \d+"):
        read("truncated-volume.xml")


def test_bad_files_fail_alone_in_a_batch(archive, tmp_path):
    for name in ("billion-laughs.xml", "external-entity.xml", "deep-nesting.xml", "truncated-volume.xml",
                 "mini-volume.xml"):
        (tmp_path / "batch").mkdir(exist_ok=True)
        (tmp_path / "batch" / name).write_bytes((TEI / name).read_bytes())
    summary = ingest(archive, [tmp_path / "batch"], IngestOptions(collection="frus", enrich=False))
    assert summary.failed == 4 and summary.documents_added == 4
    assert all(f.reason for f in summary.failures)
    assert {a.kind for a in archive.authorities("frus")} == {"person", "term"}
    (vol,) = archive.volume_stats("frus")
    assert vol["volume"] == "frus1999Test" and vol["documents"] == 4
    assert vol["with_date"] == 2 and vol["with_place"] == 1 and vol["with_classification"] == 2
    assert vol["annotations"]["person"] == 3  # head, footnote and closer of d1
    stored = archive.get("frus/frus1999Test-d1")
    assert [s.number for s in stored.structure if s.type == "note"][-2:] == ["1", "2"]
    assert not any("CANARY" in d.text for d in archive.iter_documents())


# -- the real volumes ------------------------------------------------------------------------------
ANNOTATED = {"persName": "person", "placeName": "place", "orgName": "org", "gloss": "term", "date": "date",
             "term": "term"}


def _local(e) -> str:
    return e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else ""


def _is_footnote(e) -> bool:
    return _local(e) == "note" and (e.get("n") is not None or "fn" in (e.get(XML_ID) or ""))


def _element_text(el) -> str:
    """The element's text as a reader of the printed page sees it: line breaks are spaces, footnotes are
    elsewhere, whitespace collapsed (written independently of the reader)."""
    out: list[str] = []

    def walk(e):
        if e.text:
            out.append(e.text)
        for c in e:
            if _local(c) == "lb":
                out.append(" ")
            elif not _is_footnote(c) and isinstance(c.tag, str):
                walk(c)
            if c.tail:
                out.append(c.tail)

    walk(el)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def _own(el, div) -> bool:
    a = el.getparent()
    while a is not None and a is not div:
        if _local(a) == "attachment" or (_local(a) == "div" and a.get("type") == "document"):
            return False
        a = a.getparent()
    return True


@pytest.mark.corpus
def test_all_frus_volumes(frus_dir: Path):
    files = sorted(frus_dir.glob("*.xml"))
    assert len(files) == 23
    for f in files:
        data = f.read_bytes()
        fmt, docs, _ = read_file(str(f), data, "frus", NO_ENRICH)
        root = etree.fromstring(data)
        divs = [e for e in root.iter(T + "div") if e.get("type") == "document"]
        assert fmt == "tei" and len(docs) == len(divs), f.name
        assert len({d.id for d in docs}) == len(docs), f.name
        with_min = sum(1 for d in divs if d.get(FRUS_MIN))
        if with_min:
            assert sum(1 for d in docs if d.date) >= 0.99 * len(docs), f.name
        wanted = got = 0
        for div, doc in zip(divs, docs, strict=True):
            # every edition element's text, exactly, as an annotation of its type
            expected = collections.Counter()
            for e in div.iter():
                kind = ANNOTATED.get(_local(e))
                if kind and _nested_doc_free(e, div):
                    t = _element_text(e)
                    if t:
                        expected[(kind, t)] += 1
            have = collections.Counter((a.type, doc.text[a.start : a.end]) for a in doc.annotations
                                       if a.type in ANNOTATED.values())
            assert have == expected, (doc.id, (expected - have).most_common(3), (have - expected).most_common(3))
            dl = next((x for x in div.iter(T + "dateline") if _own(x, div)), None)
            when = dl.find(f".//{T}date[@when]") if dl is not None else None
            if when is not None and re.match(r"\d{4}-\d\d", when.get("when")):
                wanted += 1
                got += bool(doc.date and doc.date.start.startswith(when.get("when")[:10]))
        assert got >= 0.95 * wanted, (f.name, got, wanted)


def _nested_doc_free(e, div) -> bool:
    a = e.getparent()
    while a is not None and a is not div:
        if _local(a) == "div" and a.get("type") == "document":
            return False
        a = a.getparent()
    return True


def test_other_tei_text_is_one_document():
    fmt, docs, _ = read("letter-plain-tei.xml", "letters")
    (d,) = docs
    assert d.id == "letters/letter-plain-tei-doc1"
    assert d.title == "Letter of Lord Lyons to Earl Russell"
    assert (d.date.start, d.place) == ("1861-12-23", "Washington")
    assert d.text.endswith("My Lord, the Secretary of State received me this morning.")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("No. 96. General Schenck to Mr. Fish.", ("General Schenck", "Mr. Fish")),
        ("Mr. Stewart to Earl Granville.—(Received August 31.)", ("Mr. Stewart", "Earl Granville")),
        ("Memorandum by the Secretary of State", ("the Secretary of State", None)),
        ("Mr. Fay’s parting remarks to the president of the Swiss confederation.", (None, None)),
        ("Record of the proceedings of the tribunal of arbitration at the twelfth conference", (None, None)),
        ("[Untitled]", (None, None)),
    ],
)
def test_parties_from_unmarked_heads(head, expected):
    from despatch.readers.tei import parties

    assert parties(head, [], 0) == expected
