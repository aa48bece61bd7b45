"""The analysis pages (/analysis/...) and their JSON/CSV API (/api/analysis/...).

Each page takes the same parameters as its API endpoint and the `despatch analyse` command, calls the
library (despatch.analysis), and shows a chart drawn on the server (charts.py) with the numbers as a
table beside it, plus downloads: CSV, JSON, the chart as SVG (and PNG, made in the browser from that
SVG by static/charts.js). Sync endpoints: Starlette runs them in its thread pool, each thread with its
own read-only archive connection.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..analysis import tables
from ..analysis.corpus import ENTITY_TYPES
from ..search.facets import FACETS
from ..search.query import QueryError, parse
from ..search.snippets import Matcher
from . import auth, charts
from .context import archive, render
from .render import doc_url

A = {m: importlib.import_module(f"despatch.analysis.{m}")
     for m in ("trend", "keyness", "collocates", "kwic", "network", "judgments")}
KINDS = tuple(A)
PAGE_LINES = 500
TITLES = {"trend": "Trends", "keyness": "Keyness", "collocates": "Collocates", "kwic": "Concordance",
          "network": "Entity network", "judgments": "Judgment profiles"}


def _int(qp: QueryParams, name: str, default: int | None, lo: int = 0, hi: int = 10**9) -> int | None:
    v = qp.get(name)
    if v in (None, ""):
        return default
    try:
        return max(lo, min(hi, int(v)))
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number, not {v!r}") from None


def _choice(qp: QueryParams, name: str, options: tuple[str, ...] | list[str], default: str | None) -> str | None:
    v = qp.get(name) or default
    if v is not None and v not in options:
        raise HTTPException(400, f"{name} must be one of {', '.join(options)}, not {v!r}")
    return v


def _flag(qp: QueryParams, name: str) -> bool:
    return (qp.get(name) or "").lower() in ("1", "true", "yes", "on")


def run(kind: str, request: Request, items: bool = True) -> Any:
    """The library call for `kind` with the request's parameters (the one place that reads them)."""
    qp = request.query_params
    arch = archive(request)
    filters = [f for f in qp.getlist("filter") if f.strip()]
    try:
        if kind == "trend":
            qs = [q for q in qp.getlist("q") if q.strip()]
            if not qs:
                return None
            return A["trend"].trend(arch, qs, period=_choice(qp, "by", A["trend"].PERIODS, "year"),
                                    split=_choice(qp, "split", A["trend"].SPLITS, None),
                                    filters=filters, unit=_choice(qp, "unit", A["trend"].UNITS, "documents"),
                                    start=_int(qp, "from", None), end=_int(qp, "to", None))
        if kind == "keyness":
            a = (qp.get("a") or "").strip()
            if not a:
                return None
            return A["keyness"].keyness(arch, a, (qp.get("b") or "").strip() or None, filters=filters,
                                        by=_choice(qp, "by", ("document", "paragraph"), "document"),
                                        unit=_choice(qp, "unit", A["keyness"].UNITS, "words"),
                                        min_freq=_int(qp, "min_freq", 5, 1), limit=_int(qp, "limit", 50, 1, 1000),
                                        correction=_choice(qp, "correction", ("bonferroni", "holm", "bh", "none"),
                                                           "bonferroni"))
        if kind == "collocates":
            node = (qp.get("node") or "").strip()
            if not node:
                return None
            w = _int(qp, "window", 5, 0, 50)
            return A["collocates"].collocates(
                arch, node, within=qp.get("within") or "*", filters=filters,
                by=_choice(qp, "by", ("document", "paragraph"), "document"),
                left=_int(qp, "left", w, 0, 50), right=_int(qp, "right", w, 0, 50),
                min_freq=_int(qp, "min_freq", 3, 1), sort=_choice(qp, "sort", A["collocates"].SORTS, "ll"),
                limit=_int(qp, "limit", 50, 1, 1000), stopwords=_flag(qp, "stopwords"))
        if kind == "network":
            types = [t for t in qp.getlist("type") if t] or list(ENTITY_TYPES)
            return A["network"].network(arch, qp.get("q") or "*", filters=filters,
                                        unit=_choice(qp, "unit", A["network"].UNITS, "paragraph"), types=types,
                                        min_weight=_int(qp, "min_weight", 1, 1),
                                        max_nodes=_int(qp, "max_nodes", 80, 2, 500))
        if kind == "judgments":
            return A["judgments"].judgments(arch, qp.get("q") or "*", filters=filters,
                                            by=_choice(qp, "by", A["judgments"].GROUPS, "year"),
                                            paragraphs=_flag(qp, "paragraphs"), items=items)
    except (QueryError, ValueError) as e:
        raise HTTPException(400, str(e)) from None
    raise HTTPException(404, f"no analysis {kind!r}")


# -- charts ----------------------------------------------------------------------------------------------
def chart(kind: str, result: Any, request: Request) -> str | None:
    if result is None:
        return None
    if kind == "trend":
        d = result.to_dict()
        series = d["series"]
        if d["split"]:  # the ten largest series: the table holds them all
            series = sorted(series, key=lambda s: -s["count"])[:8]
        mentions = d["unit"] == "mentions"
        lines = [charts.Line(f"{s['query']}{' · ' + s['split'] if s['split'] else ''}",
                             [(p["period"], p["per_10k_words"] if mentions else p["share"],
                               None if mentions else p["low"], None if mentions else p["high"])
                              for p in s["points"]]) for s in series]
        ylabel = "per 10,000 words" if mentions else f"share of {d['unit']}"
        return charts.line_chart(lines, f"{', '.join(d['queries'])} by {d['period']}",
                                 f"Line chart: {ylabel} matching each query per {d['period']}"
                                 + ("" if mentions else ", with 95% Wilson intervals as bands")
                                 + ". The numbers are in the table below.", ylabel, percent=not mentions)
    if kind == "keyness":
        bars = [(i.item, i.log_ratio, None) for i in result.key_a[:20]]
        bars += [(i.item, i.log_ratio, None) for i in result.key_b[:20]]
        return charts.bar_chart(bars, f"Key {result.unit}: {result.a['query']} against {result.b['query']}",
                                "Bar chart of the log ratio of the most key items of A (right) and of B (left), "
                                "ordered by log-likelihood. The numbers are in the table below.",
                                "log ratio (+1: twice as frequent in A; −1: twice as frequent in B)")
    if kind == "collocates":
        bars = [(c.word, c.ll, None) for c in result.collocates[:30]]
        return charts.bar_chart(bars, f"Collocates of {result.node}", "Bar chart of the log-likelihood of the "
                                "strongest collocates. The numbers are in the table below.", "log-likelihood")
    if kind == "network":
        pos = A["network"].layout(result)
        focus = request.query_params.get("focus")
        href = {n["id"]: "/analysis/network?" + _with(request.query_params, focus=n["id"]) for n in result.nodes}
        return charts.network_svg(result.nodes, result.edges, pos, href,
                                  f"Entities named in the same {result.unit}",
                                  f"Network of {len(result.nodes)} entities and {len(result.edges)} links; each "
                                  "entity is a link that shows its neighbours. The lists below hold the same data.",
                                  focus=focus)
    if kind == "judgments":
        kent = A["judgments"].KENT
        groups = [(p.group, [p.kent.get(k, 0) for k in kent]) for p in result.profiles if p.judgments]
        if not groups:
            return None
        return charts.stacked_bars(groups, kent, f"Estimative judgments by {result.by} (Kent bands)",
                                   "Stacked bars: the share of judgments in each Kent (1964) band per group. The "
                                   "numbers are in the table below.")
    return None


def _with(qp: QueryParams, **changes: Any) -> str:
    items = [(k, v) for k, v in qp.multi_items() if k not in changes]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return urlencode(items)


# -- pages -------------------------------------------------------------------------------------------------
def index_page(request: Request) -> Response:
    return render(request, "analysis.html", kind=None, kinds=TITLES, title="Analysis")


def page(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPException(404, f"no analysis {kind!r}; see /analysis")
    qp = request.query_params
    ctx: dict[str, Any] = {"kind": kind, "kinds": TITLES, "qp": qp, "title": TITLES[kind],
                           "facets": [f for f in FACETS if f not in ("year", "decade")], "entity_types": ENTITY_TYPES,
                           "query_string": str(qp)}
    if kind == "kwic":
        q = (qp.get("q") or "").strip()
        lines: list[Any] = []
        if q:
            try:
                lines = list(A["kwic"].concordance(
                    archive(request), q, filters=[f for f in qp.getlist("filter") if f.strip()],
                    context=_int(qp, "context", 8, 1, 40) or 8,
                    sort=_choice(qp, "sort", A["kwic"].SORTS, "position") or "position",
                    limit=_int(qp, "limit", PAGE_LINES, 1, PAGE_LINES)))
            except (QueryError, ValueError) as e:
                raise HTTPException(400, str(e)) from None
        return render(request, "analysis.html", lines=lines, ran=bool(q), doc_href=_doc_href, **ctx)
    result = run(kind, request)
    svg = chart(kind, result, request)
    ctx.update(result=result, data=result.to_dict() if result is not None else None,
               chart=Markup(svg) if svg else None, tables=_tables(kind, result) if result is not None else [],
               doc_href=_doc_href, ran=result is not None)
    return render(request, "analysis.html", **ctx)


def _doc_href(doc_id: str, anchor: int | None = None) -> str:
    return doc_url(doc_id) + (f"#s{anchor}" if anchor is not None else "")


def _tables(kind: str, result: Any) -> list[tuple[str, tables.Table]]:
    if kind == "trend":
        return [("The numbers", tables.trend_table(result))]
    if kind == "keyness":
        return [("Key items", tables.keyness_table(result))]
    if kind == "collocates":
        return [("Collocates", tables.collocates_table(result))]
    if kind == "network":
        nodes, edges = tables.network_tables(result)
        return [("Entities", nodes), ("Links", edges)]
    if kind == "judgments":
        return [("Profiles", tables.judgments_table(result))]
    return []


def svg_download(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KINDS or kind == "kwic":
        raise HTTPException(404, f"no chart for {kind!r}")
    svg = chart(kind, run(kind, request, items=False), request)
    if svg is None:
        raise HTTPException(400, "nothing to draw: give the analysis its query")
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, media_type="image/svg+xml",
                    headers={"content-disposition": f'attachment; filename="despatch-{kind}.svg"'})


# -- API ------------------------------------------------------------------------------------------------
def _csv(table: tables.Table, name: str) -> Response:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(table[0])
    w.writerows(table[1])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}.csv"'})


def api(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPException(404, f"no analysis {kind!r}; use one of {', '.join(KINDS)}")
    fmt = request.query_params.get("format") or "json"
    if kind == "kwic":
        return _api_kwic(request, fmt)
    result = run(kind, request, items=fmt == "json" or request.query_params.get("items") == "1")
    if result is None:
        raise HTTPException(400, "give the analysis its query (see /api/docs)")
    if kind == "network" and fmt in ("gexf", "graphml"):
        body = A["network"].to_gexf(result) if fmt == "gexf" else A["network"].to_graphml(result)
        return Response(body, media_type="application/xml",
                        headers={"content-disposition": f'attachment; filename="despatch-network.{fmt}"'})
    if fmt == "csv":
        if kind == "network":
            return _csv(tables.network_tables(result)[1], "despatch-network-links")
        if kind == "judgments" and request.query_params.get("items") == "1":
            return _csv(tables.judgment_items_table(result), "despatch-judgments")
        return _csv(_tables(kind, result)[0][1], f"despatch-{kind}")
    if fmt != "json":
        raise HTTPException(400, f"format must be json or csv{', gexf or graphml' if kind == 'network' else ''}")
    return JSONResponse(result.to_dict())


def _api_kwic(request: Request, fmt: str) -> Response:
    qp = request.query_params
    q = (qp.get("q") or "").strip()
    if not q:
        raise HTTPException(400, "give q, the query to find")
    if fmt not in ("json", "csv", "tsv", "jsonl"):
        raise HTTPException(400, "format must be json, jsonl, csv or tsv")
    filters = [f for f in qp.getlist("filter") if f.strip()]
    context = _int(qp, "context", 8, 1, 40) or 8
    sort = _choice(qp, "sort", A["kwic"].SORTS, "position") or "position"
    limit = _int(qp, "limit", None if fmt != "json" else PAGE_LINES, 1)
    if fmt == "json":  # one page, in one object; the streamed formats have no cap
        try:
            lines = list(A["kwic"].concordance(archive(request), q, filters, context, sort, limit))
        except (QueryError, ValueError) as e:
            raise HTTPException(400, str(e)) from None
        return JSONResponse({"analysis": "kwic", "query": q, "filters": filters, "context": context, "sort": sort,
                             "limit": limit, "lines": [ln.to_dict() for ln in lines]})
    try:  # check the query before the response starts: a bad one is a 400, not a broken stream
        if not Matcher(parse(q).tree).active:
            raise ValueError(f"{q!r} has no words to find in the text (a concordance needs a word or phrase)")
    except (QueryError, ValueError) as e:
        raise HTTPException(400, str(e)) from None
    pool = request.app.state.pool
    kw = A["kwic"]
    hidden = auth.hidden(request)
    auth.audit(request, "export", q, format=f"kwic-{fmt}", filters=filters)

    def body() -> Iterator[str]:
        own, arch = auth.fresh_view(pool, hidden)  # its own connection: the stream outlives the request's slot
        try:
            rows = kw.concordance(arch, q, filters, context, sort, limit)
            if fmt == "jsonl":
                for ln in rows:
                    yield json.dumps(ln.to_dict(), ensure_ascii=False) + "\n"
                return
            buf = io.StringIO()
            w = csv.writer(buf)
            if fmt == "csv":
                w.writerow(kw.FIELDS)
            for i, ln in enumerate(rows, 1):
                if fmt == "csv":
                    w.writerow([getattr(ln, f) if getattr(ln, f) is not None else "" for f in kw.FIELDS])
                else:
                    kw.write_tsv(iter([ln]), buf)
                if i % 1000 == 0:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()
        finally:
            own.close()

    media = "text/csv; charset=utf-8" if fmt == "csv" else (
        "text/tab-separated-values; charset=utf-8" if fmt == "tsv" else "application/x-ndjson")
    return StreamingResponse(body(), media_type=media,
                             headers={"content-disposition": f'attachment; filename="despatch-kwic.{fmt}"'})


def routes() -> list[Route]:
    return [
        Route("/analysis", index_page, name="analysis"),
        Route("/analysis/{kind}.svg", svg_download),
        Route("/analysis/{kind}", page),
        Route("/api/analysis/{kind}", api),
    ]
