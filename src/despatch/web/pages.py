"""The HTML pages: each gathers its data from `data` and renders a template (autoescaped)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_plus, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..annotation_types import ANNOTATION_TYPES
from ..errors import NotFound
from . import auth, data
from .context import archive, render
from .exporting import export_response
from .guard import count_param
from .passage import hit_link, passage
from .render import Bar, annotation_counts, bar_chart, doc_url, document_html, snippet_html
from .searching import SearchParams, run_search

FACET_LABELS = {"doc_type": "type", "lang": "language",
                **{t.facet: t.label for t in ANNOTATION_TYPES.values() if t.facet and t.label != t.facet}}
FACET_VALUES_SHOWN = 12


def search_url(q: str = "", filters: list[str] | None = None, sort: str = "relevance", page: int = 1,
               by: str = "document", path: str = "/") -> str:
    params: list[tuple[str, str]] = []
    if q:
        params.append(("q", q))
    for f in filters or []:
        params.append(("filter", f))
    if sort != "relevance":
        params.append(("sort", sort))
    if by != "document":
        params.append(("by", by))
    if page > 1:
        params.append(("page", str(page)))
    return path + ("?" + urlencode(params) if params else "")


def search_page(request: Request) -> Response:
    p = SearchParams.from_query(request.query_params)
    arch = archive(request)
    if not p.q and not p.filters:
        return render(request, "search.html", p=p, result=None, collections=arch.collections(), title="Search")
    result = run_search(arch, p)
    applied = list(result.filters or p.filters)

    base = search_url(p.q, applied, p.sort, 1, p.by)
    joiner = "&" if "?" in base else "?"

    def toggle(f: str) -> str:
        if f in applied:
            return search_url(p.q, [x for x in applied if x != f], p.sort, 1, p.by)
        return base + joiner + "filter=" + quote_plus(f)  # adding a filter: the current URL plus one more

    facets = []
    for f in result.facets:
        if f.name in ("year", "decade") or not f.values:
            continue
        # The top values, and every selected one (so it can always be removed here).
        shown = [v for i, v in enumerate(f.values) if i < FACET_VALUES_SHOWN or v.selected or v.filter in applied]
        kept = {id(v) for v in shown}
        hidden = sum(v.count for v in f.values if id(v) not in kept)
        facets.append({
            "name": FACET_LABELS.get(f.name, f.name), "other": f.other + hidden, "exact": f.exact, "note": f.note,
            "more": len(f.values) - len(shown),
            "values": [{"label": v.label or v.value, "count": v.count,
                        "selected": v.selected or v.filter in applied, "href": toggle(v.filter)}
                       for v in shown],
        })
    bars = [Bar(y, c, toggle(flt) if c else None) for y, c, flt in data.year_bars(result)]
    hist = bar_chart(bars, "Hits per year; choose a year to narrow the dates")
    hits = [{"hit": h, "snippets": [snippet_html(s) for s in h.snippets],
             "url": hit_link(doc_url(h.id), p.q, applied, p.sort, p.by, result.page, h.rank,
                             h.paragraph.start if h.paragraph else None, result.per_page),
             "date": data.shown_date(h.date_start, h.date_precision, h.date if h.date != h.date_start else None)}
            for h in result.hits]
    pages = {
        "prev": search_url(p.q, applied, p.sort, result.page - 1, p.by) if result.page > 1 else None,
        "next": search_url(p.q, applied, p.sort, result.page + 1, p.by) if result.page < result.pages else None,
    }
    removals = [{"filter": f, "href": toggle(f)} for f in applied]
    sorts = [(s, search_url(p.q, applied, s, 1, p.by)) for s in ("relevance", "date", "-date")]
    exports = [(fmt, search_url(p.q, applied, p.sort, 1, p.by, path="/export") + ("&" if (p.q or applied) else "?")
                + urlencode({"format": fmt})) for fmt in export_formats()]
    return render(request, "search.html", p=p, result=result, facets=facets, histogram=hist, hits=hits,
                  pages=pages, removals=removals, sorts=sorts, exports=exports, title=f"{p.q} — Search")


def export_formats() -> list[str]:
    from .exporting import formats

    return formats()


def export_page(request: Request) -> Response:
    return export_response(request)


def _get_doc(request: Request) -> Any:
    doc_id = request.path_params["doc_id"]
    doc = archive(request).get(doc_id, count_param(request, "version"))
    if doc is None:
        raise NotFound(f"no document {doc_id!r} in this archive")
    return doc


def _shown(v: Any) -> str:
    """A metadata value as a reader wants to see it: lists joined, dicts as key: value."""
    if isinstance(v, list | tuple):
        return ", ".join(_shown(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_shown(x)}" for k, x in v.items())
    return str(v)


def document_page(request: Request) -> Response:
    doc = _get_doc(request)
    d = data.document_data(archive(request), doc)
    meta = [(k, _shown(v)) for k, v in sorted(doc.metadata.items()) if v not in (None, "", [], {})]
    found = passage(archive(request), doc, request.query_params)
    return render(request, "document.html", doc=doc, d=d, body=document_html(doc, matches=found.spans), meta=meta,
                  found=found,
                  ann_counts=annotation_counts(doc), doc_url=doc_url, labels=data.style_labels(),
                  shown_date=data.shown_date,
                  title=doc.title or doc.id)


def source_download(request: Request) -> Response:
    doc = _get_doc(request)
    src = archive(request).source(doc.id, doc.version)
    if src is None:
        raise NotFound(f"the original file of {doc.id!r} is not in this archive")
    path, blob = src
    auth.audit(request, "source", doc.id, version=doc.version)
    name = data.source_filename(path, doc.id)
    ascii_name = "".join(c if 32 <= ord(c) < 127 else "_" for c in name)
    headers = {
        "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}",
        "x-content-sha256": doc.file.sha256 if doc.file else "",
        "cache-control": "private, max-age=3600",
    }
    # Always a download, never rendered: an HTML source must not run in our origin.
    return Response(blob, media_type="application/octet-stream", headers=headers)


def similar_page(request: Request) -> Response:
    doc = _get_doc(request)
    hits = data.similar(archive(request), doc)
    return render(request, "similar.html", doc=doc, hits=hits, doc_url=doc_url, title=f"Like {doc.title or doc.id}")


def entity_page(request: Request) -> Response:
    etype, key = request.path_params["etype"], request.path_params["key"]
    e = data.entity_data(archive(request), etype, key)
    bars = ([Bar(y, c, search_url(e.query, [flt]) if c else None) for y, c, flt in data.year_bars(e.result)]
            if e.result else [])
    chart = bar_chart(bars, f"Documents mentioning {e.name} per year")
    return render(request, "entity.html", e=e, chart=chart, doc_url=doc_url,
                  search_href=search_url(e.query), title=e.name)


def timeline_page(request: Request) -> Response:
    qp = request.query_params
    t = data.timeline_data(archive(request), (qp.get("q") or "").strip(), qp.get("collection") or None,
                           qp.get("from") or None, qp.get("to") or None)

    def zoom(a: str | None, b: str | None) -> str:
        params = {k: v for k, v in (("q", t.q), ("collection", t.collection or ""), ("from", a or ""),
                                    ("to", b or "")) if v}
        return "/timeline" + ("?" + urlencode(params) if params else "")

    bars = [Bar(label, c, zoom(a, b)) for label, c, a, b in t.bins]
    chart = bar_chart(bars, f"Documents per {t.level}; choose a bar to zoom in")
    out = zoom(None, None)
    if t.level == "day" and t.start:
        out = zoom(t.start[:4], t.start[:4])
    elif t.level == "month" and t.start:
        y = int(t.start[:4])
        out = zoom(str(y - y % 10), str(y - y % 10 + 9))
    return render(request, "timeline.html", t=t, chart=chart, bins=list(zip(bars, t.bins, strict=True)),
                  zoom_out=out if (t.start or t.end) else None, doc_url=doc_url, shown_date=data.shown_date,
                  collections=archive(request).collections(), title="Timeline")


def collections_page(request: Request) -> Response:
    stats = data.stats(request.app, archive(request))
    return render(request, "collections.html", stats=stats, search_url=search_url, title="Collections")


def api_docs_page(request: Request) -> Response:
    from .openapi import spec

    return render(request, "api_docs.html", spec=spec(), title="API")


def routes() -> list[Route]:
    return [
        Route("/", search_page, name="search"),
        Route("/export", export_page, name="export"),
        Route("/documents/{doc_id:path}", document_page, name="document"),
        Route("/source/{doc_id:path}", source_download, name="source"),
        Route("/similar/{doc_id:path}", similar_page, name="similar"),
        Route("/entity/{etype}/{key:path}", entity_page, name="entity"),
        Route("/timeline", timeline_page, name="timeline"),
        Route("/collections", collections_page, name="collections"),
        Route("/api/docs", api_docs_page, name="api_docs"),
    ]
