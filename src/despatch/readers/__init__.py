"""Readers: one per input format, each recognising its input by content.

A reader is any object with a `name`, a `sniff(head, path)` that returns its confidence, and a
`read(data, ctx)` that yields documents (see `base.Reader`). Readers are registered by name under the entry
point group `despatch.readers` (Despatch's own in pyproject.toml, a plug-in's in its own package); the
registry's order (Despatch's own first, by name) breaks ties between equally confident readers. `detect`
picks the most confident.

A reader's settings (`IngestOptions.reader_settings`, e.g. `{"tei": {"infer_enclosure_dates": False}}`) are
passed to its factory; each process makes its readers from names and settings, so a worker started with
fork or spawn reads exactly as the parent would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import plugins
from ..errors import PluginError
from .base import AuthorityEntry, ReadContext, Reader, ReaderError, make_id

Settings = Mapping[str, Mapping[str, Any]]

_runtime: list[Reader] = []
_made: dict[tuple[str, str], Reader] = {}
_lists: dict[str, tuple[tuple[str, ...], list[Reader]]] = {}


def register(reader: Reader) -> Reader:
    """Add a reader object for this process only (a test, a notebook). It is not seen by worker processes
    started with spawn: a package registers its readers through the `despatch.readers` entry point."""
    _runtime.append(reader)
    return reader


def reader_names() -> list[str]:
    """Every reader's name, in the order ties are broken."""
    return list(dict.fromkeys([*plugins.names("readers"), *(r.name for r in _runtime)]))


def get_reader(name: str, settings: Mapping[str, Any] | None = None) -> Reader:
    """The reader `name` made with `settings` (once per process for each distinct set of settings)."""
    for r in _runtime:
        if r.name == name:
            return r
    key = (name, json.dumps(dict(settings or {}), sort_keys=True, default=str))
    reader = _made.get(key)
    if reader is None:
        reader = plugins.create("readers", name, **dict(settings or {}))
        if reader.name != name:
            raise PluginError(f"the reader registered as {name!r} calls itself {reader.name!r}")
        _made[key] = reader
    return reader


def readers(settings: Settings | None = None) -> list[Reader]:
    """Every reader, made with its settings, in the order ties are broken (the list is made once per process
    for each set of settings: `detect` runs for every file)."""
    key = json.dumps(settings, sort_keys=True, default=str) if settings else ""
    names = tuple(reader_names())  # what is registered can change (`plugins.refresh`, `register`)
    made = _lists.get(key)
    if made is None or made[0] != names:
        settings = settings or {}
        made = _lists[key] = (names, [get_reader(n, settings.get(n)) for n in names])
    return made[1]


def detect(head: bytes, path: Path, forced: str | None = None, settings: Settings | None = None) -> Reader | None:
    """The reader for a file, by content first (extension only breaks ties inside a reader's sniff)."""
    settings = settings or {}
    if forced:
        if forced not in reader_names():
            raise ReaderError(f"unknown format {forced!r}; the readers are {', '.join(reader_names())}")
        return get_reader(forced, settings.get(forced))
    best, score = None, 0.0
    for r in readers(settings):
        s = r.sniff(head, path)
        if s > score:
            best, score = r, s
    return best


__all__ = ["AuthorityEntry", "ReadContext", "Reader", "ReaderError", "detect", "get_reader", "make_id", "readers",
           "register", "reader_names"]
