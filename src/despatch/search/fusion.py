"""Combining a lexical ranking and a vector ranking into one.

Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): an item's fused score is the sum over the
rankings that hold it of weight / (k + rank). It needs no score calibration between BM25 and cosine,
which live on unrelated scales; k = 60 is the published constant. The weights let the benchmark try
leaning one way (benchmarks/semantic.py reports what was measured).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

RRF_K = 60


def rrf(rankings: Sequence[Sequence[Hashable]], weights: Sequence[float] | None = None,
        k: int = RRF_K) -> list[tuple[Hashable, float]]:
    """Items of all `rankings` (each best first), by fused score, best first; ties keep first-seen order."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[Hashable, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
