"""Enrichment: annotators that add standoff annotations to a document's text.

An annotator is any object with a `name`, a `version` and `__call__(doc) -> list[Annotation]`; its
annotations carry `producer = f"{name}@{version}"`, so re-running a newer version replaces only its own.
Annotators see `doc.text` (the body) and may read `doc.date`, `doc.language` and `doc.collection`; they
never annotate header or citation fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..model import Annotation, Document
from ..readers.base import AuthorityEntry


class Annotator(Protocol):
    name: str
    version: str

    def __call__(self, doc: Document) -> list[Annotation]: ...


def producer(a: Annotator) -> str:
    return f"{a.name}@{a.version}"


def default_pipeline(authorities: Iterable[AuthorityEntry] = ()) -> list[Annotator]:
    """The annotators run at ingest unless `--no-enrich` is given.

    `authorities` (a collection's persons, places and organisations: a FRUS volume's list, or a user's
    CSV) extend the entity gazetteer. Without them the entity annotator is shared per process, since its
    gazetteer takes about a second to build.
    """
    from .amounts import AmountAnnotator
    from .dates import DateAnnotator
    from .entities import EntityAnnotator
    from .judgments import JudgmentAnnotator
    from .redactions import RedactionAnnotator

    authorities = list(authorities)
    entities = EntityAnnotator(authorities) if authorities else _shared_entities()
    return [entities, DateAnnotator(), AmountAnnotator(), JudgmentAnnotator(), RedactionAnnotator()]


_SHARED: dict[str, Annotator] = {}


def _shared_entities() -> Annotator:
    from .entities import EntityAnnotator

    if "entities" not in _SHARED:
        _SHARED["entities"] = EntityAnnotator()
    return _SHARED["entities"]


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
