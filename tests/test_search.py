"""Archive.search end to end on a small hand-made archive: every operator and field, ranking, dates,
facets and filters, snippets, paragraph hits, paging, sorting, the CLI, and index/store agreement."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from despatch.cli import main
from despatch.model import Annotation, Classification, DocDate, Document, Span
from despatch.search import SearchResult
from despatch.search.query import QueryError
from despatch.store import open_archive
from despatch.store.base import StoredFile


def _doc(id_, paras, title=None, date=None, prec="day", **kw):
    text = "\n".join(paras)
    spans, pos = [], 0
    for i, p in enumerate(paras):
        spans.append(Span("heading" if i == 0 and kw.get("heading") else "paragraph", pos, pos + len(p)))
        pos += len(p) + 1
    kw.pop("heading", None)
    anns = []
    for typ, name, ident in kw.pop("entities", []):
        at = text.find(name.split()[-1])
        anns.append(
            Annotation(
                typ,
                at,
                at + len(name.split()[-1]),
                text[at : at + len(name.split()[-1])],
                {"id": ident, "name": name},
                "test",
            )
        )
    d = None
    if date:
        d = DocDate(*date, prec) if isinstance(date, tuple) else DocDate(date, date, prec)
    return Document(
        id=id_,
        collection=kw.pop("collection", "test"),
        text=text,
        title=title,
        date=d,
        structure=spans,
        annotations=anns,
        **kw,
    )


DOCS = [
    _doc(
        "t/belgian",
        [
            "Changes in Soviet policy",
            "Since the death of Stalin the Soviet Union speaks of peaceful coexistence.",
            "Malenkov proposed talks; the policies of the Kremlin remain unchanged.",
        ],
        title="The development of Soviet policy",
        date=("1953-01-01", "1953-12-31"),
        prec="year",
        heading=True,
        classification=Classification("TOP SECRET", "Top Secret"),
        doc_type="note",
        language="en",
        metadata={"country": "BEL"},
        entities=[
            ("person", "Georgy Malenkov", "Q1"),
            ("person", "Joseph Stalin", "Q2"),
            ("place", "Moscow Kremlin", "P1"),
        ],
    ),
    _doc(
        "t/telegram",
        ["The ambassador called at the Élysée.", "No policy on Indochina was agreed with the French."],
        title="Telegram from Paris",
        date="1953-03-05",
        doc_type="telegram",
        language="en",
        classification=Classification("SECRET", "Secret"),
        metadata={"country": "USA", "session": 8},
        entities=[("place", "Paris", "P2"), ("org", "French Government", "O1")],
    ),
    _doc(
        "t/memo",
        [
            "Memorandum on disarmament.",
            "Nuclear weapons and the control of atomic energy were discussed; disarmament talks stalled.",
            "Coexistence was not peaceful in Korea.",
        ],
        title="Memorandum of conversation",
        date="1955-07",
        prec="month",
        doc_type="memorandum",
        language="en",
        metadata={"country": "USA", "session": 10},
        collection="frus",
    ),
    _doc(
        "t/undated",
        ["An undated fragment about peaceful relations and Soviet trade."],
        title="Fragment",
        language="fr",
        collection="frus",
    ),
    _doc(
        "t/russian",
        ["Организация Объединённых Наций и мирное сосуществование.", "北京 会议"],
        title="Речь",
        date="1960-09-23",
        language="ru",
        metadata={"country": "RUS", "session": 15},
    ),
    _doc(
        "t/operators",
        ["NEAR AND OR NOT column: text:secret {braces} [brackets] ^ * \" '"],
        title="Operators typed as text",
        date="1961-01-01",
        metadata={"country": "GBR"},
    ),
]


@pytest.fixture
def arch(tmp_path):
    a = open_archive(tmp_path / "a.db")
    a.put(StoredFile("fixture", "0" * 64, 1, "txt", b"x"), "test", [Document.from_dict(d.to_dict()) for d in DOCS])
    yield a
    a.close()


def ids(res: SearchResult) -> list[str]:
    return [h.id for h in res.hits]


def test_words_are_stemmed_and_case_and_accent_insensitive(arch):
    assert set(ids(arch.search("policies"))) == {"t/belgian", "t/telegram"}
    assert ids(arch.search("ELYSEE")) == ["t/telegram"]
    assert ids(arch.search("élysée")) == ["t/telegram"]


def test_exact_form_is_not_stemmed(arch):
    assert ids(arch.search("=policies")) == ["t/belgian"]
    assert set(ids(arch.search("policies"))) == {"t/belgian", "t/telegram"}


def test_phrase_matches_only_adjacent_words(arch):
    assert ids(arch.search('"peaceful coexistence"')) == ["t/belgian"]
    assert set(ids(arch.search("peaceful coexistence"))) == {"t/belgian", "t/memo"}


def test_proximity(arch):
    # "Coexistence was not peaceful in Korea": two words between coexistence and peaceful.
    assert ids(arch.search('"coexistence peaceful"~1')) == []
    assert set(ids(arch.search('"coexistence peaceful"~2'))) == {"t/memo", "t/belgian"}  # reversed order costs 2
    assert "t/memo" not in ids(arch.search('"coexistence korea"~3'))
    assert "t/memo" in ids(arch.search('"coexistence korea"~4'))


def test_prefix(arch):
    assert set(ids(arch.search("disarm*"))) == {"t/memo"}
    assert set(ids(arch.search("sovi*"))) == {"t/belgian", "t/undated"}


def test_boolean_operators(arch):
    assert set(ids(arch.search("soviet OR indochina"))) == {"t/belgian", "t/telegram", "t/undated"}
    assert set(ids(arch.search("soviet AND trade"))) == {"t/undated"}
    assert set(ids(arch.search("soviet NOT trade"))) == {"t/belgian"}
    assert set(ids(arch.search("soviet -trade"))) == {"t/belgian"}
    assert set(ids(arch.search("+soviet +trade"))) == {"t/undated"}
    assert set(ids(arch.search("(soviet OR nuclear) AND NOT stalin"))) == {"t/undated", "t/memo"}
    assert set(ids(arch.search("-soviet"))) == {"t/telegram", "t/memo", "t/russian", "t/operators"}


def test_title_and_text_fields(arch):
    assert ids(arch.search("title:telegram")) == ["t/telegram"]
    assert ids(arch.search("text:telegram")) == []
    assert ids(arch.search('title:"soviet policy"')) == ["t/belgian"]
    assert set(ids(arch.search("text:policy"))) == {"t/belgian", "t/telegram"}


def test_entity_fields(arch):
    assert ids(arch.search("person:Malenkov")) == ["t/belgian"]
    assert ids(arch.search('person:"Georgy Malenkov"')) == ["t/belgian"]
    assert ids(arch.search("place:Paris")) == ["t/telegram"]
    assert ids(arch.search("org:french")) == ["t/telegram"]
    assert ids(arch.search("person:Paris")) == []


def test_keyword_and_metadata_fields(arch):
    assert ids(arch.search("classification:secret")) == ["t/telegram"]
    assert ids(arch.search('classification:"top secret"')) == ["t/belgian"]
    assert set(ids(arch.search("collection:frus"))) == {"t/memo", "t/undated"}
    assert ids(arch.search("type:telegram")) == ["t/telegram"]
    assert ids(arch.search("lang:fr")) == ["t/undated"]
    assert set(ids(arch.search("country:usa"))) == {"t/telegram", "t/memo"}
    assert ids(arch.search("session:8")) == ["t/telegram"]


def test_date_rule_overlap_for_year_and_month_precision(arch):
    # t/belgian is dated only to 1953 (1953-01-01..1953-12-31): it overlaps March-September 1953.
    assert set(ids(arch.search("date:1953-03..1953-09"))) == {"t/belgian", "t/telegram"}
    assert set(ids(arch.search("date:1953-04..1953-09"))) == {"t/belgian"}
    assert set(ids(arch.search("year:1953"))) == {"t/belgian", "t/telegram"}
    # t/memo is dated to July 1955.
    assert ids(arch.search("date:1955-07-15")) == ["t/memo"]
    assert ids(arch.search("date:1955-08..1955-12")) == []
    assert set(ids(arch.search("after:1953"))) == {"t/memo", "t/russian", "t/operators"}
    assert set(ids(arch.search("before:1955-07-02"))) == {"t/belgian", "t/telegram", "t/memo"}
    assert set(ids(arch.search("date:>1955"))) == {"t/russian", "t/operators"}
    assert "t/undated" not in ids(arch.search("date:1000..3000"))


def test_title_outranks_body(arch):
    res = arch.search("soviet")
    assert ids(res)[0] == "t/belgian"
    assert res.hits[0].score > res.hits[1].score


def test_sort_by_date_both_ways_undated_last(arch):
    asc = ids(arch.search("", sort="date"))
    assert asc == ["t/belgian", "t/telegram", "t/memo", "t/russian", "t/operators", "t/undated"]
    desc = ids(arch.search("", sort="-date"))
    assert desc[:5] == ["t/operators", "t/russian", "t/memo", "t/telegram", "t/belgian"]


def test_deep_paging_is_stable_and_complete(arch):
    whole = ids(arch.search("", sort="date", per_page=100))
    paged = [i for p in (1, 2, 3) for i in ids(arch.search("", sort="date", per_page=2, page=p))]
    assert paged == whole
    rel = ids(arch.search("peaceful OR soviet OR policy", per_page=100))
    paged = [i for p in (1, 2, 3, 4) for i in ids(arch.search("peaceful OR soviet OR policy", per_page=1, page=p))]
    assert paged == rel
    assert arch.search("", page=50).hits == []


def test_facets_count_the_whole_result_and_filters_apply_and_remove(arch):
    res = arch.search("")
    f = {x.name: x for x in res.facets}
    assert {v.value: v.count for v in f["year"].values} == {"1953": 2, "1955": 1, "1960": 1, "1961": 1}
    assert f["year"].missing == 1
    assert {v.value: v.count for v in f["decade"].values} == {"1950s": 3, "1960s": 2}
    assert {v.value: v.count for v in f["collection"].values} == {"test": 4, "frus": 2}
    assert {v.value: v.count for v in f["classification"].values} == {"TOP SECRET": 1, "SECRET": 1}
    assert {v.value: v.count for v in f["doc_type"].values} == {"note": 1, "telegram": 1, "memorandum": 1}
    assert {v.value: v.count for v in f["language"].values} == {"en": 3, "fr": 1, "ru": 1}
    assert {v.value: v.count for v in f["country"].values} == {"USA": 2, "BEL": 1, "RUS": 1, "GBR": 1}
    assert {v.value for v in f["person"].values} == {"Georgy Malenkov", "Joseph Stalin"}
    assert {v.value for v in f["place"].values} == {"Moscow Kremlin", "Paris"}
    assert {v.value for v in f["org"].values} == {"French Government"}
    usa = next(v for v in f["country"].values if v.value == "USA")
    narrowed = arch.search("", filters=[usa.filter])
    assert set(ids(narrowed)) == {"t/telegram", "t/memo"}
    assert narrowed.filters == ["country:USA"]
    assert next(v for v in {x.name: x for x in narrowed.facets}["country"].values if v.value == "USA").selected
    dec = next(v for v in f["decade"].values if v.value == "1950s")
    both = arch.search("", filters=[usa.filter, dec.filter, 'person:"Georgy Malenkov"'])
    assert ids(both) == []
    removed = arch.search("", filters=[dec.filter])
    assert set(ids(removed)) == {"t/belgian", "t/telegram", "t/memo"}
    assert arch.search("", filters={"country": ["USA"], "year": 1953}).total == 1


def test_facet_choice(arch):
    res = arch.search("soviet", facets=["year"])
    assert [f.name for f in res.facets] == ["year"]
    assert arch.search("soviet", facets=[]).facets == []
    with pytest.raises(QueryError):
        arch.search("soviet", facets=["nonsense"])


def test_snippets_mark_matches_and_phrases(arch):
    res = arch.search('"peaceful coexistence" Stalin')
    h = res.hits[0]
    marked = " ".join(s.marked() for s in h.snippets)
    assert "[peaceful coexistence]" in marked
    assert "[Stalin]" in marked
    assert h.matches == 2
    doc = arch.get(h.id)
    for s in h.snippets:
        assert doc.text[s.doc_start : s.doc_end] == s.text
        for hl in s.highlights:
            assert doc.text[hl.doc_start : hl.doc_end] == s.text[hl.start : hl.end]


def test_snippet_marks_stemmed_forms_not_negated_words(arch):
    h = arch.search("policy -trade").hits
    marked = " ".join(s.marked() for x in h for s in x.snippets)
    assert "[policies]" in marked and "[policy]" in marked


def test_paragraph_hits_point_into_their_document(arch):
    res = arch.search("Malenkov", by="paragraph")
    assert res.by == "paragraph" and res.total == 1
    h = res.hits[0]
    doc = arch.get(h.id)
    assert h.paragraph.number == 3
    assert doc.text[h.paragraph.start : h.paragraph.end].startswith("Malenkov proposed talks")
    assert h.snippets[0].doc_start >= h.paragraph.start
    # A heading paragraph is a paragraph unit too, and ranks first for its words.
    first = arch.search("changes", by="paragraph").hits[0]
    assert first.paragraph.type == "heading" and first.paragraph.number == 1


def test_paragraph_level_counts_paragraphs(arch):
    assert arch.search("soviet", by="paragraph").total == 3
    assert arch.search("soviet").total == 2


def test_non_latin_search(arch):
    assert ids(arch.search("Наций")) == ["t/russian"]
    assert ids(arch.search('"мирное сосуществование"')) == ["t/russian"]
    assert ids(arch.search("北京")) == ["t/russian"]


@pytest.mark.parametrize(
    "q",
    [
        "NEAR",
        "and",
        "column:x",
        "text:secret",
        "{braces}",
        "[brackets]",
        "^",
        "*",
        "'",
        "NEAR/3",
        "a:b:c",
        "title:NEAR",
        'col:"x"',
        "\\",
        '"\'"',
        "x~2",
        "-",
        "+",
        "=",
        "==",
        "**",
        "*a",
        "\x00",
        "\u202e",
    ],
)
def test_hostile_input_never_raises_anything_but_a_query_error(arch, q):
    try:
        res = arch.search(q)
    except QueryError as e:
        assert e.suggestion or e.message
    else:
        assert isinstance(res, SearchResult)


def test_operator_words_typed_as_text_are_searched_as_words(arch):
    assert ids(arch.search("NEAR")) == ["t/operators"]
    assert ids(arch.search("braces")) == ["t/operators"]
    assert ids(arch.search("column secret")) == ["t/operators"]


def test_ten_thousand_character_queries(arch):
    with pytest.raises(QueryError):
        arch.search(" ".join(["soviet"] * 2000))
    assert arch.search("s" * 10_000).total == 0
    assert arch.search("soviet policy " * 500).total == 1  # 1,000 terms, 7,000 characters
    try:
        assert arch.search(("\x01!? " * 2500)[:10_000]).total == 0
    except QueryError as e:
        assert "more than" in str(e)


def test_empty_query_lists_everything_by_date(arch):
    res = arch.search("")
    assert res.total == len(DOCS) and res.sort == "date"


def test_result_to_dict_is_json(arch):
    d = arch.search("soviet", by="paragraph").to_dict()
    back = json.loads(json.dumps(d))
    assert back["hits"][0]["paragraph"]["number"] >= 1
    assert back["total"] == 3 and back["pages"] == 1 and back["parsed"] == "soviet"


def test_result_to_dict_holds_every_field_of_the_result(arch):
    """The JSON contract is every field of the result, nested (hits, snippets, highlights, facets)."""
    import dataclasses

    for by in ("document", "paragraph"):
        r = arch.search("soviet OR policy", by=by)
        assert r.hits and r.hits[0].snippets and r.facets
        assert r.to_dict() == {**dataclasses.asdict(r), "pages": r.pages}


def test_new_versions_replace_old_in_the_index(arch):
    d = Document.from_dict(DOCS[1].to_dict())
    d.text = d.text.replace("Indochina", "Morocco")
    arch.put(StoredFile("v2", "1" * 64, 1, "txt", b"y"), "test", [d])
    assert ids(arch.search("morocco")) == ["t/telegram"]
    assert ids(arch.search("indochina")) == []
    assert arch.search("morocco").hits[0].version == 2


def test_annotations_changes_reach_the_index(arch):
    doc = arch.get("t/memo")
    at = doc.text.index("Korea")
    arch.replace_annotations(
        "t/memo", ["test"], [Annotation("place", at, at + 5, "Korea", {"id": "K", "name": "Korea"}, "test")]
    )
    assert ids(arch.search("place:korea")) == ["t/memo"]


def test_reindex_rebuilds_from_the_store(arch):
    shutil.rmtree(arch.search_index.dir)
    arch._search_index = None
    assert arch.reindex() == len(DOCS)
    assert ids(arch.search('"peaceful coexistence"')) == ["t/belgian"]


def test_index_behind_never_shows_a_document_the_store_no_longer_has(arch, monkeypatch):
    arch.search("soviet")  # index in step
    d = Document.from_dict(DOCS[3].to_dict())
    d.text = "Replaced text without the word."
    arch.put(StoredFile("v2", "2" * 64, 1, "txt", b"z"), "test", [d])
    monkeypatch.setattr(type(arch.search_index), "sync", lambda self: 0)  # e.g. another writer holds the lock
    res = arch.search("soviet trade")
    assert ids(res) == []  # the stale entry points at the old version: not shown
    assert res.index["lag"] >= 1 and any("behind" in w for w in res.warnings)


def test_interrupted_sync_is_replayed(arch):
    arch.search("soviet")
    idx = arch.search_index
    d = Document.from_dict(DOCS[0].to_dict())
    d.text = d.text + "\nA new paragraph about Yugoslavia."
    d.structure.append(Span("paragraph", d.text.rindex("A new"), len(d.text)))
    arch.put(StoredFile("v3", "3" * 64, 1, "txt", b"w"), "test", [d])
    before = idx.watermark
    # Simulate a crash after tantivy committed but before the watermark was written: replay is harmless.
    idx.sync()
    idx.state["seq"] = before
    idx._write_state()
    idx.sync()
    assert arch.search("yugoslavia").total == 1
    assert arch.search("yugoslavia", by="paragraph").total == 1


def test_cli_search_table_json_explain_and_errors(tmp_path):
    db = tmp_path / "c.db"
    a = open_archive(db)
    a.put(StoredFile("fixture", "0" * 64, 1, "txt", b"x"), "test", [Document.from_dict(d.to_dict()) for d in DOCS])
    a.close()
    run = CliRunner().invoke
    r = run(main, ["--archive", str(db), "search", "peaceful", "coexistence", "--facet", "year"])
    assert r.exit_code == 0, r.output
    assert "t/belgian" in r.output and "[peaceful] [coexistence]" in r.output and "year: 1953 (1)" in r.output
    r = run(
        main,
        [
            "--archive",
            str(db),
            "search",
            "soviet",
            "--by",
            "paragraph",
            "--format",
            "json",
            "--filter",
            "country:BEL",
            "--sort",
            "-date",
        ],
    )
    d = json.loads(r.output)
    assert d["by"] == "paragraph" and d["filters"] == ["country:BEL"] and d["total"] == 2
    assert {f["name"] for f in d["facets"]} >= {"year", "country", "person"}
    r = run(main, ["--archive", str(db), "search", "--explain", "title:(a OR b) -c year:1953"])
    assert r.output.strip() == "((title:a OR title:b) AND NOT c AND date:1953-01-01..1953-12-31)"
    r = run(main, ["--archive", str(db), "search", '"unclosed'])
    assert r.exit_code == 2 and "unclosed quotation mark" in r.output and "Traceback" not in r.output
    r = run(main, ["--archive", str(db), "reindex"])
    assert r.exit_code == 0 and "indexed 6 documents" in r.output


def test_a_facet_no_document_fills_is_empty_with_every_hit_missing(tmp_path):
    a = open_archive(tmp_path / "plain.db")
    a.put(
        StoredFile("p", "9" * 64, 1, "txt", b"p"), "plain", [_doc("p/1", ["Plain text."]), _doc("p/2", ["More text."])]
    )
    f = {x.name: x for x in a.search("text").facets}
    assert f["classification"].values == [] and f["classification"].missing == 2
    assert f["person"].values == [] and f["year"].missing == 2
    assert [(v.value, v.count) for v in f["collection"].values] == [("test", 2)]
    a.close()


def test_read_only_archive_searches_and_sees_later_updates(tmp_path):
    db = tmp_path / "ro.db"
    w = open_archive(db)
    w.put(StoredFile("a", "a" * 64, 1, "txt", b"a"), "t", [_doc("t/a", ["Albania and Yugoslavia."])])
    w.close()  # closing a writer brings the index up to date
    ro = open_archive(db, readonly=True)
    assert ids(ro.search("albania")) == ["t/a"]
    w = open_archive(db)
    w.put(StoredFile("b", "b" * 64, 1, "txt", b"b"), "t", [_doc("t/b", ["Albania again."])])
    w.sync_search()
    assert set(ids(ro.search("albania"))) == {"t/a", "t/b"}
    w.close()
    ro.close()
