"""The JSON API under /api/: the data behind every page, errors as {"error": {"status", "message"}}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import BadOption, NotFound, PluginError
from . import data
from .context import archive
from .exporting import export_response
from .openapi import spec
from .pages import _get_doc, source_download
from .passage import passage
from .searching import SearchFailed, SearchParams, run_search


def api_search(request: Request) -> Response:
    res = run_search(archive(request), SearchParams.from_query(request.query_params))
    return JSONResponse(res.to_dict())


def api_document(request: Request) -> Response:
    doc = _get_doc(request)
    d = data.document_data(archive(request), doc)
    body = doc.to_dict()
    body["links"] = {
        "previous": d["previous"], "next": d["next"],
        "source": f"/api/source/{doc.id}", "html": f"/documents/{doc.id}",
        "versions": [v.__dict__ for v in d["versions"]],
    }
    body["citations"] = dict(d["citations"])
    if d["citation_errors"]:
        body["citation_errors"] = d["citation_errors"]
    if (request.query_params.get("q") or "").strip():
        found = passage(archive(request), doc, request.query_params)
        if found.query_error:
            e = found.query_error
            raise SearchFailed(e.message, e.position, e.suggestion, e.query)
        body["matches"] = found.matches.to_dict() if found.matches else None
    return JSONResponse(body)


def api_citation(request: Request) -> Response:
    doc = _get_doc(request)
    style = request.query_params.get("style")
    listed, failed = data.cite_all(doc)
    cites = dict(listed)
    if style is None:
        return JSONResponse({"id": doc.id, "citations": cites, **({"citation_errors": failed} if failed else {})})
    if style in failed:
        raise PluginError(f"citation style {style!r} could not cite {doc.id!r}: {failed[style]}")
    if style not in cites:
        raise BadOption(f"unknown citation style {style!r}; use one of {', '.join(cites)}")
    return JSONResponse({"id": doc.id, "style": style, "citation": cites[style]})


def api_similar(request: Request) -> Response:
    doc = _get_doc(request)
    hits = data.similar(archive(request), doc)
    return JSONResponse({"id": doc.id, "similar": [{"id": h.id, "title": h.title, "date": h.date,
                                                    "collection": h.collection} for h in hits]})


def api_entity(request: Request) -> Response:
    e = data.entity_data(archive(request), request.path_params["etype"], request.path_params["key"])
    return JSONResponse(e.to_dict())


def api_timeline(request: Request) -> Response:
    qp = request.query_params
    t = data.timeline_data(archive(request), (qp.get("q") or "").strip(), qp.get("collection") or None,
                           qp.get("from") or None, qp.get("to") or None)
    return JSONResponse(t.to_dict())


def api_collections(request: Request) -> Response:
    return JSONResponse({"collections": archive(request).collections()})


def api_stats(request: Request) -> Response:
    return JSONResponse(data.stats(request.app, archive(request), request.query_params.get("collection") or None))


def api_openapi(request: Request) -> Response:
    return JSONResponse(spec())


def api_not_found(request: Request) -> Response:
    raise NotFound(f"no API endpoint {request.url.path}; see /api/docs")


def routes() -> list[Route]:
    return [
        Route("/api/search", api_search),
        Route("/api/export", lambda r: export_response(r)),
        Route("/api/documents/{doc_id:path}", api_document),
        Route("/api/source/{doc_id:path}", source_download),
        Route("/api/citation/{doc_id:path}", api_citation),
        Route("/api/similar/{doc_id:path}", api_similar),
        Route("/api/entities/{etype}/{key:path}", api_entity),
        Route("/api/timeline", api_timeline),
        Route("/api/collections", api_collections),
        Route("/api/stats", api_stats),
        Route("/api/openapi.json", api_openapi),
        Route("/api/{rest:path}", api_not_found),
    ]
