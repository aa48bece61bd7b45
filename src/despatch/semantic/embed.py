"""`despatch embed`: compute paragraph vectors for the current documents that have none, resumably.

Work is done document by document and committed in batches, so an interrupted run loses at most one
batch and the next run carries on where it stopped. The paragraphs are the text index's paragraph units
(`IndexRecord.paragraphs`), so a vector hit and a text hit on the same paragraph are the same unit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ..feed import VectorFeed
from .model import Embedder
from .vectors import quantise

MAX_CHARS = 2000  # the model reads at most 256 word pieces; more text only costs time


@dataclass
class EmbedProgress:
    documents: int
    documents_total: int
    paragraphs: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.paragraphs / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        left = ""
        if self.documents and self.documents < self.documents_total:
            eta = self.seconds / self.documents * (self.documents_total - self.documents)
            left = f", about {eta:.0f} s left"
        return (f"embedded {self.documents}/{self.documents_total} documents, {self.paragraphs} paragraphs, "
                f"{self.rate:.0f} paragraphs/s{left}")


def embed_archive(
    archive: VectorFeed,
    embedder: Embedder,
    collection: str | None = None,
    batch_paragraphs: int = 512,
    progress: Callable[[EmbedProgress], None] | None = None,
) -> EmbedProgress:
    """Embed every current document (of `collection`) that has no vectors for this model yet."""
    todo = archive.keys_to_embed(embedder.name, collection)
    t0 = time.perf_counter()
    done = paras = 0
    pending: list[tuple[int, int, int, int, str]] = []  # (doc key, n, start, end, text)
    pending_docs: list[int] = []

    def flush() -> None:
        nonlocal paras
        if not pending_docs:
            return
        vecs = quantise(embedder.encode([p[4] for p in pending]))
        rows = [(k, n, s, e, vecs[i].tobytes()) for i, (k, n, s, e, _) in enumerate(pending)]
        archive.put_embeddings(embedder.name, pending_docs, rows)
        paras += len(rows)
        pending.clear()
        pending_docs.clear()

    for start in range(0, len(todo), 64):
        for rec in archive.index_records(todo[start : start + 64], ()):
            for n, (s, e, _t) in enumerate(rec.paragraphs(), start=1):
                pending.append((rec.key, n, s, e, rec.text[s : min(e, s + MAX_CHARS)]))
            pending_docs.append(rec.key)
            done += 1
            if len(pending) >= batch_paragraphs:
                flush()
                if progress:
                    progress(EmbedProgress(done, len(todo), paras, time.perf_counter() - t0))
    flush()
    result = EmbedProgress(done, len(todo), paras, time.perf_counter() - t0)
    if progress:
        progress(result)
    return result
