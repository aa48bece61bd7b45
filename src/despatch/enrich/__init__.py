"""Enrichment: annotators that add standoff annotations to a document's text.

An annotator is any object with a `name`, a `version` and `__call__(doc) -> list[Annotation]`; its
annotations carry `producer = f"{name}@{version}"`, so re-running a newer version replaces only its own.
Annotators are registered by name under the entry point group `despatch.annotators` (Despatch's own in
pyproject.toml); `pipeline(names, settings)` makes them.
Annotators see `doc.text` (the body) and may read `doc.date`, `doc.language` and `doc.collection`; they
never annotate header or citation fields.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from .. import plugins
from ..model import Annotation, Document
from ..readers.base import AuthorityEntry


class Annotator(Protocol):
    name: str
    version: str

    def __call__(self, doc: Document) -> list[Annotation]: ...


def producer(a: Annotator) -> str:
    return f"{a.name}@{a.version}"


#: The annotators run at ingest unless `--no-enrich` or `--annotator` say otherwise, in this order.
DEFAULT_ANNOTATORS: tuple[str, ...] = ("entities", "dates", "amounts", "judgments", "redactions")

Settings = Mapping[str, Mapping[str, Any]]


def pipeline(names: Iterable[str] | None = None, settings: Settings | None = None,
             authorities: Iterable[AuthorityEntry] = ()) -> list[Annotator]:
    """The annotators registered as `names` (default: DEFAULT_ANNOTATORS), each made with its settings.

    `authorities` (a collection's persons, places and organisations: a FRUS volume's list, or a user's CSV)
    go to each annotator whose factory takes an `authorities` argument (the entity annotator). Without
    them an annotator is made once per process and shared, since the entity gazetteer takes about a second
    to build. Everything here is names and plain settings, so a worker process builds the same pipeline.
    """
    settings = settings or {}
    authorities = list(authorities)
    out: list[Annotator] = []
    for name in DEFAULT_ANNOTATORS if names is None else names:
        kwargs = dict(settings.get(name) or {})
        if authorities and _takes_authorities(name):
            out.append(plugins.create("annotators", name, authorities=authorities, **kwargs))
            continue
        key = (name, json.dumps(kwargs, sort_keys=True, default=str))
        if key not in _SHARED:
            _SHARED[key] = plugins.create("annotators", name, **kwargs)
        out.append(_SHARED[key])
    return out


def default_pipeline(authorities: Iterable[AuthorityEntry] = ()) -> list[Annotator]:
    """The annotators run at ingest unless `--no-enrich` is given (see `pipeline`)."""
    return pipeline(None, None, authorities)


def annotator_names() -> list[str]:
    """Every registered annotator's name: Despatch's own, then any a plug-in registers."""
    return plugins.names("annotators")


_SHARED: dict[tuple[str, str], Annotator] = {}


def _takes_authorities(name: str) -> bool:
    try:
        return "authorities" in inspect.signature(plugins.factory("annotators", name)).parameters
    except (TypeError, ValueError):  # a factory without a signature (a builtin): it takes none
        return False


def enrich(doc: Document, pipeline: Iterable[Annotator] | None = None) -> Document:
    """Run annotators on a document, replacing earlier annotations of the same annotators' names."""
    pipeline = list(default_pipeline() if pipeline is None else pipeline)
    names = {a.name for a in pipeline}
    kept = [a for a in doc.annotations if a.producer.split("@")[0] not in names]
    for annotator in pipeline:
        tag = producer(annotator)
        for ann in annotator(doc):
            ann.producer = tag
            kept.append(ann)
    kept.sort(key=lambda a: (a.start, -a.end))
    doc.annotations = kept
    return doc
