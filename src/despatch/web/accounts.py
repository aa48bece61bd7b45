"""Signing in and out, and the audit log for admins: the reading room's account pages.

An archive without accounts has none of this to offer: its pages stay open to everyone, and the
sign-in page says there is nothing to sign in to.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..access import accounts as acc
from ..enrich import curation
from ..enrich.records import refresh_entities
from ..errors import AccessDenied, BadOption, NotFound
from . import auth
from .context import render
from .guard import count_param


def _next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never //other.site or a full URL)."""
    t = (target or "/").strip()
    parts = urlsplit(t)
    if not t.startswith("/") or t.startswith("//") or t.startswith("/\\") or parts.scheme or parts.netloc:
        return "/"
    return t


def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html", next=_next(request.query_params.get("next")), error=None,
                  name="", title="Sign in")


async def sign_in(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_sign_in, request, form)  # argon2 and the archive: off the event loop


def _sign_in(request: Request, form: FormData) -> Response:
    auth.check_csrf(request, str(form.get("csrf") or ""))
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    target = _next(str(form.get("next") or "/"))
    if not auth.has_accounts(request):
        return render(request, "sign_in.html", status=403, next=target, name=name, title="Sign in",
                      error="this archive has no accounts: everyone reads it without signing in")
    try:
        with request.app.state.writer() as w:
            reader = acc.sign_in(w, name, password, auth.address(request))
            secret, rec = acc.start_session(w, reader)
    except AccessDenied as e:
        return render(request, "sign_in.html", status=401, next=target, name=name, error=str(e), title="Sign in")
    response = RedirectResponse(target, status_code=303)
    auth.set_cookie(request, response, auth.SESSION_COOKIE, secret, int(acc.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(auth.CSRF_COOKIE, path="/")
    return response


async def sign_out(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_sign_out, request, form)


def _sign_out(request: Request, form: FormData) -> Response:
    auth.check_csrf(request, str(form.get("csrf") or ""))
    secret = request.cookies.get(auth.SESSION_COOKIE, "")
    if secret:
        with request.app.state.writer() as w:
            acc.end_session(w, secret)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=auth.is_secure(request))
    return response


async def curation_merge(request: Request) -> Response:
    """A curator merges entity `other` into `keep` (the curation layer: kept through every re-enrichment).
    Both must be entities the curator can see; an unseen one is "no entity", as a missing one is."""
    form = await request.form()
    return await run_in_threadpool(_curation_merge, request, form)


def _curation_merge(request: Request, form: FormData) -> Response:
    auth.check_csrf(request, str(form.get("csrf") or ""))
    me = auth.viewer(request)
    me.require("curator", "curating entities")
    keep, other = str(form.get("keep") or "").strip(), str(form.get("other") or "").strip()
    view = auth.view(request)
    for eid in (keep, other):
        rec = view.get_entity(eid) if eid else None
        if rec is None:
            raise NotFound(f"no entity {eid!r} (see `despatch entities`)")
    if keep == other:
        raise BadOption("an entity cannot be merged into itself")
    etype = view.get_entity(keep).type  # type: ignore[union-attr]
    with request.app.state.writer() as w:
        op = curation.merge(w, keep, [other], user=me.name)
        refresh_entities(w)
        w.sync_search()
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"seq": op.seq, "action": op.action, "args": op.args, "who": op.who, "at": op.at})
    return RedirectResponse(f"/entity/{etype}/{quote(keep, safe='')}", status_code=303)


def _audit_rows(request: Request) -> list[dict[str, object]]:
    auth.viewer(request).require("admin", "reading the audit log")
    qp = request.query_params
    limit = count_param(request, "limit") or 200
    rows = auth._base(request).audit(action=qp.get("action") or None, who=qp.get("who") or None,
                                     since=qp.get("since") or None, limit=min(limit, 5000))
    return [e.__dict__ for e in rows]


def audit_page(request: Request) -> Response:
    return render(request, "audit.html", rows=_audit_rows(request), title="Audit log")


def api_audit(request: Request) -> Response:
    return JSONResponse({"entries": _audit_rows(request)})


def api_me(request: Request) -> Response:
    me = auth.viewer(request)
    return JSONResponse({"name": me.name, "role": me.role, "signed_in": me.signed_in})


def routes() -> list[Route]:
    return [
        Route("/sign-in", sign_in_page, methods=["GET"], name="sign_in_page"),
        Route("/sign-in", sign_in, methods=["POST"], name="sign_in"),
        Route("/sign-out", sign_out, methods=["POST"], name="sign_out"),
        Route("/curation/merge", curation_merge, methods=["POST"], name="curation_merge"),
        Route("/audit", audit_page, name="audit"),
        Route("/api/audit", api_audit, name="api_audit"),
        Route("/api/me", api_me, name="api_me"),
    ]
