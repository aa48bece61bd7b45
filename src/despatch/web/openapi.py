"""The OpenAPI 3.1 description of /api/, served as JSON and as a readable page at /api/docs.

Written so that a client can be written from it alone: every operation has a summary and a description,
every parameter a description, type, default and example, every response a schema with an example, and
the errors (400 a request to fix, 404 nothing there) say when they happen. tests/test_openapi.py
validates it with openapi-spec-validator and checks that every route of the app is described.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..annotation_types import ENTITY_TYPES

JSON = "application/json"


def _param(name: str, where: str, description: str, schema: dict[str, Any], example: Any,
           required: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "description": description, "required": required or where == "path",
            "schema": schema, "example": example, **extra}


def _str(default: str | None = None, enum: list[str] | None = None) -> dict[str, Any]:
    s: dict[str, Any] = {"type": "string"}
    if default is not None:
        s["default"] = default
    if enum:
        s["enum"] = enum
    return s


Q = _param("q", "query", "A query in the Despatch query language: words (stemmed: `policy` finds `policies`), "
           "`=exact` forms, `prefix*`, `\"phrases\"`, `\"a b\"~5`, AND/OR/NOT, fields (`title:`, `person:`, "
           "`country:USA`), dates (`year:1953`, `date:1953-03..1953-09`). Hyphenated and closed compounds are "
           "one word (`co-existence` = `coexistence`). Empty: every document, oldest first.",
           _str(""), "\"peaceful coexistence\" year:1953")
FILTER = _param("filter", "query", "A facet filter as a facet value gives it (`year:1953`, `collection:frus`, "
                "`person:\"Georgy Malenkov\"`); repeat the parameter for several (all must hold).",
                {"type": "array", "items": {"type": "string"}, "default": []}, ["year:1953"],
                style="form", explode=True)
SORT = _param("sort", "query", "Order of the hits: `relevance` (BM25), `date` (oldest first), `-date` (newest first).",
              _str("relevance", ["relevance", "date", "-date"]), "date")
PAGE = _param("page", "query", "1-based page of hits.", {"type": "integer", "minimum": 1, "default": 1}, 2)
PER_PAGE = _param("per_page", "query", "Hits per page (at most 100).",
                  {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, 20)
BY = _param("by", "query", "Unit of a hit: whole `document`s, or `paragraph`s (each hit then carries "
            "`paragraph: {number, start, end, type}`).", _str("document", ["document", "paragraph"]), "paragraph")
MODE = _param("mode", "query", "`text` (by words), `semantic` (by meaning), `hybrid` (both, fused), or `auto`: "
              "hybrid where the archive has paragraph vectors (`despatch embed`), else text.",
              _str("auto", ["auto", "text", "semantic", "hybrid"]), "hybrid")
DOC_ID = _param("doc_id", "path", "A document id, `collection/key`: the slash is part of the id and is sent "
                "unescaped (`/api/documents/frus/frus1952-54v08-d12`).", _str(), "ungdc/USA_08_1953")
VERSION = _param("version", "query", "An older version of the document (1-based; see `links.versions`). "
                 "Default: the current version.", {"type": ["integer", "null"], "minimum": 1, "default": None}, 1)

E400 = {"description": "The request must be fixed: a malformed query (with the character `position` and a "
                       "`suggestion`), an unknown sort, level, style or type, or a parameter that is not a number.",
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {
            "status": 400, "message": "unclosed quotation mark", "position": 0,
            "suggestion": "add a closing \" or remove this one", "query": "\"peaceful"}}}}}
E404 = {"description": "Nothing there: no document (or version) with this id, no such entity, or no such "
                       "endpoint.",
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {
            "status": 404, "message": "no document 'ungdc/XXX_08_1953' in this archive"}}}}}


def _ok(description: str, schema: str | dict[str, Any], example: Any, media: str = JSON) -> dict[str, Any]:
    s = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"description": description, "content": {media: {"schema": s, "example": example}}}


E401 = {"description": "The Authorization header names an unknown or revoked API token (or is not "
                       "`Bearer TOKEN`).",
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {
            "status": 401, "message": "unknown or revoked API token"}}}}}
E403 = {"description": "The reader's role does not allow this (the audit log needs an admin).",
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {
            "status": 403, "message": "reading the audit log needs the admin role; nobody signed in may not"}}}}}


def _op(op_id: str, summary: str, description: str, params: list[dict[str, Any]], ok: dict[str, Any],
        errors: tuple[int, ...] = (400,), tag: str = "archive") -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok}
    for code in errors:
        responses[str(code)] = {400: E400, 401: E401, 403: E403, 404: E404}[code]
    return {"get": {"operationId": op_id, "tags": [tag], "summary": summary, "description": description,
                    "parameters": params, "responses": responses}}


HIT_EXAMPLE = {
    "rank": 1, "id": "ungdc/GBR_08_1953", "version": 1, "collection": "ungdc",
    "title": "United Kingdom, General Debate, 8th session (1953)", "date": "1953", "date_start": "1953-01-01",
    "date_end": "1953-12-31", "date_precision": "year", "doc_type": "speech", "language": "en",
    "classification": None, "score": 7.91, "matches": 3, "metadata": {"country": "GBR", "session": "8"},
    "paragraph": None,
    "snippets": [{"text": "the hope of peaceful co-existence between", "doc_start": 10412, "doc_end": 10453,
                  "highlights": [{"start": 12, "end": 33, "doc_start": 10424, "doc_end": 10445}]}],
}
SEARCH_EXAMPLE = {
    "query": "\"peaceful coexistence\"", "parsed": "\"peaceful coexistence\"", "by": "document", "sort": "relevance",
    "total": 41, "page": 1, "per_page": 20, "pages": 3, "hits": [HIT_EXAMPLE],
    "facets": [{"name": "year", "values": [{"value": "1953", "count": 9, "label": None, "filter": "year:1953",
                                            "selected": False}], "other": 0, "missing": 0, "exact": True,
                "note": None}],
    "filters": [], "warnings": [], "took_ms": 23.4, "index": {"engine": "tantivy", "watermark": 10952, "lag": 0},
}
MATCHES_EXAMPLE = {"query": "coexistence", "count": 3, "first": 0, "at": None,
                   "offsets": [[10424, 10436], [18211, 18223], [20502, 20513]]}
DOCUMENT_EXAMPLE = {
    "id": "ungdc/GBR_08_1953", "version": 1, "collection": "ungdc",
    "title": "United Kingdom, General Debate, 8th session (1953)", "doc_type": "speech", "language": "en",
    "date": {"start": "1953-01-01", "end": "1953-12-31", "precision": "year", "text": "1953"},
    "text": "...", "structure": [{"type": "paragraph", "start": 0, "end": 412}],
    "annotations": [{"type": "place", "start": 88, "end": 94, "text": "Europe", "value": {"name": "Europe"},
                     "producer": "gazetteer@1"}],
    "metadata": {"country": "GBR", "session": "8"},
    "links": {"previous": "ungdc/FRA_08_1953", "next": "ungdc/GRC_08_1953",
              "source": "/api/source/ungdc/GBR_08_1953", "html": "/documents/ungdc/GBR_08_1953",
              "versions": [{"version": 1, "current": True, "ingested_at": "2026-12-01T20:00:00Z"}]},
    "citations": {"chicago-note": "United Kingdom, statement in the General Debate, 8th session, 1953."},
    "matches": MATCHES_EXAMPLE,
}
ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "message": {"type": "string", "description": "What went wrong, in one sentence."},
        "position": {"type": ["integer", "null"], "description": "0-based character of the query at fault."},
        "suggestion": {"type": ["string", "null"], "description": "How to fix the query."},
        "query": {"type": ["string", "null"], "description": "The query as received."}}}},
}


def _schemas() -> dict[str, Any]:
    obj = "object"
    nullable_str = {"type": ["string", "null"]}
    return {
        "Error": ERROR_SCHEMA,
        "Highlight": {"type": obj, "description": "A match inside a snippet: offsets into the snippet's text and "
                      "into the document's text (str offsets, half-open).",
                      "properties": {k: {"type": "integer"} for k in ("start", "end", "doc_start", "doc_end")}},
        "Snippet": {"type": obj, "properties": {
            "text": {"type": "string"}, "doc_start": {"type": "integer"}, "doc_end": {"type": "integer"},
            "highlights": {"type": "array", "items": {"$ref": "#/components/schemas/Highlight"}}}},
        "Hit": {"type": obj, "required": ["rank", "id", "collection"], "properties": {
            "rank": {"type": "integer", "description": "1-based position in the whole result list"},
            "id": {"type": "string"}, "version": {"type": "integer"}, "collection": {"type": "string"},
            "title": nullable_str, "date": nullable_str, "date_start": nullable_str, "date_end": nullable_str,
            "date_precision": nullable_str, "doc_type": nullable_str, "language": nullable_str,
            "classification": nullable_str, "score": {"type": ["number", "null"]},
            "matches": {"type": "integer", "description": "matches of the query in the document (paragraph)"},
            "metadata": {"type": obj},
            "paragraph": {"type": ["object", "null"], "description": "for paragraph hits: where it lies",
                          "properties": {"number": {"type": "integer"}, "start": {"type": "integer"},
                                         "end": {"type": "integer"}, "type": {"type": "string"}}},
            "snippets": {"type": "array", "items": {"$ref": "#/components/schemas/Snippet"}}}},
        "Facet": {"type": obj, "properties": {
            "name": {"type": "string"}, "other": {"type": "integer"}, "missing": {"type": "integer"},
            "exact": {"type": "boolean"}, "note": nullable_str,
            "values": {"type": "array", "items": {"type": obj, "properties": {
                "value": {"type": "string"}, "count": {"type": "integer"}, "label": nullable_str,
                "filter": {"type": "string", "description": "pass back as `filter` to narrow"},
                "selected": {"type": "boolean"}}}}}},
        "SearchResult": {"type": obj, "required": ["query", "total", "hits"], "properties": {
            "query": {"type": "string"}, "parsed": {"type": "string", "description": "the query as understood"},
            "by": {"type": "string", "enum": ["document", "paragraph"]}, "sort": {"type": "string"},
            "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {"type": "array", "items": {"$ref": "#/components/schemas/Facet"}},
            "filters": {"type": "array", "items": {"type": "string"}},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "took_ms": {"type": "number"}, "index": {"type": obj}}},
        "Matches": {"type": obj, "description": "Every match of `q` in the document's text, marked as the "
                    "snippets mark them (stems, exact forms, prefixes, phrases, compounds).", "properties": {
                        "query": {"type": "string"}, "count": {"type": "integer"},
                        "first": {"type": ["integer", "null"],
                                  "description": "0-based index of the match to open at (the first at or after "
                                                 "`at`)"},
                        "at": {"type": ["integer", "null"]},
                        "offsets": {"type": "array", "items": {"type": "array", "items": {"type": "integer"},
                                                               "minItems": 2, "maxItems": 2}}}},
        "Document": {"type": obj, "required": ["id", "collection", "text"], "properties": {
            "id": {"type": "string"}, "version": {"type": "integer"}, "collection": {"type": "string"},
            "title": nullable_str, "text": {"type": "string", "description": "the normalised text; every "
                                            "offset below is a str offset into it"},
            "date": {"type": ["object", "null"]}, "structure": {"type": "array", "items": {"type": obj}},
            "annotations": {"type": "array", "items": {"type": obj}}, "metadata": {"type": obj},
            "links": {"type": obj}, "citations": {"type": obj, "additionalProperties": {"type": "string"}},
            "matches": {"$ref": "#/components/schemas/Matches"}}},
        "Collection": {"type": obj, "properties": {"name": {"type": "string"}, "documents": {"type": "integer"},
                                                   "first_date": nullable_str, "last_date": nullable_str}},
    }


def _analysis_paths() -> dict[str, Any]:
    from .analysis import openapi_paths

    return openapi_paths()


def spec() -> dict[str, Any]:
    col = {"$ref": "#/components/schemas/Collection"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Despatch reading room API", "version": __version__,
                 "description": "Read-only JSON access to a Despatch archive: search with facets and snippets, "
                                "documents with their matches, citations, similar documents, entities, timeline, "
                                "collections and statistics. Every error is "
                                '{"error": {"status": N, "message": "..."}} with the HTTP status; offsets are '
                                "Python str offsets (code points) into a document's text, half-open. "
                                "An archive with accounts answers each request as its reader may see it: "
                                "nobody signed in, a browser's session, or an API token sent as "
                                "`Authorization: Bearer TOKEN` (`despatch tokens create NAME`); a collection "
                                "the reader may not read is absent from every answer, and its documents are "
                                "404 like missing ones."},
        "tags": [{"name": "archive", "description": "Searching and reading the archive"},
                 {"name": "accounts", "description": "Who is asking, and the audit log"}],
        "security": [{}, {"token": []}],
        "paths": {
            "/api/search": _op(
                "search", "Search with facets and highlighted snippets",
                "Runs the query over the archive and returns one page of hits (documents or paragraphs), each "
                "with up to three snippets whose matches are marked by offsets, and facet counts over the whole "
                "result set. The same result as `despatch search --format json`.",
                [Q, FILTER, SORT, PAGE, PER_PAGE, BY, MODE], _ok("One page of hits with facets", "SearchResult",
                                                           SEARCH_EXAMPLE)),
            "/api/export": _op(
                "export", "Stream the whole result set",
                "Every hit of the query (not only one page), streamed in the format asked for, as a download.",
                [Q, FILTER, SORT, _param("format", "query", "csv, jsonl, or a citation format installed "
                                         "(bibtex, ris, csl-json, tei).", _str("csv"), "csv")],
                _ok("The export, streamed", {"type": "string"}, "id,title,date\nungdc/GBR_08_1953,...,1953\n",
                    media="text/csv")),
            "/api/documents/{doc_id}": _op(
                "document", "A document, and the matches of a query in it",
                "The document's metadata, normalised text, structure spans and annotations, links (previous, "
                "next, source, versions) and citations. With `q`, also `matches`: the offsets of every match of "
                "the query in the text, exactly as the search's snippets mark them, and with `at` (a paragraph "
                "hit's `paragraph.start`) the index of the first match in that paragraph.",
                [DOC_ID, VERSION, {**Q, "description": "Mark the matches of this query (optional): see "
                                   "/api/search for the language.", "schema": _str(""),
                                   "example": "coexistence"},
                 _param("at", "query", "Open at this offset: `matches.first` is the first match at or after it.",
                        {"type": ["integer", "null"], "minimum": 0, "default": None}, 10412)],
                _ok("The document", "Document", DOCUMENT_EXAMPLE), errors=(400, 404)),
            "/api/source/{doc_id}": _op(
                "source", "The original file, byte for byte",
                "The bytes of the file the document was read from, as stored (its SHA-256 in the "
                "X-Content-SHA256 header), always as a download.",
                [DOC_ID, VERSION], _ok("The original bytes", {"type": "string", "format": "binary"}, "...",
                                       media="application/octet-stream"), errors=(400, 404)),
            "/api/citation/{doc_id}": _op(
                "citation", "Citations of a document",
                "The document cited in every style the citation library can apply to it, or in one `style`.",
                [DOC_ID, VERSION, _param("style", "query", "One style; default: all of them.",
                                         {"type": ["string", "null"], "default": None,
                                          "enum": ["chicago-note", "chicago-bib", "bibtex", "ris", "csl-json",
                                                   None]}, "chicago-note")],
                _ok("Citations", {"type": "object", "properties": {
                    "id": {"type": "string"}, "style": {"type": "string"}, "citation": {"type": "string"},
                    "citations": {"type": "object", "additionalProperties": {"type": "string"}}}},
                    {"id": "ungdc/GBR_08_1953", "style": "chicago-note",
                     "citation": "United Kingdom, statement in the General Debate, 8th session, 1953."}),
                errors=(400, 404)),
            "/api/similar/{doc_id}": _op(
                "similar", "Documents like this one",
                "Up to ten documents whose wording is most like this one's (by the search index).",
                [DOC_ID, VERSION], _ok("Similar documents", {"type": "object", "properties": {
                    "id": {"type": "string"}, "similar": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "title": {"type": ["string", "null"]},
                        "date": {"type": ["string", "null"]}, "collection": {"type": "string"}}}}}},
                    {"id": "ungdc/GBR_08_1953", "similar": [{"id": "ungdc/FRA_08_1953", "title": "France, 1953",
                                                             "date": "1953", "collection": "ungdc"}]}),
                errors=(400, 404)),
            "/api/entities/{etype}/{key}": _op(
                "entity", "An entity: variants, documents per year, co-occurring entities, mentions",
                "A person, place or organisation as enrichment annotated it: the spellings found, how many "
                "documents mention it per year, the entities most often in the same documents, and mentions "
                "in context.",
                [_param("etype", "path", "The kind of entity.", _str(enum=list(ENTITY_TYPES)), "person"),
                 _param("key", "path", "The entity's normalised name (as in a `person:` facet) or id.", _str(),
                        "Georgy Malenkov")],
                _ok("The entity", {"type": "object", "properties": {
                    "type": {"type": "string"}, "key": {"type": "string"}, "name": {"type": "string"},
                    "query": {"type": "string"}, "documents": {"type": "integer"},
                    "variants": {"type": "array", "items": {"type": "object"}},
                    "years": {"type": "array", "items": {"type": "object"}},
                    "cooccurring": {"type": "array", "items": {"type": "object"}},
                    "mentions": {"type": "array", "items": {"type": "object"}}}},
                    {"type": "person", "key": "Georgy Malenkov", "name": "Georgy Malenkov",
                     "query": "person:\"Georgy Malenkov\"", "documents": 12,
                     "variants": [{"text": "Malenkov", "count": 30}], "years": [{"year": "1953", "count": 9}],
                     "cooccurring": [{"type": "place", "name": "Moscow", "documents": 8, "key": "Moscow"}],
                     "mentions": [{"doc_id": "seed/cvce-development-of-soviet-policy-1953", "title": "...",
                                   "date": "1953", "left": "...", "match": "Malenkov", "right": "..."}]}),
                errors=(400, 404)),
            "/api/timeline": _op(
                "timeline", "Documents by date, and dated events",
                "Counts of the documents matching `q` by decade, year, month or day (the level follows the "
                "span asked for), the documents of the span, and dated events from enrichment.",
                [Q, _param("collection", "query", "Only this collection.", {"type": ["string", "null"],
                                                                           "default": None}, "ungdc"),
                 _param("from", "query", "Start of the span, YYYY[-MM[-DD]].", {"type": ["string", "null"],
                                                                                 "default": None}, "1950"),
                 _param("to", "query", "End of the span, YYYY[-MM[-DD]].", {"type": ["string", "null"],
                                                                             "default": None}, "1959")],
                _ok("The timeline", {"type": "object", "properties": {
                    "q": {"type": "string"}, "level": {"type": "string"}, "total": {"type": "integer"},
                    "bins": {"type": "array", "items": {"type": "object"}},
                    "documents": {"type": "array", "items": {"type": "object"}},
                    "events": {"type": "array", "items": {"type": "object"}}}},
                    {"q": "coexistence", "collection": None, "from": "1950", "to": "1959", "level": "year",
                     "total": 41, "coarser_than_level": 0,
                     "bins": [{"label": "1953", "count": 9, "from": "1953", "to": "1953"}],
                     "documents": [{"id": "ungdc/GBR_08_1953", "title": "...", "date": "1953",
                                    "date_start": "1953-01-01", "date_precision": "year"}], "events": []})),
            "/api/collections": _op(
                "collections", "Collections with document counts and date ranges",
                "Every collection of the archive with its number of current documents and its first and last "
                "document dates.", [],
                _ok("Collections", {"type": "object", "properties": {
                    "collections": {"type": "array", "items": col}}},
                    {"collections": [{"name": "ungdc", "documents": 10952, "first_date": "1946-01-01",
                                      "last_date": "2024-12-31"}]}), errors=()),
            "/api/stats": _op(
                "stats", "Archive statistics",
                "Counts of documents, characters, dated documents, older versions, files and bytes, "
                "annotations by type, and collections (recomputed at most once a minute).",
                [_param("collection", "query", "Only this collection.", {"type": ["string", "null"],
                                                                        "default": None}, "ungdc")],
                _ok("Statistics", {"type": "object", "properties": {
                    "documents": {"type": "integer"}, "characters": {"type": "integer"}, "dated": {"type": "integer"},
                    "older_versions": {"type": "integer"}, "files": {"type": "integer"},
                    "file_bytes": {"type": "integer"},
                    "annotations": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "collections": {"type": "array", "items": col}, "archive_bytes": {"type": "integer"}}},
                    {"documents": 10952, "characters": 198000000, "dated": 10952, "older_versions": 0,
                     "files": 10952, "file_bytes": 201000000, "annotations": {"person": 120000, "place": 310000},
                     "collections": [{"name": "ungdc", "documents": 10952, "first_date": "1946-01-01",
                                      "last_date": "2024-12-31"}], "archive_bytes": 900000000}), errors=()),
            **_analysis_paths(),
            "/api/pages/{doc_id}": _op(
                "page", "One page of a scanned document: its words with boxes and confidence, redactions",
                "For a document read from page images (OCR): the page's size in pixels, the mean OCR "
                "confidence, the link to the page image, every recognised word with its box "
                "[left, top, right, bottom] and confidence (0–100), `hit` for the words of `q`, and the "
                "redaction boxes found on the page. A 404 when the document has no such page (or is not "
                "a scan).",
                [DOC_ID, _param("page", "query", "1-based page number.", {"type": "integer", "minimum": 1,
                                                                         "default": 1}, 2),
                 {**Q, "description": "Mark the words of this query (`hit`).", "schema": _str(""),
                  "example": "missile"}],
                _ok("The page", {"type": "object", "properties": {
                    "id": {"type": "string"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
                    "width": {"type": "integer"}, "height": {"type": "integer"},
                    "mean_confidence": {"type": ["number", "null"]}, "image": {"type": "string"},
                    "words": {"type": "array", "items": {"type": "object", "properties": {
                        "text": {"type": "string"}, "box": {"type": "array", "items": {"type": "integer"}},
                        "confidence": {"type": ["number", "null"]}, "hit": {"type": "boolean"}}}},
                    "redactions": {"type": "array", "items": {"type": "object"}}}},
                    {"id": "jfk/104-10003-10041", "page": 2, "pages": 5, "width": 2550, "height": 3300,
                     "mean_confidence": 87.5, "image": "/page-image/2/jfk/104-10003-10041",
                     "words": [{"text": "MISSILE", "box": [412, 980, 611, 1022], "confidence": 91.0, "hit": True}],
                     "redactions": []}),
                errors=(400, 404)),
            "/api/me": _op(
                "me", "Who the request comes from",
                "The reader this request is answered as: a signed-in user (name and role: reader, curator or "
                "admin) or nobody.", [],
                _ok("The reader", {"type": "object", "properties": {
                    "name": {"type": ["string", "null"]}, "role": {"type": ["string", "null"]},
                    "signed_in": {"type": "boolean"}}}, {"name": "alice", "role": "reader", "signed_in": True}),
                errors=(401,), tag="accounts"),
            "/api/audit": _op(
                "audit", "The audit log (admins only)",
                "Newest first: sign-ins, failed sign-ins, exports, source downloads, curation and changes to "
                "users, tokens and collection access, each with who (empty: nobody signed in), when (UTC), on "
                "what, and details such as the client address.",
                [_param("action", "query", "Only this kind (sign-in, sign-in-failed, export, source, curation, ...).",
                        {"type": ["string", "null"], "default": None}, "export"),
                 _param("who", "query", "Only this person.", {"type": ["string", "null"], "default": None}, "alice"),
                 _param("since", "query", "Only from this UTC time on.", {"type": ["string", "null"],
                                                                         "default": None}, "2026-12-01"),
                 _param("limit", "query", "At most this many (default 200, at most 5000).",
                        {"type": "integer", "minimum": 1, "default": 200}, 50)],
                _ok("Audit entries", {"type": "object", "properties": {"entries": {"type": "array", "items": {
                    "type": "object", "properties": {
                        "seq": {"type": "integer"}, "at": {"type": "string"}, "who": {"type": "string"},
                        "action": {"type": "string"}, "target": {"type": "string"}, "detail": {"type": "object"}}}}}},
                    {"entries": [{"seq": 7, "at": "2026-12-02T07:00:00+00:00", "who": "alice", "action": "export",
                                  "target": "armistice", "detail": {"format": "csv", "address": "10.0.0.5"}}]}),
                errors=(400, 401, 403), tag="accounts"),
            "/api/openapi.json": _op(
                "openapi", "This description", "The OpenAPI 3.1 document you are reading; /api/docs renders it.",
                [], _ok("OpenAPI 3.1", {"type": "object"}, {"openapi": "3.1.0", "info": {"title": "..."}}),
                errors=()),
        },
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "An API token (`despatch tokens create`)."}}},
    }
