"""Stemmed search over words indexed as written (search/forms.py): every form of a word is found, and the
forms of one word weigh together as one stemmed term would, not each by its own rarity."""

from __future__ import annotations

import pytest
import tantivy

from despatch.model import Document, Span
from despatch.search.forms import prefixes, stem
from despatch.store import open_archive
from despatch.store.base import StoredFile


def _doc(id_: str, text: str, title: str | None = None) -> Document:
    return Document(id=id_, collection="t", title=title or id_, text=text,
                    structure=[Span("paragraph", 0, len(text))])


@pytest.fixture
def archive(tmp_path):
    filler = [_doc(f"t/filler{i}", f"Report {i} on weapons stocks and the weapons trade.") for i in range(30)]
    docs = [
        _doc("t/rare", "A ship weaponed at sea."),  # the only entry with this form: rare on its own
        _doc("t/many", "Weapons, weapons and more weapons: the weapons of the powers, weapons everywhere."),
        _doc("t/phrase", "The right of self-determination was affirmed; the people determined it."),
        _doc("t/phrase2", "They spoke of self-determination."),
        _doc("t/titled", "Nothing relevant in the body.", title="Cyprus dispute"),
    ]
    a = open_archive(tmp_path / "a.db")
    a.put(StoredFile("fixture", "0" * 64, 1, "txt", b"x"), "t", docs + filler)
    yield a
    a.close()


@pytest.mark.parametrize(
    "word",
    ["policy", "policies", "dying", "lying", "tying", "hoping", "organization", "relational", "nationalism",
     "skies", "generously", "electrical", "argued", "cried", "agreed", "happily", "news", "is", "us", "a"],
)
def test_every_form_begins_with_a_prefix_of_its_stem(word):
    (s,) = stem(word)
    assert any(word.startswith(p) for p in prefixes(s)), (word, s, prefixes(s))


def test_all_forms_are_found_and_exact_finds_one(archive):
    found = {h.id for h in archive.search("weapon", per_page=100).hits}
    assert {"t/rare", "t/many"} <= found
    assert [h.id for h in archive.search("=weaponed").hits] == ["t/rare"]


def test_a_rare_form_does_not_outrank_many_uses_of_a_common_one(archive):
    # Each form searched on its own would give the lone "weaponed" the highest rarity of all.
    ranked = [h.id for h in archive.search("weapon", per_page=100).hits]
    assert ranked.index("t/many") < ranked.index("t/rare")


def test_phrase_over_several_forms_weighs_as_the_stems(archive):
    """A phrase whose words have several forms scores like a phrase of single terms (tantivy would
    otherwise weigh each pattern as a term found nowhere)."""
    archive.sync_search()
    index = archive.search_index
    searcher = index.indexes["document"].searcher()
    forms = index.forms("document", searcher)
    assert len(forms.of("text", "determin")) == 2  # determination, determined: one entry has both
    multi = forms.phrase("text", stem("self") + stem("determination"), 0)
    single = tantivy.Query.phrase_query(index.schemas["document"], "text", ["self", "determination"], 0)
    a = _scores(searcher, multi)
    b = _scores(searcher, single)
    assert a.keys() == b.keys() and len(a) == 2
    for k in a:
        assert a[k] == pytest.approx(b[k], rel=1e-4)


def _scores(searcher: tantivy.Searcher, q: tantivy.Query) -> dict[int, float]:
    hits = searcher.search(q, 10).hits
    return dict(zip(searcher.fast_field_values("rowid", [a for _, a in hits]), [s for s, _ in hits], strict=True))


def test_exact_and_prefix_reach_the_title(archive):
    assert [h.id for h in archive.search("=cyprus").hits] == ["t/titled"]
    assert [h.id for h in archive.search("cypr*").hits] == ["t/titled"]
    assert [h.id for h in archive.search("self-determination", by="paragraph").hits][0] in {"t/phrase", "t/phrase2"}
