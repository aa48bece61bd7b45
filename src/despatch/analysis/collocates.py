"""Collocates: the words found near a word or phrase more often than chance, as AntConc reports them.

Windows of `left` and `right` words around each occurrence of the node stay inside its paragraph. For
each word w seen in the windows: O = its count there, R = all window words, C = its frequency in the
(sub)corpus, N = the (sub)corpus size; E = R·C/N; MI = log2(O/E); t = (O−E)/√O; LL = G² of the 2×2
table. The node is matched as the search engine matches it: `peace` finds peace and peaces, `=peace`
only that form, `peac*` every word starting so; a phrase is consecutive words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store.base import Archive
from . import stats
from .corpus import TokenCorpus, load, tokenize
from .subset import ALL, para_mask, select

SORTS = ("ll", "mi", "t", "freq")
# A short English function-word list for `stopwords=True` (AntConc and Voyant ship similar ones).
STOPWORDS = frozenset("""a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now
of off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves shall may must also upon""".split())


@dataclass
class Collocate:
    word: str
    freq: int
    left: int
    right: int
    corpus_freq: int
    expected: float
    ll: float
    mi: float
    t: float

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class Collocates:
    node: str
    forms: list[str]
    within: dict[str, Any]
    settings: dict[str, Any]
    corpus: dict[str, Any]
    occurrences: int
    window_words: int
    collocates: list[Collocate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": "collocates", "node": self.node, "forms": self.forms, "within": self.within,
                "settings": self.settings, "corpus": self.corpus, "occurrences": self.occurrences,
                "window_words": self.window_words, "warnings": self.warnings,
                "collocates": [c.to_dict() for c in self.collocates]}


def node_positions(tc: TokenCorpus, node: str) -> tuple[np.ndarray, int, list[str]]:
    """Start positions of the node (a word, =word, prefix* or phrase) in the token array, its length in
    words, and the word forms it matched."""
    parts = node.strip().strip('"').split()
    sets = []
    for part in parts:
        exact, prefix = part.startswith("="), part.endswith("*")
        word = part.lstrip("=").rstrip("*")
        for i, w in enumerate(tokenize(word)):  # "cold-war" is two words, as in the index
            sets.append(tc.forms(w, exact=exact, prefix=prefix and i == len(tokenize(word)) - 1))
    if not sets or any(len(s) == 0 for s in sets):
        return np.zeros(0, dtype=np.int64), max(1, len(sets)), []
    tokens = tc.tokens
    pos = tc.positions(sets[0])
    k = len(sets)
    if k > 1:
        pos = pos[pos + k - 1 < len(tokens)]
        para = tc.para_of(pos)
        pos = pos[tc.para_of(pos + k - 1) == para]  # a phrase never spans two paragraphs
        for j in range(1, k):
            nxt = tokens[pos + j]
            pos = pos[np.isin(nxt, sets[j])]
    forms = sorted({tc.vocab[int(i)] for s in sets for i in s})
    return pos.astype(np.int64), k, forms


def collocates(
    archive: Archive,
    node: str,
    within: str = "*",
    filters: Any = None,
    by: str = "document",
    left: int = 5,
    right: int = 5,
    min_freq: int = 3,
    sort: str = "ll",
    limit: int = 50,
    stopwords: bool = False,
    tc: TokenCorpus | None = None,
) -> Collocates:
    """Collocates of `node` in the subset `within` (+ `filters`; default the whole archive)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if left < 0 or right < 0 or left + right == 0:
        raise ValueError("the window needs at least one word to the left or right")
    tc = tc or load(archive)
    whole = (within or "").strip() in ALL and not filters
    if whole:
        mask = None
        n, freq = tc.size, tc.freq
        sub_desc = {"query": "*", "filters": [], "by": by, "documents": int(len(tc.doc_keys)),
                    "paragraphs": int(len(tc.para_tok) - 1), "words": tc.size}
    else:
        sub = select(archive, tc, within, filters, by)
        mask = para_mask(tc, sub.paras)
        freq, n = tc.counts(sub.paras)
        sub_desc = sub.describe()
    pos, k, forms = node_positions(tc, node)
    para = tc.para_of(pos)
    if mask is not None and len(pos):
        keep = mask[para]
        pos, para = pos[keep], para[keep]
    p_lo, p_hi = tc.para_tok[para], tc.para_tok[para + 1]
    tokens = tc.tokens
    left_counts = np.zeros(len(tc.vocab), dtype=np.int64)
    right_counts = np.zeros(len(tc.vocab), dtype=np.int64)
    r1 = 0
    for d in range(1, left + 1):
        q = pos - d
        q = q[q >= p_lo]
        r1 += len(q)
        left_counts += np.bincount(tokens[q], minlength=len(tc.vocab))
    for d in range(k, k + right):
        q = pos + d
        q = q[q < p_hi]
        r1 += len(q)
        right_counts += np.bincount(tokens[q], minlength=len(tc.vocab))
    o11 = left_counts + right_counts
    cand = np.flatnonzero(o11 >= max(1, min_freq))
    if stopwords:
        cand = np.array([i for i in cand if tc.vocab[int(i)] not in STOPWORDS], dtype=np.int64)
    result = Collocates(
        node=node, forms=forms, within=sub_desc,
        settings={"left": left, "right": right, "min_freq": min_freq, "sort": sort, "limit": limit,
                  "stopwords": stopwords, "window": "inside the paragraph"},
        corpus={"documents": int(len(tc.doc_keys)), "paragraphs": int(len(tc.para_tok) - 1), "words": tc.size,
                "watermark": tc.watermark},
        occurrences=int(len(pos)), window_words=int(r1),
    )
    if not forms:
        result.warnings.append(f"{node!r} does not occur in the archive")
    if not len(cand) or not r1:
        return result
    sc = stats.collocation_scores(o11[cand], r1, freq[cand], n)
    key = {"ll": sc["ll"], "mi": np.nan_to_num(sc["mi"], nan=-np.inf), "t": np.nan_to_num(sc["t"], nan=-np.inf),
           "freq": o11[cand].astype(float)}[sort]
    order = np.lexsort((-o11[cand], -key))[:limit]
    for i in order:
        w = int(cand[i])
        result.collocates.append(Collocate(
            tc.vocab[w], int(o11[w]), int(left_counts[w]), int(right_counts[w]), int(freq[w]),
            float(sc["expected"][i]), float(sc["ll"][i]), float(sc["mi"][i]), float(sc["t"][i])))
    return result
