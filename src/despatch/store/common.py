"""What the SQL backends (sqlite.py, postgres.py) share: the tables are the same, so the statements for
accounts, sessions, tokens, collection access, the audit log, entity records, curation, the change feed
and authorities are written once here. A backend supplies only what truly differs: its placeholder
(`?` or `%s`), how it reads (`_rows`, `_one`) and runs one transaction (`_in_tx`), how it writes an upsert,
an insert-if-new and an insert that returns its sequence number, and how it says "the current version".
"""

from __future__ import annotations

import abc
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..errors import AlreadyExists, ReadOnlyArchive
from ..feed import Change, IndexRecord, entity_name
from ..model import AuthorityEntry, Document
from .base import (
    Archive,
    AuditEntry,
    CollectionAccess,
    CurationOp,
    EntityMention,
    EntityRecord,
    SessionRecord,
    TokenRecord,
    UserRecord,
    VersionInfo,
)

T = TypeVar("T")

# The documents table's columns (after the backend's own key), in the order both backends insert them.
DOC_COLUMNS = (
    "id, version, is_current, collection, title, caption, doc_type, language, date_start, date_end, "
    "date_precision, date_text, class_level, class_text, originator, recipient, place, source_json, rights, "
    "url, last_updated, file_path, file_sha256, file_format, file_bytes, text, metadata_json, content_hash, "
    "ingested_at"
)
_TOKEN_SQL = "SELECT id, username, token_hash, created_at, label FROM api_tokens "
_ENTITY_SQL = "SELECT id, type, label, mentions, documents, record_json FROM entities"


def now() -> str:
    """The time stored with an ingest or a document version: ISO-8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def doc_values(doc: Document, version: int, current: Any, chash: str) -> tuple:
    """A document version as the values of `DOC_COLUMNS`; `current` is the backend's "true"."""
    d, f = doc.date, doc.file
    return (
        doc.id, version, current, doc.collection, doc.title, doc.caption, doc.doc_type, doc.language,
        d.start if d else None, d.end if d else None, d.precision if d else None, d.text if d else None,
        doc.classification.level if doc.classification else None,
        doc.classification.text if doc.classification else None,
        doc.originator, doc.recipient, doc.place,
        json.dumps(doc.source.__dict__, ensure_ascii=False) if doc.source else None,
        doc.rights, doc.url, doc.last_updated,
        f.path if f else None, f.sha256 if f else None, f.format if f else None, f.bytes if f else None,
        doc.text, json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True), chash, now(),
    )


def index_records_from(structure_rows: Iterable[tuple], annotation_rows: Iterable[tuple], doc_rows: Iterable[tuple]
                  ) -> Iterator[IndexRecord]:
    """What the search index reads of a batch of documents, from three queries' rows: (doc, type, start, end)
    of the structure, (doc, type, start, end, text, value_json) of the indexed annotations, and (key, title,
    text, collection, doc_type, language, date_start, date_end, class_level, metadata_json) of the documents."""
    structure: dict[int, list[tuple[str, int, int]]] = {}
    for doc, t, s, e in structure_rows:
        structure.setdefault(doc, []).append((t, s, e))
    entities: dict[int, list[tuple[str, int, int, str]]] = {}
    for doc, t, s, e, txt, val in annotation_rows:
        name = txt
        if val and '"name"' in val:
            try:
                name = entity_name(txt, json.loads(val))
            except ValueError:
                pass
        entities.setdefault(doc, []).append((t, s, e, name))
    for r in doc_rows:
        yield IndexRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9] or "{}"),
                          structure.get(r[0], []), entities.get(r[0], []))


def relabelled(value_json: str, new_id: str, label: str | None) -> str:
    """An entity annotation's value pointed at another entity (and renamed, when a label is given)."""
    v = json.loads(value_json)
    v["id"] = new_id
    if label:
        v["name"] = label
    return json.dumps(v, ensure_ascii=False)


def entity_row(r: EntityRecord) -> tuple:
    """An entity record as a row of the entities table (the fields beyond the columns as JSON)."""
    rec = r.to_dict()
    for k in ("id", "type", "label", "mentions", "documents"):
        rec.pop(k)
    return (r.id, r.type, r.label, r.mentions, r.documents, json.dumps(rec, ensure_ascii=False))


class SQLArchive(Archive):
    """An `Archive` over the shared SQL tables. Statements here are written with `?` placeholders;
    `_q` turns them into the backend's."""

    _PARAM = "?"  # the backend's placeholder
    _CURRENT = "is_current=1"  # the backend's test for "the current version of a document"
    _KEY = "rowid"  # the documents table's integer key (the search index's key of a document)
    _ENTITY = "json_extract(a.value_json, '$.id')"  # the entity id of annotation `a`
    _MENTION_SQL: str  # the mention columns (EntityMention's, in order) from annotations a join documents d
    where: str  # the archive, named for messages

    def _q(self, sql: str) -> str:
        return sql if self._PARAM == "?" else sql.replace("?", self._PARAM)

    # -- what a backend supplies -------------------------------------------------------------------
    @abc.abstractmethod
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> Iterable[tuple]:
        """The rows a query returns (written with the backend's placeholders)."""

    @abc.abstractmethod
    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple | None:
        """The first row a query returns, or None."""

    @abc.abstractmethod
    def _in_tx(self, fn: Callable[[Any], T]) -> T:
        """Run `fn(cursor)` in one write transaction (a DB-API cursor: execute, executemany, rowcount)."""

    @abc.abstractmethod
    def _insert_if_new(self, cur: Any, table: str, key: str, columns: Sequence[str], values: Sequence[Any]
                       ) -> bool:
        """Insert a row unless one with the same `key` exists; False when it does."""

    @abc.abstractmethod
    def _upsert_sql(self, table: str, key: str, columns: Sequence[str]) -> str:
        """An insert that replaces the row with the same `key`."""

    @abc.abstractmethod
    def _insert_ignore_sql(self, table: str, columns: Sequence[str]) -> str:
        """An insert that does nothing when the row is there already."""

    @abc.abstractmethod
    def _insert_seq(self, cur: Any, table: str, columns: Sequence[str], values: Sequence[Any]) -> int:
        """Insert a row and return its `seq` (the table's increasing key)."""

    @abc.abstractmethod
    def _keyed(self, keys: list[int], types: tuple[str, ...] | None) -> Iterator[tuple[int, Document]]:
        """`iter_keyed` for one batch of keys."""

    @abc.abstractmethod
    def _indexer(self) -> tuple[Callable[..., None], tuple]:
        """The function (and its first arguments) that follows the store in a process of its own while this
        one writes (`background_indexing`); it is given an Event to stop at and this process's id after them."""

    @property
    def _has_accounts(self) -> bool:
        """False where the store has no account tables (an old archive opened read-only)."""
        return True

    def _marks(self, n: int) -> str:
        return ",".join([self._PARAM] * n)

    # -- one-statement reads, the same on every backend ---------------------------------------------
    def _key_of(self, doc_id: str, version: int | None) -> int | None:
        """The key of a document's current version, or of the version asked for."""
        if version is None:
            row = self._one(self._q(f"SELECT {self._KEY} FROM documents WHERE id=? AND {self._CURRENT}"), (doc_id,))
        else:
            row = self._one(self._q(f"SELECT {self._KEY} FROM documents WHERE id=? AND version=?"), (doc_id, version))
        return row[0] if row else None

    def current_key(self, doc_id: str) -> int | None:
        return self._key_of(doc_id, None)

    def current_keys(self) -> list[int]:
        return [r[0] for r in self._rows(
            f"SELECT {self._KEY} FROM documents WHERE {self._CURRENT} ORDER BY {self._KEY}")]

    def keys_to_embed(self, model: str, collection: str | None = None) -> list[int]:
        sql = (f"SELECT {self._KEY} FROM documents d WHERE {self._CURRENT} AND NOT EXISTS "
               f"(SELECT 1 FROM embedded e WHERE e.model=? AND e.doc=d.{self._KEY})")
        args: list[Any] = [model]
        if collection is not None:
            sql += " AND collection=?"
            args.append(collection)
        return [r[0] for r in self._rows(self._q(sql + f" ORDER BY {self._KEY}"), args)]

    def iter_keyed(self, keys: Iterable[int], annotation_types: Iterable[str] | None = ()) -> Iterator[
            tuple[int, Document]]:
        types = None if annotation_types is None else tuple(annotation_types)
        batch: list[int] = []
        for k in keys:
            batch.append(int(k))
            if len(batch) == 200:
                yield from self._keyed(batch, types)
                batch = []
        if batch:
            yield from self._keyed(batch, types)

    @contextmanager
    def background_indexing(self) -> Iterator[None]:
        """Index in a process of its own while this one writes: tantivy's indexing then overlaps the
        reading and storing instead of following it. The feed and watermark make the two safe to run
        together; whatever the indexer has not reached when it stops, `close()` applies."""
        if self.readonly:
            yield
            return
        # fork, not spawn: spawn re-imports the caller's main module, which breaks scripts without a
        # __main__ guard; the child opens its own connection and touches nothing of this process.
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        stop = ctx.Event()
        target, args = self._indexer()
        proc = ctx.Process(target=target, args=(*args, stop, os.getpid()), daemon=True)
        proc.start()
        try:
            yield
        finally:
            stop.set()
            proc.join()

    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]:
        sql = (self._MENTION_SQL + f"AND a.type IN ('person','place','org') AND {self._ENTITY} = ? "
               "ORDER BY d.id, a.start")
        args: list[Any] = [entity_id]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [EntityMention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]))
                for r in self._rows(self._q(sql), args)]

    def file_seen(self, sha256: str, collection: str, options_key: str) -> bool:
        return self._one(self._q("SELECT 1 FROM ingests WHERE sha256=? AND collection=? AND options_key=? LIMIT 1"),
                         (sha256, collection, options_key)) is not None

    def last_change(self) -> int:
        return int(self._one("SELECT coalesce(max(seq), 0) FROM search_log")[0])  # type: ignore[index]

    def changes_since(self, seq: int) -> list[Change]:
        return [Change(q, d, op) for q, d, op in
                self._rows(self._q("SELECT seq, doc, op FROM search_log WHERE seq > ? ORDER BY seq"), (seq,))]

    def count_changes_since(self, seq: int) -> int:
        return int(self._one(self._q("SELECT count(*) FROM search_log WHERE seq > ?"), (seq,))[0])  # type: ignore[index]

    def versions(self, doc_id: str) -> list[VersionInfo]:
        return [VersionInfo(doc_id, v, bool(c), sha or "", path or "", at, h) for v, c, sha, path, at, h in self._rows(
            self._q("SELECT version, is_current, file_sha256, file_path, ingested_at, content_hash FROM documents "
                    "WHERE id=? ORDER BY version"), (doc_id,))]

    def collections(self) -> list[dict[str, Any]]:
        return [{"name": c, "documents": n, "first_date": lo, "last_date": hi} for c, n, lo, hi in self._rows(
            "SELECT collection, count(*), min(date_start), max(date_start) FROM documents "
            f"WHERE {self._CURRENT} GROUP BY collection ORDER BY collection")]

    def authorities(self, collection: str, kind: str | None = None) -> list[AuthorityEntry]:
        sql, args = "SELECT id, kind, name, description FROM authorities WHERE collection=?", [collection]
        if kind:
            sql += " AND kind=?"
            args.append(kind)
        return [AuthorityEntry(*r) for r in self._rows(self._q(sql + " ORDER BY kind, id"), args)]

    @property
    def _has_vector_tables(self) -> bool:
        """False where the store has no vector tables (an old archive opened read-only)."""
        return True

    def has_vectors(self) -> bool:
        # two EXISTS probes in one statement, not embedding_stats' counts over every vector
        if not self._has_vector_tables:
            return False
        row = self._one(f"SELECT EXISTS (SELECT 1 FROM embeddings) OR EXISTS (SELECT 1 FROM embedded e "
                        f"JOIN documents d ON d.{self._KEY} = e.doc WHERE d.{self._CURRENT})")
        return bool(row and row[0])

    # -- entity records and the curation layer --------------------------------------------------------
    def _write(self, fn: Callable[[Any], T]) -> T:
        """One transaction that may change what the search index shows: the index catches up on close."""
        self._dirty = True
        return self._in_tx(fn)

    @staticmethod
    def _record(r: tuple) -> EntityRecord:
        return EntityRecord(r[0], r[1], r[2], r[3], r[4], **json.loads(r[5]))

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        r = self._one(self._q(_ENTITY_SQL + " WHERE id = ?"), (entity_id,))
        return self._record(r) if r else None

    def iter_entities(self, type: str | None = None) -> Iterator[EntityRecord]:
        sql = _ENTITY_SQL
        args: list[Any] = []
        if type:
            sql += " WHERE type = ?"
            args.append(type)
        for r in self._rows(self._q(sql + " ORDER BY mentions DESC, id"), args):
            yield self._record(r)

    _CURATION_COLUMNS = ("action", "args_json", "who", "at")

    def add_curation(self, op: CurationOp) -> int:
        return self._write(lambda cur: self._insert_seq(
            cur, "entity_curation", self._CURATION_COLUMNS,
            (op.action, json.dumps(op.args, ensure_ascii=False), op.who, op.at)))

    def curations(self) -> list[CurationOp]:
        return [CurationOp(r[1], json.loads(r[2]), r[3], r[4], r[0]) for r in self._rows(
            "SELECT seq, action, args_json, who, at FROM entity_curation ORDER BY seq")]

    def replace_curations(self, ops: Iterable[CurationOp]) -> int:
        ops = list(ops)

        def run(cur: Any) -> int:
            cur.execute("DELETE FROM entity_curation")
            cur.executemany(self._q("INSERT INTO entity_curation(action, args_json, who, at) VALUES (?,?,?,?)"),
                            [(o.action, json.dumps(o.args, ensure_ascii=False), o.who, o.at) for o in ops])
            return len(ops)
        return self._write(run)

    # -- accounts, collection access and the audit log --------------------------------------------
    def _account_write(self, fn: Callable[[Any], T]) -> T:
        """One transaction of account data (no change-feed entry: documents are not touched)."""
        if self.readonly:
            raise ReadOnlyArchive(f"{self.where} is open read-only: accounts cannot be changed")
        return self._in_tx(fn)

    def add_user(self, user: UserRecord) -> None:
        def run(cur: Any) -> None:
            if not self._insert_if_new(cur, "users", "name", ("name", "role", "password_hash", "created_at"),
                                       (user.name, user.role, user.password_hash, user.created_at)):
                raise AlreadyExists(f"there is already a user {user.name!r}")
        self._account_write(run)

    def update_user(self, name: str, role: str | None = None, password_hash: str | None = None) -> bool:
        return bool(self._account_write(lambda cur: cur.execute(self._q(
            "UPDATE users SET role=coalesce(?, role), password_hash=coalesce(?, password_hash) WHERE name=?"),
            (role, password_hash, name)).rowcount))

    def get_user(self, name: str) -> UserRecord | None:
        if not self._has_accounts:
            return None
        r = self._one(self._q("SELECT name, role, password_hash, created_at FROM users WHERE name=?"), (name,))
        return UserRecord(*r) if r else None

    def users(self) -> list[UserRecord]:
        if not self._has_accounts:
            return []
        return [UserRecord(*r) for r in self._rows("SELECT name, role, password_hash, created_at FROM users "
                                                   "ORDER BY name")]

    def remove_user(self, name: str) -> bool:
        def run(cur: Any) -> bool:
            for table in ("api_tokens", "sessions", "collection_readers"):
                cur.execute(self._q(f"DELETE FROM {table} WHERE username=?"), (name,))
            return bool(cur.execute(self._q("DELETE FROM users WHERE name=?"), (name,)).rowcount)
        return bool(self._account_write(run))

    def add_token(self, token: TokenRecord) -> None:
        self._account_write(lambda cur: cur.execute(self._q(
            "INSERT INTO api_tokens(id, username, token_hash, label, created_at) VALUES (?,?,?,?,?)"),
            (token.id, token.user, token.token_hash, token.label, token.created_at)))

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        if not self._has_accounts:
            return None
        r = self._one(self._q(_TOKEN_SQL + "WHERE token_hash=?"), (token_hash,))
        return TokenRecord(*r) if r else None

    def tokens(self, user: str | None = None) -> list[TokenRecord]:
        if not self._has_accounts:
            return []
        sql, args = _TOKEN_SQL, []
        if user is not None:
            sql += "WHERE username=? "
            args.append(user)
        return [TokenRecord(*r) for r in self._rows(self._q(sql + "ORDER BY created_at, id"), args)]

    def revoke_token(self, token_id: str) -> bool:
        return bool(self._account_write(
            lambda cur: cur.execute(self._q("DELETE FROM api_tokens WHERE id=?"), (token_id,)).rowcount))

    def add_session(self, session: SessionRecord) -> None:
        self._account_write(lambda cur: cur.execute(self._q(
            "INSERT INTO sessions(id_hash, username, csrf, created_at, expires_at) VALUES (?,?,?,?,?)"),
            (session.id_hash, session.user, session.csrf, session.created_at, session.expires_at)))

    def get_session(self, id_hash: str) -> SessionRecord | None:
        if not self._has_accounts:
            return None
        r = self._one(self._q("SELECT id_hash, username, csrf, created_at, expires_at FROM sessions WHERE id_hash=?"),
                      (id_hash,))
        return SessionRecord(*r) if r else None

    def delete_sessions(self, id_hash: str | None = None, user: str | None = None,
                        expired_at: str | None = None) -> int:
        conds, args = [], []
        for cond, arg in (("id_hash=?", id_hash), ("username=?", user), ("expires_at<=?", expired_at)):
            if arg is not None:
                conds.append(cond)
                args.append(arg)
        if not conds:
            return 0
        sql = self._q(f"DELETE FROM sessions WHERE {' AND '.join(conds)}")
        return int(self._account_write(lambda cur: cur.execute(sql, args).rowcount))

    def set_collection_access(self, access: CollectionAccess) -> None:
        def run(cur: Any) -> None:
            cur.execute(self._upsert_sql("collection_access", "collection", ("collection", "visibility", "embargo")),
                        (access.collection, access.visibility, access.embargo))
            cur.execute(self._q("DELETE FROM collection_readers WHERE collection=?"), (access.collection,))
            cur.executemany(self._insert_ignore_sql("collection_readers", ("collection", "username")),
                            [(access.collection, u) for u in access.allowed])
        self._account_write(run)

    def collection_access(self) -> list[CollectionAccess]:
        # one statement: a serving node asks before every request (whom to show what)
        if not self._has_accounts:
            return []
        out: dict[str, CollectionAccess] = {}
        for c, v, e, u in self._rows(
                "SELECT a.collection, a.visibility, a.embargo, r.username FROM collection_access a "
                "LEFT JOIN collection_readers r ON r.collection = a.collection ORDER BY a.collection, r.username"):
            rec = out.get(c)
            if rec is None:
                rec = out[c] = CollectionAccess(c, v, e, [])
            if u is not None:
                rec.allowed.append(u)
        return list(out.values())

    def add_audit(self, entry: AuditEntry) -> int:
        return int(self._account_write(lambda cur: self._insert_seq(
            cur, "audit_log", ("at", "who", "action", "target", "detail_json"),
            (entry.at, entry.who, entry.action, entry.target, json.dumps(entry.detail, ensure_ascii=False)))))

    def audit(self, action: str | None = None, who: str | None = None, since: str | None = None,
              limit: int = 100) -> list[AuditEntry]:
        if not self._has_accounts:
            return []
        conds, args = ["1=1"], []
        for cond, arg in (("action=?", action), ("who=?", who), ("at>=?", since)):
            if arg is not None:
                conds.append(cond)
                args.append(arg)
        rows = self._rows(self._q(f"SELECT seq, at, who, action, target, detail_json FROM audit_log "
                                  f"WHERE {' AND '.join(conds)} ORDER BY seq DESC LIMIT ?"), [*args, limit])
        return [AuditEntry(a, w, at, t, json.loads(d), seq) for seq, at, w, a, t, d in rows]
