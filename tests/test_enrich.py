"""Enrichment on small texts: entities, dates, amounts, judgments, and the annotator contract."""

from __future__ import annotations

import pytest

from despatch.enrich import default_pipeline, enrich
from despatch.enrich.amounts import AmountAnnotator
from despatch.enrich.dates import DateAnnotator
from despatch.enrich.entities import EntityAnnotator
from despatch.enrich.judgments import JudgmentAnnotator, bands
from despatch.model import Annotation, DocDate, Document
from despatch.readers.base import AuthorityEntry


def doc(text: str, date: str | None = None, collection: str = "t") -> Document:
    d = DocDate(date, date, "day") if date else None
    return Document(id=f"{collection}/x", collection=collection, text=text, date=d)


@pytest.fixture(scope="module")
def ents() -> EntityAnnotator:
    return EntityAnnotator()


def found(anns: list[Annotation], type_: str) -> dict[str, str]:
    return {a.text: a.value["id"] for a in anns if a.type == type_}


# -- entities --------------------------------------------------------------------------------------
def test_variants_of_one_state_share_an_id(ents):
    anns = ents(doc("The Soviet Union said the USSR and the U.S.S.R. were one. Yugoslavia and East Germany too."))
    places = found(anns, "place")
    assert places["Soviet Union"] == places["USSR"] == places["U.S.S.R."] == "place:ussr"
    assert places["Yugoslavia"] == "place:yugoslavia"
    assert places["East Germany"] == "place:east-germany"


def test_organisation_long_and_short_forms_group(ents):
    anns = ents(doc("NATO, that is the North Atlantic Treaty Organisation, met the United Nations."))
    orgs = found(anns, "org")
    assert orgs["NATO"] == orgs["North Atlantic Treaty Organisation"] == "org:nato"
    assert orgs["United Nations"] == "org:un"


def test_people_found_by_the_ways_diplomats_write_them(ents):
    text = ("The Ambassador in Russia (Francis) to the Secretary of State\n"
            "Mr. DULLES (United States of America): I agree with Colonel House and G. M. Malenkov.\n"
            "Woodrow Wilson replied. Malenkov did not.\n"
            "I have, &c.,\n"
            "THOS. O. OSBORN.")
    people = found(ents(doc(text)), "person")
    assert "Francis" in people
    assert any("DULLES" in k for k in people)
    assert any("House" in k for k in people)
    assert people["G. M. Malenkov"] == people["Malenkov"] == "person:georgy-malenkov"
    assert "Woodrow Wilson" in people
    assert "THOS. O. OSBORN" in people


def test_surname_introduced_with_a_title_is_found_alone(ents):
    people = found(ents(doc("Mr. Lundbohm wrote to Mr. Morton. Later Lundbohm added a note.")), "person")
    assert people["Lundbohm"] == "person:lundbohm"


def test_ranks_before_institutions_are_not_people(ents):
    anns = ents(doc("The General Assembly heard the Secretary General and the President of the Council."))
    assert not [a for a in anns if a.type == "person"]


def test_authority_list_names_a_person_by_surname():
    a = EntityAnnotator([AuthorityEntry("p_GNS1", "person", "Gnasher, Frederick T.", "Minister")])
    people = found(a(doc("The note from Gnasher arrived.")), "person")
    assert people["Gnasher"] == "person:p_GNS1"


def test_authority_surnames_inside_other_names_are_not_people():
    a = EntityAnnotator([AuthorityEntry("p_LAB1", "person", "Law, Andrew Bonar", "Chancellor"),
                         AuthorityEntry("p_VE1", "person", "Victor Emanuel III", "King of Italy")])
    people = found(a(doc("Experts in International Law met. Law spoke for Britain. III. Middle Europe.")), "person")
    assert set(people) == {"Law"} and people["Law"] == "person:p_LAB1"


def test_entity_values_carry_id_and_normalised_name(ents):
    a = next(a for a in ents(doc("He went to Peking.")) if a.type == "place")
    assert (a.text, a.value["id"], a.value["name"]) == ("Peking", "place:beijing", "Beijing")


# -- dates -----------------------------------------------------------------------------------------
def dates(text: str, date: str | None = None) -> dict[str, dict]:
    return {a.text: a.value for a in DateAnnotator()(doc(text, date))}


def test_absolute_dates_in_both_orders_and_numeric():
    d = dates("On 31 July 1953 and July 31, 1953 and 31.7.53 it happened.")
    assert d["31 July 1953"]["value"] == "1953-07-31"
    assert d["July 31, 1953"]["value"] == "1953-07-31"
    assert d["31.7.53"]["value"] == "1953-07-31"


def test_numeric_dates_follow_the_documents_convention():
    us = dates("Sent July 30, 1953. Received 8/3/1953.")
    assert us["8/3/1953"]["value"] == "1953-08-03"
    eu = dates("Sent 30 July 1953. Received 8/3/1953.")
    assert eu["8/3/1953"]["value"] == "1953-03-08"


def test_partial_dates_resolve_against_the_document_date():
    d = dates("Price cuts made in April; once again this year, above 1952. Over recent months.", "1953-09-03")
    assert (d["April"]["value"], d["April"]["precision"]) == ("1953-04", "month")
    assert d["this year"]["value"] == "1953"
    assert d["1952"]["precision"] == "year"
    assert d["recent months"]["value"] is None and d["recent months"]["unresolved"]


def test_partial_date_without_a_document_date_stays_unresolved():
    d = dates("Price cuts made in April.")
    assert d["April"]["value"] is None
    assert "document date" in d["April"]["unresolved"]


def test_year_ranges_and_frus_instant_ultimo():
    d = dates("Documents 1941–1960. The session closed on the 22d instant; he arrived the 30th ultimo.", "1883-10-24")
    assert (d["1941–1960"]["start"], d["1941–1960"]["end"]) == ("1941-01-01", "1960-12-31")
    assert d["the 22d instant"]["value"] == "1883-10-22"
    assert d["the 30th ultimo"]["value"] == "1883-09-30"


# -- amounts ---------------------------------------------------------------------------------------
def amounts(text: str) -> dict[str, dict]:
    return {a.text: a.value for a in AmountAnnotator()(doc(text))}


def test_money_with_space_thousands_and_scales():
    a = amounts("The budget stands at 110 200 million roubles, aid of $2.5 billion and £300,000.")
    assert a["110 200 million roubles"] == {"value": 110200000000, "currency": "RUB"}
    assert a["$2.5 billion"] == {"value": 2500000000, "currency": "USD"}
    assert a["£300,000"] == {"value": 300000, "currency": "GBP"}


def test_quantities_and_percentages():
    a = amounts("They ordered 500 locomotives and 10,000 twenty-ton cars; 6 per cent bonds; 12% more.")
    assert a["500 locomotives"] == {"value": 500, "unit": "locomotives"}
    assert a["10,000 twenty-ton cars"] == {"value": 10000, "unit": "twenty-ton cars"}
    assert a["6 per cent"] == {"value": 6, "unit": "percent"}
    assert a["12%"]["value"] == 12


# -- judgments -------------------------------------------------------------------------------------
def judge(text: str) -> list[Annotation]:
    return JudgmentAnnotator()(doc(text))


def test_bands_on_the_three_scales():
    assert bands(0.72) == {"kent": "probable", "icd203": "likely", "phia": "likely"}
    assert bands(0.05)["kent"] == "almost certainly not"
    assert bands(1.0)["kent"] == "certain"


def test_judgments_with_cues_and_bands():
    anns = judge("The leaders were probably influenced by this. It seems likely that they never wanted war. "
                 "Without doubt, current policy harbours less risk. "
                 "However, one thing is certain: they will exploit it.")
    by_cue = {a.value["cue"].lower(): a for a in anns if a.type == "judgment"}
    assert by_cue["probably"].value["kent"] == "probable"
    assert by_cue["seems likely"].value["icd203"] == "likely" and by_cue["seems likely"].value["hedged"]
    assert by_cue["without doubt"].value["phia"] == "almost certain"
    assert by_cue["one thing is certain"].value["kent"] == "certain"
    assert by_cue["probably"].text == "The leaders were probably influenced by this."


def test_negated_belief_is_not_a_likely_judgment():
    (a,) = judge("There is currently no reason to believe that the aims of Soviet policy have changed.")
    assert a.type == "judgment"
    assert a.value["polarity"] == "negative"
    assert a.value["icd203"] == "unlikely"
    assert a.text.startswith("There is") and "the aims" in a.text[a.value["scope_start"]:]


def test_not_likely_flips_and_impossible_to_say_is_uncertainty():
    (a,) = judge("An agreement is not likely before the spring.")
    assert a.value["icd203"] == "unlikely"
    (u,) = judge("It is impossible, with any degree of certainty, to attribute the changes to one reason.")
    assert u.type == "uncertainty"


def test_plain_statement_has_no_judgment():
    assert judge("The delegation arrived in Geneva on Monday and met the Secretary.") == []


# -- contract --------------------------------------------------------------------------------------
def test_enrich_sets_producer_and_replaces_only_its_own():
    d = doc("Stalin died in 1953.", "1953-09-03")
    d.annotations = [Annotation("person", 0, 6, "Stalin", {"authority": "x"}, "tei")]
    enrich(d)
    enrich(d)
    producers = sorted({a.producer for a in d.annotations})
    assert "tei" in producers and "entities@1" in producers and "dates@7" in producers
    assert sum(1 for a in d.annotations if a.producer == "entities@1") == 1
    for a in d.annotations:
        assert d.text[a.start:a.end] == a.text


def test_default_pipeline_names_are_distinct():
    names = [a.name for a in default_pipeline()]
    assert len(names) == len(set(names)) == 5


def test_spacy_annotator_is_optional():
    spacy_ner = pytest.importorskip("despatch.enrich.spacy_ner")
    try:
        a = spacy_ner.SpacyNerAnnotator()
    except ImportError as e:
        assert "pip install" in str(e)
        return
    anns = a(doc("Mr. Frelinghuysen went to Paris."))
    assert all(x.value["id"].split(":")[0] == x.type for x in anns)
