"""The SQLite schema, as numbered migrations. `PRAGMA user_version` records how far an archive is."""

from __future__ import annotations

import sqlite3

from ..errors import SchemaTooNew

MIGRATIONS: list[str] = [
    # 1: documents, spans, annotations, original files, authorities, document-level full-text index.
    """
    CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        format TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE ingests (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES files(sha256),
        collection TEXT NOT NULL,
        options_key TEXT NOT NULL DEFAULT '',
        documents INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX ingests_seen ON ingests(sha256, collection, options_key);
    CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 1,
        collection TEXT NOT NULL,
        title TEXT,
        caption TEXT,
        doc_type TEXT,
        language TEXT,
        date_start TEXT,
        date_end TEXT,
        date_precision TEXT,
        date_text TEXT,
        class_level TEXT,
        class_text TEXT,
        originator TEXT,
        recipient TEXT,
        place TEXT,
        source_json TEXT,
        rights TEXT,
        url TEXT,
        last_updated TEXT,
        file_path TEXT,
        file_sha256 TEXT REFERENCES files(sha256),
        file_format TEXT,
        file_bytes INTEGER,
        text TEXT NOT NULL,
        metadata_json TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        UNIQUE (id, version)
    );
    CREATE INDEX documents_current ON documents(is_current, collection, date_start);
    CREATE INDEX documents_id ON documents(id, is_current);
    CREATE TABLE structure (
        doc INTEGER NOT NULL REFERENCES documents(rowid),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        level INTEGER,
        number TEXT,
        label TEXT,
        PRIMARY KEY (doc, seq)
    ) WITHOUT ROWID;
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        doc INTEGER NOT NULL REFERENCES documents(rowid),
        type TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        value_json TEXT,
        producer TEXT NOT NULL
    );
    CREATE INDEX annotations_doc ON annotations(doc, producer);
    CREATE TABLE authorities (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        PRIMARY KEY (collection, kind, id)
    );
    CREATE VIRTUAL TABLE doc_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    """,
    # 2: search. The full-text index is derived (tantivy, beside the archive file; see
    # despatch/search/index.py); the store keeps, in the same transaction as each document change, a log
    # of changed documents the index replays up to its committed watermark. The doc-level FTS5
    # placeholder of migration 1 is dropped (it stored every text a second time).
    """
    DROP TABLE IF EXISTS doc_fts;
    CREATE TABLE search_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc INTEGER NOT NULL,
        op TEXT NOT NULL
    );
    INSERT INTO search_log(doc, op) SELECT rowid, 'add' FROM documents WHERE is_current=1;
    """,
    # 3: entity records and the curation layer (despatch/enrich/records.py, curation.py). Records are
    # derived from the annotations after every enrichment; curation is the user's and is never derived.
    # Mentions are found through the entity id every person/place/org annotation carries.
    """
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        label TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        documents INTEGER NOT NULL,
        record_json TEXT NOT NULL
    );
    CREATE INDEX entities_type ON entities(type, mentions);
    CREATE TABLE entity_curation (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        action TEXT NOT NULL,
        args_json TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX annotations_entity ON annotations(json_extract(value_json, '$.id'))
        WHERE type IN ('person', 'place', 'org');
    """,
    # 4: paragraph vectors for search by meaning (despatch embed). One row per paragraph of a document
    # version and model, int8 (see despatch/semantic/vectors.py); `seq` orders them for the derived
    # vector index. `embedded` records which versions were done, those without paragraphs included.
    """
    CREATE TABLE embeddings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        model TEXT NOT NULL,
        doc INTEGER NOT NULL REFERENCES documents(rowid),
        n INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        vec BLOB NOT NULL,
        UNIQUE (model, doc, n)
    );
    CREATE TABLE embedded (
        model TEXT NOT NULL,
        doc INTEGER NOT NULL REFERENCES documents(rowid),
        PRIMARY KEY (model, doc)
    ) WITHOUT ROWID;
    """,
    # 5: accounts, collection access and the audit log (despatch/access/). Passwords are argon2 hashes,
    # token and session secrets SHA-256 hashes: no secret is stored. A collection without a row in
    # collection_access is public; collection_readers names who may read a private or embargoed one.
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE INDEX api_tokens_user ON api_tokens(username);
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(username);
    CREATE TABLE collection_access (
        collection TEXT PRIMARY KEY,
        visibility TEXT NOT NULL,
        embargo TEXT
    );
    CREATE TABLE collection_readers (
        collection TEXT NOT NULL,
        username TEXT NOT NULL,
        PRIMARY KEY (collection, username)
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_action ON audit_log(action, at);
    CREATE INDEX audit_log_who ON audit_log(who, at);
    """,
    # 6: the archive's identity and a random mark on every change (despatch/feed.py): a derived index
    # records both with the last change it applied, so that an index beside a restored backup or another
    # archive is rebuilt rather than trusted. Changes from before this migration have no mark.
    """
    CREATE TABLE archive_info (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO archive_info(key, value) VALUES ('archive_id', lower(hex(randomblob(16))));
    ALTER TABLE search_log ADD COLUMN mark TEXT;
    """,
    # 7: a document page's previous and next (its collection in date, then id, order) read from an index:
    # without it each page sorted the whole collection twice (12 ms each at 11,000 documents, growing with it).
    """
    CREATE INDEX documents_order ON documents(collection, coalesce(date_start, ''), id) WHERE is_current=1;
    """,
]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring an archive up to the newest schema, each migration in its own transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"archive schema version {current} is newer than this Despatch ({len(MIGRATIONS)}); upgrade Despatch"
        )
    for n in range(current, len(MIGRATIONS)):
        with conn:
            conn.execute("BEGIN")
            for stmt in _statements(MIGRATIONS[n]):
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {n + 1}")
    return len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
