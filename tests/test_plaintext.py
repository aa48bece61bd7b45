"""The plain-text reader: encodings, normalisation, numbered paragraphs, fields from file names."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import FIXTURES

from despatch.ingest import IngestOptions, read_path
from despatch.readers import ReaderError

F = FIXTURES / "foundation"
RAW = IngestOptions(enrich=False)


@pytest.mark.parametrize(
    ("name", "needle", "encoding"),
    [
        ("cp1252.txt", "Café au lait", "cp1252"),
        ("utf16.txt", "Здравствуйте, мир.", "utf-16"),
        ("utf16-nobom.txt", "First paragraph of a UTF-16 file.", "utf-16-le"),
        ("utf8bom.txt", "A café with a BOM.", "utf-8-sig"),
    ],
)
def test_encodings(name, needle, encoding):
    (doc,) = read_path(F / name, RAW)
    assert needle in doc.text
    assert doc.metadata["encoding"] == encoding
    assert "\ufeff" not in doc.text


def test_cp1252_quotes():
    (doc,) = read_path(F / "cp1252.txt", RAW)
    assert "The “quoted” text is cp1252." in doc.text


def test_text_is_nfc():
    (doc,) = read_path(F / "nfd.txt", RAW)
    assert "Café" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_numbered_paragraphs_and_name_pattern():
    (doc,) = read_path(F / "USA_08_1953.txt", IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))
    paras = [s for s in doc.structure if s.type == "paragraph"]
    assert [p.number for p in paras] == ["1", "2", "3"]
    assert doc.text.split("\n")[0].startswith("Mr. DULLES (United States of America): It is an honour")
    # wrapped lines join; a hyphen at a line end before a lower-case letter joins with no space
    assert "We shall not sulk; we shall accept the re-sults." in doc.text
    assert doc.metadata["country"] == "USA" and doc.metadata["session"] == 8 and doc.metadata["year"] == 1953
    assert doc.metadata["speaker"] == "Mr. DULLES"
    assert doc.metadata["country_name"] == "United States of America"
    assert doc.date.start == "1953-01-01" and doc.date.end == "1953-12-31" and doc.date.precision == "year"
    assert doc.id.endswith("/USA_08_1953")


def test_name_pattern_mismatch_is_an_error(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("Some text.\n")
    with pytest.raises(ReaderError, match="does not match --name-pattern"):
        read_path(p, IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))


@pytest.mark.corpus
def test_un_speech_from_the_corpus(ungdc_dir):
    path = ungdc_dir / "sessions" / "1953" / "USA_08_1953.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    (doc,) = read_path(path, IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))
    assert doc.metadata["speaker"] == "Mr. Dulles"  # the corpus's speakers table, beside the files
    assert doc.metadata["speaker_as_printed"] == "Mr. DULLES"  # the speech's own opening line
    assert doc.language == "en"
    numbers = [s.number for s in doc.structure if s.type == "paragraph"]
    assert numbers[:3] == ["1", "2", "3"]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]


def test_country_named_as_the_state_was_that_year(tmp_path):
    for name in ("RUS_08_1953.txt", "RUS_50_1995.txt", "YUG_08_1953.txt"):
        (tmp_path / name).write_text("1.\tMr. SPEAKER (Somewhere): Words.\n")
    opts = IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}")
    names = [read_path(tmp_path / n, opts)[0].metadata["country_name"]
             for n in ("RUS_08_1953.txt", "RUS_50_1995.txt", "YUG_08_1953.txt")]
    assert names == ["Union of Soviet Socialist Republics", "Russian Federation", "Yugoslavia"]
