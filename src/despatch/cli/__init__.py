"""The `despatch` command line: thin commands over the library, one module per area."""

from __future__ import annotations

import importlib

from .app import main

# Each module adds its commands to `main`; an area not built yet is simply absent.
for _mod in ("core", "search", "enrich", "cite", "web", "analyse", "plugins", "explore", "maintenance", "semantic",
             "accounts"):
    try:
        importlib.import_module(f"{__name__}.{_mod}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_mod}":
            raise

__all__ = ["main"]
