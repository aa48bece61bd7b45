"""Document dates a volume cannot hold are flagged, repaired from the dateline where it says so, else withheld."""

from __future__ import annotations

import pytest
from conftest import FRUS, UNGDC, need

from despatch.ingest import IngestOptions, read_path
from despatch.model import DocDate, Document
from despatch.plausibility import check_session_year, date_from_dateline

RAW = IngestOptions(enrich=False)


def test_dual_calendar_dateline_gives_new_style():
    d, how = date_from_dateline("June 5–17, 1864.", 1800, 1866)
    assert (d.start, d.precision, d.text) == ("1864-06-17", "day", "June 5–17, 1864.")
    assert "New Style" in how


def test_dateline_with_received_note_uses_the_written_date():
    d, _ = date_from_dateline("11 o’clock Monday night, October 31, 1870. (Received November 25, 1870.)", 1800, 1871)
    assert d.start == "1870-10-31"


def test_dateline_month_only_and_year_from_neighbours():
    assert date_from_dateline("July —, 1870. (Received July 21, 1870.)", 1800, 1871)[0].precision == "month"
    d, how = date_from_dateline("June 22—1 a. m.", 1800, 1871, year_hint=1870)
    assert d.start == "1870-06-22" and "neighbouring" in how
    assert date_from_dateline("June 22—1 a. m.", 1800, 1871) is None  # no year, no agreeing neighbours


def test_a_printed_wrong_year_is_not_repaired():
    assert date_from_dateline("November 1, 1670. (Received November 15.)", 1820, 1871) is None


def test_un_session_year_mismatch_is_flagged():
    doc = Document(id="u/x", collection="u", text="", date=DocDate("1954-01-01", "1954-12-31", "year"),
                   metadata={"session": 8, "year": 1954, "country": "USA"})
    check_session_year(doc)
    assert doc.metadata["date_flags"] == ["session-year-mismatch"] and doc.date.flags == ["session-year-mismatch"]


@pytest.fixture(scope="module")
def frus1870():
    return {d.id: d for d in read_path(need(FRUS / "frus1870.xml"), RAW)}


@pytest.mark.corpus
def test_frus1870_impossible_years_repaired_from_datelines(frus1870):
    d = frus1870["frus/frus1870-d159"]
    assert d.date.start == "1870-10-31" and d.date.flags == ["impossible-year", "repaired"]
    assert d.metadata["date_as_encoded"] == "0201-11-11"
    assert d.date.text.startswith("11 o’clock Monday night, October 31, 1870.")
    assert frus1870["frus/frus1870-d56"].date.start[:7] == "1870-07"


@pytest.mark.corpus
def test_frus1870_printed_1670_is_withheld_with_a_suggestion(frus1870):
    d = frus1870["frus/frus1870-d200"]
    assert d.date is None
    assert d.metadata["date_flags"] == ["outlier-in-volume"]
    assert d.metadata["date_as_printed"].startswith("November 1, 1670.")
    assert d.metadata["date_suggested"] == "1870-11-01"
    # its enclosure does not inherit a date from it, nor from anything else
    assert frus1870["frus/frus1870-d201"].date is None


@pytest.mark.corpus
def test_no_frus1870_document_dated_outside_its_years_without_a_flag(frus1870):
    for d in frus1870.values():
        if d.date is not None:
            y = int(d.date.start[:4])
            assert 1860 <= y <= 1871 or d.date.flags, (d.id, d.date)


@pytest.mark.corpus
def test_frus1864_russian_dual_date_and_flag_survives_the_store(archive):
    from despatch.ingest import ingest

    ingest(archive, [need(FRUS / "frus1864p3.xml")], RAW)
    d = archive.get("frus/frus1864p3-d512")
    assert d.date.start == "1864-06-17" and "repaired" in d.date.flags
    assert d.to_dict(with_body=False)["date"]["flags"] == ["impossible-year", "repaired"]
    assert archive.get("frus/frus1864p3-d513").date.start == "1864-06-17"  # its enclosure, after the repair
    (frus,) = archive.collections()  # what the home page shows: frus 1856–1868, never "0201–…"
    assert frus["first_date"] >= "1800" and frus["last_date"] <= "1866"


@pytest.mark.corpus
def test_un_corpus_sessions_match_years():
    for f in sorted(need(UNGDC / "sessions").glob("195[0-3]/*.txt"))[:40]:
        (doc,) = read_path(f, IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))
        assert "date_flags" not in doc.metadata


def _volume_year(volume: str) -> int:
    import re

    return int(re.match(r"frus(\d{4})", volume).group(1))


@pytest.mark.corpus
@pytest.mark.slow
def test_every_frus_document_dated_inside_its_volumes_span_or_flagged():
    """All 23 volumes: a date lies between ten years before the volume's year (the 1628 charter an 1872 volume
    prints is noted, and so are its enclosures) and the year after the volume's imprint (frus1872p2v2, imprint
    1872, prints Schenck's letters of February and March 1873), or it carries a flag; a withheld date is
    flagged."""
    files = sorted(need(FRUS).glob("*.xml"))
    assert len(files) == 23
    outside, n = [], 0
    for f in files:
        for d in read_path(f, RAW):
            n += 1
            vy, pub = _volume_year(d.metadata["volume"]), d.source.year
            if d.date is None:
                assert "date_flags" in d.metadata or "date_as_printed" not in d.metadata, d.id
                continue
            y = int(d.date.start[:4])
            if not (vy - 10 <= y <= max(pub, vy) + 1) and not d.date.flags:
                outside.append((d.id, d.date.start))
    assert n == 9656
    assert outside == []


@pytest.mark.corpus
def test_an_enclosure_inherits_the_covering_dates_flag():
    docs = {d.id: d for d in read_path(need(FRUS / "frus1872p2v5.xml"), RAW)}
    d = docs["frus/frus1872p2v5-d5"]  # printed after a document dated 1628, whose date it takes
    assert d.metadata["date_source"] == "covering-document" and d.date.start[:4] == "1628"
    assert d.date.flags == ["before-volume-years"] and d.metadata["date_flags"] == ["before-volume-years"]
