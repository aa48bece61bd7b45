"""`despatch copy`: SQLite → PostgreSQL → SQLite loses nothing. Everything is compared through the
`Archive` interface of each copy against the original: every document and older version with its spans
and annotations, every original byte (a multi-piece one included), authorities, entity records,
curation, paragraph vectors, users, tokens, sessions, collection access and the audit log."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from despatch.model import Annotation, AuthorityEntry, Document, FileInfo, Span
from despatch.store import (
    Archive,
    AuditEntry,
    CollectionAccess,
    SessionRecord,
    StoredFile,
    TokenRecord,
    UserRecord,
    open_archive,
)
from despatch.store.base import CurationOp, EntityRecord

ROOT = Path(__file__).resolve().parent.parent
T0, T1 = "2026-12-01T10:00:00+00:00", "2026-12-01T11:00:00+00:00"


def _file(name: str, data: bytes) -> StoredFile:
    return StoredFile(name, hashlib.sha256(data).hexdigest(), len(data), "txt", data)


def _put(a: Archive, f: StoredFile, collection: str, docs: list[Document]) -> None:
    for d in docs:
        d.file = FileInfo(f.path, f.sha256, f.format, f.size)
    a.put(f, collection, docs, [AuthorityEntry("dulles", "person", "Dulles, John Foster", "Secretary")])


def _doc(doc_id: str, text: str, collection: str = "c") -> Document:
    at = text.index("Dulles") if "Dulles" in text else 0
    return Document(id=doc_id, collection=collection, text=text, title=f"Title of {doc_id} ‘Ünïcode’",
                    structure=[Span("paragraph", 0, len(text), number="1")],
                    annotations=[Annotation("person", at, at + 6, text[at:at + 6], {"id": "dulles", "n": [1, 2]},
                                            "ner"),
                                 Annotation("date", 0, 0, "", None, "dates")],
                    metadata={"volume": "XV", "n": 3, "nested": {"a": [1, "b"]}})


def fill(a: Archive) -> None:
    big = bytes(range(256)) * 9000  # 2.3 MB: several stored pieces
    _put(a, _file("big.bin", big), "c", [_doc("c/one", "Dulles met the Ambassador.")])
    _put(a, _file("two.txt", b"two \x00\xff"), "c", [_doc("c/two", "A note on wheat, Dulles said.")])
    _put(a, _file("one-v2.txt", b"v2"), "c", [_doc("c/one", "Dulles met the Ambassador again.")])  # version 2
    _put(a, _file("empty.txt", b""), "u", [_doc("u/e", "Empty original, Dulles.", "u")])
    key = a.current_key("c/two")
    assert key is not None
    a.put_embeddings("mini", [key], [(key, 1, 0, 10, b"\x01\x02\xff")])
    a.put_entities([EntityRecord("dulles", "person", "John Foster Dulles", 3, 3, variants={"Dulles": 3},
                                 sources=["authority"])])
    a.add_curation(CurationOp("rename", {"id": "dulles", "label": "J. F. Dulles"}, "ann", T0))
    a.add_user(UserRecord("ann", "admin", "$argon2id$ann", T0))
    a.add_user(UserRecord("zoe", "reader", "$argon2id$zoe", T1))
    a.add_token(TokenRecord("t1", "zoe", "hash1", T0, "laptop"))
    a.add_session(SessionRecord("s1", "zoe", "csrf1", T0, T1))
    a.set_collection_access(CollectionAccess("u", "private", "2030-01-01", ["zoe"]))
    a.add_audit(AuditEntry("sign-in", "zoe", T0, "", {"ip": "10.0.0.1"}))
    a.add_audit(AuditEntry("export", "ann", T1, "korea", {"format": "csv"}))


def snapshot(a: Archive) -> dict:
    """Everything a user can get out of an archive, by the interface."""
    out: dict = {"docs": {}, "sources": {}}
    for doc_id in sorted(d.id for d in a.list(limit=1000)):
        for v in a.versions(doc_id):
            doc = a.get(doc_id, v.version)
            assert doc is not None
            out["docs"][(doc_id, v.version)] = (doc.to_dict(), (v.current, v.sha256, v.path, v.ingested_at,
                                                                 v.content_hash))
            out["sources"][(doc_id, v.version)] = a.source(doc_id, v.version)
    out["authorities"] = {c: a.authorities(c) for c in ("c", "u")}
    out["entities"] = [e.to_dict() for e in a.iter_entities()]
    out["curation"] = [(o.action, o.args, o.who, o.at) for o in a.curations()]
    out["vectors"] = {doc_id: a.embeddings_of("mini", [a.current_key(doc_id)])[a.current_key(doc_id)]  # type: ignore
                      for doc_id in ("c/two",)}
    out["embedding_stats"] = {m: {k: v for k, v in s.items() if k != "seq"} for m, s in a.embedding_stats().items()}
    out["users"] = a.users()
    out["tokens"] = a.tokens()
    out["session"] = a.get_session("s1")
    out["access"] = a.collection_access()
    out["audit"] = [(e.action, e.who, e.at, e.target, e.detail) for e in a.audit()]
    st = a.stats()
    out["stats"] = {k: st[k] for k in ("documents", "characters", "dated", "older_versions", "files", "file_bytes",
                                       "annotations", "collections")}
    out["search"] = [(h.id, h.version) for h in a.search("dulles").hits]
    return out


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["DESPATCH_INDEX_DIR"] = str(tmp / "index")
    return env


def test_sqlite_to_postgres_and_back_loses_nothing(tmp_path, pg_url):
    src = tmp_path / "src.db"
    with open_archive(src) as a:
        fill(a)
    with open_archive(src, readonly=True) as a:
        want = snapshot(a)
    assert want["sources"][("c/one", 1)][1] == bytes(range(256)) * 9000
    assert want["sources"][("u/e", 1)] == ("empty.txt", b"")
    assert len(want["docs"]) == 4 and want["users"] and want["vectors"]["c/two"]

    def copy(a: str, b: str) -> None:
        r = subprocess.run([sys.executable, "-m", "despatch", "copy", "-q", a, b], capture_output=True, text=True,
                           env=_env(tmp_path), timeout=300)
        assert r.returncode == 0, r.stderr
        assert "copied 4 document versions, 4 originals" in r.stdout

    copy(str(src), pg_url)
    with open_archive(pg_url, readonly=True, index_dir=tmp_path / "pg-index") as a:
        assert snapshot(a) == want
    back = tmp_path / "back.db"
    copy(pg_url, str(back))
    with open_archive(back, readonly=True) as a:
        assert snapshot(a) == want


def test_copy_refuses_a_destination_that_is_not_empty(tmp_path, pg_url):
    src = tmp_path / "src.db"
    with open_archive(src) as a:
        fill(a)
    env = _env(tmp_path)
    r = subprocess.run([sys.executable, "-m", "despatch", "copy", str(src), pg_url], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    again = subprocess.run([sys.executable, "-m", "despatch", "copy", str(src), pg_url], capture_output=True,
                           text=True, env=env, timeout=300)
    assert again.returncode == 2 and "not empty" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    existing = subprocess.run([sys.executable, "-m", "despatch", "copy", pg_url, str(src)], capture_output=True,
                              text=True, env=env, timeout=300)
    assert existing.returncode == 2 and "exists" in existing.stderr


def test_a_copy_is_a_new_archive_with_its_own_id_and_marked_changes(tmp_path, pg_url):
    src = tmp_path / "src.db"
    with open_archive(src) as a:
        fill(a)
        src_id = a.archive_id()
    for dest in (pg_url, str(tmp_path / "back.db")):
        r = subprocess.run([sys.executable, "-m", "despatch", "copy", "-q", str(src), dest], capture_output=True,
                           text=True, env=_env(tmp_path), timeout=300)
        assert r.returncode == 0, r.stderr
        with open_archive(dest, readonly=True, index_dir=tmp_path / "ix") as b:
            assert b.archive_id() and b.archive_id() != src_id
            changes = b.changes_since(0)
            assert len(changes) == 3 and all(b.change_mark(c.seq) for c in changes)
