"""What the SQL backends (sqlite.py, postgres.py) share: the tables are the same, so the statements for
accounts, sessions, tokens, collection access, the audit log, entity records, curation, the change feed
and authorities are written once here. A backend supplies only what truly differs: its placeholder
(`?` or `%s`), how it reads (`_rows`, `_one`) and runs one transaction (`_in_tx`), how it writes an upsert,
an insert-if-new and an insert that returns its sequence number, and how it says "the current version".
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..errors import AlreadyExists, ReadOnlyArchive
from ..feed import Change
from ..model import AuthorityEntry
from .base import (
    Archive,
    AuditEntry,
    CollectionAccess,
    CurationOp,
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

    @property
    def _has_accounts(self) -> bool:
        """False where the store has no account tables (an old archive opened read-only)."""
        return True

    def _marks(self, n: int) -> str:
        return ",".join([self._PARAM] * n)

    # -- one-statement reads, the same on every backend ---------------------------------------------
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
        if not self._has_accounts:
            return []
        readers: dict[str, list[str]] = {}
        for c, u in self._rows("SELECT collection, username FROM collection_readers ORDER BY collection, username"):
            readers.setdefault(c, []).append(u)
        return [CollectionAccess(c, v, e, readers.get(c, [])) for c, v, e in self._rows(
            "SELECT collection, visibility, embargo FROM collection_access ORDER BY collection")]

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
