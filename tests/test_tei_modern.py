"""Post-1945 FRUS conventions: markings (classification, precedence, handling) from the opener and the source
note, the edition's own ids before a file's name, sender and recipient as name and role, and both times a
telegram carries. Fixtures written by hand after the FRUS TEI conventions; the real volumes where ../shared is
present (all 23 are from before 1945: there the test is that nothing is read that is not there)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, FRUS, need
from test_cite_corpora import empty_parts

from despatch.cite import cite
from despatch.ingest import IngestOptions, ingest, read_file, read_path
from despatch.markings import archival_location, note_markings, read_markings

TEI = FIXTURES / "tei"
STYLES = ("chicago-note", "chicago-bib", "bibtex", "ris", "csl-json")  # Despatch's own (a test plug-in may add more)
NO_ENRICH = IngestOptions(enrich=False)
#: The markings' own words: none may reach a citation.
MARKING_WORDS = ("secret", "confidential", "official use", "niact", "flash", "priority", "routine",
                 "immediate", "eyes only", "nodis", "exdis", "limdis", "noforn", "limit distribution")


@pytest.fixture(scope="module")
def modern():
    p = TEI / "modern-volume.xml"
    fmt, docs, _ = read_file(str(p), p.read_bytes(), "frus", NO_ENRICH)
    assert fmt == "tei"
    return {d.id.rsplit("-", 1)[1]: d for d in docs}


def read_bytes(name: str, data: str, collection: str = "excerpts"):
    return read_file(name, data.encode(), collection, NO_ENRICH)[1]


# -- markings ------------------------------------------------------------------------------------
def test_opener_small_capitals_give_classification_and_precedence(modern):
    d = modern["d475"]
    assert (d.classification.level, d.classification.text) == ("SECRET", "SECRET")
    assert d.metadata["precedence"] == "Niact"
    assert {"kind": "precedence", "value": "Niact", "text": "niact", "where": "opener"} in d.metadata["markings"]


def test_telegram_first_line_eyes_only(modern):
    assert modern["d475"].metadata["handling"] == ["Eyes Only"]


def test_source_note_clause_list(modern):
    d = modern["d476"]  # nothing in an opener: "Top Secret; Flash; Nodis; Noforn." in the source note
    assert d.classification.level == "TOP SECRET"
    assert d.metadata["precedence"] == "Flash"
    assert d.metadata["handling"] == ["Nodis", "Noforn"]


def test_opener_and_note_together(modern):
    d = modern["d478"]
    assert d.classification.level == "LIMITED OFFICIAL USE"
    assert d.metadata["precedence"] == "Priority"
    assert d.metadata["handling"] == ["Eyes Only", "Limdis"]


def test_words_in_prose_are_not_markings(modern):
    d = modern["d477"]  # "Priority was given to it." in the note, "priority items" in the text
    assert d.classification.level == "CONFIDENTIAL"
    assert "precedence" not in d.metadata and "handling" not in d.metadata
    e = modern["d479"]  # an editorial note: "Secret talks were held …; the Embassy gave them priority."
    assert e.classification is None and "precedence" not in e.metadata


@pytest.mark.parametrize("text, expected", [
    ("Secret; Niact; Eyes Only", [("classification", "Secret"), ("precedence", "Niact"), ("handling", "Eyes Only")]),
    ("SECRET NIACT 1234.", [("classification", "Secret"), ("precedence", "Niact")]),
    ("Confidential; Niact Immediate; Limit Distribution",
     [("classification", "Confidential"), ("precedence", "Niact"), ("handling", "Limdis")]),
    ("Eyes Only for the Secretary", [("handling", "Eyes Only")]),
    ("Exclusive Distribution", [("handling", "Exdis")]),
    ("Priority was given to the harvest", []),
    ("The Secretary", []),
    ("Immediately after the meeting", []),
])
def test_read_markings(text, expected):
    assert [(m.kind, m.value) for m in read_markings(text, allow_tail=True)] == expected


def test_note_markings_and_archival_location():
    note = "Source: Department of State, Central Files, POL US–USSR. Secret; Niact Immediate; Sent 1830Z. Drafted by X."
    assert [m.value for m in note_markings(note)] == ["Secret", "Niact"]
    assert archival_location(note) == "Department of State, Central Files, POL US–USSR"
    assert archival_location("File No. 763.72/4738: Telegram") is None
    assert note_markings("Source: Eisenhower Library. No classification marking. Priority was given to it.") == []


# -- times -----------------------------------------------------------------------------------------
def test_dateline_local_time_kept_beside_the_editions_normalised_time(modern):
    d = modern["d475"]  # Moscow, 9 p.m.; the edition's normalisation says 13:00 Washington
    assert (d.date.start, d.date.precision, d.date.text) == ("1953-03-24T21:00", "minute", "March 24, 1953—9 p.m.")
    m = d.metadata
    assert m["time_as_printed"] == "9 p.m."
    assert m["date_when"] == "1953-03-24T21:00:00+03:00"
    assert (m["date_normalised_min"], m["date_normalised_max"]) == ("1953-03-24T13:00:00-05:00",) * 2
    z = modern["d476"]
    assert z.metadata["time_as_printed"] == "1830Z" and z.date.start == "1953-03-25T18:30"
    assert modern["d478"].metadata["time_as_printed"] == "midnight"
    assert modern["d477"].metadata.get("time_as_printed") is None and modern["d477"].date.precision == "day"


# -- parties ---------------------------------------------------------------------------------------
def test_sender_and_recipient_as_name_and_role(modern):
    t = modern["d475"]
    assert t.originator == "the Embassy in the Soviet Union" and t.recipient == "the Department of State"
    assert t.metadata["originator_role"] == "Embassy in the Soviet Union" and "originator_name" not in t.metadata
    m = modern["d477"].metadata
    assert (m["originator_name"], m["originator_role"]) == (
        "Cutler", "President’s Special Assistant for National Security Affairs")
    assert (m["recipient_name"], m["recipient_role"]) == ("Eisenhower", "President")


# -- ids -------------------------------------------------------------------------------------------
DIV = ('<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="{xid}" n="475">'
       '<head>475. Telegram From the Embassy in the Soviet Union to the Department of State</head>'
       '<dateline><placeName>Moscow</placeName>, <date when="1953-03-24T21:00:00">March 24, 1953—9 p.m.</date>'
       '</dateline><p>Text.</p></div>')


def test_volume_id_from_the_root_xml_id_before_the_file_name():
    tei = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frus1952-54v08"><text><body>'
           + DIV.format(xid="d475").replace(' xmlns="http://www.tei-c.org/ns/1.0"', "") + "</body></text></TEI>")
    (d,) = read_bytes("telegram.xml", tei)
    assert d.id == "excerpts/frus1952-54v08-d475"
    assert d.url == "https://history.state.gov/historicaldocuments/frus1952-54v08/d475"
    assert d.metadata["volume"] == "frus1952-54v08" and d.metadata["volume_id_source"] == "xml:id"


def test_volume_id_from_a_documents_frus_id():
    (d,) = read_bytes("saved.xml", DIV.format(xid="frus1952-54v08-d475"))
    assert d.metadata["volume"] == "frus1952-54v08"
    assert d.url == "https://history.state.gov/historicaldocuments/frus1952-54v08/d475"


def test_file_name_pattern_last_and_no_url_invented_from_a_plain_name():
    (d,) = read_bytes("frus1952-54v08-d475.xml", DIV.format(xid="d475"))
    assert d.metadata["volume"] == "frus1952-54v08" and d.metadata["volume_id_source"] == "file-name-pattern"
    assert d.url == "https://history.state.gov/historicaldocuments/frus1952-54v08/d475"
    (e,) = read_bytes("cable.xml", DIV.format(xid="d475"))
    assert e.url is None and e.metadata["volume_id_source"] == "file-name"
    for style in STYLES:
        out = cite(e, style, accessed="2024-05-01")
        assert empty_parts(style, out) == [], (style, out)
        assert "historicaldocuments/cable" not in out


# -- citations -------------------------------------------------------------------------------------
def test_citations_carry_no_markings_and_no_empty_part(modern):
    for d in modern.values():
        for style in STYLES:
            out = cite(d, style, accessed="2024-05-01")
            assert empty_parts(style, out) == [], (d.id, style, out)
            low = out.lower()
            assert not [w for w in MARKING_WORDS if w in low], (d.id, style, out)
    ris = cite(modern["d475"], "ris")
    assert "AN  - Department of State, Central Files, 661.00/3–2453" in ris.splitlines()
    note = cite(modern["d475"], "chicago-note", accessed="2024-05-01")
    assert note.startswith("Telegram From the Embassy in the Soviet Union to the Department of State, Moscow, "
                           "March 24, 1953, in Foreign Relations of the United States, 1952–1954, vol. 99")
    assert note.endswith("Document 475, accessed May 1, 2024, "
                         "https://history.state.gov/historicaldocuments/frus1952-54v99/d475.")


# -- search ----------------------------------------------------------------------------------------
def test_classification_facet_and_precedence_as_metadata(archive, tmp_path):
    ingest(archive, [TEI / "modern-volume.xml"], IngestOptions(collection="frus", enrich=False))
    res = archive.search("precedence:Niact")
    assert [h.id for h in res.hits] == ["frus/frus1952-54v99-d475"]
    assert {h.id for h in archive.search("handling:Limdis").hits} == {"frus/frus1952-54v99-d478"}
    facet = next(f for f in archive.search("telegram", facets=["classification"]).facets if f.name == "classification")
    assert {v.value for v in facet.values} >= {"SECRET", "TOP SECRET", "LIMITED OFFICIAL USE"}
    got = archive.get("frus/frus1952-54v99-d475")
    assert got.metadata["time_as_printed"] == "9 p.m." and got.date.start == "1953-03-24T21:00"


# -- the real volumes --------------------------------------------------------------------------------
@pytest.mark.corpus
@pytest.mark.parametrize("volume", ["frus1936v03.xml", "frus1917Supp02v02.xml"])
def test_real_volumes_ids_from_idno_and_no_markings_invented(volume):
    docs = read_path(need(FRUS) / volume, NO_ENRICH)
    stem = volume[:-4]
    assert all(d.metadata["volume"] == stem and "volume_id_source" not in d.metadata for d in docs)
    assert all(d.url.startswith(f"https://history.state.gov/historicaldocuments/{stem}/") for d in docs if d.url)
    # Before 1945 these volumes print no precedence or handling lines: nothing may be read as one, though
    # "priority", "immediate" and "routine" occur in their texts.
    assert sum("priority" in d.text.lower() or "immediate" in d.text.lower() for d in docs) > 20
    assert [d.id for d in docs if d.metadata.get("precedence") or d.metadata.get("handling")] == []
    telegrams = [d for d in docs if d.doc_type == "telegram"]
    assert telegrams and all(" to " not in (d.originator or "").lower()[:12] for d in telegrams)


@pytest.mark.parametrize("printed, cited", [
    ("No. 6.; [Confidential.]", "No. 6."),
    ("No. 18.; [Private and confidential.]", "No. 18."),
    ("[Strictly confidential.]", None),
    ("File No. 763.72/4738: Telegram", "File No. 763.72/4738: Telegram"),
])
def test_an_early_source_lines_markings_are_not_its_archival_file(printed, cited):
    from cite_docs import frus

    d = frus()
    d.metadata["archival_source"] = printed
    ris = cite(d, "ris").splitlines()
    assert [x for x in ris if x.startswith("AN  - ")] == ([f"AN  - {cited}"] if cited else [])
    assert "onfidential" not in cite(d, "csl-json")
