"""Enrich documents already in an archive (`despatch enrich`): each collection with its authority list.

Each document's annotations by the pipeline's annotators (any version) are swapped for fresh ones in one
transaction per document; the reader's own annotations (producer "tei" and the like) are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Document
from ..store import Archive
from . import Annotator, default_pipeline, producer


@dataclass
class EnrichSummary:
    documents: int = 0
    annotations: int = 0
    collections: int = 0
    entities: int = 0


def annotate(doc: Document, pipeline: list[Annotator]) -> list:
    out = []
    for a in pipeline:
        tag = producer(a)
        for ann in a(doc):
            ann.producer = tag
            out.append(ann)
    return out


def enrich_archive(
    archive: Archive,
    collection: str | None = None,
    pipeline_for: Callable[[list], list[Annotator]] = default_pipeline,
    progress: Callable[[str, int], None] | None = None,
) -> EnrichSummary:
    """Re-run the enrichment on current documents of one collection (or all), with their authority lists."""
    names = [collection] if collection else [c["name"] for c in archive.collections()]
    summary = EnrichSummary()
    for coll in names:
        pipeline = pipeline_for(archive.authorities(coll))
        mine = {a.name for a in pipeline}
        summary.collections += 1
        for doc in archive.iter_documents(coll, with_annotations=True):
            old = {a.producer for a in doc.annotations if a.producer.split("@")[0] in mine}
            new = annotate(doc, pipeline)
            archive.replace_annotations(doc.id, old | {producer(a) for a in pipeline}, new)
            summary.documents += 1
            summary.annotations += len(new)
            if progress:
                progress(doc.id, summary.documents)
    from .records import refresh_entities

    summary.entities = refresh_entities(archive).entities
    return summary
