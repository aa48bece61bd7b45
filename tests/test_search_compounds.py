"""Spelling variants of the period: hyphenated and closed compounds are one word (search/compounds.py).

`coexistence` and `co-existence` find the same documents with the same counts and marks; `=form` finds one
spelling only; the parts of a compound are still words (`Soviet` finds `Sino-Soviet`)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from despatch.ingest import IngestOptions, ingest
from despatch.model import Document, Span
from despatch.search.compounds import joined
from despatch.store import open_archive
from despatch.store.base import StoredFile


def _doc(id_: str, text: str) -> Document:
    return Document(id=id_, collection="t", title=id_.split("/")[1], text=text,
                    structure=[Span("paragraph", 0, len(text))])


DOCS = [
    _doc("t/hyphen", "We stand for peaceful co-existence and co-operation with Viet-Nam."),
    _doc("t/closed", "Peaceful coexistence requires cooperation; Vietnam agreed."),
    _doc("t/both", "Co-existence, that is coexistence, was the theme."),
    _doc("t/parts", "Sino-Soviet relations and the right of self-determination; the existence of states."),
    _doc("t/range", "The 1953-54 session discussed the B-52."),
]


@pytest.fixture
def archive(tmp_path):
    a = open_archive(tmp_path / "c.db")
    a.put(StoredFile("fixture", "0" * 64, 1, "txt", b"x"), "t", [Document.from_dict(d.to_dict()) for d in DOCS])
    yield a
    a.close()


def _ids(archive, q, by="document"):
    return sorted(h.id for h in archive.search(q, per_page=100, by=by).hits)


def _marked(archive, q, doc_id):
    hit = next(h for h in archive.search(q, per_page=100).hits if h.id == doc_id)
    return [s.text[h.start:h.end] for s in hit.snippets for h in s.highlights], hit.matches


@pytest.mark.parametrize("closed,hyphenated", [("coexistence", "co-existence"), ("cooperation", "co-operation"),
                                               ("Vietnam", "Viet-Nam")])
def test_both_spellings_find_the_same(archive, closed, hyphenated):
    for by in ("document", "paragraph"):
        assert _ids(archive, closed, by) == _ids(archive, hyphenated, by)
    assert "t/hyphen" in _ids(archive, closed) and "t/closed" in _ids(archive, hyphenated)


def test_exact_form_finds_one_spelling(archive):
    assert _ids(archive, "=coexistence") == ["t/both", "t/closed"]
    assert _ids(archive, "=co-existence") == ["t/both", "t/hyphen"]
    assert _ids(archive, "=Viet-Nam") == ["t/hyphen"]
    assert _ids(archive, "=Vietnam") == ["t/closed"]


def test_phrases_run_over_either_spelling(archive):
    assert _ids(archive, '"peaceful coexistence"') == ["t/closed", "t/hyphen"]
    assert _ids(archive, '"peaceful co-existence"') == ["t/closed", "t/hyphen"]


def test_prefix_finds_both_spellings(archive):
    assert _ids(archive, "coexist*") == ["t/both", "t/closed", "t/hyphen"]


def test_parts_are_still_words_and_digits_do_not_join(archive):
    assert _ids(archive, "Soviet") == ["t/parts"]
    assert _ids(archive, "determination") == ["t/parts"]
    assert _ids(archive, '"self determination"') == ["t/parts"]
    assert _ids(archive, "existence") == ["t/both", "t/hyphen", "t/parts"]  # the part, as before
    assert _ids(archive, "1953") == ["t/range"]
    assert _ids(archive, "=195354") == []


def test_marks_and_counts_are_the_same_for_both_spellings(archive):
    for q in ("coexistence", "co-existence"):
        marks, n = _marked(archive, q, "t/both")
        assert marks == ["Co-existence", "coexistence"] and n == 2
    assert _marked(archive, "=co-existence", "t/both") == (["Co-existence"], 1)
    assert _marked(archive, "=coexistence", "t/both") == (["coexistence"], 1)
    assert _marked(archive, '"peaceful coexistence"', "t/hyphen")[0] == ["peaceful co-existence"]
    assert _marked(archive, "Soviet", "t/parts")[0] == ["Soviet"]


def test_joined_keeps_ranges_and_codes_apart():
    text, parts = joined("non-self-governing 1953-54 B-52 Viet\u2010Nam")
    assert parts == ["non self governing", "Viet Nam"]
    assert "1953-54" in text and "B-52" in text


# -- the real corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def un_archive(tmp_path_factory):
    from conftest import UNGDC, need

    corpus = need(UNGDC / "ungdc-1946-2024.tar.xz")  # the whole corpus, 1946-2024: 10,952 speeches
    arch = open_archive(tmp_path_factory.mktemp("un") / "un.db")
    ingest(arch, [str(corpus)], IngestOptions(name_pattern="{country}_{session}_{year}", enrich=False, workers=2))
    yield arch
    arch.close()


def _fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _all_ids(archive, q):
    out, page = set(), 1
    while True:
        res = archive.search(q, per_page=500, page=page, facets=[], snippets=False)
        out |= {h.id for h in res.hits}
        if page >= res.pages:
            return out
        page += 1


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("closed,hyphenated,rx", [
    ("coexistence", "co-existence", r"co-?existence"),
    ("cooperation", "co-operation", r"co-?operation"),
    ("Vietnam", "Viet-Nam", r"viet-?nam"),
])
def test_un_speeches_both_spellings_same_documents_and_counts(un_archive, closed, hyphenated, rx):
    a, b = (un_archive.search(q, per_page=200, facets=["year"]) for q in (closed, hyphenated))
    assert a.total == b.total > 0
    assert [(h.id, h.matches) for h in a.hits] == [(h.id, h.matches) for h in b.hits]
    assert [(v.value, v.count) for v in a.facets[0].values] == [(v.value, v.count) for v in b.facets[0].values]
    found = _all_ids(un_archive, closed)
    assert found == _all_ids(un_archive, hyphenated) and len(found) == a.total
    # Checked against the texts themselves: every speech with either spelling is found, and =form
    # finds exactly the speeches that have that spelling.
    # Accents fold as in the index: "coopération" in a French phrase is "cooperation".
    texts = {d.id: _fold(d.text) for d in un_archive.iter_documents(with_annotations=False)}
    either = {i for i, t in texts.items() if re.search(rf"\b{rx}\b", t)}
    assert either <= found
    hyph = {i for i, t in texts.items() if re.search(rf"\b{rx.replace('-?', '-')}\b", t)}
    closed_ids = {i for i, t in texts.items() if re.search(rf"\b{rx.replace('-?', '')}\b", t)}
    assert _all_ids(un_archive, "=" + hyphenated) == hyph
    assert _all_ids(un_archive, "=" + closed) == closed_ids
    assert hyph and closed_ids  # the period really spells it both ways
