"""The OpenAPI 3.1 description of /api/, served as JSON and as a readable page at /api/docs."""

from __future__ import annotations

from typing import Any

from .. import __version__

_Q = {"name": "q", "in": "query", "schema": {"type": "string"},
      "description": "A query in the Despatch query language (words, \"phrases\", AND/OR/NOT, fields, dates)."}
_FILTER = {"name": "filter", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
           "style": "form", "explode": True, "description": "A facet filter such as year:1953 (repeatable)."}
_ID = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "A document id, collection/key (the slash is part of the id)."}
_ERROR = {"description": "An error",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _op(summary: str, params: list[dict[str, Any]], ok: str, errors: tuple[int, ...] = (400,),
        media: str = "application/json") -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": ok, "content": {media: {}}}}
    for code in errors:
        responses[str(code)] = _ERROR
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def _analysis_paths() -> dict[str, Any]:
    from .analysis import openapi_paths

    return openapi_paths()


def spec() -> dict[str, Any]:
    str_param = lambda name, desc: {"name": name, "in": "query", "schema": {"type": "string"}, "description": desc}  # noqa: E731
    int_param = lambda name, desc: {"name": name, "in": "query", "schema": {"type": "integer"}, "description": desc}  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {"title": "Despatch reading room API", "version": __version__,
                 "description": "Read-only JSON access to a Despatch archive: search with facets, documents, "
                                "citations, entities, timeline, collections. Errors are "
                                '{"error": {"status": N, "message": "..."}} with the HTTP status.'},
        "paths": {
            "/api/search": _op("Search with facets and highlighted snippets", [
                _Q, _FILTER, str_param("sort", "relevance, date or -date"),
                int_param("page", "1-based page"), int_param("per_page", "hits per page (at most 100)"),
                str_param("by", "document or paragraph")], "A SearchResult"),
            "/api/export": _op("Stream the whole result set", [
                _Q, _FILTER, str_param("sort", "relevance, date or -date"),
                str_param("format", "csv, jsonl, and the citation formats when installed")],
                "The export, streamed", media="text/csv"),
            "/api/documents/{doc_id}": _op("A document: metadata, text, structure, annotations, links, citations",
                                           [_ID, int_param("version", "an older version")],
                                           "The document", errors=(400, 404)),
            "/api/source/{doc_id}": _op("The original file, byte for byte (X-Content-SHA256 header)", [_ID],
                                        "The original bytes", errors=(404,), media="application/octet-stream"),
            "/api/citation/{doc_id}": _op("Citations of a document", [_ID, str_param(
                "style", "chicago-note, chicago-bib, bibtex, ris, csl-json")], "Citations", errors=(400, 404)),
            "/api/similar/{doc_id}": _op("Documents like this one", [_ID], "Similar documents", errors=(404,)),
            "/api/entities/{type}/{key}": _op("An entity: variants, documents per year, co-occurring, mentions", [
                {"name": "type", "in": "path", "required": True, "schema": {"enum": ["person", "place", "org"]}},
                {"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "The entity id from enrichment, or a name"}], "The entity", errors=(400, 404)),
            "/api/timeline": _op("Documents by date (decades → years → months → days) and dated events", [
                _Q, str_param("collection", "a collection name"), str_param("from", "YYYY[-MM[-DD]]"),
                str_param("to", "YYYY[-MM[-DD]]")], "The timeline"),
            "/api/collections": _op("Collections with document counts and date ranges", [], "Collections", ()),
            "/api/stats": _op("Archive statistics", [str_param("collection", "one collection")], "Statistics", ()),
            "/api/openapi.json": _op("This description", [], "OpenAPI 3.1", ()),
            **_analysis_paths(),
        },
        "components": {"schemas": {"Error": {
            "type": "object",
            "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "message": {"type": "string"},
                "position": {"type": ["integer", "null"]}, "suggestion": {"type": ["string", "null"]}},
                "required": ["status", "message"]}},
            "required": ["error"]}}},
    }
