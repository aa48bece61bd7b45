"""Which documents an export covers, streamed in chunks so that memory does not grow with the result set.

An empty query (or `*`) is the whole archive; otherwise the query language of `despatch search` selects.
Searching pages (`Archive.search(page=…)`) stop at a deep-offset limit, so for the SQLite archive this
module walks the search index itself, in rowid order, a chunk at a time: each chunk asks for matches
with a rowid above the last one seen (keyset paging), so there is no cap and no growing offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Document
from ..store import Archive

CHUNK = 500


def iter_documents(archive: Archive, query: str = "", filters: Any = None, chunk: int = CHUNK) -> Iterator[Document]:
    """Every current document the query matches (all of them for an empty query), one at a time."""
    for doc_id in iter_ids(archive, query, filters, chunk):
        doc = archive.get(doc_id)
        if doc is not None:
            yield doc


def iter_ids(archive: Archive, query: str = "", filters: Any = None, chunk: int = CHUNK) -> Iterator[str]:
    query = (query or "").strip()
    conn = getattr(archive, "conn", None)
    if (not query or query == "*") and not filters:
        if conn is not None:
            yield from _all_ids(conn, chunk)
        else:
            for doc in archive.iter_documents(with_annotations=False):
                yield doc.id
        return
    if conn is not None and hasattr(archive, "search_index"):
        yield from iter_search_ids(archive, query, filters, chunk)
        return
    page = 1
    while True:  # any other backend: its own search, page by page
        res = archive.search(query, filters=filters, page=page, per_page=chunk, facets=[])
        if not res.hits:
            return
        for h in res.hits:
            yield h.id
        if page * chunk >= res.total:
            return
        page += 1


def _all_ids(conn: Any, chunk: int) -> Iterator[str]:
    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, id FROM documents WHERE is_current=1 AND rowid>? ORDER BY rowid LIMIT ?", (last, chunk)
        ).fetchall()
        if not rows:
            return
        for _, doc_id in rows:
            yield doc_id
        last = rows[-1][0]


def iter_search_ids(archive: Any, query: str, filters: Any = None, chunk: int = CHUNK) -> Iterator[str]:
    """The ids of all documents matching a query, in archive (rowid) order, without an offset limit.

    Uses the search package's parser and compiler on the archive's own index (kept in sync first), so the
    selection is exactly what `despatch search` would find.
    """
    import tantivy

    from ..search.engine import Compiler, _filters
    from ..search.query import And, parse, parse_filter

    index = archive.search_index
    conn = archive.conn
    if index.pending(conn):
        index.sync(conn)
    meta_keys = index.meta_keys
    parsed = parse(query, meta_keys=meta_keys)
    nodes = [parse_filter(f, meta_keys) for f in _filters(filters, meta_keys)]
    tree = And([parsed.tree, *nodes]) if nodes else parsed.tree
    schema = index.schemas["document"]
    searcher = index.indexes["document"].searcher()
    q = Compiler(schema, "document", index.forms("document", searcher)).compile(tree)
    last: int | None = None
    field_types = [tantivy.FieldType.Unsigned, tantivy.FieldType.Integer]  # whichever the index declares
    while True:
        if last is None:
            qi = q
        else:
            while True:
                try:
                    after = tantivy.Query.range_query(schema, "rowid", field_types[0], last, None, include_lower=False)
                    break
                except ValueError:
                    if len(field_types) == 1:
                        raise
                    field_types.pop(0)
            qi = tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, after)])
        res = searcher.search(qi, limit=chunk, order_by_field="rowid", order=tantivy.Order.Asc)
        addrs = [a for _, a in res.hits]
        if not addrs:
            return
        rowids = sorted(searcher.fast_field_values("rowid", addrs))
        marks = ",".join("?" * len(rowids))
        ids = dict(conn.execute(f"SELECT rowid, id FROM documents WHERE rowid IN ({marks}) AND is_current=1", rowids))
        for r in rowids:
            if r in ids:  # the index may lag behind a concurrent writer: only current documents
                yield ids[r]
        last = rowids[-1]
        if len(addrs) < chunk:
            return
