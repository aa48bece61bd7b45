"""Compact paragraph vectors and the approximate-nearest-neighbour index derived from them.

Vectors are stored in the archive as int8 (384 bytes a paragraph for all-MiniLM-L6-v2, a quarter of
float32): each unit vector is scaled so that its largest component is ±127. Cosine similarity ignores
the scale, and on the UN corpus the rank order of neighbours is the float32 one to within noise
(see docs/semantic.md for the measurement).

The index (usearch HNSW over int8, cosine) is derived like the text index: a file beside the archive,
rebuilt from the stored vectors, following the store's change feed for documents that stop being
current and the archive's embedding log for vectors that were added. It never reads the store's tables.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..feed import VectorFeed, mismatch, position

log = logging.getLogger(__name__)

INDEX_VERSION = 1
PARA_BITS = 20  # a paragraph's key is doc_key << 20 | paragraph number, as in the text index


def quantise(vecs: np.ndarray) -> np.ndarray:
    """float32 unit vectors → int8 rows, each scaled so its largest component is ±127."""
    peak = np.abs(vecs).max(axis=1, keepdims=True)
    peak[peak == 0] = 1.0
    return np.rint(vecs / peak * 127.0).astype(np.int8)


def para_key(doc_key: int, n: int) -> int:
    return (int(doc_key) << PARA_BITS) | int(n)


def split_key(key: int) -> tuple[int, int]:
    return int(key) >> PARA_BITS, int(key) & ((1 << PARA_BITS) - 1)


@dataclass
class Neighbour:
    doc_key: int
    n: int  # paragraph number within the document (the text index's `pnum`)
    score: float  # cosine similarity, 1 is identical


class VectorIndex:
    """An HNSW index of paragraph vectors in a directory the archive names, with the watermarks it has
    applied: the newest vector row (`vectors`) and the newest change-feed entry (`changes`)."""

    def __init__(self, directory: Path, feed: VectorFeed, model: str, dim: int) -> None:
        from usearch.index import Index

        self.dir, self.feed, self.dim, self.model = Path(directory), feed, dim, model
        self.dir.mkdir(parents=True, exist_ok=True)
        self._file = self.dir / "hnsw.usearch"
        self._state_file = self.dir / "state.json"
        self._Index = Index
        self.state = self._read_state()
        self.index = self._new()
        if self.state and (why := self._mismatch()):
            log.warning("despatch: the vector index at %s %s: rebuilding it from the archive's vectors", self.dir, why)
            self.state = {}
        if self.state and self._file.exists():
            self.index.load(str(self._file))
        else:
            self.state = {}

    def _mismatch(self) -> str | None:
        """Why the recorded state does not belong to this archive's history (None: it does)."""
        newest = int(self.feed.embedding_stats().get(self.model, {}).get("seq", 0))
        if int(self.state.get("vectors", 0)) > newest:
            return f"has applied vector row {self.state['vectors']}, but the archive's newest is {newest}"
        return mismatch(self.feed, self.state, int(self.state.get("changes", 0)))

    def _new(self) -> Any:
        return self._Index(ndim=self.dim, metric="cos", dtype="i8", connectivity=16, expansion_add=96,
                           expansion_search=128)

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self._state_file.read_text())
        except (OSError, ValueError):
            return {}
        if state.get("version") != INDEX_VERSION or state.get("model") != self.model:
            return {}
        return state

    @property
    def built(self) -> bool:
        return bool(self.state)

    def pending(self) -> int:
        """Vector rows and changes the index has not applied yet (0: in step with the store)."""
        stats = self.feed.embedding_stats().get(self.model, {})
        vectors = max(0, int(stats.get("seq", 0)) - int(self.state.get("vectors", 0)))
        return vectors + self.feed.count_changes_since(int(self.state.get("changes", 0)))

    def sync(self, batch: int = 20_000) -> int:
        """Apply what the store gained since the watermarks: new vectors are added, the paragraphs of
        documents that stopped being current are removed. Returns the number of vectors added."""
        if not self.state:
            self.index = self._new()
            self.state = {"version": INDEX_VERSION, "model": self.model, "vectors": 0, "changes": 0}
        vec_seq, chg_seq = int(self.state["vectors"]), int(self.state["changes"])
        added = 0
        while True:
            rows = self.feed.embeddings_since(self.model, vec_seq, batch)
            if not rows:
                break
            keys = np.fromiter((para_key(k, n) for _, k, n, _ in rows), dtype=np.uint64, count=len(rows))
            vecs = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.int8).reshape(len(rows), self.dim)
            self.index.remove(keys)  # re-embedding a document replaces its vectors
            self.index.add(keys, vecs, threads=0)
            vec_seq, added = rows[-1][0], added + len(rows)
        gone = [c.key for c in self.feed.changes_since(chg_seq) if c.op == "del"]
        top = self.feed.last_change()
        if gone:
            old = self.feed.embeddings_of(self.model, gone)
            keys = [para_key(k, n) for k, paras in old.items() for n, *_ in paras]
            if keys:
                self.index.remove(np.asarray(keys, dtype=np.uint64))
        if added or gone or top != chg_seq:
            self._save(vec_seq, top)
        return added

    def rebuild(self) -> int:
        """Build the index afresh from every stored vector."""
        self.index, self.state = self._new(), {}
        return self.sync()

    def _save(self, vectors_seq: int, changes_seq: int) -> None:
        place = position(self.feed, changes_seq)
        self.state.update(vectors=vectors_seq, changes=changes_seq, count=len(self.index),
                          archive=place["archive"], mark=place["mark"])
        tmp = self._file.with_suffix(".tmp")
        self.index.save(str(tmp))
        os.replace(tmp, self._file)
        self._state_file.write_text(json.dumps(self.state))

    def __len__(self) -> int:
        return len(self.index)

    def search(self, query: np.ndarray, k: int) -> list[Neighbour]:
        """The `k` nearest paragraphs to one query vector (int8, as stored)."""
        if not len(self.index) or k <= 0:
            return []
        m = self.index.search(query, min(k, len(self.index)))
        out = []
        for key, dist in zip(m.keys.tolist(), m.distances.tolist(), strict=True):
            d, n = split_key(key)
            out.append(Neighbour(d, n, round(1.0 - float(dist), 4)))
        return out

    def memory_bytes(self) -> int:
        return int(self.index.memory_usage)


class Neighbours:
    """Nearest paragraphs by meaning, for hybrid search (`despatch.search.hybrid.Neighbours`) and for
    similar documents and paragraphs."""

    def __init__(self, index: VectorIndex, embedder: Any) -> None:
        self.index, self.embedder = index, embedder

    def _hits(self, vec: np.ndarray, k: int) -> list[tuple[int, int, float]]:
        return [(h.doc_key, h.n, h.score) for h in self.index.search(vec, k)]

    def nearest_text(self, text: str, k: int) -> list[tuple[int, int, float]]:
        return self._hits(quantise(self.embedder.encode([text]))[0], k)

    def nearest_document(self, key: int, k: int) -> list[tuple[int, int, float]]:
        """Paragraphs nearest to a document as a whole: the mean of its paragraph vectors."""
        rows = self.index.feed.embeddings_of(self.index.model, [key]).get(key, [])
        if not rows:
            return []
        vecs = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.int8).reshape(len(rows), -1).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
        return self._hits(quantise(vecs.mean(axis=0, keepdims=True))[0], k)

    def nearest_paragraph(self, key: int, n: int, k: int) -> list[tuple[int, int, float]]:
        rows = self.index.feed.embeddings_of(self.index.model, [key]).get(key, [])
        vec = next((r[3] for r in rows if r[0] == n), None)
        if vec is None:
            return []
        return [h for h in self._hits(np.frombuffer(vec, dtype=np.int8), k + 1) if (h[0], h[1]) != (key, n)][:k]

    def passage(self, key: int, n: int) -> tuple[int, int] | None:
        rows = self.index.feed.embeddings_of(self.index.model, [key]).get(key, [])
        return next(((s, e) for m, s, e, _v in rows if m == n), None)
