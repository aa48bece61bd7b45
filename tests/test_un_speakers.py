"""The UN corpus's speakers table (one reader for speeches and the person authority) and state names by year."""

from __future__ import annotations

import pytest
from conftest import UNGDC, need

from despatch.countries import country_name
from despatch.ingest import IngestOptions, read_path
from despatch.un_speakers import Speaker, SpeakerTable, SpeakerTableError, find_speaker_table, load_speaker_table

UN = IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}")
TABLE = UNGDC / "Speakers_by_session.xlsx"


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        ("BLR", 1953, "Byelorussian Soviet Socialist Republic"),
        ("BLR", 1995, "Belarus"),
        ("UKR", 1953, "Ukrainian Soviet Socialist Republic"),
        ("UKR", 1991, "Ukraine"),
        ("TUR", 1958, "Turkey"),
        ("TUR", 2021, "Turkey"),
        ("TUR", 2023, "Türkiye"),
        ("MYS", 1958, "Federation of Malaya"),
        ("MYS", 1964, "Malaysia"),
        ("YEM", 1958, "Yemen"),
        ("YEM", 1970, "Yemen Arab Republic"),
        ("YEM", 1995, "Yemen"),
        ("RUS", 1953, "Union of Soviet Socialist Republics"),
        ("RUS", 1995, "Russian Federation"),
        ("EGY", 1960, "United Arab Republic"),
        ("EGY", 1950, "Egypt"),
        ("ZAF", 1955, "Union of South Africa"),
        ("LKA", 1960, "Ceylon"),
    ],
)
def test_state_names_as_they_were_that_year(code, year, name):
    assert country_name(code, year) == name


def test_modern_name_without_a_year():
    assert country_name("BLR") == "Belarus"
    assert country_name("MYS") == "Malaysia"


def test_table_rows_cleaned_and_joined_by_session_and_code():
    t = load_speaker_table(str(need(TABLE)))
    assert len(t) > 10000
    (ussr_1958,) = t.speakers("RUS", 13)  # printed twice in the table ("Mr. Gromyko", "Mr. GROMYKO ")
    assert ussr_1958.name == "Mr. Gromyko" and ussr_1958.year == 1958
    (south_yemen,) = t.speakers("YMD", 23)  # the table says YDYE, the speech files YMD
    assert south_yemen.name == "Mr. Uqba"
    (biden,) = t.speakers("USA", 79)
    assert biden.name == "Joseph R. Biden" and biden.post == "President"
    assert biden.key == "ungdc-speaker:USA:79:biden"


def test_speaker_for_chooses_by_the_opening_line_or_keeps_candidates_apart():
    t = SpeakerTable([Speaker(1959, 14, "RUS", None, "Mr. Khrushchev", None),
                      Speaker(1959, 14, "RUS", None, "Mr. Kuznetsov", None)])
    assert t.speaker_for("RUS", 14, said="Mr. KUZNETSOV")[0].name == "Mr. Kuznetsov"
    speaker, cands = t.speaker_for("RUS", 14)
    assert speaker is None and [c.name for c in cands] == ["Mr. Khrushchev", "Mr. Kuznetsov"]


def test_not_a_table_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "Speakers_by_session.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(SpeakerTableError, match="Speakers_by_session.xlsx"):
        SpeakerTable.load(bad)


def test_table_found_beside_the_corpus_and_its_tar():
    need(TABLE)
    assert find_speaker_table(UNGDC / "sessions" / "1953" / "BLR_08_1953.txt") == TABLE
    assert find_speaker_table(f"{UNGDC / 'ungdc-1946-2024.tar.xz'}!TXT/Session 08 - 1953/BLR_08_1953.txt") == TABLE


@pytest.mark.corpus
def test_speech_without_opening_line_gets_speaker_post_and_period_name():
    path = need(UNGDC / "sessions" / "1953" / "BLR_08_1953.txt")
    (doc,) = read_path(path, UN)
    assert doc.metadata["speaker"] == "Mr. Kiselyov"
    assert doc.metadata["speaker_source"] == "Speakers_by_session.xlsx"
    assert doc.title == "Byelorussian Soviet Socialist Republic, session 8 (1953)"
    assert doc.metadata["country_modern"] == "Belarus"
    assert doc.doc_type == "speech"
    (tur,) = read_path(need(UNGDC / "sessions" / "1958" / "TUR_13_1958.txt"), UN)
    assert tur.title.startswith("Turkey,") and tur.metadata["country_modern"] == "Türkiye"


@pytest.mark.corpus
def test_every_speech_1946_1960_has_a_speaker_or_named_candidates():
    files = sorted(need(UNGDC / "sessions").glob("*/*.txt"))
    missing = []
    for f in files:
        (doc,) = read_path(f, UN)
        if "speaker" not in doc.metadata and len(doc.metadata.get("speaker_candidates", [])) < 2:
            missing.append(f.name)
    assert len(files) == 788 and missing == []
