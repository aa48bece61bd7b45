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


def archive(request: Request) -> Archive:
    """This thread's read-only archive (app.state.pool, an `ArchivePool`)."""
    return request.app.state.pool.get()


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(request=request, **ctx)
    return HTMLResponse(html, status_code=status)
