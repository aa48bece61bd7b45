"""The archive-record reader, on the real seed and on a fixture written for the edge cases."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from despatch.ingest import IngestOptions, read_path
from despatch.readers.archive_record import parse_source

RAW = IngestOptions(enrich=False)


def _headings(doc):
    return {doc.text[s.start : s.end]: s for s in doc.structure if s.type == "heading"}


@pytest.mark.corpus
def test_seed_fields(seed_path):
    (doc,) = read_path(seed_path, RAW)
    d = doc.to_dict()
    assert d["title"] == "The development of Soviet policy (1953)"
    assert d["date"] == {"start": "1953-09-03", "end": "1953-09-03", "precision": "day", "text": "3 September 1953"}
    assert d["classification"]["level"] == "TOP SECRET"
    assert d["classification"]["text"] == "Top Secret"
    src = d["source"]
    assert src["isbn"] == "90-6569-670-9"
    assert src["year"] == 1998
    assert src["pages"] == "419-421"
    assert src["editors"] == ["De Vos, Luc", "Rooms, Etienne", "Deloge, Pascal", "Sterkendries, Jean-Michel"]
    assert src["publisher"] == "Académie royale de Belgique"
    assert src["place"] == "Bruxelles"
    assert src["title"].startswith("Documents diplomatiques belges 1941-1960")
    assert d["last_updated"] == "2016-07-05"
    assert d["url"].startswith("http://www.cvce.eu/obj/the_development_of_soviet_policy_1953")
    assert "All rights of reproduction" in d["rights"]
    assert d["caption"].startswith("Confidential Note dated 3 September 1953")


@pytest.mark.corpus
def test_seed_structure(seed_path):
    (doc,) = read_path(seed_path, RAW)
    heads = _headings(doc)
    for h in ("Underlying premise", "Conclusions", "Repercussions in the military sphere", "General conclusions",
              "The USSR's potential", "The risks of war"):
        assert any(t.endswith(h) for t in heads), h
    assert heads["1. Underlying premise"].number == "1"
    assert heads["9. Conclusions"].number == "9"
    assert heads["10. Repercussions in the military sphere"].number == "10"
    # the source's own numbering is kept where it repeats
    assert heads["1. The USSR's potential"].number == "1"
    assert heads["1. The risks of war"].number == "1"
    assert heads["General conclusions"].number is None
    omissions = [s for s in doc.structure if s.type == "omission"]
    assert [doc.text[s.start : s.end] for s in omissions] == ["..."]
    items = [s for s in doc.structure if s.type == "list_item"]
    assert len(items) == 5  # two dashes under "Its objectives remain:", a. b. c. under the three factors
    assert [s.label for s in items[2:]] == ["a.", "b.", "c."]
    paras = [doc.text[s.start : s.end] for s in doc.structure if s.type == "paragraph"]
    assert any("in the Vladivostok area)" in p for p in paras)
    # header fields are not body text
    assert "Caption:" not in doc.text and "ISBN" not in doc.text and "DE VOS" not in doc.text
    # text invariants: one newline between blocks, every span inside the text
    assert "\n\n" not in doc.text and not doc.text.startswith("\n") and not doc.text.endswith("\n")
    for s in doc.structure:
        assert 0 <= s.start <= s.end <= len(doc.text)


def test_fixture_record():
    (doc,) = read_path(FIXTURES / "foundation" / "record.txt", RAW)
    assert doc.title == "Memorandum on the Berlin question (1958)"
    assert doc.date.start == "1958-11-27" and doc.date.precision == "day"
    assert doc.classification.level == "CONFIDENTIAL" and doc.classification.text == "Strictly confidential"
    assert doc.last_updated == "2015-03-12"  # day/month/year
    assert doc.source.editors == ["Smith, Jane", "Dupont, Jean-Luc"]
    assert doc.source.place == "Washington" and doc.source.year == 1961 and doc.source.pages == "317-331"
    assert doc.doc_type == "memorandum"
    assert doc.originator == "Soviet Government"
    heads = _headings(doc)
    assert heads["I. The occupation regime"].number == "I"
    assert heads["1. Background"].number == "1"
    assert "Concluding remarks" in heads
    # a paragraph broken by the export in mid-sentence is rejoined
    assert "on the question of the situation in Berlin" in doc.text
    kinds = [s.type for s in doc.structure]
    assert kinds.count("omission") == 2  # the standalone "..." and the one closing item b.
    labels = [s.label for s in doc.structure if s.type == "list_item"]
    assert labels == ["a.", "b."]


def test_parse_source_without_editors():
    src = parse_source("Le Monde diplomatique. Paris: Le Monde, 1954. p. 3.")
    assert src.editors == []
    assert src.place == "Paris" and src.publisher == "Le Monde" and src.year == 1954 and src.pages == "3"
    assert src.isbn is None
