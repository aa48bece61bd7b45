"""Despatch: a workbench for historical diplomatic and intelligence documents."""

from __future__ import annotations

__version__ = "0.1.0"

from .model import Annotation, Document, Span  # noqa: E402
from .store import Archive, open_archive  # noqa: E402

__all__ = ["Annotation", "Archive", "Document", "Span", "__version__", "open_archive"]
