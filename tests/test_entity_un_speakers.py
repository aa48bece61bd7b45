"""The UN speakers table as a person authority: one entity per speaker across sessions, two for two people."""

from __future__ import annotations

import pytest
from conftest import UNGDC, need

from despatch.enrich.entities import EntityAnnotator
from despatch.enrich.un_people import SpeakerPeople, given_agree, speaker_people, split_name
from despatch.ingest import IngestOptions, ingest
from despatch.model import DocDate, Document
from despatch.store import open_archive
from despatch.un_speakers import Speaker

ROWS = [
    Speaker(1950, 5, "PAK", "Pakistan", "Sir Mohammad Zafrulla Khan", "Minister for Foreign Affairs"),
    Speaker(1952, 7, "PAK", "Pakistan", "Sir Muhammad Zafrulla Khan", None),
    Speaker(1953, 8, "PAK", "Pakistan", "Mr. Zafrulla Khan", None),
    Speaker(2019, 74, "PAK", "Pakistan", "Mr. Imran Khan", "Prime Minister"),
    Speaker(2004, 59, "BGD", "Bangladesh", "Mr. M. Morshed Khan", "Minister for Foreign Affairs"),
    Speaker(1953, 8, "IND", "India", "Mr. Khan", None),
    Speaker(1953, 8, "RUS", "USSR", "Mr. Vyshinsky", None),
    Speaker(1953, 8, "NZL", "New Zealand", "Mr. Webb", None),
    Speaker(1954, 9, "NZL", "New Zealand", "Mr. WEBB", "Minister of External Affairs"),
    Speaker(1946, 1, "PHL", "Philippines", "General Romulo", None),
    Speaker(1983, 38, "PHL", "Philippines", "Mr. Romulo", None),
    Speaker(1992, 47, "PHL", "Philippines", "Mr. Romulo", None),
]


def people() -> SpeakerPeople:
    return SpeakerPeople(ROWS)


def ids(sp: SpeakerPeople, surname: str) -> dict[str, list[int]]:
    return {p.id: [s for s, _, _ in p.sessions] for p in sp.people if p.surname == surname}


def test_names_split_without_honorifics_and_given_names_agree_across_spellings():
    assert split_name("Sir Mohammad Zafrulla Khan") == (("Mohammad", "Zafrulla"), "Khan", False)
    assert split_name("Mrs. Pandit")[1:] == ("Pandit", True)
    assert split_name("Faris El-Khoury Bey") == (("Faris",), "El-Khoury", False)  # Bey, Pasha: honorifics
    assert given_agree(("Muhammad", "Zafrulla"), ("Mohammad", "Zafrulla"))
    assert given_agree(("Zafrulla",), ("Mohammad", "Zafrulla"))
    assert given_agree(("M.",), ("Morshed",))
    assert not given_agree(("Imran",), ("Mohammad", "Zafrulla"))


def test_one_speaker_across_sessions_is_one_person_and_two_khans_are_two():
    sp = people()
    khans = ids(sp, "Khan")
    assert khans["person:un-pak-zafrulla-khan"] == [5, 7, 8]  # three spellings, one man
    assert "person:un-pak-imran-khan" in khans and "person:un-bgd-morshed-khan" in khans
    assert "person:un-ind-khan" in khans  # India's Mr. Khan is not Pakistan's
    assert len(khans) == 4
    webb = sp.get("person:un-nzl-webb")
    assert webb is not None and [s for s, _, _ in webb.sessions] == [8, 9]
    assert ("Minister of External Affairs" in [p for _, _, p in webb.sessions]) and webb.country == "New Zealand"


def test_a_bare_surname_decades_apart_is_not_assumed_to_be_one_man():
    romulos = ids(people(), "Romulo")
    assert sorted(romulos.values()) == [[1], [38], [47]]


def test_a_speaker_on_the_statesmen_list_takes_the_statesmans_id():
    assert people().resolve("Vyshinsky", 1953)[0].id == "person:andrei-vyshinsky"


def test_resolve_by_years_and_given_names_or_keep_apart():
    sp = people()
    one, _ = sp.resolve("Khan", 1953, ("Zafrulla",))
    assert one is not None and one.id == "person:un-pak-zafrulla-khan"
    none, cands = sp.resolve("Khan", 1953)  # Pakistan's and India's Mr. Khan spoke that session
    assert none is None and {c.id for c in cands} == {"person:un-pak-zafrulla-khan", "person:un-ind-khan"}
    assert sp.resolve("Khan", 2019)[0].id == "person:un-pak-imran-khan"
    assert sp.resolve("Khan", 1953, code="IND")[0].id == "person:un-ind-khan"  # a speech of India's


def test_mentions_in_other_speeches_resolve_to_the_speaker():
    ents = EntityAnnotator(speakers=people())
    d = Document(id="un/USA_08_1953", collection="un", text=(
        "As Mr. Webb said yesterday, and as Sir Zafrulla Khan told us, Mr. Vyshinsky was wrong. Mr. Khan agreed."))
    d.date = DocDate("1953-01-01", "1953-12-31", "year")
    got = [(a.text, a.value["id"]) for a in ents(d) if a.type == "person"]
    assert got == [("Mr. Webb", "person:un-nzl-webb"), ("Sir Zafrulla Khan", "person:un-pak-zafrulla-khan"),
                   ("Mr. Vyshinsky", "person:andrei-vyshinsky"), ("Mr. Khan", "person:un-pak-zafrulla-khan")]
    webb = next(a for a in ents(d) if a.text == "Mr. Webb")
    assert webb.value["un_speaker"][0]["country"] == "New Zealand"


def test_ingest_with_a_speakers_table_gives_records_with_post_and_country(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "sessions"
    src.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post"])
    ws.append([1953, 8, "NZL", "New Zealand", "Mr. Webb", "Minister of External Affairs"])
    ws.append([1953, 8, "AUS", "Australia", "Mr. Casey", "Minister for External Affairs"])
    ws.append([1953, 8, "GBR", "United Kingdom", "Mr. Webb", "Minister of State"])  # another Webb
    ws.append([1953, 8, "USA", "United States", "Mr. Dulles", "Secretary of State"])
    wb.save(tmp_path / "Speakers_by_session.xlsx")
    (src / "NZL_08_1953.txt").write_text("We stand with our friends. Mr. Casey spoke well.\n", encoding="utf-8")
    (src / "AUS_08_1953.txt").write_text("As Mr. Casey I thank Mr. Dulles.\n", encoding="utf-8")
    (src / "USA_08_1953.txt").write_text("Mr. Casey of Australia and Mr. Webb spoke.\n", encoding="utf-8")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        s = ingest(arch, [src], IngestOptions(collection="un", workers=1, name_pattern="{country}_{session}_{year}"))
        assert s.failed == 0, s.failures
        recs = {r.id: r for r in arch.iter_entities(type="person")}
    casey = recs["person:un-aus-casey"]
    assert casey.documents == 3  # one person across the three speeches
    assert casey.dates["un_speaker"][0]["post"] == "Minister for External Affairs"
    assert casey.dates["un_speaker"][0]["country"] == "Australia"
    assert any("Speakers_by_session.xlsx" in s for s in casey.sources) and "un-speakers" not in casey.sources
    from click.testing import CliRunner

    from despatch.cli import main

    out = CliRunner().invoke(main, ["--archive", str(db), "entities", "show", "person:un-aus-casey"])
    assert out.exit_code == 0, out.output
    assert "UN General Debate: session 8 (1953), for Australia, Minister for External Affairs" in out.output
    # Two Webbs spoke that session: "Mr. Webb" stays apart, marked ambiguous, not merged into either.
    webbs = [r for i, r in recs.items() if "webb" in i]
    assert [r.id for r in webbs] == ["person:webb"] and webbs[0].ambiguous
    assert set(webbs[0].candidates) >= {"person:un-nzl-webb", "person:un-gbr-webb"}


@pytest.mark.corpus
def test_the_real_table_as_an_authority():
    table = need(UNGDC / "Speakers_by_session.xlsx")
    sp = speaker_people(str(table))
    zafrulla = [p for p in sp.people if p.code == "PAK" and "Zafrull" in p.label]
    assert len(zafrulla) == 1 and len(zafrulla[0].sessions) >= 7  # sessions 3-9 and 16, several spellings
    pak_khans = {p.id for p in sp.people if p.code == "PAK" and p.surname == "Khan"}
    assert {"person:un-pak-imran-khan", "person:un-pak-yaqub-khan", "person:un-pak-ayub-khan"} <= pak_khans
    gromyko = sp.resolve("Gromyko", 1962)[0]
    assert gromyko is not None and gromyko.id == "person:andrei-gromyko"
    years = sorted(y for _, y, _ in gromyko.sessions)
    assert years[0] <= 1957 and years[-1] >= 1984
    assert sp.resolve("Khan", 1953)[0].id == zafrulla[0].id
