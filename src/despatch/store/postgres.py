"""The PostgreSQL archive: the same document model as SQLite in one PostgreSQL database, for an archive
shared by several people, ingest processes and serving machines (docs/postgresql.md).

* Connections come from a psycopg_pool pool per process and server (read-only archives from a pool whose
  sessions are read-only); every write is one transaction.
* Originals are kept in 1 MiB chunks (`file_chunks`) and read back a chunk at a time (`source_chunks`).
* The change feed is `search_log`. Its `seq` comes from a sequence, and sequence numbers are handed out
  when a row is inserted, not when its transaction commits: without care, a follower reading "changes
  since 41" could see 43 (committed) before 42 (still open), move its watermark to 43 and never see 42.
  So every transaction takes one advisory transaction lock (`FEED_LOCK`) just before it writes its
  change-log rows and keeps it until it commits: seq order is then commit order, and a row a follower
  has not seen always has a higher seq than every row it has. The lock is held only from the log insert
  to the commit, not while documents are written.
* Several ingest processes may write at once: a file is claimed by an advisory lock on its (sha256,
  collection, options) and re-checked inside the transaction, each document id by an advisory lock (taken
  in sorted order: no deadlock between two files' documents), and a partial unique index keeps one current
  version per id whatever happens.
* The derived search index is local to each process's machine (`index_dir`, by default under the user's
  cache directory, named by the archive's id): every serving node keeps its own and follows the feed.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..errors import ArchiveNotFound, ConnectionLost, NotFound, ReadOnlyArchive, StorageError
from ..feed import HitRecord, IndexRecord
from ..identity import id_for_another_file, same_file
from ..model import Annotation, AuthorityEntry, Document, Span
from ..search.index import SearchIndex
from .base import AnnotationRow, DocSummary, EntityMention, EntityRecord, PutResult, StoredFile, row_to_document
from .common import DOC_COLUMNS as _DOC_COLUMNS
from .common import SQLArchive, T, doc_values, entity_row, index_records_from, now, relabelled
from .pg_schema import FEED_LOCK, check_version, migrate, schema_version

CHUNK = 1 << 20  # originals are stored and read back in pieces of this size

_DOC_NAMES = [c.strip() for c in _DOC_COLUMNS.split(",")]


def is_postgres_url(path: object) -> bool:
    return isinstance(path, str) and path.startswith(("postgresql://", "postgres://"))


def describe(url: str) -> str:
    """The connection string without its password, for messages and `stats()`."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        d = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed string: name it without detail
        return "postgresql://(unparsable connection string)"
    user = f"{d['user']}@" if d.get("user") else ""
    port = f":{d['port']}" if d.get("port") else ""
    return f"postgresql://{user}{d.get('host', '')}{port}/{d.get('dbname', '')}"


def connection_problem(url: str, e: BaseException) -> StorageError:
    """One line for a connection that failed: unreachable server, wrong password, no such database."""
    msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    text = str(e)
    where = describe(url)
    if "password authentication failed" in text or "no password supplied" in text:
        return StorageError(f"PostgreSQL refused the password for {where} ({msg})")
    if "does not exist" in text and "database" in text:
        return StorageError(f"no such PostgreSQL database: {where} (create it first: createdb)")
    if "Connection refused" in text or "could not connect" in text or "timeout" in text.lower():
        return StorageError(f"cannot reach the PostgreSQL server of {where}: {msg}")
    return StorageError(f"cannot use the PostgreSQL archive {where}: {msg}")


# -- one pool per process, server and mode ---------------------------------------------------------------
# The pool logs each failed reconnection, and a pipeline cut by a lost connection logs the errors it ignored
# on its way out; with no logging configured Python would print them all on stderr. The command line says
# what went wrong in one line instead (a server's own logging still gets them).
logging.getLogger("psycopg").addHandler(logging.NullHandler())

_POOLS: dict[tuple[str, bool, int], Any] = {}
_USERS: dict[tuple[str, bool, int], int] = {}  # open archives per pool: the last to close closes it
_POOLS_LOCK = threading.Lock()


def _release(url: str, readonly: bool) -> None:
    key = (url, readonly, os.getpid())
    with _POOLS_LOCK:
        _USERS[key] = _USERS.get(key, 1) - 1
        if _USERS[key] > 0:
            return
        _USERS.pop(key, None)
        pool = _POOLS.pop(key, None)
    if pool is not None:
        pool.close(timeout=5)


def _pool(url: str, readonly: bool) -> Any:
    from psycopg_pool import ConnectionPool

    key = (url, readonly, os.getpid())
    with _POOLS_LOCK:
        _USERS[key] = _USERS.get(key, 0) + 1
        pool = _POOLS.get(key)
        if pool is None:
            kwargs: dict[str, Any] = {"autocommit": True}
            if readonly:
                kwargs["options"] = "-c default_transaction_read_only=on"
            size = int(os.environ.get("DESPATCH_PG_POOL", "16"))
            timeout = float(os.environ.get("DESPATCH_PG_TIMEOUT", "30"))  # waiting for a connection
            pool = ConnectionPool(url, min_size=1, max_size=size, kwargs=kwargs, open=True, timeout=timeout,
                                  name=f"despatch-{'ro' if readonly else 'rw'}")
            _POOLS[key] = pool
        return pool


@atexit.register
def _close_pools() -> None:
    with _POOLS_LOCK:
        for key, pool in list(_POOLS.items()):
            if key[2] == os.getpid():
                try:
                    pool.close(timeout=1)
                except Exception:  # noqa: BLE001 - shutting down
                    pass
        _POOLS.clear()


def default_index_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "despatch"


class PostgresArchive(SQLArchive):
    _PARAM = "%s"
    _CURRENT = "is_current"
    _KEY = "key"

    def __init__(self, url: str, readonly: bool = False, index_dir: str | os.PathLike[str] | None = None) -> None:
        import psycopg

        self.url = url
        self.where = describe(url)
        self.readonly = readonly
        self._dirty = False
        self._closed = True  # until the pool is ours
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                if readonly:
                    version = schema_version(conn)
                    if version is None:
                        raise ArchiveNotFound(f"no Despatch archive in {self.where} (ingest some documents first)")
                    check_version(version, self.where)
                else:
                    migrate(conn, self.where)
                self._archive_id = conn.execute(
                    "SELECT value FROM despatch_meta WHERE key='archive_id'").fetchone()[0]
        except psycopg.OperationalError as e:
            raise connection_problem(url, e) from None
        self.pool = _pool(url, readonly)
        self._closed = False
        env_dir = os.environ.get("DESPATCH_INDEX_DIR")
        if index_dir is not None:
            self.index_dir = Path(index_dir)
        elif env_dir:
            self.index_dir = Path(env_dir)
        else:
            self.index_dir = default_index_root() / f"pg-{self._archive_id}"

    # -- plumbing ------------------------------------------------------------------------------------
    def _read(self, fn: Callable[[Any], T]) -> T:
        import psycopg
        import psycopg_pool

        # No check of each connection before use (a round trip each time): a read that meets a connection the
        # server dropped (a restart) is tried once more on a fresh one; a second failure is a lost server.
        for attempt in range(2):
            try:
                with self.pool.connection() as conn:
                    return fn(conn)
            except psycopg.OperationalError as e:
                if attempt or isinstance(e, psycopg_pool.PoolTimeout):
                    raise ConnectionLost(f"lost the connection to {self.where}: {_first_line(e)}") from None
        raise AssertionError("unreachable")

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self._read(lambda conn: conn.execute(sql, args).fetchall())

    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple | None:
        return self._read(lambda conn: conn.execute(sql, args).fetchone())

    def _tx(self, fn: Callable[[Any], T], pipelined: bool = False) -> T:
        """Run `fn(conn)` in one transaction, retried when PostgreSQL picks it as a deadlock victim.
        `fn` may return log rows through `conn.feed` (a list of (key, op)) written at the end, in order.
        `pipelined`: the whole transaction in pipeline mode, BEGIN and COMMIT sent with the statements
        around them rather than each waited for; the server is waited for only where `fn` reads a result
        and at the end (no COPY then: pipeline mode has none)."""
        import psycopg
        from psycopg import errors as pge

        if self.readonly:
            raise ReadOnlyArchive(f"{self.where} is open read-only")
        for attempt in range(5):
            try:
                with self.pool.connection() as conn:
                    if pipelined:
                        return self._pipelined(conn, fn)
                    with conn.transaction():
                        log: list[tuple[int, str]] = []
                        out = fn(_Tx(conn, log))
                        if log:
                            self._write_log(conn, log)
                    return out
            except (pge.DeadlockDetected, pge.SerializationFailure):
                if attempt == 4:
                    raise
            except psycopg.OperationalError as e:
                raise ConnectionLost(f"lost the connection to {self.where}: {_first_line(e)}; "
                                     "nothing of the interrupted write was kept") from None
        raise AssertionError("unreachable")

    @classmethod
    def _pipelined(cls, conn: Any, fn: Callable[[Any], T]) -> T:
        """`_tx`'s transaction in pipeline mode. BEGIN and COMMIT are sent as statements: psycopg's
        `transaction()` inside a pipeline waits for the server on entering and leaving it (it syncs nested
        pipelines around the block), which would undo what the pipeline saves."""
        from psycopg import pq

        log: list[tuple[int, str]] = []
        try:
            with conn.pipeline():
                conn.execute("BEGIN")
                out = fn(_Tx(conn, log))
                if log:
                    cls._write_log(conn, log)
                conn.execute("COMMIT")  # skipped by the server when a statement before it failed
        except BaseException:
            # a failed statement (or an error of fn's) leaves the transaction open or aborted: end it here,
            # unless the connection itself is gone (the server rolls back then)
            if not conn.closed and conn.info.transaction_status != pq.TransactionStatus.IDLE:
                try:
                    conn.execute("ROLLBACK")
                except Exception:  # noqa: BLE001 - the connection broke meanwhile; the pool discards it
                    pass
            raise
        return out

    # -- what the shared SQL (common.py) asks of a backend -------------------------------------------
    def _in_tx(self, fn: Callable[[Any], T]) -> T:
        def run(tx: _Tx) -> T:
            with tx.conn.cursor() as cur:
                return fn(cur)
        return self._tx(run)

    def _insert_if_new(self, cur: Any, table: str, key: str, columns: Sequence[str], values: Sequence[Any]) -> bool:
        return cur.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))}) "
                           f"ON CONFLICT ({key}) DO NOTHING RETURNING {key}", values).fetchone() is not None

    def _upsert_sql(self, table: str, key: str, columns: Sequence[str]) -> str:
        update = ", ".join(f"{c}=excluded.{c}" for c in columns if c != key)
        return (f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {update}")

    def _insert_ignore_sql(self, table: str, columns: Sequence[str]) -> str:
        return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))}) ON CONFLICT DO NOTHING"

    def _insert_seq(self, cur: Any, table: str, columns: Sequence[str], values: Sequence[Any]) -> int:
        return int(cur.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))}) "
                               "RETURNING seq", values).fetchone()[0])

    @staticmethod
    def _write_log(conn: Any, log: list[tuple[int, str]]) -> None:
        # The feed lock, held to the commit: sequence numbers become visible in the order they were given.
        # One statement (executemany would nest a pipeline, and psycopg waits for the server on entering
        # and leaving one), its rows numbered in the order given.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
        conn.execute("INSERT INTO search_log(doc, op, mark) SELECT k, o, m FROM unnest(%s::bigint[], %s::text[], "
                     "%s::text[]) WITH ORDINALITY AS t(k, o, m, n) ORDER BY n",
                     ([k for k, _ in log], [op for _, op in log], [secrets.token_hex(8) for _ in log]))

    def close(self) -> None:
        if self._closed:
            return
        try:
            if not self.readonly and self._dirty:
                self.sync_search()
        finally:
            self._closed = True
            self.release_files()
            if self._search_index is not None:
                self._search_index = None
            _release(self.url, self.readonly)

    def archive_id(self) -> str:
        return self._archive_id

    def change_mark(self, seq: int) -> str | None:
        row = self._one("SELECT mark FROM search_log WHERE seq=%s", (seq,))
        return row[0] if row else None

    # -- writing ---------------------------------------------------------------------------------
    # -- claims: several ingest processes on one archive read each file once -------------------------
    # A session advisory lock per file, on a connection of the claims' own: held while the file is read and
    # stored, released after (or with the connection, when the process dies: no claim outlives its holder).
    # A release is sent with the next claim rather than on its own (one round trip per file fewer; the claim
    # only spares another process reading the file twice, `put` re-checks under a lock of its own), and
    # before any wait for another process's claim, so two processes never wait for each other's releases.
    def _claims(self) -> Any:
        import psycopg

        if getattr(self, "_claim_conn", None) is None:
            self._claim_conn = psycopg.connect(self.url, autocommit=True)
            self._claimed: set[int] = set()
            self._unclaimed: list[int] = []  # released, the unlock not sent yet
        return self._claim_conn

    def _claimed_keys(self) -> set[int]:
        return self._claimed if getattr(self, "_claim_conn", None) is not None else set()

    def _flush_releases(self) -> None:
        if self._unclaimed:
            keys, self._unclaimed = self._unclaimed, []
            self._claims().execute("SELECT count(pg_advisory_unlock(k)) FROM unnest(%s::bigint[]) AS k", (keys,))

    def claim_file(self, sha256: str, collection: str, options_key: str, wait: bool = False) -> bool:
        import psycopg

        if self.readonly:
            return True
        key = _lock_key("claim", f"{sha256}\0{collection}\0{options_key}")
        if key in self._claimed_keys():
            return True
        try:
            conn = self._claims()
            if wait:
                self._flush_releases()
                conn.execute("SELECT pg_advisory_lock(%s)", (key,))
                got = True
            else:
                got = bool(conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0])
        except psycopg.OperationalError as e:
            raise ConnectionLost(f"lost the connection to {self.where}: {_first_line(e)}") from None
        if got:
            self._claimed.add(key)
        return got

    def claim_new_file(self, sha256: str, collection: str, options_key: str) -> str:
        """Releases owed, "stored already?" and the claim, in one statement: one round trip per file."""
        import psycopg

        if self.readonly:
            return "stored" if self.file_seen(sha256, collection, options_key) else "claimed"
        key = _lock_key("claim", f"{sha256}\0{collection}\0{options_key}")
        try:
            conn = self._claims()
            owed, self._unclaimed = self._unclaimed, []
            held = key in self._claimed
            # The owed unlocks and this lock may run in either order: a session's advisory locks stack, so
            # the same file released and claimed again ends held once either way.
            stored, got, _ = conn.execute(
                "SELECT q.stored, CASE WHEN q.stored OR %s THEN NULL ELSE pg_try_advisory_lock(%s) END, "
                "(SELECT count(pg_advisory_unlock(k)) FROM unnest(%s::bigint[]) AS k) FROM (SELECT EXISTS "
                "(SELECT 1 FROM ingests WHERE sha256=%s AND collection=%s AND options_key=%s) AS stored) AS q",
                (held, key, owed, sha256, collection, options_key)).fetchone()
        except psycopg.OperationalError as e:
            raise ConnectionLost(f"lost the connection to {self.where}: {_first_line(e)}") from None
        if stored:
            return "stored"
        if held or got:
            self._claimed.add(key)
            return "claimed"
        return "busy"

    def release_file(self, sha256: str, collection: str, options_key: str) -> None:
        key = _lock_key("claim", f"{sha256}\0{collection}\0{options_key}")
        if getattr(self, "_claim_conn", None) is None or key not in self._claimed:
            return
        self._claimed.discard(key)
        self._unclaimed.append(key)  # sent with the next claim, or gone with the connection at the end

    def put(self, file: StoredFile, collection: str, docs: list[Document],
            authorities: Iterable[AuthorityEntry] = ()) -> PutResult:
        authorities = list(authorities)
        self._dirty = True

        def run(tx: _Tx) -> PutResult:
            # Two round trips to the server, whatever the file holds (one transaction in pipeline mode): BEGIN,
            # claim and look up, then write everything and COMMIT. A round trip costs the client a wait for
            # the server to be scheduled (on a busy machine, more than the statements' own work), and a
            # server on another machine a network round trip each.
            result = PutResult()
            conn = tx.conn
            claim = f"{file.sha256}\0{collection}\0{file.options_key}"
            # Committed without waiting for the WAL flush, as SQLite's WAL with synchronous=NORMAL: a
            # server crash may lose the last files stored (a re-ingest stores them), never half a file.
            conn.execute("SET LOCAL synchronous_commit TO off")
            # Claim the file: a second process putting the same file waits here, then finds it done.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("file", claim),))
            seen = conn.execute("SELECT 1 FROM ingests WHERE sha256=%s AND collection=%s AND options_key=%s "
                                "LIMIT 1", (file.sha256, collection, file.options_key))
            # every document id of the file, in one order for all processes (no waiting in a circle)
            conn.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k",
                         (sorted({_lock_key("doc", d.id) for d in docs}),))
            found = conn.execute("SELECT id, key, version, content_hash, file_path FROM documents "
                                 "WHERE id = ANY(%s) AND is_current", ([d.id for d in docs],))
            reserved = conn.execute("SELECT nextval(pg_get_serial_sequence('documents', 'key')) "
                                    "FROM generate_series(1, %s)", (len(docs),))
            current: dict[str, tuple] = {r[0]: tuple(r[1:]) for r in found.fetchall()}  # the first wait
            if seen.fetchone():
                result.unchanged = len(docs)
                for d in docs:
                    if d.id in current:
                        d.version = current[d.id][1]
                return result
            keys = [r[0] for r in reserved.fetchall()]
            ops: list[tuple[str, tuple]] = []
            spans: list[tuple] = []
            anns: list[tuple] = []
            for doc, new_key in zip(docs, keys, strict=True):
                self._plan_document(tx, doc, new_key, current, result, ops, spans, anns)
            view = memoryview(file.data)
            pieces = max(1, -(-len(file.data) // CHUNK))
            conn.execute("INSERT INTO files(sha256, size, format, chunks) VALUES (%s,%s,%s,%s) "
                         "ON CONFLICT (sha256) DO NOTHING", (file.sha256, file.size, file.format, pieces))
            for n in range(pieces):  # stored already (another collection's ingest): nothing is written
                conn.execute("INSERT INTO file_chunks(sha256, n, data) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                             (file.sha256, n, bytes(view[n * CHUNK:(n + 1) * CHUNK])))
            for sql, args in ops:
                conn.execute(sql, args)
            # one statement per table, the rows as arrays: the server parses and plans it once per file
            if spans:
                conn.execute('INSERT INTO structure(doc, seq, type, start, "end", level, number, label) '
                             "SELECT * FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::int[], %s::int[], "
                             "%s::int[], %s::text[], %s::text[])", [list(c) for c in zip(*spans, strict=True)])
            if anns:
                conn.execute('INSERT INTO annotations(doc, type, start, "end", text, value_json, producer) '
                             "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::int[], %s::text[], "
                             "%s::text[], %s::text[])", [list(c) for c in zip(*anns, strict=True)])
            self._put_authorities(conn, collection, authorities)
            conn.execute("INSERT INTO ingests(path, sha256, collection, options_key, documents, ingested_at) "
                         "VALUES (%s,%s,%s,%s,%s,%s)",
                         (file.path, file.sha256, collection, file.options_key, len(docs), now()))
            return result  # the change-log rows, the COMMIT and the second wait follow in _tx

        return self._tx(run, pipelined=True)

    def _current(self, conn: Any, doc_id: str) -> tuple | None:
        return conn.execute("SELECT key, version, content_hash, file_path FROM documents WHERE id=%s AND is_current",
                            (doc_id,)).fetchone()

    def _plan_document(self, tx: _Tx, doc: Document, new_key: int, current: dict[str, tuple], result: PutResult,
                       ops: list[tuple[str, tuple]], spans: list[tuple], anns: list[tuple]) -> None:
        """Decide what storing one document writes (in `ops`, in order; its spans and annotations)."""
        chash = doc.content_hash()
        row = current.get(doc.id)
        key = doc.file.key if doc.file else None
        if row and not same_file(row[3], key):
            conn = tx.conn
            doc.id = self._id_for_file(conn, doc.id, key)  # type: ignore[arg-type]
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("doc", doc.id),))
            row = current[doc.id] if doc.id in current else self._current(conn, doc.id)
        if row and row[2] == chash:
            result.unchanged += 1
            doc.version = row[1]
            return
        version = 1
        if row:
            version = row[1] + 1
            tx.log.append((row[0], "del"))
            ops.append(("UPDATE documents SET is_current=false WHERE key=%s", (row[0],)))
            result.versioned += 1
        else:
            result.added += 1
        f = doc.file
        values = (new_key, *doc_values(doc, version, True, chash))
        ops.append((f"INSERT INTO documents(key, {_DOC_COLUMNS}) VALUES ({','.join(['%s'] * 30)})", values))
        spans.extend((new_key, i, s.type, s.start, s.end, s.level, s.number, s.label)
                     for i, s in enumerate(doc.structure))
        anns.extend((new_key, a.type, a.start, a.end, a.text,
                     None if a.value is None else json.dumps(a.value, ensure_ascii=False), a.producer)
                    for a in doc.annotations)
        tx.log.append((new_key, "add"))
        current[doc.id] = (new_key, version, chash, f.path if f else None)
        doc.version = version

    def _id_for_file(self, conn: Any, doc_id: str, key: str) -> str:
        alt = id_for_another_file(doc_id, key)
        row = conn.execute("SELECT file_path FROM documents WHERE id=%s AND is_current", (alt,)).fetchone()
        return id_for_another_file(doc_id, key, True) if row and not same_file(row[0], key) else alt

    @staticmethod
    def _insert_annotations(conn: Any, key: int, anns: list[Annotation]) -> None:
        if not anns:
            return
        rows = [(key, a.type, a.start, a.end, a.text,
                 None if a.value is None else json.dumps(a.value, ensure_ascii=False), a.producer) for a in anns]
        with conn.cursor() as cur:
            with cur.copy('COPY annotations(doc, type, start, "end", text, value_json, producer) FROM STDIN') as cp:
                for r in rows:
                    cp.write_row(r)

    @staticmethod
    def _put_authorities(conn: Any, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        rows = {(e.kind, e.id): (collection, e.id, e.kind, e.name, e.description) for e in entries}
        if rows:  # one statement, not executemany (which waits for the server inside put's pipeline)
            conn.execute(
                "INSERT INTO authorities(collection, id, kind, name, description) SELECT %s, * FROM "
                "unnest(%s::text[], %s::text[], %s::text[], %s::text[]) ON CONFLICT (collection, kind, id) "
                "DO UPDATE SET name=excluded.name, description=excluded.description",
                [collection, *([list(c) for c in zip(*rows.values(), strict=True)][1:])])
        return len(rows)

    def import_authorities(self, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        entries = list(entries)
        self._tx(lambda tx: self._put_authorities(tx.conn, collection, entries))
        return len(entries)

    def replace_annotations(self, doc_id: str, producers: Iterable[str], annotations: list[Annotation]) -> None:
        producers = list(producers)
        self._dirty = True

        def run(tx: _Tx) -> None:
            conn = tx.conn
            row = conn.execute("SELECT key FROM documents WHERE id=%s AND is_current FOR UPDATE", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no current document {doc_id!r}")
            if producers:
                conn.execute("DELETE FROM annotations WHERE doc=%s AND producer = ANY(%s)", (row[0], producers))
            self._insert_annotations(conn, row[0], annotations)
            tx.log.append((row[0], "annotations"))

        self._tx(run)

    # -- the change feed ---------------------------------------------------------------------------
    def index_records(self, keys: Sequence[int], annotation_types: Iterable[str]) -> Iterator[IndexRecord]:
        types = list(annotation_types)
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]

            def run(conn: Any, chunk: list[int] = chunk) -> tuple[list, list, list]:
                st = conn.execute('SELECT doc, type, start, "end" FROM structure WHERE doc = ANY(%s) ORDER BY doc, seq',
                                  (chunk,)).fetchall()
                an = conn.execute('SELECT doc, type, start, "end", text, value_json FROM annotations '
                                  "WHERE doc = ANY(%s) AND type = ANY(%s)", (chunk, types)).fetchall() if types else []
                docs = conn.execute(
                    "SELECT key, coalesce(title,''), text, collection, doc_type, language, date_start, date_end, "
                    "class_level, metadata_json FROM documents WHERE key = ANY(%s) AND is_current ORDER BY key",
                    (chunk,)).fetchall()
                return st, an, docs

            yield from index_records_from(*self._read(run))

    def hit_records(self, keys: Sequence[int]) -> dict[int, HitRecord]:
        out: dict[int, HitRecord] = {}
        keys = list(keys)
        for i in range(0, len(keys), 1000):
            for r in self._rows(
                "SELECT key, id, version, collection, title, date_text, date_start, date_end, date_precision, "
                "doc_type, language, class_level, metadata_json FROM documents WHERE key = ANY(%s) AND is_current",
                (keys[i:i + 1000],),
            ):
                out[r[0]] = HitRecord(*r[:12], metadata=json.loads(r[12] or "{}"))
        return out

    def text_slice(self, doc_id: str, version: int, start: int = 0, end: int | None = None) -> str | None:
        if end is None:
            row = self._one("SELECT substr(text, %s) FROM documents WHERE id=%s AND version=%s",
                            (start + 1, doc_id, version))
        else:
            row = self._one("SELECT substr(text, %s, %s) FROM documents WHERE id=%s AND version=%s",
                            (start + 1, max(0, end - start), doc_id, version))
        return None if row is None else row[0]

    def text_slices(self, wanted: Sequence[tuple[int, int, int | None]]) -> list[str | None]:
        # one round trip for a page of hits (twenty round trips were a third of a search's time)
        if not wanted:
            return []
        keys, starts, lengths = [], [], []
        for key, start, end in wanted:
            keys.append(key)
            starts.append(start + 1)
            lengths.append(None if end is None else max(0, end - start))
        rows = self._rows(
            "SELECT w.n, CASE WHEN w.len IS NULL THEN substr(d.text, w.s) ELSE substr(d.text, w.s, w.len) END "
            "FROM unnest(%s::bigint[], %s::int[], %s::int[]) WITH ORDINALITY AS w(key, s, len, n) "
            "JOIN documents d ON d.key = w.key AND d.is_current", (keys, starts, lengths))
        out: list[str | None] = [None] * len(wanted)
        for n, text in rows:
            out[n - 1] = text
        return out

    def search_index_dir(self) -> Path:
        return self.index_dir / "search"

    @property
    def search_index(self) -> SearchIndex:
        """This machine's index: derived data of its own, so kept up to date by read-only archives too (the
        database is only read); `reindex` still needs a writable archive, as on SQLite."""
        if self._search_index is None:
            self._search_index = SearchIndex(self.search_index_dir(), self, readonly=False)
        return self._search_index

    def reindex(self) -> int:
        if self.readonly:
            raise ReadOnlyArchive(f"{self.where} is open read-only")
        return super().reindex()

    def sync_search(self) -> int:
        """As on SQLite; a machine with no index yet (a new serving node) builds it from the current
        documents instead of replaying the whole change log."""
        idx = self.search_index
        if idx.watermark == 0 and self.last_change() > 0:
            try:
                return idx.rebuild()
            except ValueError:  # another process of this machine holds the index writer: it builds it
                return 0
        return idx.sync()

    def _indexer(self) -> tuple[Callable[..., None], tuple]:
        return _index_while_writing, (self.url, str(self.index_dir))

    def cache_dir(self, name: str) -> Path:
        return self.index_dir / name

    # -- paragraph vectors -------------------------------------------------------------------------
    def put_embeddings(self, model: str, keys: Sequence[int], rows: Sequence[tuple[int, int, int, int, bytes]]
                       ) -> None:
        if self.readonly:
            raise ReadOnlyArchive(f"{self.where} is open read-only: vectors cannot be stored")

        def run(tx: _Tx) -> None:
            conn = tx.conn
            conn.execute("DELETE FROM embeddings WHERE model=%s AND doc = ANY(%s)", (model, list(keys)))
            # in seq order for the vector index that follows: the feed lock, as for the change log
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
            with conn.cursor() as cur:
                cur.executemany('INSERT INTO embeddings(model, doc, n, start, "end", vec) VALUES (%s,%s,%s,%s,%s,%s)',
                                [(model, *r) for r in rows])
                cur.executemany("INSERT INTO embedded(model, doc) VALUES (%s,%s) ON CONFLICT DO NOTHING",
                                [(model, k) for k in keys])

        self._tx(run)

    def embeddings_since(self, model: str, seq: int, limit: int) -> list[tuple[int, int, int, bytes]]:
        return [(s, d, n, bytes(v)) for s, d, n, v in self._rows(
            "SELECT e.seq, e.doc, e.n, e.vec FROM embeddings e JOIN documents d ON d.key=e.doc "
            "WHERE e.model=%s AND e.seq>%s AND d.is_current ORDER BY e.seq LIMIT %s", (model, seq, limit))]

    def embeddings_of(self, model: str, keys: Sequence[int]) -> dict[int, list[tuple[int, int, int, bytes]]]:
        out: dict[int, list[tuple[int, int, int, bytes]]] = {}
        for d, n, s, e, v in self._rows('SELECT doc, n, start, "end", vec FROM embeddings WHERE model=%s '
                                        "AND doc = ANY(%s) ORDER BY doc, n", (model, list(keys))):
            out.setdefault(d, []).append((n, s, e, bytes(v)))
        return out

    def embedding_stats(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for model, paras, seq in self._rows("SELECT model, count(*), max(seq) FROM embeddings GROUP BY model"):
            out[model] = {"paragraphs": paras, "seq": seq or 0, "documents": 0}
        for model, docs in self._rows("SELECT e.model, count(*) FROM embedded e JOIN documents d ON d.key=e.doc "
                                      "WHERE d.is_current GROUP BY e.model"):
            out.setdefault(model, {"paragraphs": 0, "seq": 0})["documents"] = docs
        return out

    # -- reading ---------------------------------------------------------------------------------
    def _load_many(self, conn: Any, keys: list[int], types: tuple[str, ...] | None,
                   current_only: bool = False) -> dict[int, Document]:
        cur = " AND is_current" if current_only else ""
        docs = {r[0]: row_to_document(dict(zip(_DOC_NAMES, r[1:], strict=True))) for r in conn.execute(
            f"SELECT key, {_DOC_COLUMNS} FROM documents WHERE key = ANY(%s){cur}", (keys,))}
        for doc, t, s, e, level, number, label in conn.execute(
            'SELECT doc, type, start, "end", level, number, label FROM structure WHERE doc = ANY(%s) '
            "ORDER BY doc, seq", (keys,)
        ):
            if doc in docs:
                docs[doc].structure.append(Span(t, s, e, level, number, label))
        if types is None or types:
            sql = 'SELECT doc, type, start, "end", text, value_json, producer FROM annotations WHERE doc = ANY(%s)'
            args: list[Any] = [keys]
            if types:
                sql += " AND type = ANY(%s)"
                args.append(list(types))
            for doc, t, s, e, txt, v, p in conn.execute(sql + " ORDER BY doc, start, id", args):
                if doc in docs:
                    docs[doc].annotations.append(Annotation(t, s, e, txt, None if v is None else json.loads(v), p))
        return docs

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        key = self._key_of(doc_id, version)
        if key is None:
            return None
        return self._read(lambda conn: self._load_many(conn, [key], None)).get(key)

    def _keyed(self, keys: list[int], types: tuple[str, ...] | None) -> Iterator[tuple[int, Document]]:
        docs = self._read(lambda conn: self._load_many(conn, keys, types, current_only=True))
        for k in keys:
            if k in docs:
                yield k, docs[k]

    def source(self, doc_id: str, version: int | None = None) -> tuple[str, bytes] | None:
        got = self.source_chunks(doc_id, version)
        if got is None:
            return None
        return got[0], b"".join(got[1])

    def source_chunks(self, doc_id: str, version: int | None = None) -> tuple[str, Iterator[bytes]] | None:
        key = self._key_of(doc_id, version)
        if key is None:
            return None
        row = self._one("SELECT d.file_path, f.sha256, f.chunks FROM documents d JOIN files f "
                        "ON f.sha256 = d.file_sha256 WHERE d.key=%s", (key,))
        if row is None:
            return None
        return row[0], self.file_chunks(row[1], row[2])

    def file_chunks(self, sha256: str, chunks: int | None = None) -> Iterator[bytes]:
        """An original's bytes, one stored chunk at a time (never the whole file in memory)."""
        if chunks is None:
            got = self._one("SELECT chunks FROM files WHERE sha256=%s", (sha256,))
            chunks = got[0] if got else 0
        for n in range(chunks):
            row = self._one("SELECT data FROM file_chunks WHERE sha256=%s AND n=%s", (sha256, n))
            if row is None:
                raise StorageError(f"the original {sha256} lacks its piece {n} (damaged archive)")
            yield bytes(row[0])

    def list(self, collection: str | None = None, limit: int = 50, offset: int = 0) -> list[DocSummary]:
        sql = ("SELECT id, collection, title, date_start, doc_type, class_level, version, length(text) "
               "FROM documents WHERE is_current")
        args: list[Any] = []
        if collection:
            sql += " AND collection=%s"
            args.append(collection)
        sql += " ORDER BY collection, id LIMIT %s OFFSET %s"
        args += [limit, offset]
        return [DocSummary(*r) for r in self._rows(sql, args)]

    def _pages(self, sql: str, args: Sequence[Any], order: str, pos: int, collection: str | None,
               collection_column: str, size: int) -> Iterator[list[tuple]]:
        """The rows of `sql ... WHERE ...` (ending in a condition), `size` at a time in the order of the
        column `order` (row[`pos`]), of one collection or all: keyset paging, so no cursor is held open
        across the caller's work."""
        last = 0
        while True:
            q, a = f"{sql} AND {order}>%s", [*args, last]
            if collection:
                q += f" AND {collection_column}=%s"
                a.append(collection)
            rows = self._rows(q + f" ORDER BY {order} LIMIT {size}", a)
            if not rows:
                return
            yield rows
            last = rows[-1][pos]

    def _iter_keys(self, collection: str | None) -> Iterator[tuple[int, str]]:
        for rows in self._pages("SELECT key, id FROM documents WHERE is_current", (), "key", 0, collection,
                                "collection", 500):
            yield from rows

    def iter_documents(self, collection: str | None = None, with_annotations: bool = True) -> Iterator[Document]:
        batch: list[int] = []
        types = None if with_annotations else ()
        for key, _ in self._iter_keys(collection):
            batch.append(key)
            if len(batch) == 100:
                yield from self._batch(batch, types)
                batch = []
        if batch:
            yield from self._batch(batch, types)

    def _batch(self, keys: list[int], types: tuple[str, ...] | None) -> Iterator[Document]:
        docs = self._read(lambda conn: self._load_many(conn, keys, types))
        for k in keys:
            if k in docs:
                yield docs[k]

    def iter_ids(self, collection: str | None = None) -> Iterator[str]:
        for _, doc_id in self._iter_keys(collection):
            yield doc_id

    def iter_annotations(self, types: Sequence[str], collection: str | None = None) -> Iterator[AnnotationRow]:
        types = list(types)
        if not types:
            return
        sql = ('SELECT a.id, d.id, d.collection, a.type, a.start, a."end", a.text, a.value_json, a.producer '
               "FROM annotations a JOIN documents d ON d.key = a.doc WHERE d.is_current AND a.type = ANY(%s)")
        for rows in self._pages(sql, [types], "a.id", 0, collection, "d.collection", 5000):
            for _, doc_id, coll, typ, s, e, text, vj, prod in rows:
                yield AnnotationRow(doc_id, coll, Annotation(typ, s, e, text, json.loads(vj) if vj else None, prod))

    def stats(self, collection: str | None = None) -> dict[str, Any]:
        where, args = "WHERE d.is_current", []
        if collection:
            where += " AND d.collection=%s"
            args.append(collection)

        def run(conn: Any) -> dict[str, Any]:
            docs, chars, dated = conn.execute(
                f"SELECT count(*), coalesce(sum(length(text)),0), count(date_start) FROM documents d {where}", args
            ).fetchone()
            files, file_bytes = conn.execute("SELECT count(*), coalesce(sum(size),0) FROM files").fetchone()
            versions = conn.execute("SELECT count(*) FROM documents WHERE NOT is_current").fetchone()[0]
            ann = dict(conn.execute(
                f"SELECT a.type, count(*) FROM annotations a JOIN documents d ON d.key=a.doc {where} "
                "GROUP BY a.type ORDER BY a.type", args).fetchall())
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            return {"archive": self.where, "documents": docs, "characters": int(chars), "dated": dated,
                    "older_versions": versions, "files": files, "file_bytes": int(file_bytes), "annotations": ann,
                    "archive_bytes": int(size)}

        out = self._read(run)
        out["collections"] = [c for c in self.collections() if not collection or c["name"] == collection]
        return out

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        row = self._one("SELECT collection, coalesce(date_start, '') FROM documents WHERE id=%s AND is_current",
                        (doc_id,))
        if row is None:
            return (None, None)
        coll, date = row
        base = "SELECT id FROM documents WHERE is_current AND collection=%s AND "
        d = "coalesce(date_start, '') COLLATE \"C\""
        prev = self._one(base + f"({d}, id) < (%s, %s) ORDER BY {d} DESC, id DESC LIMIT 1", (coll, date, doc_id))
        nxt = self._one(base + f"({d}, id) > (%s, %s) ORDER BY {d}, id LIMIT 1", (coll, date, doc_id))
        return (prev[0] if prev else None, nxt[0] if nxt else None)

    def volume_stats(self, collection: str) -> list[dict[str, Any]]:
        vol = "((d.metadata_json::jsonb) -> 'volume')"
        rows = self._rows(
            f"SELECT {vol}, count(*), count(d.date_start), count(d.place), count(d.originator), count(d.class_level) "
            "FROM documents d WHERE d.is_current AND d.collection=%s GROUP BY 1", (collection,))
        out = {
            _hashable(v): {"volume": v, "documents": n, "with_date": nd, "with_place": np, "with_originator": no,
                           "with_classification": nc, "annotations": {}}
            for v, n, nd, np, no, nc in rows
        }
        for v, typ, n in self._rows(
            f"SELECT {vol}, a.type, count(*) FROM annotations a JOIN documents d ON d.key=a.doc "
            "WHERE d.is_current AND d.collection=%s GROUP BY 1, 2 ORDER BY 2", (collection,)
        ):
            if _hashable(v) in out:
                out[_hashable(v)]["annotations"][typ] = n
        return sorted(out.values(), key=lambda r: _sqlite_order(r["volume"]))

    # -- entities ------------------------------------------------------------------------------------
    _MENTION_SQL = ('SELECT d.id, d.collection, d.date_start, a.type, a.start, a."end", a.text, a.value_json, a.id '
                    "FROM annotations a JOIN documents d ON d.key = a.doc WHERE d.is_current ")
    _ENTITY = "((a.value_json::jsonb) ->> 'id')"

    def iter_entity_mentions(self, collection: str | None = None) -> Iterator[EntityMention]:
        sql = self._MENTION_SQL + "AND a.type IN ('person','place','org') AND a.value_json IS NOT NULL"
        for rows in self._pages(sql, (), "a.id", 8, collection, "d.collection", 5000):
            for r in rows:
                v = json.loads(r[7])
                if isinstance(v, dict) and v.get("id"):
                    yield EntityMention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], v)

    def _feed_write(self, fn: Callable[[_Tx], T]) -> T:
        """A write whose change-log rows `fn` adds to `tx.log` (common.SQLArchive._write gives a cursor)."""
        self._dirty = True
        return self._tx(fn)

    @staticmethod
    def _relabel(tx: _Tx, rows: list[tuple[int, int, str]], new_id: str, label: str | None) -> int:
        docs = set()
        with tx.conn.cursor() as cur:
            for ann_id, doc, vj in rows:
                cur.execute("UPDATE annotations SET value_json = %s WHERE id = %s",
                            (relabelled(vj, new_id, label), ann_id))
                docs.add(doc)
        tx.log.extend((d, "annotations") for d in sorted(docs))
        return len(rows)

    def relink_entities(self, changes: dict[str, tuple[str, str | None]], collection: str | None = None) -> int:
        def run(tx: _Tx) -> int:
            n = 0
            for old, (new, label) in changes.items():
                sql = ("SELECT a.id, a.doc, a.value_json FROM annotations a JOIN documents d ON d.key = a.doc "
                       f"WHERE a.type IN ('person','place','org') AND {self._ENTITY} = %s AND d.is_current")
                args: list[Any] = [old]
                if collection:
                    sql += " AND d.collection = %s"
                    args.append(collection)
                n += self._relabel(tx, tx.conn.execute(sql, args).fetchall(), new, label)
            return n
        return self._feed_write(run)

    def relink_mention(self, doc_id: str, start: int, end: int, new_id: str, label: str | None) -> int:
        def run(tx: _Tx) -> int:
            rows = tx.conn.execute(
                "SELECT a.id, a.doc, a.value_json FROM annotations a JOIN documents d ON d.key = a.doc "
                'WHERE d.id = %s AND d.is_current AND a.start = %s AND a."end" = %s '
                "AND a.type IN ('person','place','org') AND a.value_json IS NOT NULL", (doc_id, start, end)).fetchall()
            return self._relabel(tx, rows, new_id, label)
        return self._feed_write(run)

    def delete_entity_mentions(self, surface: str, types: Iterable[str] = ENTITY_TYPES) -> int:
        types = list(types)

        def run(tx: _Tx) -> int:
            rows = tx.conn.execute(
                "SELECT a.id, a.doc FROM annotations a JOIN documents d ON d.key = a.doc WHERE d.is_current "
                "AND a.type = ANY(%s) AND a.text = %s AND a.producer != 'tei'", (types, surface)).fetchall()
            tx.conn.execute("DELETE FROM annotations WHERE id = ANY(%s)", ([r[0] for r in rows],))
            tx.log.extend((d, "annotations") for d in sorted({r[1] for r in rows}))
            return len(rows)
        return self._feed_write(run)

    def entity_cooccurrence(self, entity_id: str, limit: int = 30) -> list[tuple[str, int]]:
        sql = ("WITH mine AS (SELECT DISTINCT a.doc FROM annotations a JOIN documents d ON d.key = a.doc "
               f"WHERE a.type IN ('person','place','org') AND {self._ENTITY} = %s AND d.is_current), "
               "other AS (SELECT ((b.value_json::jsonb) ->> 'id') COLLATE \"C\" AS other, b.doc FROM annotations b "
               "JOIN mine ON mine.doc = b.doc WHERE b.type IN ('person','place','org') AND b.value_json IS NOT NULL) "
               "SELECT other, count(DISTINCT doc) AS n FROM other WHERE other IS NOT NULL AND other != %s "
               "GROUP BY other ORDER BY n DESC, other LIMIT %s")
        return [(r[0], r[1]) for r in self._rows(sql, (entity_id, entity_id, limit))]

    def put_entities(self, records: Iterable[EntityRecord]) -> int:
        def run(tx: _Tx) -> int:
            tx.conn.execute("DELETE FROM entities")
            n = 0
            with tx.conn.cursor() as cur:
                with cur.copy("COPY entities(id, type, label, mentions, documents, record_json) FROM STDIN") as cp:
                    for r in records:
                        cp.write_row(entity_row(r))
                        n += 1
            return n
        return self._feed_write(run)


def _index_while_writing(url: str, index_dir: str, stop: Any, parent: int) -> None:
    from ..procs import exit_with_parent

    exit_with_parent(parent)
    # the parent's pools are keyed by its pid: this process makes its own connections
    try:
        archive = PostgresArchive(url, readonly=True, index_dir=index_dir)
        try:
            archive.follow_search(stop, commit_every=20.0)
        finally:
            archive.close()
    except Exception:  # noqa: BLE001 - the server went away (any psycopg error on the way): the ingest itself
        pass  # says so, in one line; the index catches up at the next sync


class _Tx:
    """A connection inside one write transaction, and the change-log rows it will write at the end."""

    def __init__(self, conn: Any, log: list[tuple[int, str]]) -> None:
        self.conn = conn
        self.log = log


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit advisory-lock key for one claimed name (a file, a document id)."""
    digest = hashlib.blake2b(f"{kind}\0{value}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


def _hashable(v: Any) -> Any:
    return json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v


def _sqlite_order(v: Any) -> tuple:
    """SQLite's order of mixed values: NULL, numbers, text, then the rest."""
    if v is None:
        return (0, 0)
    if isinstance(v, bool | int | float):
        return (1, v)
    if isinstance(v, str):
        return (2, v.encode())
    return (3, json.dumps(v, sort_keys=True))
