"""The embedded SQLite archive: one file holds documents, spans, annotations, original bytes and the
change feed (`search_log`); the derived search index lives beside it in `<archive>.search/`."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..errors import ArchiveNotFound, NotFound, ReadOnlyArchive
from ..feed import HitRecord, IndexRecord
from ..identity import id_for_another_file, same_file
from ..model import Annotation, AuthorityEntry, Document, Span
from ..procs import exit_with_parent
from ..search.index import SearchIndex
from .base import AnnotationRow, DocSummary, EntityMention, EntityRecord, PutResult, StoredFile, row_to_document
from .common import DOC_COLUMNS as _DOC_COLUMNS
from .common import SQLArchive, T, doc_values, entity_row, index_records_from, now, relabelled
from .schema import migrate

DEFAULT_PATH = "despatch.db"
# The random mark each change-feed row carries (despatch.feed.ChangeFeed.change_mark).
_MARK = "lower(hex(randomblob(8)))"


def default_archive_path() -> str:
    return os.environ.get("DESPATCH_ARCHIVE") or DEFAULT_PATH


class SQLiteArchive(SQLArchive):
    def __init__(self, path: str | os.PathLike[str] | None = None, readonly: bool = False) -> None:
        self.path = Path(path or default_archive_path())
        self.readonly = readonly
        self._dirty = False
        if readonly:
            if not self.path.exists():
                raise ArchiveNotFound(f"no archive at {self.path}")
            uri = f"file:{self.path.resolve()}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA cache_size=-65536")
        if not readonly:
            migrate(self.conn)
        elif not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='documents'").fetchone():
            self.conn.close()  # an empty file, or another program's database: nothing to read, say so
            raise ValueError("not a Despatch archive (an empty file or another program's database)")

    def close(self) -> None:
        if not self.readonly and self._dirty:
            self.sync_search()  # an ingest's documents become searchable when it closes the archive
        self.conn.close()

    # -- what the shared SQL (common.py) asks of a backend -------------------------------------------
    @property
    def where(self) -> str:  # type: ignore[override]
        return str(self.path)

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, args)

    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple | None:
        return self.conn.execute(sql, args).fetchone()

    def _in_tx(self, fn: Callable[[sqlite3.Cursor], T]) -> T:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            out = fn(cur)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return out

    def _insert_if_new(self, cur: sqlite3.Cursor, table: str, key: str, columns: Sequence[str],
                       values: Sequence[Any]) -> bool:
        if cur.execute(f"SELECT 1 FROM {table} WHERE {key}=?", (values[columns.index(key)],)).fetchone():
            return False
        cur.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))})", values)
        return True

    def _upsert_sql(self, table: str, key: str, columns: Sequence[str]) -> str:
        return f"INSERT OR REPLACE INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))})"

    def _insert_ignore_sql(self, table: str, columns: Sequence[str]) -> str:
        return f"INSERT OR IGNORE INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))})"

    def _insert_seq(self, cur: sqlite3.Cursor, table: str, columns: Sequence[str], values: Sequence[Any]) -> int:
        return int(cur.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({self._marks(len(columns))})",
                               values).lastrowid)

    # -- writing ---------------------------------------------------------------------------------
    def put(
        self,
        file: StoredFile,
        collection: str,
        docs: list[Document],
        authorities: Iterable[AuthorityEntry] = (),
    ) -> PutResult:
        result = PutResult()
        self._dirty = True

        def run(cur: sqlite3.Cursor) -> None:
            cur.execute(
                "INSERT OR IGNORE INTO files(sha256, size, format, data) VALUES (?,?,?,?)",
                (file.sha256, file.size, file.format, file.data),
            )
            for doc in docs:
                self._put_document(cur, doc, result)
            self._put_authorities(cur, collection, authorities)
            cur.execute(
                "INSERT INTO ingests(path, sha256, collection, options_key, documents, ingested_at) "
                "VALUES (?,?,?,?,?,?)",
                (file.path, file.sha256, collection, file.options_key, len(docs), now()),
            )
        self._in_tx(run)
        return result

    def _put_document(self, cur: sqlite3.Cursor, doc: Document, result: PutResult) -> None:
        chash = doc.content_hash()
        row = cur.execute(
            "SELECT rowid, version, content_hash, file_path FROM documents WHERE id=? AND is_current=1", (doc.id,)
        ).fetchone()
        key = doc.file.key if doc.file else None
        if row and not same_file(row[3], key):
            doc.id = self._id_for_file(cur, doc.id, key)  # type: ignore[arg-type]
            row = cur.execute(
                "SELECT rowid, version, content_hash, file_path FROM documents WHERE id=? AND is_current=1",
                (doc.id,),
            ).fetchone()
        if row and row[2] == chash:
            result.unchanged += 1
            return
        version = 1
        if row:
            old_rowid, old_version = row[0], row[1]
            version = old_version + 1
            self._unindex(cur, old_rowid)
            cur.execute("UPDATE documents SET is_current=0 WHERE rowid=?", (old_rowid,))
            result.versioned += 1
        else:
            result.added += 1
        cur.execute(f"INSERT INTO documents({_DOC_COLUMNS}) VALUES ({','.join('?' * 29)})",
                    doc_values(doc, version, 1, chash))
        rowid = cur.lastrowid
        assert rowid is not None
        cur.executemany(
            'INSERT INTO structure(doc, seq, type, start, "end", level, number, label) VALUES (?,?,?,?,?,?,?,?)',
            [(rowid, i, s.type, s.start, s.end, s.level, s.number, s.label) for i, s in enumerate(doc.structure)],
        )
        self._insert_annotations(cur, rowid, doc.annotations)
        self._index(cur, rowid, doc)
        doc.version = version

    def _id_for_file(self, cur: sqlite3.Cursor, doc_id: str, key: str) -> str:
        """The id for a document whose natural id another file holds: the natural id and the file's path."""
        alt = id_for_another_file(doc_id, key)
        row = cur.execute("SELECT file_path FROM documents WHERE id=? AND is_current=1", (alt,)).fetchone()
        return id_for_another_file(doc_id, key, True) if row and not same_file(row[0], key) else alt

    def _insert_annotations(self, cur: sqlite3.Cursor, rowid: int, anns: list[Annotation]) -> None:
        cur.executemany(
            'INSERT INTO annotations(doc, type, start, "end", text, value_json, producer) VALUES (?,?,?,?,?,?,?)',
            [
                (rowid, a.type, a.start, a.end, a.text,
                 None if a.value is None else json.dumps(a.value, ensure_ascii=False), a.producer)
                for a in anns
            ],
        )

    def _put_authorities(self, cur: sqlite3.Cursor, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        rows = [(collection, e.id, e.kind, e.name, e.description) for e in entries]
        cur.executemany(
            "INSERT OR REPLACE INTO authorities(collection, id, kind, name, description) VALUES (?,?,?,?,?)", rows
        )
        return len(rows)

    def import_authorities(self, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        return self._in_tx(lambda cur: self._put_authorities(cur, collection, entries))

    def replace_annotations(self, doc_id: str, producers: Iterable[str], annotations: list[Annotation]) -> None:
        producers = list(producers)

        def run(cur: sqlite3.Cursor) -> None:
            row = cur.execute("SELECT rowid FROM documents WHERE id=? AND is_current=1", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no current document {doc_id!r}")
            if producers:
                marks = ",".join("?" * len(producers))
                cur.execute(f"DELETE FROM annotations WHERE doc=? AND producer IN ({marks})", (row[0], *producers))
            self._insert_annotations(cur, row[0], annotations)
            cur.execute(f"INSERT INTO search_log(doc, op, mark) VALUES (?, 'annotations', {_MARK})", (row[0],))
        self._dirty = True
        self._in_tx(run)

    # -- the change feed (despatch/feed.py): what the derived search index follows ---------------------
    # A document's key is its rowid; `search_log` gets a row in the same transaction as every change.
    def _index(self, cur: sqlite3.Cursor, rowid: int, doc: Document) -> None:
        cur.execute(f"INSERT INTO search_log(doc, op, mark) VALUES (?, 'add', {_MARK})", (rowid,))

    def _unindex(self, cur: sqlite3.Cursor, rowid: int) -> None:
        cur.execute(f"INSERT INTO search_log(doc, op, mark) VALUES (?, 'del', {_MARK})", (rowid,))

    def _schema_at_least(self, version: int) -> bool:
        return bool(self.conn.execute("PRAGMA user_version").fetchone()[0] >= version)

    def archive_id(self) -> str:
        if not self._schema_at_least(6):  # read-only, from before identities: nothing to compare
            return ""
        row = self.conn.execute("SELECT value FROM archive_info WHERE key = 'archive_id'").fetchone()
        return str(row[0]) if row else ""

    def change_mark(self, seq: int) -> str | None:
        if not self._schema_at_least(6):
            return None
        row = self.conn.execute("SELECT mark FROM search_log WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    # -- paragraph vectors (despatch.feed.VectorFeed) ----------------------------------------------
    def put_embeddings(self, model: str, keys: Sequence[int], rows: Sequence[tuple[int, int, int, int, bytes]]
                       ) -> None:
        if self.readonly:
            raise ReadOnlyArchive(f"{self.path} is open read-only: vectors cannot be stored")
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for k in keys:
                self.conn.execute("DELETE FROM embeddings WHERE model=? AND doc=?", (model, k))
            self.conn.executemany(
                'INSERT INTO embeddings(model, doc, n, start, "end", vec) VALUES (?, ?, ?, ?, ?, ?)',
                [(model, *r) for r in rows],
            )
            self.conn.executemany("INSERT OR IGNORE INTO embedded(model, doc) VALUES (?, ?)",
                                  [(model, k) for k in keys])

    def embeddings_since(self, model: str, seq: int, limit: int) -> list[tuple[int, int, int, bytes]]:
        return self.conn.execute(
            "SELECT e.seq, e.doc, e.n, e.vec FROM embeddings e JOIN documents d ON d.rowid=e.doc "
            "WHERE e.model=? AND e.seq>? AND d.is_current=1 ORDER BY e.seq LIMIT ?", (model, seq, limit)
        ).fetchall()

    def embeddings_of(self, model: str, keys: Sequence[int]) -> dict[int, list[tuple[int, int, int, bytes]]]:
        out: dict[int, list[tuple[int, int, int, bytes]]] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            for d, n, s, e, v in self.conn.execute(
                f'SELECT doc, n, start, "end", vec FROM embeddings WHERE model=? AND doc IN '
                f'({",".join("?" * len(chunk))}) ORDER BY doc, n', [model, *chunk]
            ):
                out.setdefault(d, []).append((n, s, e, v))
        return out

    def embedding_stats(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        if not self._schema_at_least(4):  # read-only, from before vectors (migration 4): it has none
            return out
        for model, paras, seq in self.conn.execute("SELECT model, count(*), max(seq) FROM embeddings GROUP BY model"):
            out[model] = {"paragraphs": paras, "seq": seq or 0, "documents": 0}
        for model, docs in self.conn.execute(
            "SELECT e.model, count(*) FROM embedded e JOIN documents d ON d.rowid=e.doc WHERE d.is_current=1 "
            "GROUP BY e.model"
        ):
            out.setdefault(model, {"paragraphs": 0, "seq": 0})["documents"] = docs
        return out

    def index_records(self, keys: Sequence[int], annotation_types: Iterable[str]) -> Iterator[IndexRecord]:
        types = list(annotation_types)
        tmarks = ",".join("?" * len(types))
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            structure = self.conn.execute(
                f'SELECT doc, type, start, "end" FROM structure WHERE doc IN ({marks}) ORDER BY doc, seq', chunk
            ).fetchall()
            entities = self.conn.execute(
                f'SELECT doc, type, start, "end", text, value_json FROM annotations WHERE doc IN ({marks}) '
                f"AND type IN ({tmarks})",
                [*chunk, *types],
            ).fetchall() if types else []
            yield from index_records_from(structure, entities, self.conn.execute(
                "SELECT rowid, coalesce(title,''), text, collection, doc_type, language, date_start, date_end, "
                f"class_level, metadata_json FROM documents WHERE rowid IN ({marks}) AND is_current=1 ORDER BY rowid",
                chunk,
            ))

    def hit_records(self, keys: Sequence[int]) -> dict[int, HitRecord]:
        out: dict[int, HitRecord] = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                "SELECT rowid, id, version, collection, title, date_text, date_start, date_end, date_precision, "
                f"doc_type, language, class_level, metadata_json FROM documents WHERE rowid IN ({marks}) "
                "AND is_current=1",
                chunk,
            ):
                out[r[0]] = HitRecord(*r[:12], metadata=json.loads(r[12] or "{}"))
        return out

    def text_slice(self, doc_id: str, version: int, start: int = 0, end: int | None = None) -> str | None:
        if end is None:
            row = self.conn.execute(
                "SELECT substr(text, ?) FROM documents WHERE id=? AND version=?", (start + 1, doc_id, version)
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT substr(text, ?, ?) FROM documents WHERE id=? AND version=?",
                (start + 1, max(0, end - start), doc_id, version),
            ).fetchone()
        return None if row is None else row[0]

    def search_index_dir(self) -> Path:
        return Path(str(self.path) + ".search")

    def _indexer(self) -> tuple[Callable[..., None], tuple]:
        return _index_while_writing, (str(self.path),)

    def cache_dir(self, name: str) -> Path:
        return Path(f"{self.path}.{name}")

    def _keyed(self, keys: list[int], types: tuple[str, ...] | None) -> Iterator[tuple[int, Document]]:
        marks = ",".join("?" * len(keys))
        self.conn.row_factory = sqlite3.Row
        try:
            docs = {
                r["rowid"]: row_to_document(r)
                for r in self.conn.execute(
                    f"SELECT rowid, {_DOC_COLUMNS} FROM documents WHERE rowid IN ({marks}) AND is_current=1", keys
                )
            }
        finally:
            self.conn.row_factory = None
        for doc, t, s, e, level, number, label in self.conn.execute(
            f'SELECT doc, type, start, "end", level, number, label FROM structure WHERE doc IN ({marks}) '
            "ORDER BY doc, seq",
            keys,
        ):
            docs[doc].structure.append(Span(t, s, e, level, number, label))
        if types is None or types:
            sql = (f'SELECT doc, type, start, "end", text, value_json, producer FROM annotations '
                   f"WHERE doc IN ({marks})")
            args: list[Any] = list(keys)
            if types:
                sql += f" AND type IN ({','.join('?' * len(types))})"
                args += types
            for doc, t, s, e, txt, v, p in self.conn.execute(sql + " ORDER BY doc, start, id", args):
                if doc in docs:
                    docs[doc].annotations.append(Annotation(t, s, e, txt, None if v is None else json.loads(v), p))
        for k in keys:
            if k in docs:
                yield k, docs[k]

    # -- reading ---------------------------------------------------------------------------------
    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        rowid = self._key_of(doc_id, version)
        if rowid is None:
            return None
        return self._load(rowid, with_annotations=True)

    def _load(self, rowid: int, with_annotations: bool = True) -> Document:
        self.conn.row_factory = sqlite3.Row
        try:
            r = self.conn.execute(f"SELECT rowid, {_DOC_COLUMNS} FROM documents WHERE rowid=?", (rowid,)).fetchone()
        finally:
            self.conn.row_factory = None
        doc = row_to_document(r)
        doc.structure = [
            Span(t, s, e, level, number, label)
            for t, s, e, level, number, label in self.conn.execute(
                'SELECT type, start, "end", level, number, label FROM structure WHERE doc=? ORDER BY seq', (rowid,)
            )
        ]
        if with_annotations:
            doc.annotations = [
                Annotation(t, s, e, txt, None if v is None else json.loads(v), p)
                for t, s, e, txt, v, p in self.conn.execute(
                    'SELECT type, start, "end", text, value_json, producer FROM annotations WHERE doc=? '
                    "ORDER BY start, id",
                    (rowid,),
                )
            ]
        return doc

    def source(self, doc_id: str, version: int | None = None) -> tuple[str, bytes] | None:
        rowid = self._key_of(doc_id, version)
        if rowid is None:
            return None
        row = self.conn.execute(
            "SELECT d.file_path, f.data FROM documents d JOIN files f ON f.sha256 = d.file_sha256 WHERE d.rowid=?",
            (rowid,),
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def list(self, collection: str | None = None, limit: int = 50, offset: int = 0) -> list[DocSummary]:
        # The page's rows are chosen first, the length of the text taken for those alone: computed in the
        # ordered query it read the text of every document of the collection for any page (2 s for the
        # first 50 of the UN corpus, cold; 0.02 s now), and the whole archive over and over when paged.
        page = "SELECT rowid FROM documents WHERE is_current=1"
        args: list[Any] = []
        if collection:
            page += " AND collection=?"
            args.append(collection)
        page += " ORDER BY collection, id LIMIT ? OFFSET ?"
        args += [limit, offset]
        sql = (
            "SELECT id, collection, title, date_start, doc_type, class_level, version, length(text) "
            f"FROM documents WHERE rowid IN ({page}) ORDER BY collection, id"
        )
        return [DocSummary(*r) for r in self.conn.execute(sql, args)]

    def iter_documents(self, collection: str | None = None, with_annotations: bool = True) -> Iterator[Document]:
        sql = "SELECT rowid FROM documents WHERE is_current=1"
        args: list[Any] = []
        if collection:
            sql += " AND collection=?"
            args.append(collection)
        rowids = [r[0] for r in self.conn.execute(sql + " ORDER BY rowid", args)]
        for rowid in rowids:
            yield self._load(rowid, with_annotations=with_annotations)

    def iter_ids(self, collection: str | None = None) -> Iterator[str]:
        last = 0
        while True:  # keyset paging: no cursor held open across the caller's work
            sql = "SELECT rowid, id FROM documents WHERE is_current=1 AND rowid>?"
            args: list[Any] = [last]
            if collection:
                sql += " AND collection=?"
                args.append(collection)
            rows = self.conn.execute(sql + " ORDER BY rowid LIMIT 500", args).fetchall()
            if not rows:
                return
            for _, doc_id in rows:
                yield doc_id
            last = rows[-1][0]

    def iter_annotations(self, types: Sequence[str], collection: str | None = None) -> Iterator[AnnotationRow]:
        types = list(types)
        if not types:
            return
        marks = ",".join("?" * len(types))
        sql = ('SELECT d.id, d.collection, a.type, a.start, a."end", a.text, a.value_json, a.producer '
               f"FROM annotations a JOIN documents d ON d.rowid = a.doc WHERE d.is_current = 1 AND a.type IN ({marks})")
        args: list[Any] = list(types)
        if collection:
            sql += " AND d.collection = ?"
            args.append(collection)
        for doc_id, coll, typ, s, e, text, vj, prod in self.conn.execute(sql, args):
            yield AnnotationRow(doc_id, coll, Annotation(typ, s, e, text, json.loads(vj) if vj else None, prod))

    def stats(self, collection: str | None = None) -> dict[str, Any]:
        where, args = "WHERE d.is_current=1", []
        if collection:
            where += " AND d.collection=?"
            args.append(collection)
        docs, chars, dated = self.conn.execute(
            f"SELECT count(*), coalesce(sum(length(text)),0), count(date_start) FROM documents d {where}", args
        ).fetchone()
        files, file_bytes = self.conn.execute("SELECT count(*), coalesce(sum(size),0) FROM files").fetchone()
        versions = self.conn.execute("SELECT count(*) FROM documents WHERE is_current=0").fetchone()[0]
        ann = dict(
            self.conn.execute(
                f"SELECT a.type, count(*) FROM annotations a JOIN documents d ON d.rowid=a.doc {where} "
                "GROUP BY a.type ORDER BY a.type",
                args,
            ).fetchall()
        )
        return {
            "archive": str(self.path),
            "documents": docs,
            "characters": chars,
            "dated": dated,
            "older_versions": versions,
            "files": files,
            "file_bytes": file_bytes,
            "annotations": ann,
            "collections": [c for c in self.collections() if not collection or c["name"] == collection],
            "archive_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        row = self.conn.execute(
            "SELECT collection, coalesce(date_start, '') FROM documents WHERE id=? AND is_current=1", (doc_id,)
        ).fetchone()
        if row is None:
            return (None, None)
        coll, date = row
        # The date bound repeats the row comparison's first term: with it SQLite seeks in documents_order
        # to the date (the row comparison alone walked the collection's index entries).
        base = "SELECT id FROM documents WHERE is_current=1 AND collection=? AND "
        prev = self.conn.execute(
            base + "coalesce(date_start, '') <= ? AND (coalesce(date_start, ''), id) < (?, ?) "
            "ORDER BY coalesce(date_start, '') DESC, id DESC LIMIT 1",
            (coll, date, date, doc_id),
        ).fetchone()
        nxt = self.conn.execute(
            base + "coalesce(date_start, '') >= ? AND (coalesce(date_start, ''), id) > (?, ?) "
            "ORDER BY coalesce(date_start, ''), id LIMIT 1",
            (coll, date, date, doc_id),
        ).fetchone()
        return (prev[0] if prev else None, nxt[0] if nxt else None)

    def volume_stats(self, collection: str) -> list[dict[str, Any]]:
        """Per volume (metadata.volume; documents without one count under None): documents, with date,
        place, originator, classification, and annotations by type."""
        vol = "json_extract(d.metadata_json, '$.volume')"
        rows = self.conn.execute(
            f"SELECT {vol}, count(*), count(d.date_start), count(d.place), count(d.originator), count(d.class_level) "
            "FROM documents d WHERE d.is_current=1 AND d.collection=? GROUP BY 1 ORDER BY 1",
            (collection,),
        ).fetchall()
        out = {
            v: {"volume": v, "documents": n, "with_date": nd, "with_place": np, "with_originator": no,
                "with_classification": nc, "annotations": {}}
            for v, n, nd, np, no, nc in rows
        }
        for v, typ, n in self.conn.execute(
            f"SELECT {vol}, a.type, count(*) FROM annotations a JOIN documents d ON d.rowid=a.doc "
            "WHERE d.is_current=1 AND d.collection=? GROUP BY 1, 2 ORDER BY 1, 2",
            (collection,),
        ):
            if v in out:
                out[v]["annotations"][typ] = n
        return list(out.values())

    # -- entities ------------------------------------------------------------------------------------
    _MENTION_SQL = ("SELECT d.id, d.collection, d.date_start, a.type, a.start, a.\"end\", a.text, a.value_json "
                    "FROM annotations a JOIN documents d ON d.rowid = a.doc WHERE d.is_current = 1 ")

    def iter_entity_mentions(self, collection: str | None = None) -> Iterator[EntityMention]:
        sql = self._MENTION_SQL + "AND a.type IN ('person','place','org') AND a.value_json IS NOT NULL"
        args: list[Any] = []
        if collection:
            sql += " AND d.collection = ?"
            args.append(collection)
        for r in self.conn.execute(sql, args):
            v = json.loads(r[7])
            if isinstance(v, dict) and v.get("id"):
                yield EntityMention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], v)

    @staticmethod
    def _relabel(cur: sqlite3.Cursor, rows: list[tuple[int, int, str]], new_id: str, label: str | None) -> int:
        docs = set()
        for ann_id, doc, vj in rows:
            cur.execute("UPDATE annotations SET value_json = ? WHERE id = ?", (relabelled(vj, new_id, label), ann_id))
            docs.add(doc)
        cur.executemany(f"INSERT INTO search_log(doc, op, mark) VALUES (?, 'annotations', {_MARK})",
                        [(d,) for d in sorted(docs)])
        return len(rows)

    def relink_entities(self, changes: dict[str, tuple[str, str | None]], collection: str | None = None) -> int:
        def run(cur: sqlite3.Cursor) -> int:
            n = 0
            for old, (new, label) in changes.items():
                sql = ("SELECT a.id, a.doc, a.value_json FROM annotations a JOIN documents d ON d.rowid = a.doc "
                       "WHERE a.type IN ('person','place','org') AND json_extract(a.value_json, '$.id') = ? "
                       "AND d.is_current = 1")
                args: list[Any] = [old]
                if collection:
                    sql += " AND d.collection = ?"
                    args.append(collection)
                n += self._relabel(cur, cur.execute(sql, args).fetchall(), new, label)
            return n
        return self._write(run)

    def relink_mention(self, doc_id: str, start: int, end: int, new_id: str, label: str | None) -> int:
        def run(cur: sqlite3.Cursor) -> int:
            rows = cur.execute(
                "SELECT a.id, a.doc, a.value_json FROM annotations a JOIN documents d ON d.rowid = a.doc "
                "WHERE d.id = ? AND d.is_current = 1 AND a.start = ? AND a.\"end\" = ? "
                "AND a.type IN ('person','place','org') AND a.value_json IS NOT NULL", (doc_id, start, end)).fetchall()
            return self._relabel(cur, rows, new_id, label)
        return self._write(run)

    def delete_entity_mentions(self, surface: str, types: Iterable[str] = ENTITY_TYPES) -> int:
        types = list(types)

        def run(cur: sqlite3.Cursor) -> int:
            marks = ",".join("?" * len(types))
            rows = cur.execute(
                f"SELECT a.id, a.doc FROM annotations a JOIN documents d ON d.rowid = a.doc WHERE d.is_current = 1 "
                f"AND a.type IN ({marks}) AND a.text = ? AND a.producer != 'tei'", (*types, surface)).fetchall()
            cur.executemany("DELETE FROM annotations WHERE id = ?", [(r[0],) for r in rows])
            cur.executemany(f"INSERT INTO search_log(doc, op, mark) VALUES (?, 'annotations', {_MARK})",
                            [(d,) for d in sorted({r[1] for r in rows})])
            return len(rows)
        return self._write(run)

    def entity_cooccurrence(self, entity_id: str, limit: int = 30) -> list[tuple[str, int]]:
        sql = ("WITH mine AS (SELECT DISTINCT a.doc FROM annotations a JOIN documents d ON d.rowid = a.doc "
               "WHERE a.type IN ('person','place','org') AND json_extract(a.value_json, '$.id') = ? "
               "AND d.is_current = 1) "
               "SELECT json_extract(b.value_json, '$.id') AS other, count(DISTINCT b.doc) AS n "
               "FROM annotations b JOIN mine ON mine.doc = b.doc WHERE b.type IN ('person','place','org') "
               "AND other IS NOT NULL AND other != ? GROUP BY other ORDER BY n DESC, other LIMIT ?")
        return [(r[0], r[1]) for r in self.conn.execute(sql, (entity_id, entity_id, limit))]

    def put_entities(self, records: Iterable[EntityRecord]) -> int:
        def run(cur: sqlite3.Cursor) -> int:
            cur.execute("DELETE FROM entities")
            rows = [entity_row(r) for r in records]
            cur.executemany("INSERT INTO entities(id, type, label, mentions, documents, record_json) "
                            "VALUES (?,?,?,?,?,?)", rows)
            return len(rows)
        return self._write(run)

    # -- accounts, collection access and the audit log --------------------------------------------
    @property
    def _has_vector_tables(self) -> bool:
        return self._schema_at_least(4)

    @property
    def _has_accounts(self) -> bool:
        """False for an archive opened read-only from before migration 5: it has no accounts (so every
        collection is public), rather than an error on every request."""
        if not getattr(self, "_accounts_schema", False):  # asked again until true: another process may migrate
            self._accounts_schema = self.conn.execute("PRAGMA user_version").fetchone()[0] >= 5
        return self._accounts_schema


def _index_while_writing(path: str, stop: Any, parent: int) -> None:
    exit_with_parent(parent)
    # The store read-only (the parent writes it), the index writable: this process is its one writer.
    archive = SQLiteArchive(path, readonly=True)
    try:
        SearchIndex(archive.search_index_dir(), archive).follow(stop)
    finally:
        archive.conn.close()
