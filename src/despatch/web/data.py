"""What each page shows, as plain data: the HTML pages and the JSON API are two views of these functions.

Everything here goes through the library (`Archive`, `despatch.search`, `despatch.cite`,
`despatch.explore` for similar documents, entity pages and timelines); the web adds no features of its
own, only turns the library's errors into the web's.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .. import explore
from ..access.scoped import ScopedArchive
from ..cite import cite, style_label
from ..cite import styles as cite_styles
from ..errors import DespatchError
from ..model import Document
from ..search.query import QueryError
from ..search.result import Hit
from ..store import Archive
from .searching import SearchFailed

log = logging.getLogger(__name__)

def style_labels() -> dict[str, str]:
    """Each installed citation style's name → how people call it, for the page's style menu."""
    out = {"plain": "Plain"}
    for name in cite_styles():
        try:
            out[name] = style_label(name)
        except DespatchError as e:  # a plug-in style that cannot load: its name will do, the reason is logged
            log.error("citation style %r: %s", name, e)
            out[name] = name
    return out


# -- citations ----------------------------------------------------------------------------------------


def citations(doc: Document) -> list[tuple[str, str]]:
    """(style, citation) for every style of the citation library that can cite this document."""
    return cite_all(doc)[0]


def cite_all(doc: Document) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Every style's citation of `doc`, and the styles that failed with their reason.

    A style that fails (a bug, or a plug-in style that cannot handle this document) does not take the
    page down with it; it is logged with its traceback and its reason is shown beside the others.
    """
    out: list[tuple[str, str]] = []
    failed: dict[str, str] = {}
    for style in cite_styles():
        try:
            out.append((style, str(cite(doc, style))))
        except Exception as e:  # noqa: BLE001 - reported below and on the page, not fatal to it
            log.error("citation style %r failed on %s", style, doc.id, exc_info=True)
            failed[style] = f"{type(e).__name__}: {e}"
    return out or [("plain", plain_reference(doc))], failed


def plain_reference(doc: Document) -> str:
    parts = [doc.originator and f"{doc.originator}", doc.recipient and f"to {doc.recipient}",
             doc.title and f"“{doc.title}”", doc.date and (doc.date.text or doc.date.start),
             doc.source and doc.source.text, doc.url]
    return ", ".join(p for p in parts if p) + "."


# -- statistics --------------------------------------------------------------------------------------

STATS_TTL = 60.0
_stats_cache: dict[tuple[int, str, str | None], tuple[float, dict[str, Any]]] = {}


def stats(owner: object, archive: Archive, collection: str | None = None) -> dict[str, Any]:
    """Archive statistics, recomputed at most once a minute (they scan every document)."""
    import time

    # one entry per reader's view: a view without some collections must never get another view's counts
    key = (id(owner), archive.scope if isinstance(archive, ScopedArchive) else "", collection)
    hit = _stats_cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < STATS_TTL:
        return hit[1]
    st = archive.stats(collection)
    st.pop("archive", None)  # the server's file path is not the reader's business
    _stats_cache[key] = (now, st)
    return {**st, "index": index_status(archive)}


def index_status(archive: Archive) -> dict[str, Any]:
    """This serving node's search index against the store (never cached: it is how far behind it is)."""
    import socket

    return {"node": socket.gethostname(), **archive.index_status()}


# -- document ----------------------------------------------------------------------------------------


def source_filename(path: str | None, doc_id: str) -> str:
    """The original file's own name (the last part of its path, or of a tar/zip member's name)."""
    name = re.split(r"[/\\!]", path or "")[-1] if path else ""
    name = "".join(c for c in name if c.isprintable() and c not in '"\\;').strip()
    return name or (doc_id.replace("/", "_") + ".bin")


def document_data(archive: Archive, doc: Document) -> dict[str, Any]:
    prev_id, next_id = archive.neighbours(doc.id)
    versions = archive.versions(doc.id)
    cites, cite_errors = cite_all(doc)
    return {
        "document": doc,
        "previous": prev_id,
        "next": next_id,
        "versions": versions,
        "citations": cites,
        "citation_errors": cite_errors,
        "filename": source_filename(doc.file.path if doc.file else None, doc.id),
    }


def similar(archive: Archive, doc: Document, limit: int = 6) -> list[Hit]:
    """Documents like this one (`despatch.explore.similar`)."""
    return explore.similar(archive, doc, limit).hits


# -- search ------------------------------------------------------------------------------------------


year_bars = explore.year_bars


# -- entity ------------------------------------------------------------------------------------------


def entity_data(archive: Archive, etype: str, key: str) -> explore.EntityPage:
    """An entity's page (`despatch.explore.entity_page`); a query the user must fix is a SearchFailed."""
    try:
        return explore.entity_page(archive, etype, key)
    except QueryError as e:
        raise SearchFailed(e.message, e.position, e.suggestion, e.query) from None


# -- timeline ----------------------------------------------------------------------------------------


def timeline_data(archive: Archive, q: str, collection: str | None, start: str | None,
                  end: str | None) -> explore.Timeline:
    """A timeline (`despatch.explore.timeline`); a bad query or date is a SearchFailed (status 400)."""
    try:
        return explore.timeline(archive, q, collection, start, end)
    except QueryError as e:
        raise SearchFailed(e.message, e.position, e.suggestion, q) from None
    except ValueError as e:
        raise SearchFailed(str(e), query=q) from None


def shown_date(start: str | None, precision: str | None, text: str | None = None) -> str:
    """A date as precise as it is known: 1950 for a year, 1950-03 for a month, never an invented day."""
    if text:
        return text
    if not start:
        return ""
    return {"year": start[:4], "month": start[:7], "day": start[:10]}.get(precision or "", start)
