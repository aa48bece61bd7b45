"""Bulk export (every format, streamed, any size of result set) and TEI export read back by the TEI reader."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter

import pytest
from cite_docs import bare, frus, seed, speech
from click.testing import CliRunner
from lxml import etree

from despatch.cli import main
from despatch.export import FORMATS, export, iter_documents, iter_ids, iter_search_ids
from despatch.export.tei import tei_document
from despatch.ingest import IngestOptions, ingest, read_path
from despatch.model import Annotation, DocDate, Document, Span
from despatch.store import StoredFile

TEI = "{http://www.tei-c.org/ns/1.0}"


def _store(archive, docs, name="fixture.txt"):
    data = name.encode()
    sha = hashlib.sha256(data).hexdigest()
    for d in docs:
        if d.file is not None:
            d.file.sha256 = sha
        archive.put(StoredFile(name + d.id, sha, len(data), "text", data), d.collection, [d])


@pytest.fixture
def four(archive):
    _store(archive, [seed(), frus(), speech(), bare()])
    return archive


def _export(archive, fmt, query="", **kw) -> str:
    buf = io.StringIO()
    n = export(archive, query, fmt, buf, **kw)
    return n, buf.getvalue()


# -- every format ------------------------------------------------------------------------------------
def test_jsonl_is_the_document_json(four):
    n, out = _export(four, "jsonl")
    lines = out.splitlines()
    assert n == 4 and len(lines) == 4
    got = {json.loads(line)["id"]: json.loads(line) for line in lines}
    assert got[seed().id]["text"] == seed().text
    assert got[speech().id]["annotations"][0]["type"] == "person"
    assert Document.from_dict(got[frus().id]).metadata["number"] == "12"


def test_csv_has_a_row_per_document_with_text_and_citation(four):
    n, out = _export(four, "csv", accessed="2024-05-01")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert n == 4 and len(rows) == 4
    by_id = {r["id"]: r for r in rows}
    assert by_id[bare().id]["citation"] == (
        "Foreign Office, “Memorandum on the Saar Question,” October 23, 1954, "
        "Despatch collection misc, misc/saar-memo.")
    assert by_id[seed().id]["text"] == seed().text
    assert by_id[seed().id]["date"] == "3 September 1953"


def test_csv_defuses_formulas(archive):
    doc = bare()
    doc.title = "=HYPERLINK(\"http://x\")"
    _store(archive, [doc])
    _, out = _export(archive, "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'=HYPERLINK(\"http://x\")"


def test_bibtex_ris_csl_json(four):
    bibtexparser = pytest.importorskip("bibtexparser")
    from despatch.cite.ris import parse

    _, bib = _export(four, "bibtex")
    lib = bibtexparser.parse_string(bib)
    assert len(lib.entries) == 4 and not lib.failed_blocks
    assert len({e.key for e in lib.entries}) == 4
    _, ris = _export(four, "ris")
    assert [dict(r)["TY"] for r in parse(ris)] == ["MANSCPT", "CHAP", "SLIDE", "MANSCPT"]
    _, cj = _export(four, "csl-json")
    items = json.loads(cj)
    assert [i["type"] for i in items] == ["manuscript", "chapter", "speech", "manuscript"]


def test_empty_result_is_still_valid(archive):
    for fmt in FORMATS:
        n, out = _export(archive, fmt)
        assert n == 0
    assert json.loads(_export(archive, "csl-json")[1]) == []
    root = etree.fromstring(_export(archive, "tei")[1].encode())
    assert root.tag == f"{TEI}teiCorpus" and root.findall(f"{TEI}TEI") == []


def test_tei_corpus(four):
    _, out = _export(four, "tei")
    root = etree.fromstring(out.encode())
    docs = root.findall(f"{TEI}TEI")
    assert len(docs) == 4
    assert docs[2].find(f".//{TEI}persName").text == "DULLES"


def test_tei_corpus_ids_are_unique(archive):
    docs = []
    for i in range(2):
        d = _structured()
        d.id = f"misc/rt{i}"
        t = d.text
        d.annotations.append(Annotation("judgment", 0, t.index("\n"), t[: t.index("\n")], {"probability": 0.5}))
        docs.append(d)
    _store(archive, docs)
    _, out = _export(archive, "tei")
    root = etree.fromstring(out.encode())
    ids = [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in root.iter()]
    ids = [i for i in ids if i]
    assert len(ids) > 4 and len(ids) == len(set(ids))


def test_unknown_format(four):
    with pytest.raises(ValueError, match="unknown export format"):
        _export(four, "docx")


# -- selection, streaming --------------------------------------------------------------------------------
def test_query_selects(four):
    n, out = _export(four, "jsonl", query="Saar")
    assert n == 1 and json.loads(out)["id"] == bare().id
    n, _ = _export(four, "jsonl", query="collection:frus1936v03")
    assert n == 1


def test_keyset_paging_has_no_gaps_or_repeats(archive):
    docs = []
    for i in range(7):
        d = bare()
        d.id = f"misc/memo-{i}"
        d.text = f"Memorandum number {i} on the Saar question."
        docs.append(d)
    _store(archive, docs)
    want = [d.id for d in docs]
    assert list(iter_ids(archive, "", chunk=2)) == want
    assert list(iter_search_ids(archive, "Saar", chunk=3)) == want
    assert list(iter_search_ids(archive, "Saar", chunk=1)) == want
    assert list(iter_ids(archive, "memorandum AND number", chunk=2)) == want


def test_documents_are_read_one_at_a_time(four):
    calls = []
    real_get = four.get

    def counting_get(doc_id, version=None):
        calls.append(doc_id)
        return real_get(doc_id, version)

    four.get = counting_get
    it = iter_documents(four, "")
    first = next(it)
    assert first.id == seed().id and calls == [seed().id]
    next(it)
    assert len(calls) == 2


# -- TEI: export → ingest → compare ----------------------------------------------------------------------
def _structured() -> Document:
    text = ("Memorandum\nThe Ambassador met Molotov in Moscow on 3 September 1953 & spoke of the Kremlin.\n"
            "Two points <were> made:\nfirst, the note;\nsecond, the reply.\nA footnote on Molotov.")
    t = text
    doc = Document(
        id="misc/rt", collection="misc", text=text, title="Memorandum", language="en",
        date=DocDate("1953-09-03", "1953-09-03", "day"),
        structure=[
            Span("heading", 0, 10, level=1),
            Span("paragraph", 11, t.index("\nTwo")),
            Span("page_break", t.index("Two"), t.index("Two"), number="12"),
            Span("paragraph", t.index("Two"), t.index("\nfirst")),
            Span("list_item", t.index("first"), t.index("\nsecond")),
            Span("list_item", t.index("second"), t.index("\nA foot")),
            Span("note_ref", t.index(" & spoke"), t.index(" & spoke"), number="1"),
            Span("note", t.index("A foot"), len(t), number="1"),
        ],
    )

    def ann(kind, word, value=None, nth=0):
        s = -1
        for _ in range(nth + 1):
            s = t.index(word, s + 1)
        return Annotation(kind, s, s + len(word), word, value, "test@1")

    doc.annotations = [
        ann("person", "Molotov"), ann("place", "Moscow"), ann("date", "3 September 1953", {"value": "1953-09-03"}),
        ann("org", "the Kremlin"), ann("place", "Kremlin"),  # nested: a place inside an org
        ann("person", "Molotov", nth=1),  # inside the footnote
        ann("term", "note"),
    ]
    return doc


def _roundtrip(tmp_path, archive, doc: Document) -> Document:
    path = tmp_path / "export.xml"
    path.write_text(tei_document(doc), encoding="utf-8")
    summary = ingest(archive, [path], IngestOptions(collection="rt", enrich=False))
    assert summary.failed == 0, summary.failures
    back = list(iter_documents(archive, "collection:rt"))
    assert len(back) == 1
    return back[0]


def test_tei_round_trip_text_and_annotations(tmp_path, archive):
    doc = _structured()
    back = _roundtrip(tmp_path, archive, doc)
    assert back.text == doc.text
    assert len(back.annotations) == len(doc.annotations)
    assert sorted((a.start, a.end) for a in back.annotations) == sorted((a.start, a.end) for a in doc.annotations)
    types = Counter(a.type for a in back.annotations)
    assert types["person"] == 2 and types["place"] == 2 and types["org"] == 1 and types["date"] == 1
    note = next(s for s in back.structure if s.type == "note")
    assert back.text[note.start:note.end] == "A footnote on Molotov."
    assert any(s.type == "list_item" for s in back.structure)
    assert any(s.type == "page_break" and s.number == "12" for s in back.structure)


def test_tei_is_well_formed_and_semantic():
    doc = _structured()
    t = doc.text
    s = t.index("Two points")
    two = t.index("Two")
    doc.annotations.append(Annotation("amount", two, two + 3, "Two", {"value": 2, "unit": "points"}))
    doc.annotations.append(Annotation("judgment", s, t.index(":"), t[s:t.index(":")], {"probability": 0.75}))
    root = etree.fromstring(tei_document(doc).encode())
    m = root.find(f".//{TEI}measure")
    assert m.get("quantity") == "2" and m.get("unit") == "points" and m.text == "Two"
    seg = root.find(f".//{TEI}seg[@type='judgment']")
    cert = root.find(f".//{TEI}certainty")
    assert cert.get("target") == "#" + seg.get("{http://www.w3.org/XML/1998/namespace}id")
    assert cert.get("degree") == "0.75"
    assert root.find(f".//{TEI}date").get("when") == "1953-09-03"
    assert root.find(f".//{TEI}idno[@type='despatch']").text == "misc/rt"


def test_crossing_annotations_stand_off():
    doc = _structured()
    t = doc.text
    a = t.index("met Molotov")
    # "Molotov in" crosses the end of the person "Molotov"'s enclosing "met Molotov"
    doc.annotations.append(Annotation("entity", a, a + 11, "met Molotov", None, "x"))
    doc.annotations.append(Annotation("entity", a + 4, t.index(" in Moscow") + 4, "Molotov in", None, "x"))
    root = etree.fromstring(tei_document(doc).encode())
    spans = root.findall(f".//{TEI}standOff//{TEI}span")
    assert len(spans) == 1 and spans[0].get("type") == "entity"


def test_tei_round_trip_amounts_and_judgments(tmp_path, archive):
    doc = _structured()
    t = doc.text
    doc.annotations.append(Annotation("amount", t.index("Two"), t.index("Two") + 3, "Two", {"value": 2}))
    doc.annotations.append(Annotation("judgment", t.index("Two"), t.index(":"), "", {"probability": 0.75}))
    back = _roundtrip(tmp_path, archive, doc)
    assert len(back.annotations) == len(doc.annotations)


@pytest.mark.corpus
def test_frus_volume_round_trips_through_tei(frus_dir):
    from pathlib import Path

    from despatch.readers.base import ReadContext
    from despatch.readers.tei import TEIReader

    docs = read_path(frus_dir / "frus1936v03.xml", IngestOptions(enrich=False))
    assert len(docs) > 500
    for d in docs:
        x = tei_document(d).encode()
        back = list(TEIReader().read(x, ReadContext(Path("x.xml"), "rt", "0", len(x))))
        assert len(back) == 1 and back[0].text == d.text, d.id
        assert len(back[0].annotations) == len(d.annotations), d.id


@pytest.mark.corpus
@pytest.mark.parametrize("which", ["seed", "speech"])
def test_seed_and_speech_round_trip_through_tei(tmp_path, archive, seed_path, ungdc_dir, which):
    if which == "seed":
        doc = read_path(seed_path, IngestOptions(enrich=True))[0]
    else:
        path = ungdc_dir / "sessions" / "1953" / "USA_08_1953.txt"
        doc = read_path(path, IngestOptions(enrich=True, name_pattern="{country}_{session}_{year}"))[0]
    kinds = {"person", "place", "date", "judgment"} | ({"org", "amount"} if which == "seed" else set())
    assert {a.type for a in doc.annotations} >= kinds
    back = _roundtrip(tmp_path, archive, doc)
    assert back.text == doc.text
    assert len(back.annotations) == len(doc.annotations)


# -- the commands ----------------------------------------------------------------------------------------
def test_cli_cite_and_export(tmp_path, four):
    db = str(four.path)
    r = CliRunner().invoke(main, ["--archive", db, "cite", bare().id, "--style", "chicago-bib"])
    assert r.exit_code == 0, r.output
    assert r.stdout == ("Foreign Office. “Memorandum on the Saar Question.” October 23, 1954. "
                        "Despatch collection misc, misc/saar-memo.\n")
    r = CliRunner().invoke(main, ["--archive", db, "cite", seed().id, "--accessed", "2024-05-01"])
    assert "accessed May 1, 2024," in r.stdout
    r = CliRunner().invoke(main, ["--archive", db, "cite", "no/such"])
    assert r.exit_code != 0 and "no document" in r.output
    out = tmp_path / "all.jsonl"
    r = CliRunner().invoke(main, ["--archive", db, "export", "--format", "jsonl", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    r = CliRunner().invoke(main, ["--archive", db, "export", "Dulles", "--format", "ris"])
    assert r.exit_code == 0 and r.stdout.startswith("TY  - SLIDE")
    r = CliRunner().invoke(main, ["--archive", db, "export", "--id", speech().id, "--format", "tei"])
    assert r.exit_code == 0
    root = etree.fromstring(r.stdout.encode())
    assert root.tag == f"{TEI}TEI" and root.find(f".//{TEI}persName").text == "DULLES"
    r = CliRunner().invoke(main, ["--archive", db, "export", "--id", "no/such"])
    assert r.exit_code == 2 and "no document" in r.stderr
