"""The issue's acceptance checks on the seed document, read through the ingest path (enrichment on)."""

from __future__ import annotations

import pytest

from despatch.ingest import read_path

pytestmark = pytest.mark.corpus


@pytest.fixture
def seed(seed_path):
    (doc,) = read_path(seed_path)
    return doc


def by(doc, type_):
    return [a for a in doc.annotations if a.type == type_ and a.producer.split("@")[0] != "tei"]


def test_people(seed):
    people = {a.text for a in by(seed, "person")}
    assert {"Stalin", "Malenkov", "Bulganin"} <= people


def test_no_editor_from_the_source_line_is_a_person(seed):
    editors = ["DE VOS", "ROOMS", "DELOGE", "STERKENDRIES", "Luc", "Etienne", "Pascal", "Jean-Michel"]
    for a in by(seed, "person"):
        assert not any(e.lower() in a.text.lower() for e in editors), a.text
    assert "STERKENDRIES" not in seed.text or all("STERKENDRIES" not in a.text for a in seed.annotations)


def test_places_and_one_id_for_the_ussr(seed):
    places = {a.text: a.value["id"] for a in by(seed, "place")}
    assert {"Vladivostok", "Germany", "Iran", "South-East Asia"} <= set(places)
    assert places["USSR"] == places["Soviet Union"]


def test_nato_is_an_organisation(seed):
    orgs = {a.text: a.value for a in by(seed, "org")}
    assert orgs["North Atlantic Treaty Organisation"]["id"] == "org:nato"
    assert orgs["North Atlantic Treaty Organisation"]["name"] == "NATO"


def test_date_and_amount(seed):
    dates = {a.text: a.value for a in by(seed, "date")}
    assert dates["31 July 1953"]["value"] == "1953-07-31"
    amounts = {a.text: a.value for a in by(seed, "amount")}
    assert amounts["110 200 million roubles"] == {"value": 110200000000, "currency": "RUB"}


def test_judgments_and_uncertainty(seed):
    j = {a.value["cue"].lower(): a.value for a in by(seed, "judgment")}
    assert j["probably"]["kent"] == "probable" and "were probably influenced" in seed.text
    assert j["seems likely"]["icd203"] == "likely"
    assert j["without doubt"]["kent"] == "almost certain"
    assert j["one thing is certain"]["kent"] == "certain"
    unc = [a.text for a in by(seed, "uncertainty")]
    assert any(t.startswith("It is impossible, with any degree of certainty, to attribute") for t in unc)
    negated = [v for cue, v in j.items() if "no reason to believe" in cue]
    assert negated and all(v["polarity"] == "negative" and v["icd203"] != "likely" for v in negated)
