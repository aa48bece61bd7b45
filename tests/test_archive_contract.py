"""The contract every storage backend keeps: one suite, run against each backend in `BACKENDS`.

To test a new backend, add one entry to `BACKENDS`: a name and a function that, given a fresh temporary
directory, returns an opener `open(readonly=False) -> Archive` for one empty archive there (calling it
again must reopen the same archive). Skip inside the factory, with the reason, when the backend's server
is not available. Nothing else in this file names a backend.

The documents are small and made up, so that every expectation is worked out by hand here, not by the
code under test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from despatch.errors import AlreadyExists, ReadOnlyArchive
from despatch.model import (
    Annotation,
    AuthorityEntry,
    Classification,
    DocDate,
    Document,
    FileInfo,
    Source,
    Span,
)
from despatch.search.query import QueryError
from despatch.store import (
    Archive,
    AuditEntry,
    CollectionAccess,
    PutResult,
    SessionRecord,
    SQLiteArchive,
    StoredFile,
    TokenRecord,
    UserRecord,
)

Opener = Callable[..., Archive]


def _sqlite(tmp: Path) -> Opener:
    def open_(readonly: bool = False) -> Archive:
        return SQLiteArchive(tmp / "contract.db", readonly=readonly)

    return open_


def _postgres(tmp: Path) -> Opener:
    # A database of its own on the session's throwaway server (tests/pgserver.py), the derived index in tmp.
    from pgserver import shared_server

    url = shared_server().new_database("contract")

    def open_(readonly: bool = False) -> Archive:
        from despatch.store import open_archive

        return open_archive(url, readonly=readonly, index_dir=tmp / "pg-index")

    return open_


BACKENDS: dict[str, Callable[[Path], Opener]] = {
    "sqlite": _sqlite,
    "postgres": _postgres,
}


@pytest.fixture(params=list(BACKENDS))
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    return BACKENDS[request.param](tmp_path)


@pytest.fixture
def arch(opener: Opener) -> Iterator[Archive]:
    a = opener()
    yield a
    a.close()


# -- material ------------------------------------------------------------------------------------------

MEMO_TEXT = (
    "Memorandum on Korea\n"
    "The Ambassador met Mr. Dulles in Geneva on the armistice.\n"
    "Bohlen reported that the Soviet delegation would not move on Korea."
)


def _file(name: str, data: bytes) -> StoredFile:
    return StoredFile(name, hashlib.sha256(data).hexdigest(), len(data), "txt", data)


def _put(a: Archive, f: StoredFile, collection: str, docs: list[Document],
         authorities: list[AuthorityEntry] | None = None) -> PutResult:
    """As the ingest does: each document names the file it was read from."""
    for d in docs:
        d.file = FileInfo(f.path, f.sha256, f.format, f.size)
    return a.put(f, collection, docs, authorities or [])


def memo(text: str = MEMO_TEXT) -> Document:
    h_end = text.index("\n")
    p1 = h_end + 1
    p1_end = text.index("\n", p1)
    p2 = p1_end + 1
    dulles = text.index("Dulles")
    geneva = text.index("Geneva")
    bohlen = text.index("Bohlen")
    return Document(
        id="c/memo",
        collection="c",
        text=text,
        title="Memorandum on Korea",
        caption="A caption",
        doc_type="memorandum",
        language="en",
        date=DocDate("1954-04-26", "1954-04-26", "day", "April 26, 1954"),
        classification=Classification("SECRET", "Secret"),
        originator="Ambassador",
        recipient="Secretary of State",
        place="Geneva",
        source=Source(text="FRUS 1952–54, vol. XV", editors=["A. Editor"], year=1984),
        rights="public domain",
        url="https://example.org/memo",
        last_updated="2020-01-01",
        structure=[Span("heading", 0, h_end, level=1), Span("paragraph", p1, p1_end, number="1"),
                   Span("paragraph", p2, len(text))],
        annotations=[
            Annotation("person", dulles, dulles + 6, "Dulles", {"id": "dulles", "name": "John Foster Dulles"}, "ner"),
            Annotation("place", geneva, geneva + 6, "Geneva", {"id": "geneva", "name": "Genève"}, "gaz"),
            Annotation("person", bohlen, bohlen + 6, "Bohlen", None, "ner"),
            Annotation("date", 0, 0, "", {"start": "1954-04-26"}, "dates"),
        ],
        metadata={"volume": "XV", "chapter": 2, "tags": ["korea", "armistice"], "note": "Ünïcode ‘quoted’"},
    )


def telegram() -> Document:
    text = "Telegram. Trade talks with the Soviet side on wheat."
    return Document(id="c/tel", collection="c", text=text, title="Telegram on trade",
                    date=DocDate("1953-01", "1953-01-31", "month"), structure=[Span("paragraph", 0, len(text))],
                    metadata={"volume": "XV"})


def undated() -> Document:
    text = "An undated note about fisheries."
    return Document(id="c/note", collection="c", text=text, title="Note", structure=[Span("paragraph", 0, len(text))])


def other() -> Document:
    text = "A speech on disarmament and Korea."
    return Document(id="u/speech", collection="u", text=text, title="Speech",
                    date=DocDate("1960", "1960-12-31", "year"), structure=[Span("paragraph", 0, len(text))],
                    annotations=[Annotation("org", 2, 8, "speech", {"id": "x"}, "ner")],
                    metadata={"country": "FRA"})


def fill(a: Archive) -> None:
    _put(a, _file("c.txt", b"collection c bytes \x00\xff"), "c", [memo(), telegram(), undated()],
         [AuthorityEntry("dulles", "person", "Dulles, John Foster", "Secretary of State"),
          AuthorityEntry("armistice", "term", "Armistice")])
    _put(a, _file("u.txt", b"collection u bytes"), "u", [other()])


# -- writing and reading -------------------------------------------------------------------------------

def test_put_then_get_gives_back_every_field(arch: Archive) -> None:
    f = _file("dir/memo.txt", b"abc")
    r = _put(arch, f, "c", [memo()])
    assert (r.added, r.versioned, r.unchanged) == (1, 0, 0)
    got = arch.get("c/memo")
    assert got is not None
    want = memo()
    want.file = FileInfo("dir/memo.txt", f.sha256, "txt", 3)
    want.version = 1
    want.annotations.sort(key=lambda a: a.start)  # annotations come back in text order
    assert got.to_dict() == want.to_dict()
    assert got.content_hash() == want.content_hash()
    assert arch.get("c/absent") is None
    assert arch.get("c/memo", version=2) is None


def test_original_bytes_are_kept_exactly(arch: Archive) -> None:
    data = b"\xef\xbb\xbfraw \x00 bytes \xff\r\n"
    _put(arch, _file("dir/orig.txt", data), "c", [telegram()])
    path, blob = arch.source("c/tel")  # type: ignore[misc]
    assert path == "dir/orig.txt" and blob == data
    assert arch.versions("c/tel")[0].sha256 == hashlib.sha256(data).hexdigest()
    assert arch.source("c/absent") is None


def test_reingest_changes_nothing(arch: Archive) -> None:
    fill(arch)
    seq, stats = arch.last_change(), arch.stats()
    assert arch.file_seen(_file("c.txt", b"collection c bytes \x00\xff").sha256, "c", "")
    r = _put(arch, _file("c.txt", b"collection c bytes \x00\xff"), "c", [memo(), telegram(), undated()])
    assert (r.added, r.versioned, r.unchanged) == (0, 0, 3)
    assert arch.last_change() == seq  # no change in the feed: the index has nothing to redo
    after = arch.stats()
    for k in ("documents", "characters", "older_versions", "files", "file_bytes", "annotations"):
        assert after[k] == stats[k], k
    assert [v.version for v in arch.versions("c/memo")] == [1]


def test_file_seen_is_per_collection_and_options(arch: Archive) -> None:
    f = _file("c.txt", b"x")
    f.options_key = "opts-1"
    assert not arch.file_seen(f.sha256, "c", "opts-1")
    _put(arch, f, "c", [telegram()])
    assert arch.file_seen(f.sha256, "c", "opts-1")
    assert not arch.file_seen(f.sha256, "c", "opts-2")
    assert not arch.file_seen(f.sha256, "other", "opts-1")


def test_claim_new_file_says_stored_only_after_the_file_is_stored(arch: Archive) -> None:
    """What an ingest asks of each file before reading it: a file not stored yet is claimed (by this
    process: asking again still says claimed), a stored one is passed over, per collection and options."""
    f = _file("c.txt", b"claimed bytes")
    f.options_key = "opts-1"
    assert arch.claim_new_file(f.sha256, "c", "opts-1") == "claimed"
    assert arch.claim_new_file(f.sha256, "c", "opts-1") == "claimed"
    _put(arch, f, "c", [telegram()])
    arch.release_file(f.sha256, "c", "opts-1")
    assert arch.claim_new_file(f.sha256, "c", "opts-1") == "stored"
    assert arch.claim_new_file(f.sha256, "c", "opts-2") == "claimed"
    assert arch.claim_new_file(f.sha256, "other", "opts-1") == "claimed"
    arch.release_files()


def test_a_changed_document_is_a_new_version_and_the_old_one_is_kept(arch: Archive) -> None:
    _put(arch, _file("v1.txt", b"v1"), "c", [memo()])
    changed = memo(MEMO_TEXT.replace("armistice", "ceasefire"))
    r = _put(arch, _file("v2.txt", b"v2"), "c", [changed])
    assert (r.added, r.versioned, r.unchanged) == (0, 1, 0)
    assert changed.version == 2
    vs = arch.versions("c/memo")
    assert [(v.version, v.current, v.path) for v in vs] == [(1, False, "v1.txt"), (2, True, "v2.txt")]
    assert "ceasefire" in arch.get("c/memo").text  # type: ignore[union-attr]
    old = arch.get("c/memo", version=1)
    assert old is not None and "armistice" in old.text and old.version == 1
    assert arch.source("c/memo", version=1) == ("v1.txt", b"v1")
    assert arch.stats()["older_versions"] == 1 and arch.stats()["documents"] == 1


def test_a_failed_put_leaves_nothing_half_written(arch: Archive) -> None:
    fill(arch)
    seq, n = arch.last_change(), arch.stats()["documents"]
    bad = Document(id="c/bad", collection="c", text="text",
                   annotations=[Annotation("x", 0, 1, "t", {"not json": object()}, "p")])
    f = _file("bad.txt", b"bad")
    with pytest.raises(TypeError):
        arch.put(f, "c", [telegram(), Document(id="c/good", collection="c", text="fine"), bad])
    assert arch.get("c/good") is None and arch.get("c/bad") is None
    assert not arch.file_seen(f.sha256, "c", "")
    assert arch.last_change() == seq and arch.stats()["documents"] == n
    assert arch.source("c/good") is None


def test_replace_annotations_swaps_one_producer_only(arch: Archive) -> None:
    fill(arch)
    seq = arch.last_change()
    doc = arch.get("c/memo")
    assert doc is not None
    at = doc.text.index("Korea")
    arch.replace_annotations("c/memo", ["ner"], [Annotation("place", at, at + 5, "Korea", {"id": "kr"}, "ner")])
    got = arch.get("c/memo")
    assert got is not None
    assert sorted((a.producer, a.type, a.text) for a in got.annotations) == [
        ("dates", "date", ""), ("gaz", "place", "Geneva"), ("ner", "place", "Korea")]
    assert arch.last_change() > seq
    (change,) = arch.changes_since(seq)  # exactly one entry, for this document
    assert change.op == "annotations" and change.key in arch.current_keys()
    with pytest.raises(LookupError):  # no such current document
        arch.replace_annotations("c/absent", ["ner"], [])
    arch.replace_annotations("c/memo", [], [Annotation("term", 0, 4, "Memo", None, "extra")])
    got = arch.get("c/memo")
    assert got is not None and len(got.annotations) == 4  # nothing removed when no producer is named


def test_list_iter_and_collections(arch: Archive) -> None:
    fill(arch)
    assert [d.id for d in arch.list()] == ["c/memo", "c/note", "c/tel", "u/speech"]
    assert [d.id for d in arch.list(limit=2, offset=1)] == ["c/note", "c/tel"]
    # paged one at a time: every document once, in the same order, each with its own length
    paged = [d for i in range(5) for d in arch.list(limit=1, offset=i)]
    assert [d.id for d in paged] == ["c/memo", "c/note", "c/tel", "u/speech"]
    assert [d.chars for d in paged] == [d.chars for d in arch.list()]
    assert paged[0].chars == len(MEMO_TEXT)
    assert [d.id for d in arch.list("c", limit=2, offset=1)] == ["c/note", "c/tel"]
    assert [d.id for d in arch.list("u")] == ["u/speech"]
    s = arch.list("c")[0]
    assert (s.title, s.date, s.doc_type, s.classification, s.version, s.chars) == (
        "Memorandum on Korea", "1954-04-26", "memorandum", "SECRET", 1, len(MEMO_TEXT))
    docs = list(arch.iter_documents())
    assert sorted(d.id for d in docs) == ["c/memo", "c/note", "c/tel", "u/speech"]
    assert [d.id for d in docs] == list(arch.iter_ids())  # the same stable order
    assert [d.id for d in arch.iter_documents("u")] == list(arch.iter_ids("u")) == ["u/speech"]
    bare = {d.id: d for d in arch.iter_documents(with_annotations=False)}
    assert bare["c/memo"].annotations == [] and len(bare["c/memo"].structure) == 3
    assert arch.collections() == [
        {"name": "c", "documents": 3, "first_date": "1953-01", "last_date": "1954-04-26"},
        {"name": "u", "documents": 1, "first_date": "1960", "last_date": "1960"},
    ]


def test_iter_annotations_by_type_and_collection(arch: Archive) -> None:
    fill(arch)
    rows = list(arch.iter_annotations(["person", "org"]))
    assert sorted((r.doc_id, r.collection, r.annotation.type, r.annotation.text) for r in rows) == [
        ("c/memo", "c", "person", "Bohlen"), ("c/memo", "c", "person", "Dulles"), ("u/speech", "u", "org", "speech")]
    dulles = next(r.annotation for r in rows if r.annotation.text == "Dulles")
    assert dulles.value == {"id": "dulles", "name": "John Foster Dulles"} and dulles.producer == "ner"
    assert [r.doc_id for r in arch.iter_annotations(["person", "org"], "u")] == ["u/speech"]
    assert list(arch.iter_annotations([])) == []


def test_stats_and_volume_stats(arch: Archive) -> None:
    fill(arch)
    st = arch.stats()
    assert st["documents"] == 4
    assert st["characters"] == sum(len(d.text) for d in (memo(), telegram(), undated(), other()))
    assert st["dated"] == 3 and st["older_versions"] == 0 and st["files"] == 2
    assert st["file_bytes"] == len(b"collection c bytes \x00\xff") + len(b"collection u bytes")
    assert st["annotations"] == {"date": 1, "org": 1, "person": 2, "place": 1}
    assert [c["name"] for c in st["collections"]] == ["c", "u"]
    assert arch.stats("u")["documents"] == 1 and arch.stats("u")["annotations"] == {"org": 1}
    vols = {v["volume"]: v for v in arch.volume_stats("c")}
    assert set(vols) == {None, "XV"}
    assert vols["XV"]["documents"] == 2 and vols["XV"]["with_date"] == 2 and vols["XV"]["with_place"] == 1
    assert vols["XV"]["annotations"] == {"date": 1, "person": 2, "place": 1}
    assert vols[None]["documents"] == 1 and vols[None]["with_date"] == 0


def test_authorities(arch: Archive) -> None:
    fill(arch)
    assert [(e.kind, e.id) for e in arch.authorities("c")] == [("person", "dulles"), ("term", "armistice")]
    assert arch.authorities("c", "term") == [AuthorityEntry("armistice", "term", "Armistice")]
    assert arch.authorities("u") == []
    n = arch.import_authorities("c", [AuthorityEntry("dulles", "person", "John Foster Dulles"),
                                      AuthorityEntry("bohlen", "person", "Charles Bohlen")])
    assert n == 2
    assert arch.authorities("c", "person") == [AuthorityEntry("bohlen", "person", "Charles Bohlen"),
                                               AuthorityEntry("dulles", "person", "John Foster Dulles")]


def test_neighbours_by_date_undated_first(arch: Archive) -> None:
    fill(arch)
    assert arch.neighbours("c/note") == (None, "c/tel")
    assert arch.neighbours("c/tel") == ("c/note", "c/memo")
    assert arch.neighbours("c/memo") == ("c/tel", None)
    assert arch.neighbours("u/speech") == (None, None)
    assert arch.neighbours("c/absent") == (None, None)


def test_neighbours_walk_a_collection_in_date_then_id_order_both_ways(arch: Archive) -> None:
    """Previous and next step through every current document of the collection once, undated first, one
    date's documents by id, and never into another collection or an older version."""
    dates = {"k/b": "1950-01-02", "k/a": "1950-01-02", "k/c": "1950-01-02", "k/z": None, "k/y": None,
             "k/e": "1949-12-31", "k/d": "1951-01-01", "k/f": "1950-01-02T10:00"}
    for doc_id, date in dates.items():
        d = Document(id=doc_id, collection="k", text=f"Text of {doc_id}.",
                     date=DocDate(date, date, "day", None) if date else None)
        _put(arch, _file(doc_id.replace("/", "_"), d.text.encode()), "k", [d])
    again = Document(id="k/a", collection="k", text="A second version of k/a.",
                     date=DocDate("1950-01-02", None, "day", None))
    assert _put(arch, _file("k_a", again.text.encode()), "k", [again]).versioned == 1
    _put(arch, _file("other", b"other"), "j", [Document(id="j/x", collection="j", text="other",
                                                           date=DocDate("1950-01-02", None, "day", None))])
    order = sorted(dates, key=lambda i: (dates[i] or "", i))
    assert order[:2] == ["k/y", "k/z"]
    walked, at = [order[0]], order[0]
    while (nxt := arch.neighbours(at)[1]) is not None:
        walked.append(nxt)
        at = nxt
    assert walked == order
    back, at = [order[-1]], order[-1]
    while (prev := arch.neighbours(at)[0]) is not None:
        back.append(prev)
        at = prev
    assert back == order[::-1]


def test_closed_archive_reopens_with_everything_and_read_only_can_read_and_search(opener: Opener) -> None:
    a = opener()
    fill(a)
    a.close()
    b = opener(readonly=True)
    try:
        assert b.get("c/memo") is not None and b.stats()["documents"] == 4
        assert [h.id for h in b.search("armistice").hits] == ["c/memo"]
        with pytest.raises(PermissionError):
            b.reindex()
    finally:
        b.close()


# -- the change feed -----------------------------------------------------------------------------------

def test_change_feed_records_every_change_in_order(arch: Archive) -> None:
    assert arch.last_change() == 0 and arch.changes_since(0) == [] and arch.count_changes_since(0) == 0
    fill(arch)
    changes = arch.changes_since(0)
    assert len(changes) == 4 and {c.op for c in changes} == {"add"}
    assert [c.seq for c in changes] == sorted(c.seq for c in changes) and len({c.seq for c in changes}) == 4
    assert arch.last_change() == changes[-1].seq and arch.count_changes_since(changes[1].seq) == 2
    keys = arch.current_keys()
    assert keys == sorted(keys) and sorted(c.key for c in changes) == keys
    assert all(0 < k < 2**43 for k in keys)
    mark = arch.last_change()
    _put(arch, _file("v2.txt", b"v2"), "c", [memo(MEMO_TEXT + " More.")])
    new = arch.changes_since(mark)
    assert sorted(c.op for c in new) == ["add", "del"]
    old_key = next(c.key for c in new if c.op == "del")
    new_key = next(c.key for c in new if c.op == "add")
    assert old_key != new_key and old_key not in arch.current_keys() and new_key in arch.current_keys()
    # a consumer that is behind asks about the old key: nothing comes back for it
    assert list(arch.index_records([old_key], ["person"])) == []
    assert arch.hit_records([old_key]) == {}


def test_archive_identity_and_change_marks_tell_histories_apart(
        opener: Opener, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    a = opener()
    fill(a)
    ident, top = a.archive_id(), a.last_change()
    marks = [a.change_mark(c.seq) for c in a.changes_since(0)]
    assert len(ident) >= 16 and all(marks) and len(set(marks)) == len(marks)
    assert a.change_mark(top + 1) is None
    a.close()
    b = opener(readonly=True)  # reopened, even read-only: the same identity and marks
    try:
        assert b.archive_id() == ident and [b.change_mark(c.seq) for c in b.changes_since(0)] == marks
    finally:
        b.close()
    (tmp_path / "other").mkdir()
    other = BACKENDS[request.node.callspec.params["opener"]](tmp_path / "other")()
    try:
        fill(other)
        assert other.archive_id() != ident
        assert other.last_change() == top and other.change_mark(top) != marks[-1]
    finally:
        other.close()


def test_index_records_carry_what_an_index_needs(arch: Archive) -> None:
    fill(arch)
    recs = list(arch.index_records(arch.current_keys(), ["person", "place"]))
    assert [r.key for r in recs] == arch.current_keys()
    m = next(r for r in recs if r.title == "Memorandum on Korea")
    assert m.text == MEMO_TEXT and m.collection == "c" and m.doc_type == "memorandum" and m.language == "en"
    assert (m.date_start, m.date_end, m.classification) == ("1954-04-26", "1954-04-26", "SECRET")
    assert m.metadata["tags"] == ["korea", "armistice"] and m.metadata["note"] == "Ünïcode ‘quoted’"
    assert [t for t, _s, _e in m.structure] == ["heading", "paragraph", "paragraph"]
    assert len(m.paragraphs()) == 3
    # resolved names where the annotation has one, the text as written otherwise; only the types asked for
    assert sorted((t, name) for t, _s, _e, name in m.entities) == [
        ("person", "Bohlen"), ("person", "John Foster Dulles"), ("place", "Genève")]
    note = next(r for r in recs if r.title == "Note")
    assert note.date_start is None and note.entities == []
    assert list(arch.index_records(arch.current_keys(), [])) and all(
        r.entities == [] for r in arch.index_records(arch.current_keys(), []))


def test_hit_records_and_text_slices(arch: Archive) -> None:
    fill(arch)
    keys = arch.current_keys()
    hits = arch.hit_records(keys)
    assert set(hits) == set(keys)
    m = next(h for h in hits.values() if h.id == "c/memo")
    assert (m.version, m.collection, m.title, m.date_text, m.date_start, m.date_precision) == (
        1, "c", "Memorandum on Korea", "April 26, 1954", "1954-04-26", "day")
    assert (m.doc_type, m.language, m.classification, m.metadata["chapter"]) == ("memorandum", "en", "SECRET", 2)
    assert arch.text_slice("c/memo", 1) == MEMO_TEXT
    s = MEMO_TEXT.index("Geneva")
    assert arch.text_slice("c/memo", 1, s, s + 6) == "Geneva"
    assert arch.text_slice("c/memo", 1, s) == MEMO_TEXT[s:]
    assert arch.text_slice("c/memo", 9) is None
    # a page of hits' snippets in one call, by key: in the order asked, None for a key not current
    k = m.key
    assert arch.text_slices([(k, s, s + 6), (max(keys) + 1000, 0, None), (k, 0, None), (k, s, s - 2),
                             (k, s, None)]) == ["Geneva", None, MEMO_TEXT, "", MEMO_TEXT[s:]]
    assert arch.text_slices([]) == []
    assert _put(arch, _file("memo.txt", b"a new memo"), "c", [memo(MEMO_TEXT + " Later.")]).versioned == 1
    assert arch.text_slices([(k, 0, 5), (arch.current_key("c/memo"), 0, 5)]) == [None, "Memor"]


# -- search, which every backend gets from the feed ----------------------------------------------------

def test_search_words_fields_filters_facets_and_snippets(arch: Archive) -> None:
    fill(arch)
    res = arch.search("korea")
    assert sorted(h.id for h in res.hits) == ["c/memo", "u/speech"] and res.total == 2
    assert any("Korea" in "".join(s.text for s in h.snippets) for h in res.hits)
    assert [h.id for h in arch.search("korea", filters=["collection:u"]).hits] == ["u/speech"]
    assert [h.id for h in arch.search("korea", filters={"collection": "c"}).hits] == ["c/memo"]
    assert [h.id for h in arch.search('person:"John Foster Dulles"').hits] == ["c/memo"]
    assert [h.id for h in arch.search("volume:XV", sort="date").hits] == ["c/tel", "c/memo"]
    assert [h.id for h in arch.search("", sort="-date").hits][:2] == ["u/speech", "c/memo"]
    facets = {f.name: {v.value: v.count for v in f.values} for f in arch.search("").facets}
    assert facets["collection"] == {"c": 3, "u": 1}
    assert facets["year"] == {"1953": 1, "1954": 1, "1960": 1}
    para = arch.search("Bohlen", by="paragraph")
    assert para.total == 1 and para.hits[0].paragraph is not None and para.hits[0].paragraph.number == 3
    with pytest.raises(QueryError):
        arch.search("korea", sort="sideways")


def test_search_follows_new_versions_and_annotations(arch: Archive) -> None:
    fill(arch)
    assert arch.search("armistice").total == 1
    _put(arch, _file("v2.txt", b"v2"), "c", [memo(MEMO_TEXT.replace("armistice", "ceasefire"))])
    assert arch.search("armistice").total == 0
    hits = arch.search("ceasefire").hits
    assert [(h.id, h.version) for h in hits] == [("c/memo", 2)]
    doc = arch.get("c/tel")
    assert doc is not None
    at = doc.text.index("Soviet")
    arch.replace_annotations("c/tel", [], [Annotation("org", at, at + 6, "Soviet", {"name": "USSR"}, "t")])
    assert [h.id for h in arch.search("org:USSR").hits] == ["c/tel"]


def test_reindex_rebuilds_the_same_index(arch: Archive) -> None:
    fill(arch)
    before = [(h.id, h.score) for h in arch.search("korea OR trade").hits]
    assert arch.reindex() == 4
    assert [(h.id, h.score) for h in arch.search("korea OR trade").hits] == before
    assert arch.search_index.pending() == 0


def test_search_ids_streams_every_match_past_a_chunk(arch: Archive) -> None:
    fill(arch)
    assert sorted(arch.search_ids("korea OR trade OR fisheries", chunk=1)) == ["c/memo", "c/note", "c/tel",
                                                                              "u/speech"]
    assert list(arch.search_ids("korea", filters=["collection:c"])) == ["c/memo"]
    assert list(arch.search_ids("nothingmatcheshere")) == []


# -- accounts, collection access and the audit log ------------------------------------------------------

T0, T1, T2 = "2026-12-01T10:00:00+00:00", "2026-12-01T11:00:00+00:00", "2026-12-01T12:00:00+00:00"


def test_users_are_added_changed_listed_and_removed_with_their_tokens_and_sessions(arch: Archive) -> None:
    arch.add_user(UserRecord("zoe", "reader", "$argon2id$zoe", T0))
    arch.add_user(UserRecord("ann", "admin", "$argon2id$ann", T1))
    with pytest.raises(AlreadyExists):
        arch.add_user(UserRecord("zoe", "admin", "$argon2id$other", T2))
    assert arch.get_user("zoe") == UserRecord("zoe", "reader", "$argon2id$zoe", T0)
    assert arch.get_user("nobody") is None
    assert [u.name for u in arch.users()] == ["ann", "zoe"]
    assert arch.update_user("zoe", role="curator")
    assert arch.get_user("zoe") == UserRecord("zoe", "curator", "$argon2id$zoe", T0)
    assert arch.update_user("zoe", password_hash="$argon2id$new")
    assert arch.get_user("zoe") == UserRecord("zoe", "curator", "$argon2id$new", T0)
    assert not arch.update_user("nobody", role="admin")
    arch.add_token(TokenRecord("t1", "zoe", "hash1", T0, "laptop"))
    arch.add_token(TokenRecord("t2", "ann", "hash2", T1))
    arch.add_session(SessionRecord("s1", "zoe", "csrf1", T0, T2))
    arch.set_collection_access(CollectionAccess("c", "private", None, ["ann", "zoe"]))
    assert arch.remove_user("zoe")
    assert not arch.remove_user("zoe")
    assert arch.get_user("zoe") is None
    assert arch.token_by_hash("hash1") is None and arch.get_session("s1") is None
    assert [t.id for t in arch.tokens()] == ["t2"]
    assert arch.collection_access() == [CollectionAccess("c", "private", None, ["ann"])]


def test_tokens_are_found_by_hash_listed_and_revoked(arch: Archive) -> None:
    arch.add_user(UserRecord("zoe", "reader", "h", T0))
    arch.add_user(UserRecord("ann", "admin", "h", T0))
    arch.add_token(TokenRecord("t1", "zoe", "hash1", T0, "laptop"))
    arch.add_token(TokenRecord("t2", "ann", "hash2", T1))
    arch.add_token(TokenRecord("t3", "zoe", "hash3", T2))
    assert arch.token_by_hash("hash1") == TokenRecord("t1", "zoe", "hash1", T0, "laptop")
    assert arch.token_by_hash("t1") is None
    assert [t.id for t in arch.tokens()] == ["t1", "t2", "t3"]
    assert [t.id for t in arch.tokens("zoe")] == ["t1", "t3"]
    assert arch.revoke_token("t1")
    assert not arch.revoke_token("t1")
    assert arch.token_by_hash("hash1") is None
    assert [t.id for t in arch.tokens("zoe")] == ["t3"]


def test_sessions_are_found_and_deleted_one_by_user_or_by_expiry(arch: Archive) -> None:
    arch.add_session(SessionRecord("s1", "zoe", "c1", T0, T1))
    arch.add_session(SessionRecord("s2", "zoe", "c2", T0, T2))
    arch.add_session(SessionRecord("s3", "ann", "c3", T0, T2))
    arch.add_session(SessionRecord("s4", "ann", "c4", T0, T2))
    assert arch.get_session("s1") == SessionRecord("s1", "zoe", "c1", T0, T1)
    assert arch.get_session("nope") is None
    assert arch.delete_sessions(expired_at=T1) == 1
    assert arch.get_session("s1") is None and arch.get_session("s2") is not None
    assert arch.delete_sessions(id_hash="s3") == 1
    assert arch.get_session("s3") is None and arch.get_session("s4") is not None
    assert arch.delete_sessions(user="zoe") == 1
    assert arch.get_session("s2") is None and arch.get_session("s4") is not None
    assert arch.delete_sessions() == 0  # nothing named: nothing deleted
    assert arch.get_session("s4") is not None


def test_an_archive_has_vectors_once_a_document_is_embedded(arch: Archive) -> None:
    fill(arch)
    assert not arch.has_vectors() and not arch.embedding_stats()
    key = arch.current_keys()[0]
    arch.put_embeddings("toy", [key], [])  # embedded, no paragraph long enough for a vector
    assert arch.has_vectors() == bool(arch.embedding_stats()) is True
    arch.put_embeddings("toy", [key], [(key, 0, 0, 10, b"\x01\x02")])
    assert arch.has_vectors() and arch.embedding_stats()["toy"]["paragraphs"] == 1


def test_collection_access_is_kept_and_replaced(arch: Archive) -> None:
    assert arch.collection_access() == []
    arch.set_collection_access(CollectionAccess("u", "members"))
    arch.set_collection_access(CollectionAccess("c", "private", "2030-01-01", ["zoe", "ann"]))
    assert arch.collection_access() == [CollectionAccess("c", "private", "2030-01-01", ["ann", "zoe"]),
                                        CollectionAccess("u", "members", None, [])]
    arch.set_collection_access(CollectionAccess("c", "public", None, ["bob"]))
    assert arch.collection_access() == [CollectionAccess("c", "public", None, ["bob"]),
                                        CollectionAccess("u", "members", None, [])]


def test_audit_log_is_appended_and_read_newest_first_by_action_person_and_time(opener: Opener) -> None:
    arch = opener()
    a = arch.add_audit(AuditEntry("sign-in", "zoe", T0, "", {"ip": "10.0.0.1"}))
    b = arch.add_audit(AuditEntry("sign-in-failed", "zoe", T1, "", {"ip": "10.0.0.2"}))
    c = arch.add_audit(AuditEntry("export", "", T2, "korea", {"format": "csv", "note": "Ünïcode"}))
    assert a < b < c
    assert arch.audit() == [AuditEntry("export", "", T2, "korea", {"format": "csv", "note": "Ünïcode"}, c),
                            AuditEntry("sign-in-failed", "zoe", T1, "", {"ip": "10.0.0.2"}, b),
                            AuditEntry("sign-in", "zoe", T0, "", {"ip": "10.0.0.1"}, a)]
    assert [e.seq for e in arch.audit(who="zoe")] == [b, a]
    assert [e.seq for e in arch.audit(action="sign-in")] == [a]
    assert [e.seq for e in arch.audit(since=T1)] == [c, b]
    assert [e.seq for e in arch.audit(limit=1)] == [c]
    arch.close()
    again = opener(readonly=True)  # kept across a reopen, and readable read-only
    assert [e.seq for e in again.audit(who="zoe", action="sign-in-failed")] == [b]
    assert [u.name for u in again.users()] == []
    again.close()


def test_a_read_only_archive_refuses_account_changes(opener: Opener) -> None:
    opener().close()
    ro = opener(readonly=True)
    with pytest.raises(ReadOnlyArchive):
        ro.add_user(UserRecord("zoe", "reader", "h", T0))
    with pytest.raises(ReadOnlyArchive):
        ro.add_audit(AuditEntry("sign-in", "zoe", T0))
    ro.close()
