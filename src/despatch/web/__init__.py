"""The reading room: a thin web front (pages and a JSON API) over the Despatch library."""

from .app import create_app

__all__ = ["create_app"]
