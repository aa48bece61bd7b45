"""The archive as a Model Context Protocol server: read-only tools an AI assistant calls to search,
read, cite and explore, so that what it says can be quoted with a reference a historian can check.

Every tool returns document ids and a Chicago note for each document it names. The tools call the same
library functions as the CLI and the reading room (search, `explore`, `cite`); nothing here writes to the
archive. `despatch mcp` runs it over stdio or streamable HTTP with the official `mcp` SDK.

The server reads as one reader (anonymous unless `despatch mcp --user NAME` says whom): every tool call
reads the archive as that reader may see it then (`despatch.access.scoped`), so a collection hidden
from them is absent from every answer, and a hidden document is "no document", as a missing one is.
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server import MCPServer

from .access import ANONYMOUS, Reader, scoped
from .annotation_types import ENTITY_TYPES
from .cite import STYLES, cite
from .enrich.entities_index import entities as list_entities
from .explore.entity import entity_page
from .explore.similar import similar
from .model import Document
from .search.query import QueryError
from .search.result import Hit
from .store import Archive

INSTRUCTIONS = (
    "Despatch: an archive of historical diplomatic and intelligence documents. Search with the query "
    "language (words, \"phrases\", AND/OR/NOT, fields such as person:, place:, country:, collection:, "
    "year:1953, date:1953-03..1953-09, similar:ID). Quote documents by their id and give the citation "
    "each result carries; read the passage with `show` before relying on a snippet."
)
MAX_TEXT = 20_000  # characters of text one `show` returns (ask for a paragraph range for more)


def _note(doc: Document | None) -> str | None:
    return cite(doc, "chicago-note", accessed=None) if doc is not None else None


def _hit(archive: Archive, h: Hit) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": h.id, "title": h.title, "date": h.date, "collection": h.collection, "score": h.score,
        "snippets": [s.marked("**", "**") for s in h.snippets],
        "citation": _note(archive.get(h.id)),
    }
    if h.paragraph is not None:
        out["paragraph"] = h.paragraph.number
    if h.matched_by:
        out["found_by"] = h.matched_by
    return out


def build_server(store: Archive, reader: Reader = ANONYMOUS) -> MCPServer:
    """An MCP server whose tools read `store` as `reader` may see it."""
    server = MCPServer("despatch", instructions=INSTRUCTIONS)

    def view() -> Archive:
        who = reader
        if reader.name is not None:  # their role now (or nobody, once removed)
            user = store.get_user(reader.name)
            who = Reader(user.name, user.role) if user is not None else ANONYMOUS
        return scoped(store, who)

    @server.tool(description="Search the archive. Returns the total, the hits of one page with snippets "
                 "(matches in **bold**), ids and citations, and counts per facet value.")
    def search(
        query: str,
        filters: list[str] | None = None,
        by: Literal["document", "paragraph"] = "document",
        mode: Literal["auto", "text", "semantic", "hybrid"] = "auto",
        page: int = 1,
        per_page: int = 10,
        facets: list[str] | None = None,
    ) -> dict[str, Any]:
        archive = view()
        try:
            res = archive.search(query, filters=filters or [], facets=facets or [], by=by, page=page,
                                 per_page=min(max(per_page, 1), 50), mode=mode)
        except QueryError as e:
            return {"error": str(e)}
        return {
            "query": res.query, "understood_as": res.parsed, "total": res.total, "page": res.page,
            "hits": [_hit(archive, h) for h in res.hits], "warnings": res.warnings,
            "facets": {f.name: {v.value: v.count for v in f.values} for f in res.facets},
        }

    @server.tool(description="Read a document: its metadata and text with numbered paragraphs, or only "
                 "paragraphs `first`..`last` (1-based, as search hits number them), with its citation.")
    def show(id: str, first: int | None = None, last: int | None = None) -> dict[str, Any]:
        archive = view()
        doc = archive.get(id)
        key = archive.current_key(id)
        if doc is None or key is None:
            return {"error": f"no document {id!r}"}
        rec = next(iter(archive.index_records([key], ())))
        paras = rec.paragraphs()
        lo, hi = max(1, first or 1), min(len(paras), last or len(paras))
        out, size = [], 0
        for n in range(lo, hi + 1):
            s, e, t = paras[n - 1]
            if size >= MAX_TEXT:
                out.append({"n": n, "truncated": True})
                break
            out.append({"n": n, "type": t, "text": doc.text[s:e]})
            size += e - s
        meta = {k: v for k, v in doc.to_dict().items() if k not in ("text", "structure", "annotations")}
        return {"document": meta, "paragraphs": out, "paragraph_count": len(paras), "citation": _note(doc)}

    @server.tool(description="Cite a document in a style: " + ", ".join(STYLES) + ".")
    def cite_document(id: str, style: str = "chicago-note") -> dict[str, Any]:
        archive = view()
        doc = archive.get(id)
        if doc is None:
            return {"error": f"no document {id!r}"}
        try:
            return {"id": id, "style": style, "citation": cite(doc, style, accessed=None)}
        except ValueError as e:
            return {"error": str(e)}

    @server.tool(name="similar", description="Documents most like a given one (by meaning where the archive "
                 "has paragraph vectors, else by shared distinctive words), with citations.")
    def similar_documents(id: str, limit: int = 6) -> dict[str, Any]:
        archive = view()
        doc = archive.get(id)
        if doc is None:
            return {"error": f"no document {id!r}"}
        found = similar(archive, doc, limit=min(max(limit, 1), 20))
        return {"id": id, "method": found.query,
                "similar": [_hit(archive, h) for h in found.hits]}

    @server.tool(description="People, places or organisations (type: " + ", ".join(ENTITY_TYPES) + ") named in "
                 "the archive, most mentioned first.")
    def entities(type: str = "person", limit: int = 50) -> dict[str, Any]:
        archive = view()
        if type not in ENTITY_TYPES:
            return {"error": f"type must be one of {', '.join(ENTITY_TYPES)}"}
        rows = list_entities(archive, type=type)[: min(max(limit, 1), 500)]
        return {"type": type, "entities": [r.to_dict() for r in rows]}

    @server.tool(description="One entity's page: the documents naming it, its names as written, mentions "
                 "in context, the years it appears in and the entities it appears with.")
    def entity(type: str, key: str) -> dict[str, Any]:
        archive = view()
        if type not in ENTITY_TYPES:
            return {"error": f"type must be one of {', '.join(ENTITY_TYPES)}"}
        return entity_page(archive, type, key).to_dict()

    return server
