"""The OpenAPI 3.1 description of /api/, served as JSON and as a readable page at /api/docs.

Written so that a client can be written from it alone: every operation has a summary and a description,
every parameter a description, type, default and example, every response a schema with an example, and
the errors (400 a request to fix, 404 nothing there) say when they happen. tests/test_openapi.py
validates it with openapi-spec-validator and checks that every route of the app is described.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..analysis.trend import SPLITS
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


# -- /api/analysis/: the library's analyses (despatch.analysis), as `despatch analyse` gives them -----------
A_FILTER = {**FILTER, "description": "A facet filter or date range applied to every subset of the analysis "
            "(`country:RUS`, `year:1950..1960`); repeat the parameter for several (all must hold).",
            "example": ["year:1950..1960"]}
CSV = "text/csv"


def _fmt(options: list[str]) -> dict[str, Any]:
    return _param("format", "query", "The response's format: " + ", ".join(f"`{o}`" for o in options) + ".",
                  _str(options[0], options), options[1] if len(options) > 1 else options[0])


def _int_param(name: str, description: str, default: int | None, example: int, lo: int = 0,
               hi: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if default is not None else ["integer", "null"], "minimum": lo,
                              "default": default}
    if hi is not None:
        schema["maximum"] = hi
    return _param(name, "query", description, schema, example)


def _analysis_ok(description: str, schema: dict[str, Any], example: Any, csv_example: str,
                 extra: dict[str, tuple[Any, Any]] | None = None) -> dict[str, Any]:
    """The JSON answer and its CSV table (and any other media: {media: (schema, example)})."""
    content = {JSON: {"schema": schema, "example": example},
               CSV: {"schema": {"type": "string"}, "example": csv_example}}
    for media, (sch, ex) in (extra or {}).items():
        content[media] = {"schema": sch, "example": ex}
    return {"description": description, "content": content}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


ARR_OBJ = {"type": "array", "items": {"type": "object"}}
STRS = {"type": "array", "items": {"type": "string"}}
INT, NUM, STR, OBJ = {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "object"}
NSTR = {"type": ["string", "null"]}
TREND_EXAMPLE = {
    "analysis": "trend", "queries": ["\"peaceful coexistence\""], "filters": ["country:RUS"], "unit": "documents",
    "period": "year", "split": "country", "corpus": {"documents": 78, "by": "document", "watermark": 10952},
    "warnings": [], "measure": "share of documents in the period, 95% Wilson interval",
    "series": [{"query": "\"peaceful coexistence\"", "split": "RUS", "count": 1, "points": [
        {"period": "1953", "count": 0, "total": 1, "share": 0.0, "low": 0.0, "high": 0.793451},
        {"period": "1954", "count": 1, "total": 1, "share": 1.0, "low": 0.206549, "high": 1.0}]}]}
KEY_ITEM = {"item": "soviet", "freq_a": 2245, "freq_b": 11691, "per_million_a": 4773.609699,
            "per_million_b": 367.917413, "g2": 7021.469891, "log_ratio": 3.697627, "p": 0.0, "p_adjusted": 0.0,
            "significant": True}
KEYNESS_EXAMPLE = {
    "analysis": "keyness",
    "a": {"query": "country:RUS", "filters": [], "by": "document", "documents": 78, "paragraphs": 12576,
          "words": 470294},
    "b": {"query": "NOT (country:RUS)", "filters": [], "by": "document", "documents": 10874,
          "paragraphs": 1542074, "words": 31776153, "rest": True},
    "unit": "words", "settings": {"min_freq": 5, "correction": "bonferroni", "alpha": 0.05, "limit": 1,
                                  "measure": "log-likelihood G2 (Rayson & Garside 2000), log ratio (Hardie 2014)"},
    "corpus": {"documents": 10952, "paragraphs": 1554650, "words": 32246447, "watermark": 10952},
    "tested": 30647, "warnings": [], "key_a": [KEY_ITEM],
    "key_b": [{"item": "my", "freq_a": 59, "freq_b": 59176, "per_million_a": 125.45344,
               "per_million_b": 1862.277035, "g2": 1304.155232, "log_ratio": -3.891844, "p": 0.0,
               "p_adjusted": 0.0, "significant": True}]}
COLLOCATES_EXAMPLE = {
    "analysis": "collocates", "node": "coexistence",
    "forms": ["coexist", "coexisted", "coexistence", "coexistent", "coexisting", "coexists"],
    "within": {"query": "*", "filters": [], "by": "document", "documents": 10952, "paragraphs": 1554650,
               "words": 32246447},
    "settings": {"left": 5, "right": 5, "min_freq": 3, "sort": "ll", "limit": 2, "stopwords": False,
                 "window": "inside the paragraph"},
    "corpus": {"documents": 10952, "paragraphs": 1554650, "words": 32246447, "watermark": 10952},
    "occurrences": 5350, "window_words": 46345, "warnings": [],
    "collocates": [{"word": "peaceful", "freq": 2944, "left": 2908, "right": 36, "corpus_freq": 23253,
                    "expected": 33.4195, "ll": 21115.833, "mi": 6.4609, "t": 53.6427}]}
KWIC_LINE = {"n": 1, "document": "ungdc/RUS_07_1952", "date": "1952-01-01", "paragraph": 93, "start": 60034,
             "end": 60046, "left": "on a recognition of the possibility of the", "hit": "co-existence",
             "right": "of the communist and capitalist systems and of", "title": "RUS, session 7 (1952)"}
KWIC_EXAMPLE = {"analysis": "kwic", "query": "coexistence", "filters": ["country:RUS"], "context": 8,
                "sort": "position", "limit": 500, "lines": [KWIC_LINE]}
NETWORK_EXAMPLE = {
    "analysis": "network", "query": "*", "filters": [], "unit": "paragraph", "types": list(ENTITY_TYPES),
    "settings": {"min_weight": 1, "max_nodes": 80},
    "corpus": {"documents": 1, "paragraphs": 46, "mentions": 212, "watermark": 3}, "units": 31,
    "nodes": [{"id": "person:Georgy Malenkov", "label": "Georgy Malenkov", "type": "person", "weight": 9},
              {"id": "person:Nikolai Bulganin", "label": "Nikolai Bulganin", "type": "person", "weight": 4}],
    "edges": [{"source": "person:Georgy Malenkov", "target": "person:Nikolai Bulganin", "weight": 3}]}
JUDGMENTS_EXAMPLE = {
    "analysis": "judgments", "query": "*", "filters": [], "by": "year",
    "corpus": {"documents": 1, "judgments": 14, "uncertainty": 3},
    "profiles": [{"group": "1953", "documents": 1, "words": 9120, "judgments": 14, "per_10k_words": 15.351,
                  "uncertainty": 3, "mean_probability": 0.6571, "median_probability": 0.7,
                  "kent": {"certain": 1, "almost certain": 2, "probable": 8, "chances about even": 2,
                           "probably not": 1, "almost certainly not": 0, "impossible": 0},
                  "hedged_share": 0.2143, "negated_share": 0.0714}],
    "judgments": [{"document": "seed/cvce-development-of-soviet-policy-1953", "date": "1953-01-01", "group": "1953",
                   "type": "judgment", "start": 10412, "end": 10498,
                   "sentence": "The Soviet leaders will probably continue to speak of peaceful coexistence.",
                   "cue": "probably", "probability": 0.7, "kent": "probable", "icd203": "likely",
                   "phia": "likely", "hedged": False, "negated": False, "block": 10300}]}
SUBSET = _obj(query=STR, filters=STRS, by=STR, documents=INT, paragraphs=INT, words=INT)


def _analysis_paths() -> dict[str, Any]:
    """The six analyses: the same parameters as `despatch analyse` and the reading room's /analysis pages."""
    paths = _analysis_ops()
    for item in paths.values():
        item["get"]["tags"] = ["analysis"]
    return paths


def _analysis_ops() -> dict[str, Any]:
    fmt = _fmt(["json", "csv"])
    q_many = _param("q", "query", "A query (see /api/search for the language); repeat it for several series.",
                    {"type": "array", "items": {"type": "string"}, "default": []}, ["\"peaceful coexistence\""],
                    style="form", explode=True, required=True)
    return {
        "/api/analysis/trend": _op(
            "analysis_trend", "Trend: how many units match each query per period, against how many there are",
            "Documents, paragraphs or mentions matching each query per year, month or decade, optionally one series "
            "per value of a facet (`split`). Each point is {period, count, total, share, low, high}: the matching "
            "units, all units of the period, their ratio and its 95% Wilson interval, so that a share can be "
            "recomputed; `unit=mentions` counts occurrences per 10,000 words of the period instead. The CSV has a "
            "row per series and period. The same as `despatch analyse trend`.",
            [q_many, _param("by", "query", "The period.", _str("year", ["year", "month", "decade"]), "decade"),
             _param("split", "query", "One series per value of this facet.",
                    {"type": ["string", "null"], "default": None,
                     "enum": [*SPLITS, None]}, "country"),
             _param("unit", "query", "What is counted: `documents`, `paragraphs`, or `mentions` (occurrences, "
                    "per 10,000 words).", _str("documents", ["documents", "paragraphs", "mentions"]), "paragraphs"),
             _int_param("from", "The first year shown.", None, 1950),
             _int_param("to", "The last year shown.", None, 1960), A_FILTER, fmt],
            _analysis_ok("One series per query (and split value)", _obj(
                analysis=STR, queries=STRS, filters=STRS, unit=STR, period=STR, split=NSTR, corpus=OBJ,
                warnings=STRS, measure=STR, series={"type": "array", "items": _obj(
                    query=STR, split=NSTR, count=INT, points={"type": "array", "items": _obj(
                        period=STR, count=INT, total=INT, share=NUM, low=NUM, high=NUM)})}),
                TREND_EXAMPLE, "query,split,period,count,total,share,low,high\n"
                "\"\"\"peaceful coexistence\"\"\",RUS,1954,1,1,1.0,0.206549,1.0\n")),
        "/api/analysis/keyness": _op(
            "analysis_keyness", "Keyness: the words (or entities) that set subset A apart from B or the rest",
            "For every word (or entity) with at least `min_freq` occurrences in A and B together: its frequencies, "
            "the log-likelihood G² (Rayson & Garside 2000), the log ratio (Hardie 2014: +1 twice as frequent in A) "
            "and the p-value corrected for the number of words tested. `key_a` lists what is more frequent in A, "
            "`key_b` what is more frequent in B, each by G². Without `b` the comparison is with the rest of the "
            "archive. The same as `despatch analyse keyness`.",
            [_param("a", "query", "The query that selects subset A (without it: a 400).", _str(""), "country:RUS",
                    required=True),
             _param("b", "query", "The query that selects subset B; absent: the rest of the archive.",
                    {"type": ["string", "null"], "default": None}, "country:USA"),
             _param("by", "query", "Subsets of whole documents, or of the matching paragraphs only.",
                    _str("document", ["document", "paragraph"]), "paragraph"),
             _param("unit", "query", "Compare words, or entities (person, place, org).",
                    _str("words", ["words", "entities"]), "entities"),
             _int_param("min_freq", "Only items at least this frequent in A and B together.", 5, 10, lo=1),
             _param("correction", "query", "The correction of p for the number of items tested.",
                    _str("bonferroni", ["bonferroni", "holm", "bh", "none"]), "holm"),
             _int_param("limit", "Items listed on each side.", 50, 20, lo=1, hi=1000), A_FILTER, fmt],
            _analysis_ok("Key items of A and of B", _obj(
                analysis=STR, a=SUBSET, b=SUBSET, unit=STR, settings=OBJ, corpus=OBJ, tested=INT, warnings=STRS,
                key_a={"type": "array", "items": _obj(
                    item=STR, freq_a=INT, freq_b=INT, per_million_a=NUM, per_million_b=NUM, g2=NUM, log_ratio=NUM,
                    p=NUM, p_adjusted=NUM, significant={"type": "boolean"})}, key_b=ARR_OBJ),
                KEYNESS_EXAMPLE, "key_for,item,freq_a,freq_b,per_million_a,per_million_b,g2,log_ratio,p,p_adjusted,"
                "significant\nA,soviet,2245,11691,4773.61,367.92,7021.47,3.698,0,0,yes\n")),
        "/api/analysis/collocates": _op(
            "analysis_collocates", "Collocates: the words found near a word or phrase more often than chance",
            "Every word within the window of each occurrence of `node` (the window stays inside the paragraph), "
            "with its frequency there (left and right), its frequency in the subset, and the log-likelihood, MI "
            "and t-score of the pair, as AntConc reports them. The node is matched as the search matches it: "
            "`peace` finds its forms, `=peace` only that form, `peac*` a prefix, a phrase its words in a row. "
            "The same as `despatch analyse collocates`.",
            [_param("node", "query", "A word, `=exact` form, `prefix*` or a phrase (without it: a 400).", _str(""),
                    "coexistence", required=True),
             _param("within", "query", "Only in what this query selects (default: the whole archive).", _str("*"),
                    "country:RUS"),
             _param("by", "query", "`within` selects whole documents, or only the matching paragraphs.",
                    _str("document", ["document", "paragraph"]), "document"),
             _int_param("window", "Words each side (both `left` and `right` when they are not given).", 5, 5,
                        hi=50),
             _int_param("left", "Words to the left (default: `window`).", None, 3, hi=50),
             _int_param("right", "Words to the right (default: `window`).", None, 0, hi=50),
             _int_param("min_freq", "Only words seen at least this often in the windows.", 3, 5, lo=1),
             _param("sort", "query", "Order: log-likelihood, MI, t-score or frequency.",
                    _str("ll", ["ll", "mi", "t", "freq"]), "mi"),
             _int_param("limit", "Collocates listed.", 50, 20, lo=1, hi=1000),
             _param("stopwords", "query", "`1` leaves out English function words (the, of, and ...).",
                    _str("0", ["0", "1"]), "1"), A_FILTER, fmt],
            _analysis_ok("The collocates", _obj(
                analysis=STR, node=STR, forms=STRS, within=SUBSET, settings=OBJ, corpus=OBJ, occurrences=INT,
                window_words=INT, warnings=STRS, collocates={"type": "array", "items": _obj(
                    word=STR, freq=INT, left=INT, right=INT, corpus_freq=INT, expected=NUM, ll=NUM, mi=NUM, t=NUM)}),
                COLLOCATES_EXAMPLE, "collocate,freq,left,right,corpus_freq,expected,ll,mi,t\n"
                "peaceful,2944,2908,36,23253,33.42,21115.833,6.461,53.643\n")),
        "/api/analysis/kwic": _op(
            "analysis_kwic", "Concordance (KWIC): every hit with its left and right context",
            "Each occurrence of the query's words in the matching paragraphs, with `context` words each side, "
            "sortable by position, by the words to the left or right, or by the hit. `json` gives one page of "
            "`limit` lines (500 by default); `csv`, `tsv` (the layout concordancers read: number, left, hit, right, "
            "document) and `jsonl` stream every line without a cap, in constant memory. The same as "
            "`despatch analyse kwic`.",
            [{**Q, "description": "The query whose words are the hits (a word, phrase, prefix...).",
              "example": "coexistence", "required": True},
             _int_param("context", "Words each side.", 8, 10, lo=1, hi=40),
             _param("sort", "query", "Order of the lines.", _str("position", ["position", "left", "right", "hit"]),
                    "right"),
             _int_param("limit", "Lines at most (json: 500 unless given; the streamed formats: all).", None, 1000,
                        lo=1),
             A_FILTER, _fmt(["json", "jsonl", "csv", "tsv"])],
            _analysis_ok("The concordance lines", _obj(
                analysis=STR, query=STR, filters=STRS, context=INT, sort=STR, limit={"type": ["integer", "null"]},
                lines={"type": "array", "items": _obj(
                    n=INT, document=STR, date=NSTR, paragraph={"type": ["integer", "null"]}, start=INT, end=INT,
                    left=STR, hit=STR, right=STR, title=NSTR)}),
                KWIC_EXAMPLE, "n,document,date,paragraph,start,end,left,hit,right,title\n1,ungdc/RUS_07_1952,"
                "1952-01-01,93,60034,60046,on a recognition of the possibility of the,co-existence,of the communist "
                "and capitalist systems and of,\"RUS, session 7 (1952)\"\n",
                {"text/tab-separated-values": (STR, "1\ton a recognition of the possibility of the\tco-existence\t"
                                               "of the communist and capitalist systems and of\tungdc/RUS_07_1952\n"),
                 "application/x-ndjson": (STR, '{"n": 1, "document": "ungdc/RUS_07_1952", "hit": "co-existence", '
                                               '"...": "..."}\n')})),
        "/api/analysis/network": _op(
            "analysis_network", "Co-occurrence network of the entities named together",
            "Persons, places and organisations (as enrichment annotated them) named in the same paragraph or "
            "document, among the units `q` selects: nodes weighted by the units naming them, links by the units "
            "naming both. `gexf` and `graphml` are for Gephi; `csv` lists the links. The same as `despatch "
            "analyse network`.",
            [{**Q, "description": "Only the units this query matches (empty: all).", "example": "Malenkov"},
             _param("unit", "query", "Entities co-occur within a paragraph or a document.",
                    _str("paragraph", ["paragraph", "document"]), "document"),
             _param("type", "query", "Entity types kept; repeat it for several (default: all).",
                    {"type": "array", "items": _str(enum=list(ENTITY_TYPES)), "default": []}, ["person"],
                    style="form", explode=True),
             _int_param("min_weight", "Only links at least this heavy.", 1, 2, lo=1),
             _int_param("max_nodes", "The most frequent entities kept.", 80, 50, lo=2, hi=500),
             A_FILTER, _fmt(["json", "csv", "gexf", "graphml"])],
            _analysis_ok("The network", _obj(
                analysis=STR, query=STR, filters=STRS, unit=STR, types=STRS, settings=OBJ, corpus=OBJ, units=INT,
                nodes={"type": "array", "items": _obj(id=STR, label=STR, type=STR, weight=INT)},
                edges={"type": "array", "items": _obj(source=STR, target=STR, weight=INT)}),
                NETWORK_EXAMPLE, "source,target,weight\nperson:Georgy Malenkov,person:Nikolai Bulganin,3\n",
                {"application/xml": (STR, '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns='
                                          '"http://gexf.net/1.3" version="1.3">...</gexf>\n')})),
        "/api/analysis/judgments": _op(
            "analysis_judgments", "Judgment profiles: how often and how sure, by originator, collection or period",
            "The estimative judgments (probably, almost certainly, ...) and expressions of uncertainty annotated in "
            "the documents `q` selects, grouped: per group the documents, words, judgments per 10,000 words, mean "
            "and median probability, the Kent (1964) bands, and the shares hedged and negated; with each "
            "judgment's sentence, offsets and paragraph (`block`) so that it is one click away. The same as "
            "`despatch analyse judgments`.",
            [{**Q, "description": "Only the documents this query matches (empty: all).", "example": "Soviet"},
             _param("by", "query", "The grouping.",
                    _str("year", ["originator", "collection", "year", "decade", "country"]), "originator"),
             _param("paragraphs", "query", "`1`: only the judgments inside the matching paragraphs.",
                    _str("0", ["0", "1"]), "1"),
             _param("items", "query", "`1` with `format=csv`: every judgment instead of the profiles.",
                    _str("0", ["0", "1"]), "1"), A_FILTER, fmt],
            _analysis_ok("The profiles (and, in JSON, every judgment)", _obj(
                analysis=STR, query=STR, filters=STRS, by=STR, corpus=OBJ, profiles=ARR_OBJ, judgments=ARR_OBJ),
                JUDGMENTS_EXAMPLE, "group,documents,words,judgments,per_10k_words,uncertainty,mean_probability,"
                "median_probability,kent:certain,kent:almost certain,kent:probable,kent:chances about even,"
                "kent:probably not,kent:almost certainly not,kent:impossible,hedged_share,negated_share\n"
                "1953,1,9120,14,15.351,3,0.6571,0.7,1,2,8,2,1,0,0,0.2143,0.0714\n")),
    }


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
                "annotations by type, and collections (recomputed at most once a minute), and how far this "
                "node's search index is behind the store (`index`, always current).",
                [_param("collection", "query", "Only this collection.", {"type": ["string", "null"],
                                                                        "default": None}, "ungdc")],
                _ok("Statistics", {"type": "object", "properties": {
                    "documents": {"type": "integer"}, "characters": {"type": "integer"}, "dated": {"type": "integer"},
                    "older_versions": {"type": "integer"}, "files": {"type": "integer"},
                    "file_bytes": {"type": "integer"},
                    "annotations": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "collections": {"type": "array", "items": col}, "archive_bytes": {"type": "integer"},
                    "index": {"type": "object", "description": "This serving node's search index against the "
                              "store: the change it has applied, the store's newest, and how many it lags "
                              "behind (a PostgreSQL archive's nodes each keep their own).", "properties": {
                                  "node": {"type": "string"}, "watermark": {"type": "integer"},
                                  "last_change": {"type": "integer"}, "lag": {"type": "integer"}}}}},
                    {"documents": 10952, "characters": 198000000, "dated": 10952, "older_versions": 0,
                     "files": 10952, "file_bytes": 201000000, "annotations": {"person": 120000, "place": 310000},
                     "collections": [{"name": "ungdc", "documents": 10952, "first_date": "1946-01-01",
                                      "last_date": "2024-12-31"}], "archive_bytes": 900000000,
                     "index": {"node": "reading-room-1", "watermark": 21904, "last_change": 21904, "lag": 0}}),
                errors=()),
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
