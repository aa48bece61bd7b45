"""The reading room's page view of a scanned record: the page image rendered from the stored original,
with search hits, redactions and every word drawn as boxes over it (an SVG: no inline style or script,
so the CSP stays strict), beside the page's text, each word linked to its box and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..ocr.engine import OcrError
from ..ocr.images import cache_dir, page_png
from ..ocr.view import is_scan, page_view
from ..store import is_postgres_url
from .context import archive, render


def _doc(request: Request) -> Any:
    doc_id = request.path_params["doc_id"]
    doc = archive(request).get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r} in this archive")
    if not is_scan(doc):
        raise HTTPException(404, f"{doc_id!r} is not a scanned document (it has no page images)")
    return doc


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    try:
        n = int(raw)
    except ValueError:
        raise HTTPException(400, f"page must be a whole number, not {raw!r}") from None
    return n


def pages_page(request: Request) -> Response:
    doc = _doc(request)
    n = _page(request)
    q = request.query_params.get("q", "")
    pv = page_view(doc, n, q)
    if pv is None:
        raise HTTPException(404, f"{doc.id!r} has no page {n}")
    return render(request, "scan_page.html", doc=doc, pv=pv, q=q, title=f"{doc.title or doc.id} · page {n}")


def _page_cache(request: Request) -> Path:
    """Where rendered page images are kept: beside an archive file, or in a shared archive's local cache."""
    where = request.app.state.archive_path
    if is_postgres_url(where):
        got = request.app.state.pool.get().cache_dir("pages")  # the node's own, for every reader alike
        if got is not None:
            return got
    return cache_dir(where)


def page_image(request: Request) -> Response:
    doc = _doc(request)
    n = int(request.path_params["page"])
    src = archive(request).source(doc.id)
    if src is None or doc.file is None:
        raise HTTPException(404, f"the original file of {doc.id!r} is not in this archive")
    try:
        png = page_png(_page_cache(request), doc.file.sha256, src[1], doc.file.format, n)
    except OcrError as e:
        raise HTTPException(404, str(e)) from None
    return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=86400"})


def api_page(request: Request) -> Response:
    doc = _doc(request)
    n = _page(request)
    pv = page_view(doc, n, request.query_params.get("q", ""))
    if pv is None:
        raise HTTPException(404, f"{doc.id!r} has no page {n}")
    return JSONResponse({
        "id": doc.id, "page": pv.number, "pages": pv.count, "width": pv.width, "height": pv.height,
        "mean_confidence": pv.mean_confidence, "image": f"/page-image/{pv.number}/{doc.id}",
        "words": [{"text": w.text, "box": list(w.box), "confidence": w.conf, "hit": w.hit} for w in pv.words],
        "redactions": pv.redactions,
    })


def routes() -> list[Route]:
    return [
        Route("/pages/{doc_id:path}", pages_page, name="scan_pages"),
        Route("/page-image/{page:int}/{doc_id:path}", page_image, name="page_image"),
        Route("/api/pages/{doc_id:path}", api_page, name="api_page"),
    ]
