"""`despatch copy`: a whole archive from one backend to another (SQLite ↔ PostgreSQL), losslessly.

Every table that is the archive is copied row for row, in one consistent snapshot of the source and one
transaction on the destination: documents and every older version (with their keys, so spans,
annotations and paragraph vectors keep pointing at them), spans, annotations, originals (a 1 MiB piece at
a time: never a whole file in memory), ingest records, authorities, entity records, curation, paragraph
vectors, users, API tokens, sessions, collection access and the audit log. The destination's change feed
starts afresh (one "add" per current document), so its search index is built from the copy.

The rows travel as `(table, row)` in the neutral form of `TABLES` (column names as in both schemas; the
document key is SQLite's rowid and PostgreSQL's `key`; booleans as `bool`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import BadOption, StorageError
from .base import Archive

CHUNK = 1 << 20

_DOC = ("id, version, is_current, collection, title, caption, doc_type, language, date_start, date_end, "
        "date_precision, date_text, class_level, class_text, originator, recipient, place, source_json, rights, "
        "url, last_updated, file_path, file_sha256, file_format, file_bytes, text, metadata_json, content_hash, "
        "ingested_at")

# table → (columns, order). "files" rows are each followed by their "file_chunk" rows (sha256, n, data).
TABLES: dict[str, tuple[str, str]] = {
    "files": ("sha256, size, format", "sha256"),
    "ingests": ("id, path, sha256, collection, options_key, documents, ingested_at", "id"),
    "documents": ("key, " + _DOC, "key"),
    "structure": ('doc, seq, type, start, "end", level, number, label', "doc, seq"),
    "annotations": ('id, doc, type, start, "end", text, value_json, producer', "id"),
    "authorities": ("collection, id, kind, name, description", "collection, kind, id"),
    "entities": ("id, type, label, mentions, documents, record_json", "id"),
    "entity_curation": ("seq, action, args_json, who, at", "seq"),
    "embeddings": ('seq, model, doc, n, start, "end", vec', "seq"),
    "embedded": ("model, doc", "model, doc"),
    "users": ("name, role, password_hash, created_at", "name"),
    "api_tokens": ("id, username, token_hash, label, created_at", "id"),
    "sessions": ("id_hash, username, csrf, created_at, expires_at", "id_hash"),
    "collection_access": ("collection, visibility, embargo", "collection"),
    "collection_readers": ("collection, username", "collection, username"),
    "audit_log": ("seq, at, who, action, target, detail_json", "seq"),
}
_CURRENT = 3  # index of is_current in a documents row (after key, id, version)
# identity/serial columns whose sequence must move past the copied values (PostgreSQL)
_SERIALS = {"ingests": "id", "documents": "key", "annotations": "id", "entity_curation": "seq",
            "embeddings": "seq", "audit_log": "seq"}

Row = tuple[str, tuple]
Progress = Callable[[str, int], None]


def copy_archive(src: Archive, dest: Archive, progress: Progress | None = None) -> dict[str, int]:
    """Copy everything of `src` into the empty archive `dest`; returns rows copied per table."""
    if dest.stats()["documents"] or dest.stats()["files"] or dest.users() or dest.last_change():
        raise BadOption("the destination archive is not empty: copy into a new SQLite file or an empty database")
    return _writer(dest)(_reader(src)(), progress)


# -- reading -----------------------------------------------------------------------------------------------

def _reader(arch: Archive) -> Callable[[], Iterator[Row]]:
    from .sqlite import SQLiteArchive

    if isinstance(arch, SQLiteArchive):
        return lambda: _read_sqlite(arch)
    from .postgres import PostgresArchive

    if isinstance(arch, PostgresArchive):
        return lambda: _read_postgres(arch)
    raise BadOption(f"cannot copy from a {type(arch).__name__}")


def _read_sqlite(arch: Any) -> Iterator[Row]:
    import sqlite3

    conn = sqlite3.connect(f"file:{arch.path.resolve()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("BEGIN")  # one snapshot of the whole archive
        for table, (cols, order) in TABLES.items():
            sql_cols = cols.replace("key,", "rowid,", 1) if table == "documents" else cols
            sql_order = order.replace("key", "rowid") if table == "documents" else order
            if table == "files":
                for rowid, sha, size, fmt in conn.execute(f"SELECT rowid, {cols} FROM files ORDER BY {order}"):
                    yield "files", (sha, size, fmt)
                    with conn.blobopen("files", "data", rowid, readonly=True) as blob:
                        n = 0
                        while True:
                            data = blob.read(CHUNK)
                            if not data and n:
                                break
                            yield "file_chunk", (sha, n, bytes(data))
                            n += 1
                            if len(data) < CHUNK:
                                break
                continue
            for r in conn.execute(f"SELECT {sql_cols} FROM {table} ORDER BY {sql_order}"):
                if table == "documents":
                    r = (*r[:_CURRENT], bool(r[_CURRENT]), *r[_CURRENT + 1:])
                yield table, tuple(r)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _read_postgres(arch: Any) -> Iterator[Row]:
    with arch.pool.connection() as conn:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")  # one snapshot
            for table, (cols, order) in TABLES.items():
                with conn.cursor(name=f"copy_{table}") as cur:
                    cur.itersize = 2000
                    cur.execute(f"SELECT {cols} FROM {table} ORDER BY {order}")
                    for r in cur:
                        if table == "files":
                            yield "files", tuple(r)
                            n = 0
                            while True:
                                got = conn.execute("SELECT data FROM file_chunks WHERE sha256=%s AND n=%s",
                                                   (r[0], n)).fetchone()
                                if got is None:
                                    break
                                yield "file_chunk", (r[0], n, bytes(got[0]))
                                n += 1
                            continue
                        if table in ("embeddings",):
                            r = (*r[:-1], bytes(r[-1]))
                        yield table, tuple(r)


# -- writing -----------------------------------------------------------------------------------------------

def _writer(arch: Archive) -> Callable[[Iterator[Row], Progress | None], dict[str, int]]:
    from .sqlite import SQLiteArchive

    if isinstance(arch, SQLiteArchive):
        return lambda rows, progress: _write_sqlite(arch, rows, progress)
    from .postgres import PostgresArchive

    if isinstance(arch, PostgresArchive):
        return lambda rows, progress: _write_postgres(arch, rows, progress)
    raise BadOption(f"cannot copy into a {type(arch).__name__}")


def _groups(rows: Iterable[Row]) -> Iterator[tuple[str, Iterator[tuple]]]:
    for table, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield table, (r[1] for r in group)


def _counted(counts: dict[str, int], table: str, rows: Iterator[tuple], progress: Progress | None
             ) -> Iterator[tuple]:
    for r in rows:
        counts[table] = counts.get(table, 0) + 1
        if progress and counts[table] % 10000 == 0:
            progress(table, counts[table])
        yield r


def _write_sqlite(arch: Any, rows: Iterator[Row], progress: Progress | None) -> dict[str, int]:
    conn = arch.conn
    counts: dict[str, int] = {}
    sizes: dict[str, int] = {}
    cur = conn.cursor()
    cur.execute("BEGIN IMMEDIATE")
    try:
        for table, group in _groups(rows):
            group = _counted(counts, table, group, progress)
            if table == "files":
                for sha, size, fmt in group:
                    cur.execute("INSERT INTO files(sha256, size, format, data) VALUES (?,?,?,zeroblob(?))",
                                (sha, size, fmt, size))
                    sizes[sha] = cur.lastrowid
                continue
            if table == "file_chunk":
                for sha, n, data in group:
                    with conn.blobopen("files", "data", sizes[sha]) as blob:
                        blob.seek(n * CHUNK)
                        blob.write(data)
                continue
            cols = TABLES[table][0]
            if table == "documents":
                cols = cols.replace("key,", "rowid,", 1)
                group = ((*r[:_CURRENT], int(r[_CURRENT]), *r[_CURRENT + 1:]) for r in group)
            marks = ",".join("?" * len(cols.split(",")))
            cur.executemany(f"INSERT INTO {table}({cols}) VALUES ({marks})", group)
        cur.execute("DELETE FROM search_log")
        cur.execute("INSERT INTO search_log(doc, op, mark) SELECT rowid, 'add', lower(hex(randomblob(8))) "
                    "FROM documents WHERE is_current=1 ORDER BY rowid")
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    arch._dirty = True
    counts.pop("file_chunk", None)
    return counts


def _write_postgres(arch: Any, rows: Iterator[Row], progress: Progress | None) -> dict[str, int]:
    import psycopg

    from .pg_schema import FEED_LOCK
    from .postgres import connection_problem

    counts: dict[str, int] = {}
    chunks: dict[str, int] = {}
    try:
        with arch.pool.connection() as conn:
            with conn.transaction():
                for table, group in _groups(rows):
                    group = _counted(counts, table, group, progress)
                    if table == "files":
                        with conn.cursor() as cur:
                            cur.executemany("INSERT INTO files(sha256, size, format, chunks) VALUES (%s,%s,%s,0)",
                                            list(group))
                        continue
                    if table == "file_chunk":
                        for sha, n, data in group:
                            conn.execute("INSERT INTO file_chunks(sha256, n, data) VALUES (%s,%s,%s)", (sha, n, data))
                            chunks[sha] = chunks.get(sha, 0) + 1
                        continue
                    cols = TABLES[table][0]
                    with conn.cursor() as cur:
                        with cur.copy(f"COPY {table}({cols}) FROM STDIN") as cp:
                            for r in group:
                                cp.write_row(r)
                with conn.cursor() as cur:
                    cur.executemany("UPDATE files SET chunks=%s WHERE sha256=%s",
                                    [(n, sha) for sha, n in chunks.items()])
                for table, col in _SERIALS.items():
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                                 f"coalesce((SELECT max({col}) FROM {table}), 0) + 1, false)")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
                conn.execute("INSERT INTO search_log(doc, op, mark) SELECT key, 'add', md5(random()::text) "
                             "FROM documents WHERE is_current ORDER BY key")
    except psycopg.OperationalError as e:
        raise connection_problem(arch.url, e) from None
    except psycopg.Error as e:
        raise StorageError(f"could not copy into {arch.where}: {str(e).strip().splitlines()[0]}; "
                           "nothing was written") from None
    arch._dirty = True
    counts.pop("file_chunk", None)
    return counts
