"""Which documents an export covers, streamed in chunks so that memory does not grow with the result set.

An empty query (or `*`) is the whole archive; otherwise the query language of `despatch search` selects.
Searching pages (`Archive.search(page=…)`) stop at a deep-offset limit, so the selection uses
`Archive.search_ids`, which walks the search index in store order a chunk at a time (keyset paging):
no cap and no growing offset, for every backend.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Document
from ..store import Archive
from ..store.base import Filters

CHUNK = 500


def iter_documents(
    archive: Archive, query: str = "", filters: Filters = None, chunk: int = CHUNK
) -> Iterator[Document]:
    """Every current document the query matches (all of them for an empty query), one at a time."""
    for doc_id in iter_ids(archive, query, filters, chunk):
        doc = archive.get(doc_id)
        if doc is not None:
            yield doc


def iter_ids(archive: Archive, query: str = "", filters: Filters = None, chunk: int = CHUNK) -> Iterator[str]:
    """The ids an export covers: every current document for an empty query, else the query's matches."""
    query = (query or "").strip()
    if (not query or query == "*") and not filters:
        yield from archive.iter_ids()
        return
    yield from archive.search_ids(query, filters, chunk)


def iter_search_ids(archive: Archive, query: str, filters: Filters = None, chunk: int = CHUNK) -> Iterator[str]:
    """The ids of all documents matching a query, in archive order, without an offset limit: exactly what
    `despatch search` would find (the archive's own `search_ids`)."""
    return archive.search_ids(query, filters, chunk)
