"""Subsets of the archive named by a query: what the search engine finds, as corpus paragraphs.

Every analysis that compares or restricts takes its subsets from `Archive.matches`, so a subset is
exactly what the same query and filters find in the reading room (paragraph queries: the matching
paragraphs; document queries: every paragraph of each matching document).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..search.engine import filter_strings
from ..store.base import Archive
from .corpus import TokenCorpus

ALL = ("", "*")


@dataclass
class Subset:
    """A query, its filters, and the corpus paragraphs (and documents) it selects."""

    query: str
    filters: list[str]
    by: str
    paras: np.ndarray
    docs: np.ndarray
    words: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {"query": self.query or "*", "filters": self.filters, "by": self.by,
                "documents": int(len(self.docs)), "paragraphs": int(len(self.paras)), "words": self.words}


def filter_list(filters: Any) -> list[str]:
    return filter_strings(filters)


def select(archive: Archive, tc: TokenCorpus, query: str, filters: Any = None, by: str = "document") -> Subset:
    """The paragraphs of the corpus that `query` (with `filters`) selects at level `by`."""
    fl = filter_list(filters)
    if (query or "").strip() in ALL and not fl:
        paras = np.arange(len(tc.para_tok) - 1, dtype=np.int64)
        docs = np.arange(len(tc.doc_keys), dtype=np.int64)
    elif by == "document":
        docs = np.unique(tc.doc_index(m.doc for m in archive.matches(query or "*", filters=fl, by="document")))
        paras = tc.doc_paras(docs)
    else:
        pairs = [(m.doc, m.pnum or 0) for m in archive.matches(query or "*", filters=fl, by="paragraph")]
        paras = np.unique(tc.para_index(pairs))
        docs = tc.docs_of(paras)
    words = int((tc.para_tok[paras + 1] - tc.para_tok[paras]).sum()) if len(paras) else 0
    return Subset(query or "*", fl, by, paras, docs, words)


def complement(tc: TokenCorpus, sub: Subset, universe: Subset | None = None) -> Subset:
    """Every paragraph of `universe` (default: the whole corpus) outside `sub`: "the rest"."""
    if universe is None:
        mask = np.ones(len(tc.para_tok) - 1, dtype=bool)
        total = tc.size
    else:
        mask = para_mask(tc, universe.paras)
        total = universe.words
    inside = sub.paras[mask[sub.paras]] if universe is not None else sub.paras
    mask[sub.paras] = False
    paras = np.flatnonzero(mask)
    docs = tc.docs_of(paras)
    words = total - int((tc.para_tok[inside + 1] - tc.para_tok[inside]).sum())
    return Subset(f"NOT ({sub.query})", universe.filters if universe else [], sub.by, paras, docs, words,
                  {"rest": True})


def para_mask(tc: TokenCorpus, paras: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(tc.para_tok) - 1, dtype=bool)
    mask[paras] = True
    return mask
