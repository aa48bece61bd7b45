"""Keyness: the words (or entities) that set one subset apart from another.

For each word the frequencies in A and B are compared with the log-likelihood G² (Rayson & Garside
2000), its p-value corrected for the number of words tested, and the log ratio (Hardie 2014) says by
how much: +1 means twice as frequent in A, −1 half as frequent. Words below the minimum frequency are
not tested (and do not count towards the correction), as in AntConc and the UCREL wizard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store.base import Archive
from . import stats
from .corpus import TokenCorpus, load
from .subset import Subset, complement, para_mask, select

UNITS = ("words", "entities")


@dataclass
class KeyItem:
    item: str
    freq_a: int
    freq_b: int
    per_million_a: float
    per_million_b: float
    g2: float
    log_ratio: float
    p: float
    p_adjusted: float
    significant: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class Keyness:
    a: dict[str, Any]
    b: dict[str, Any]
    unit: str
    settings: dict[str, Any]
    corpus: dict[str, Any]
    tested: int
    key_a: list[KeyItem] = field(default_factory=list)  # more frequent in A, by G²
    key_b: list[KeyItem] = field(default_factory=list)  # more frequent in B, by G²
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": "keyness", "a": self.a, "b": self.b, "unit": self.unit, "settings": self.settings,
                "corpus": self.corpus, "tested": self.tested, "warnings": self.warnings,
                "key_a": [k.to_dict() for k in self.key_a], "key_b": [k.to_dict() for k in self.key_b]}


def compare_counts(
    labels: list[str], fa: np.ndarray, fb: np.ndarray, size_a: int, size_b: int, min_freq: int = 5,
    correction: str = "bonferroni", alpha: float = 0.05, limit: int | None = 100,
) -> tuple[list[KeyItem], list[KeyItem], int]:
    """Key items of A against B from frequency arrays aligned with `labels` (the core, testable alone)."""
    fa = np.asarray(fa, dtype=np.int64)
    fb = np.asarray(fb, dtype=np.int64)
    cand = np.flatnonzero((fa + fb) >= max(1, min_freq))
    if not size_a or not size_b or not len(cand):
        return [], [], 0
    a, b = fa[cand], fb[cand]
    g2 = stats.log_likelihood(a, b, size_a, size_b)
    lr = stats.log_ratio(a, b, size_a, size_b)
    p = stats.chi2_sf_1df(g2)
    padj = stats.correct(p, correction)
    over = a / size_a >= b / size_b
    out_a, out_b = [], []
    for sel, out in ((over, out_a), (~over, out_b)):
        idx = np.flatnonzero(sel)
        idx = idx[np.lexsort((-np.abs(lr[idx]), -g2[idx]))]
        if limit is not None:
            idx = idx[:limit]
        for i in idx:
            out.append(KeyItem(labels[int(cand[i])], int(a[i]), int(b[i]), float(a[i]) * 1e6 / size_a,
                               float(b[i]) * 1e6 / size_b, float(g2[i]), float(lr[i]), float(p[i]),
                               float(padj[i]), bool(padj[i] < alpha)))
    return out_a, out_b, int(len(cand))


def keyness(
    archive: Archive,
    query_a: str,
    query_b: str | None = None,
    filters: Any = None,
    by: str = "document",
    unit: str = "words",
    min_freq: int = 5,
    correction: str = "bonferroni",
    alpha: float = 0.05,
    limit: int = 100,
    tc: TokenCorpus | None = None,
) -> Keyness:
    """Key words (or entities) of the subset `query_a` against `query_b`, or against the rest of the
    archive when `query_b` is None. `filters` apply to both sides."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    tc = tc or load(archive)
    sa = select(archive, tc, query_a, filters, by)
    universe = select(archive, tc, "*", filters, by) if query_b is None and sa.filters else None
    sb = complement(tc, sa, universe) if query_b is None else select(archive, tc, query_b, filters, by)
    warnings = []
    if query_b is not None and len(np.intersect1d(sa.paras, sb.paras)):
        n = len(np.intersect1d(sa.paras, sb.paras))
        warnings.append(f"A and B share {n} paragraph(s): they are counted on both sides")
    if unit == "words":
        if query_b is None and universe is None:  # the rest of the archive: its totals less A
            fa, size_a = tc.counts(sa.paras)
            fb, size_b = tc.freq - fa, tc.size - size_a
        else:
            fa, size_a = tc.counts(sa.paras)
            fb, size_b = tc.counts(sb.paras)
        labels = tc.vocab
    else:
        fa, fb = _entity_counts(tc, sa), _entity_counts(tc, sb)
        size_a, size_b = sa.words, sb.words
        labels = tc.ent_vocab
    sa.words, sb.words = size_a, size_b
    if not size_a:
        warnings.append("subset A is empty: nothing to compare")
    if not size_b:
        warnings.append("subset B is empty: nothing to compare")
    ka, kb, tested = compare_counts(labels, fa, fb, size_a, size_b, min_freq, correction, alpha, limit)
    return Keyness(
        a=sa.describe(), b={**sb.describe(), "rest": query_b is None}, unit=unit,
        settings={"min_freq": min_freq, "correction": correction, "alpha": alpha, "limit": limit,
                  "measure": "log-likelihood G2 (Rayson & Garside 2000), log ratio (Hardie 2014)"},
        corpus={"documents": int(len(tc.doc_keys)), "paragraphs": int(len(tc.para_tok) - 1), "words": tc.size,
                "watermark": tc.watermark},
        tested=tested, key_a=ka, key_b=kb, warnings=warnings,
    )


def _entity_counts(tc: TokenCorpus, sub: Subset) -> np.ndarray:
    inside = np.zeros(len(tc.ent_id), dtype=bool)
    ok = tc.ent_para >= 0
    inside[ok] = para_mask(tc, sub.paras)[tc.ent_para[ok]]
    return np.bincount(tc.ent_id[inside], minlength=len(tc.ent_vocab))
