"""What a page or API handler needs from the running app: its request's archive and the templates.

Kept apart from app.py (which builds the app from the pages and the API) so that the handlers import
this and app.py imports them: no cycle.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..store import Archive
from . import auth


def archive(request: Request) -> Archive:
    """This thread's read-only archive as this request's reader may see it (`auth.view`): every handler
    reads through this, so a collection hidden from the reader is absent from every page and answer."""
    return auth.view(request)


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """A template rendered (autoescaped) with who is signed in, and the CSRF token their forms carry."""
    env: Environment = request.app.state.templates
    cookies: dict[str, str] = {}
    try:
        me = auth.viewer(request)
        accounts = auth.has_accounts(request)
        csrf = auth.csrf_for_form(request, cookies) if accounts else ""
    except Exception:  # noqa: BLE001 - an error page for a bad token still renders, as nobody
        me, accounts, csrf = auth.ANONYMOUS, False, ""
    html = env.get_template(template).render(request=request, me=me, accounts=accounts, csrf=csrf, **ctx)
    response = HTMLResponse(html, status_code=status)
    for name, value in cookies.items():
        auth.set_cookie(request, response, name, value, None, samesite="strict")
    return response
