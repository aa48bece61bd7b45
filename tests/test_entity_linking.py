"""Person linking (one real person, one entity; two people, two) and the false entities of issue 13."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CORPUS, need

from despatch.enrich import linking
from despatch.enrich.entities import EntityAnnotator
from despatch.model import DocDate, Document


@pytest.fixture(scope="module")
def ents() -> EntityAnnotator:
    return EntityAnnotator()


def doc(text: str, year: int | None = None, collection: str = "t") -> Document:
    d = Document(id="t/1", collection=collection, text=text)
    if year:
        d.date = DocDate(f"{year}-01-01", f"{year}-12-31", "year")
    return d


def mentions(anns) -> list[tuple[str, str, str]]:
    return [(a.type, a.text, a.value["id"]) for a in anns]


def test_a_name_in_brackets_after_an_office_is_the_person_not_the_office(ents):
    got = mentions(ents(doc("The American Ambassador (Sharp) called. The Ambassador said Sharp agreed.")))
    assert ("person", "Sharp", "person:sharp") in got
    assert not [m for m in got if "Ambassador" in m[1]]


def test_a_title_or_surname_resolves_to_the_full_name_introduced_earlier(ents):
    got = mentions(ents(doc("Allen W. Dulles arrived. Mr. Dulles said that Dulles's view was firm.", 1919)))
    ids = {i for t, _, i in got if t == "person"}
    assert ids == {"person:a-dulles"}


def test_possessives_and_honorifics_are_stripped(ents):
    got = mentions(ents(doc("President Eisenhower's message reached Mr. Khrushchev's office. "
                            "The General Assembly's vote and the Assembly's decision followed.", 1959)))
    people = {(text, i) for t, text, i in got if t == "person"}
    assert people == {("President Eisenhower", "person:dwight-d-eisenhower"),
                      ("Mr. Khrushchev", "person:nikita-khrushchev")}
    assert not any(re.search(r"-s$", i) for _, _, i in got)


def test_different_people_of_one_surname_stay_apart(ents):
    text = ("Frederick W. Seward wrote to Mr. Seward. Then William H. Seward answered; "
            "George F. Seward, at Shanghai, was not told.")
    got = mentions(ents(doc(text, 1877)))
    ids = [i for t, _, i in got if t == "person"]
    assert ids == ["person:f-seward", "person:f-seward", "person:william-h-seward", "person:g-seward"]


def test_mrs_wilson_is_not_woodrow_wilson_and_wilson_kellogg_is_neither(ents):
    got = mentions(ents(doc("Woodrow Wilson met Mrs. Wilson and Wilson Kellogg.", 1917)))
    assert ("person", "Woodrow Wilson", "person:woodrow-wilson") in got
    assert ("person", "Mrs. Wilson", "person:mrs-wilson") in got
    assert not [m for m in got if m[1] == "Wilson"]


def test_a_bare_surname_follows_the_statesman_in_office_that_year(ents):
    a = EntityAnnotator()
    w1917 = [i for t, _, i in mentions(a(doc("President Wilson replied.", 1917))) if t == "person"]
    w1965 = [i for t, _, i in mentions(a(doc("Prime Minister Wilson replied.", 1965, "u")))
             if t == "person"]
    assert w1917 == ["person:woodrow-wilson"] and w1965 == ["person:harold-wilson"]


def test_a_surname_several_known_people_share_is_kept_apart_and_marked_ambiguous():
    a = EntityAnnotator()
    a(doc("Hugh R. Wilson, the chargé, reported.", 1935, "c"))
    a(doc("Thomas Wilson, the consul, reported.", 1935, "c"))
    ann = next(x for x in a(doc("Mr. Wilson reported again.", 1935, "c")) if x.type == "person")
    assert ann.value["id"] == "person:wilson" and ann.value["ambiguous"] is True
    assert set(ann.value["candidates"]) == {"person:h-wilson", "person:t-wilson"}


def test_east_asian_names_keep_the_family_name_first(ents):
    got = mentions(ents(doc("Generalissimo Chiang Kai-shek met Mr. Li Don Gen. Later Mr. Li said no.")))
    ids = [i for t, _, i in got if t == "person"]
    assert ids == ["person:chiang-kai-shek", "person:li-don-gen", "person:li-don-gen"]


def test_words_and_titles_are_not_people_or_places(ents):
    text = ("The European nations and the West German government. The Christian West is strong. "
            "H. B. M. Ambassador called. David Starr Jordan visited. The Marquis of Salisbury wrote. "
            "The Bonn Agreement was signed.")
    got = mentions(ents(doc(text)))
    assert ("person", "David Starr Jordan", "person:d-jordan") in got
    assert ("person", "Marquis of Salisbury", "person:marquis-of-salisbury") in got
    bad = {"person:west", "person:european", "person:ambassador", "place:david", "place:jor",
           "place:salisbury", "place:bonn", "person:c-west"}
    assert not bad & {i for _, _, i in got}


def test_statesmen_list_names_its_sources_and_years():
    sources, people = linking.statesmen()
    assert len(people) > 150
    for p in people:
        assert p.source in sources, p
        for post, country, a, b in p.offices:
            assert post and country and 1700 < a <= b < 2100, p
    data = json.loads(linking.DATA.read_text(encoding="utf-8"))
    assert len({p["id"] for p in data["people"]}) == len(data["people"])


@pytest.mark.corpus
@pytest.mark.slow
def test_no_false_entity_of_issue_13_survives_on_the_real_corpora():
    """The seed, two FRUS volumes and the UN speeches 1950-1960, enriched as ingest does."""
    from despatch.ingest import IngestOptions, read_file

    un = need(CORPUS / "ungdc" / "sessions")
    seed = need(CORPUS / "seed" / "cvce-development-of-soviet-policy-1953.txt")
    frus = need(CORPUS / "frus")
    a = EntityAnnotator()
    docs = []
    for f in [seed, frus / "frus1919Parisv01.xml", frus / "frus1917Supp02v02.xml"]:
        if f.exists():
            docs += read_file(str(f), f.read_bytes(), f.parent.name, IngestOptions(enrich=False))[1]
    for y in range(1950, 1961):
        for f in sorted((un / str(y)).glob("*.txt")):
            docs.append(Document(id=f.stem, collection="un", text=f.read_text(encoding="utf-8")))
    ids: dict[str, set[str]] = {}
    for d in docs:
        d.annotations = []
        for x in a(d):
            ids.setdefault(x.value["id"], set()).add(x.text)
    assert not [i for i in ids if re.search(r"-s$", i) and "'s" in " ".join(ids[i]) + "’s"]
    assert not [i for i in ids if i.endswith(("-s", "’s", "'s")) and any(t.endswith(("'s", "’s")) for t in ids[i])]
    false = {"person:assembly-s", "person:european", "person:west", "person:christian-west", "person:ambassador",
             "place:david", "person:kai-shek", "person:gen", "person:eisenhower-s", "person:khrushchev-s"}
    assert not false & set(ids), false & set(ids)
    assert not any(t in ("Ambassador", "European", "West", "Assembly's") for i, ts in ids.items()
                   if i.startswith("person:") for t in ts)
    assert "Salisbury" not in ids.get("place:salisbury", set()) or all(
        "Marquis" not in t for t in ids.get("place:salisbury", set()))


def test_surnames_found_by_what_diplomats_do_with_people(ents):
    """No title introduces them: they say and advise, telegrams go from and to them, they stand in lists."""
    text = ("141. From Grew. The French Government has proposed a date.\n"
            "142. Harrison from Grew. Your 6337 received.\n"
            "Wiseman said that British public feeling was strong. I have told Keynes to wait.\n"
            "There were present Lloyd George, Ribot, Boselli, and Sonnino. Mr. Stevens, Rublee and Morrow are in "
            "London.")
    got = {text_ for t, text_, _ in mentions(ents(doc(text, 1918))) if t == "person"}
    assert {"Grew", "Harrison", "Wiseman", "Keynes", "Ribot", "Boselli", "Rublee", "Morrow"} <= got


def test_context_does_not_make_people_of_peoples_offices_or_places(ents):
    text = ("13,000 Slavs (namely Croatians, Servians, Slovenes and Slovaks) live there. The Secretary of War "
            "informs me. The Rome Epoca states that Regret expressed my absence. The best access is through "
            "Saloniki; the Committee on Style proposed it. Maj. Gen. M. M. Patrick, Engrs. and Chm. Haskins.")
    got = {text_ for t, text_, _ in mentions(ents(doc(text, 1918))) if t == "person"}
    assert not got & {"Croatians", "Servians", "Slovenes", "Slovaks", "War", "Epoca", "Regret", "Saloniki",
                      "Style", "Engrs", "Chm"}


def test_a_surname_that_is_also_a_word_is_a_person_mid_sentence_only(ents):
    text = "Joseph C. Grew arrived. The crowd grew. We sent it to Grew at once. Grew tired of waiting."
    got = [(a.text, a.start) for a in ents(doc(text, 1918)) if a.type == "person"]
    assert ("Grew", text.index("to Grew") + 3) in got
    assert not [g for g in got if g[1] == text.index("Grew tired")]


def test_a_particle_before_a_capitalised_word_is_a_surname_but_not_inside_a_place(ents):
    text = ("Please say to da Gama that the Department agrees. Da Gama wishes to know. Inform Van Deman at once; "
            "Van Deman should know. He sailed to Rio de Janeiro for the Saint Jean de Maurienne papers.")
    got = [(a.text, a.value["id"]) for a in ents(doc(text, 1918)) if a.type == "person"]
    assert ("da Gama", "person:da-gama") in got and ("Da Gama", "person:da-gama") in got
    assert ("Van Deman", "person:van-deman") in got
    assert not [t for t, _ in got if "Janeiro" in t or "Maurienne" in t]


def test_context_in_speeches_takes_no_words_places_or_papers_for_people(ents):
    text = ("In 1949, when the communist army came to Kwangsi, Judge Wu left. Today, thank God, it is over. "
            "We see Konigsberg, for example. People believed that it would last. The three Commissions had "
            "agreed. The West German newspaper Westfalische Rundschau said so; the Bruderschaft Deutschland said "
            "more. As Dante said, and as Emerson said, it is old.")
    got = {a.text for a in ents(doc(text, 1954)) if a.type == "person"}
    assert not got & {"Kwangsi", "God", "Konigsberg", "People", "Commissions", "Rundschau", "Deutschland"}
    assert {"Dante", "Emerson"} <= got


def test_a_wife_named_by_title_does_not_make_her_husbands_surname_ambiguous():
    labels = {"person:grew": "Grew", "person:j-grew": "Joseph Clark Grew", "person:mrs-grew": "Mrs. Grew"}
    merge, ambiguous = linking.consolidate(labels)
    assert merge == {"person:grew": "person:j-grew"} and not ambiguous


def test_a_surname_without_its_particle_joins_the_full_name():
    from despatch.enrich.entities import _PARTS_FROZEN

    merge, _ = linking.consolidate({"person:chambrun": "Chambrun", "person:c-de-chambrun": "Charles de Chambrun"},
                                   _PARTS_FROZEN)
    assert merge == {"person:chambrun": "person:c-de-chambrun"}


def test_a_name_by_middle_name_joins_the_longer_form_but_two_given_names_stay_two_people():
    labels = {"person:n-page": "Nelson Page", "person:t-page": "Thos. Nelson Page", "person:page": "Page",
              "person:t-bliss": "Tasker H. Bliss", "person:r-bliss": "Robert Woods Bliss", "person:bliss": "Bliss",
              "person:woodrow-wilson": "Woodrow Wilson", "person:t-wilson": "Thomas Woodrow Wilson"}
    merge, ambiguous = linking.consolidate(labels)
    assert merge["person:n-page"] == "person:t-page" and merge["person:page"] == "person:t-page"
    assert "person:bliss" not in merge and ambiguous["person:bliss"] == ["person:r-bliss", "person:t-bliss"]
    assert "person:woodrow-wilson" not in merge  # an authority's id is never merged away


def test_a_possessive_ends_the_name_before_the_next_word(ents):
    got = mentions(ents(doc("a line such as contemplated in President Wilson’s Declarations, and "
                            "Mr. Dulles's Policy Paper", 1918, "possessive")))
    people = [(text, i) for t, text, i in got if t == "person"]
    assert people == [("President Wilson", "person:woodrow-wilson"), ("Mr. Dulles", "person:dulles")]


def test_a_common_word_in_a_list_of_officers_is_no_given_name(ents):
    text = ("The organization is as follows: Treasurer D. H. Miller Research J. T. Shotwell Secretary W. Lippmann. "
            "The research is done by the staff. Vance C. McCormick agrees.")
    people = {(text_, i) for t, text_, i in mentions(ents(doc(text, 1917))) if t == "person"}
    assert {("D. H. Miller", "person:d-miller"), ("J. T. Shotwell", "person:j-shotwell"),
            ("Vance C. McCormick", "person:v-mccormick")} <= people


def test_initials_the_editors_completed_in_brackets_are_a_name(ents):
    text = "I have informed Mr. Baker to that effect.\nJ. C. G[rew]\nYours always, W[alter] L[ippmann]"
    people = [(text_, i) for t, text_, i in mentions(ents(doc(text, 1919))) if t == "person"]
    assert ("J. C. G[rew]", "person:j-grew") in people and ("W[alter] L[ippmann]", "person:w-lippmann") in people


def test_a_full_name_the_collection_learned_is_found_whole_and_linked_later():
    a = EntityAnnotator()
    a(doc("I beg you to appoint Mr. Ray Stannard Baker. Newton D. Baker, Secretary of War, agreed.", 1918, "p"))
    later = [(x.text, x.value["id"]) for x in a(doc("The President has designated Ray Stannard Baker to act.",
                                                        1918, "p")) if x.type == "person"]
    assert later == [("Ray Stannard Baker", "person:r-baker")]


def test_one_person_written_two_ways_in_the_collection_leaves_his_surname_unambiguous():
    a = EntityAnnotator()
    a(doc("Thos. Nelson Page, the Ambassador in Italy, reported.", 1918, "q"))
    a(doc("Nelson Page cabled again.", 1918, "q"))
    ann = next(x for x in a(doc("We have informed Page at once.", 1918, "q")) if x.type == "person")
    assert ann.value["id"] == "person:t-page" and not ann.value.get("ambiguous")


def test_a_middle_initial_the_statesmen_list_omits_keeps_the_statesman():
    a = EntityAnnotator()
    got = [x.value["id"] for x in a(doc("Nikita S. Khrushchev spoke; later Mr. Khrushchev replied.", 1959, "k"))
           if x.type == "person"]
    assert got == ["person:nikita-khrushchev", "person:nikita-khrushchev"]
    merge, _ = linking.consolidate({"person:nikita-khrushchev": "Nikita Khrushchev",
                                    "person:n-khrushchev": "Nikita S. Khrushchev", "person:khrushchev": "Khrushchev"})
    assert merge == {"person:n-khrushchev": "person:nikita-khrushchev",
                     "person:khrushchev": "person:nikita-khrushchev"}


def test_a_rank_tells_apart_two_people_of_one_surname_a_courtesy_title_does_not():
    a = EntityAnnotator()
    a(doc("General Tasker H. Bliss arrived with his staff.", 1918, "r"))
    a(doc("The Chargé in France (Robert Woods Bliss) called.", 1918, "r"))
    got = [(x.text, x.value["id"], bool(x.value.get("ambiguous")))
           for x in a(doc("I discussed it with General Bliss. Mr. Bliss agreed.", 1918, "r")) if x.type == "person"]
    assert got == [("General Bliss", "person:t-bliss", False), ("Mr. Bliss", "person:bliss", True)]
    b = EntityAnnotator()
    got = [(x.text, x.value["id"]) for x in b(doc("General Tasker H. Bliss and Robert Woods Bliss met. General Bliss "
                                                    "spoke.", 1918, "s")) if x.type == "person"]
    assert got[-1] == ("General Bliss", "person:t-bliss")


def test_a_title_word_after_a_courtesy_title_is_a_surname_not_after_an_office(ents):
    text = ("Professor Lord is himself doing research on Poland. Professor Lord’s specialty is Polish politics. "
            "Mr. President, the Lord Chancellor and Mr. Lord Reading agreed.")
    got = mentions(ents(doc(text, 1918)))
    lords = [m for m in got if m[0] == "person" and m[1].startswith("Professor Lord")]
    assert len(lords) == 2 and {i for _, _, i in lords} == {"person:lord"}
    assert not [m for m in got if m[0] == "person" and m[1] in ("Mr. President", "Mr. Lord")]
    judge = mentions(ents(doc("Some minutes later Mr. Judge of Instruction Feys asked for the papers.", 1901)))
    assert not [m for m in judge if m[1] == "Mr. Judge"]


def test_initials_alone_stand_for_the_one_person_named_whose_initials_they_are():
    ents = EntityAnnotator()
    ents(Document(id="t/1", collection="c", text="Mr. Newton D. Baker and Mr. Ray Stannard Baker met in Paris."))
    text = ("Colonel E. M. House to the Secretary of War (Baker). Dear N. D. B.: I want to write you. "
            "The U. S. A. will agree.\nYours sincerely,\nE. M. H.\nCopy to R. L. and A. B.")
    got = mentions(ents(Document(id="t/2", collection="c", text=text)))
    by_text = {t: i for _, t, i in got}
    assert by_text.get("N. D. B.") == "person:n-baker"
    assert by_text.get("E. M. H.") == by_text["Colonel E. M. House"]
    assert not {"U. S. A.", "R. L.", "A. B."} & set(by_text)
    ents(Document(id="t/3", collection="c", text="Mr. John Hay and Mr. Niels Bonde and Mr. Clement Bennett spoke."))
    ents(Document(id="t/5", collection="c", text="Mr. James Hamilton Lewis spoke."))
    other = ("Mr. Hay, Mr. Lewis and Mr. Bonde said the J. H. L. was a schooner (J. H. L. log book, p. 5). "
             "Fletcher v. Taylor, 17 C. B., 21. Mr. Bennett agreed. N. B.—The foregoing is the same.")
    got4 = mentions(ents(Document(id="t/4", collection="c", text=other)))
    assert not [x for t, x, _ in got4 if t == "person" and re.match(r"[A-Z]\.", x)]


def test_a_salutation_by_given_name_or_rank_is_the_one_person_named_so(ents):
    text = ("The Secretary of State to Mr. Walter Lippmann. Dear Walter: I have your letter. "
            "The Secretary of State to Colonel E. M. House. My Dear Colonel: I saw the President. "
            "Dear Sir: nothing. Dear Henry: nobody of that name.")
    got = mentions(ents(doc(text, 1918)))
    by_text = {t: i for _, t, i in got}
    assert by_text.get("Walter") == by_text["Mr. Walter Lippmann"]
    assert by_text.get("Colonel") == by_text["Colonel E. M. House"]
    assert not {"Sir", "Henry"} & set(by_text)
    two = "Colonel E. M. House and Colonel Charles Young. My Dear Colonel: which one?"
    assert "Colonel" not in {t for _, t, _ in mentions(ents(doc(two, 1918)))}


def test_a_title_word_after_an_initial_is_the_surname(ents):
    text = ("The members: W. E. Lunt, R. H. Lord, W. L. Westermann. Later Professor Robert H. Lord arrived. "
            "Professor Lord spoke. H. B. M. Ambassador arrived.")
    got = mentions(ents(doc(text, 1918)))
    lords = {i for t, x, i in got if t == "person" and "Lord" in x}
    assert ("person", "R. H. Lord", "person:r-lord") in got and lords == {"person:r-lord"}
    assert not [m for m in got if "Ambassador" in m[1]]
