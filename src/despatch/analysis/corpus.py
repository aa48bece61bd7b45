"""The archive as arrays of word ids: what keyness, collocates and mention counts read.

Counting words for a subset by re-reading its texts costs seconds per million words in Python; the
UN General Debates hold 32 million. So the archive's current documents are tokenised once into numpy
arrays — every paragraph's words as ids into one vocabulary, paragraph and document boundaries, entity
mentions — and saved beside the archive (`<archive>.analysis/`), keyed by the search index's
watermark: when the archive changes, the next analysis rebuilds them (a derived cache, like the search
index; deleting it loses nothing). Subsets come from the search engine (`Archive.matches`), so a
subset is exactly what the same query finds in the reading room.

Words are what the search index calls words: runs of letters and digits, lower-cased, Latin accents
folded. Each word's English stem (the index's own analyzer) is kept too, so `coexistence` as a node
or a mention finds the same forms a search for it finds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..annotation_types import ENTITY_TYPES as _ENTITY_TYPES
from ..search.index import ANALYZERS, paragraph_units
from ..search.snippets import fold_same_length
from ..store.base import Archive

FORMAT = 1
WORD_RX = re.compile(r"[^\W_]+")
ENTITY_TYPES = _ENTITY_TYPES
_LOCK = threading.Lock()
_LOADED: dict[str, TokenCorpus] = {}


def tokenize(text: str) -> list[str]:
    """Words as the corpus arrays hold them."""
    return [w for w in WORD_RX.findall(fold_same_length(text)) if len(w) < 60]


def entity_label(ann_type: str, text: str, value: Any) -> str:
    """`type:Name`, the name an entity annotation resolved to (its text where it resolved to none)."""
    name = value.get("name") if isinstance(value, dict) else None
    return f"{ann_type}:{name or ' '.join(text.split())}"


@dataclass
class TokenCorpus:
    """Word ids of every paragraph of every current document, with the boundaries between them."""

    watermark: int
    vocab: list[str]
    tokens: np.ndarray  # int32 word ids, paragraph after paragraph, document after document
    doc_keys: np.ndarray  # int64 search keys, ascending
    doc_ids: list[str]
    doc_year: np.ndarray  # int32, 0 where undated
    doc_para: np.ndarray  # int64 [D+1]: first paragraph of each document
    para_tok: np.ndarray  # int64 [P+1]: first token of each paragraph
    stem_of: np.ndarray  # int32 [V]: stem id of each word
    stems: list[str]
    ent_vocab: list[str]
    ent_para: np.ndarray  # int32 paragraph index of each entity mention (-1: outside every paragraph)
    ent_doc: np.ndarray  # int32 document index of each mention
    ent_id: np.ndarray  # int32 id into ent_vocab
    _freq: np.ndarray | None = None
    _para_doc: np.ndarray | None = None
    _index: dict[str, int] | None = None
    _stem_index: dict[str, int] | None = None

    # -- sizes and lookups -------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return int(len(self.tokens))

    @property
    def freq(self) -> np.ndarray:
        if self._freq is None:
            self._freq = np.bincount(self.tokens, minlength=len(self.vocab))
        return self._freq

    @property
    def para_doc(self) -> np.ndarray:
        """The document index of every paragraph (int32 [P])."""
        if self._para_doc is None:
            d = len(self.doc_keys)
            self._para_doc = np.repeat(np.arange(d, dtype=np.int32), np.diff(self.doc_para)) if d else \
                np.zeros(0, dtype=np.int32)
        return self._para_doc

    def docs_of(self, paras: np.ndarray) -> np.ndarray:
        """The documents (ascending, once each) that hold these paragraphs."""
        if len(paras) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.bincount(self.para_doc[paras], minlength=len(self.doc_keys)))

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Token positions (ascending) holding any of these word ids: one pass over the tokens."""
        if len(ids) == 1:
            return np.flatnonzero(self.tokens == ids[0])
        lut = np.zeros(len(self.vocab), dtype=bool)
        lut[ids] = True
        return np.flatnonzero(lut[self.tokens])

    def word_id(self, word: str) -> int | None:
        if self._index is None:
            self._index = {w: i for i, w in enumerate(self.vocab)}
        return self._index.get(word)

    def forms(self, word: str, exact: bool = False, prefix: bool = False) -> np.ndarray:
        """Ids of the words a search for `word` finds: its stem's forms, the exact form, or a prefix."""
        toks = tokenize(word)
        if not toks:
            return np.zeros(0, dtype=np.int32)
        w = toks[0]
        if prefix:
            return np.array([i for i, v in enumerate(self.vocab) if v.startswith(w)], dtype=np.int32)
        if exact:
            i = self.word_id(w)
            return np.array([] if i is None else [i], dtype=np.int32)
        if self._stem_index is None:
            self._stem_index = {s: i for i, s in enumerate(self.stems)}
        st = ANALYZERS["en"].analyze(w)
        sid = self._stem_index.get(st[0]) if st else None
        if sid is None:
            return np.zeros(0, dtype=np.int32)
        return np.flatnonzero(self.stem_of == sid).astype(np.int32)

    def doc_index(self, keys: Iterable[int]) -> np.ndarray:
        """Positions of these search keys among the corpus's documents (unknown keys dropped)."""
        k = np.fromiter(keys, dtype=np.int64)
        pos = np.searchsorted(self.doc_keys, k)
        ok = pos < len(self.doc_keys)
        ok[ok] = self.doc_keys[pos[ok]] == k[ok]
        return pos[ok]

    def para_index(self, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
        """Paragraph indexes of (document key, paragraph number) pairs."""
        pairs = list(pairs)
        if not pairs:
            return np.zeros(0, dtype=np.int64)
        keys = np.array([k for k, _ in pairs], dtype=np.int64)
        nums = np.array([n for _, n in pairs], dtype=np.int64)
        pos = np.searchsorted(self.doc_keys, keys)
        ok = pos < len(self.doc_keys)
        ok[ok] = self.doc_keys[pos[ok]] == keys[ok]
        p = self.doc_para[pos[ok]] + nums[ok] - 1
        lim = self.doc_para[pos[ok] + 1]
        return p[p < lim]

    def doc_paras(self, docs: np.ndarray) -> np.ndarray:
        """All paragraph indexes of these documents."""
        if len(docs) == 0:
            return np.zeros(0, dtype=np.int64)
        starts, ends = self.doc_para[docs], self.doc_para[docs + 1]
        return _ranges(starts, ends)

    def para_tokens(self, paras: np.ndarray) -> np.ndarray:
        """Token positions of these paragraphs."""
        if len(paras) == 0:
            return np.zeros(0, dtype=np.int64)
        return _ranges(self.para_tok[paras], self.para_tok[paras + 1])

    def counts(self, paras: np.ndarray) -> tuple[np.ndarray, int]:
        """Word frequencies over these paragraphs, and their number of words."""
        if len(paras) > 1 and not bool((np.diff(paras) > 0).all()):  # a subset's are ascending already
            paras = np.unique(paras)
        pos = self.para_tokens(paras)
        return np.bincount(self.tokens[pos], minlength=len(self.vocab)), int(len(pos))

    def para_of(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.para_tok, positions, side="right") - 1


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenated aranges [starts[i], ends[i]) without a Python loop."""
    lens = (ends - starts).astype(np.int64)
    keep = lens > 0
    starts, lens = starts[keep].astype(np.int64), lens[keep]
    if len(lens) == 0:
        return np.zeros(0, dtype=np.int64)
    total = int(lens.sum())
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return np.arange(total, dtype=np.int64) + offs


# -- building and loading ---------------------------------------------------------------------------
def load(archive: Archive, progress: Any = None) -> TokenCorpus:
    """The archive's token corpus, built on first use after every change to the archive."""
    wm = archive.count("*", groups=()).watermark
    where = archive.cache_dir("analysis")
    key = f"{where}:{id(archive) if where is None else ''}"
    with _LOCK:
        tc = _LOADED.get(key)
        if tc is not None and tc.watermark == wm:
            return tc
        tc = None
        if where is not None:
            tc = _read(Path(where), wm)
        if tc is None:
            tc = build(archive, wm, progress)
            if where is not None:
                try:
                    _write(Path(where), tc)
                except OSError:
                    pass  # a read-only place: keep it in memory
        elif tc._freq is None:  # written before the frequencies were kept: count them once, keep them
            _ = tc.freq
            try:
                _save_beside(Path(where) / "tokens", "freq", tc.freq, tc.watermark)
            except (OSError, ValueError):
                pass
        _LOADED[key] = tc
        return tc


def build(archive: Archive, watermark: int, progress: Any = None) -> TokenCorpus:
    """Tokenise every current document (one pass over the store)."""
    keys = sorted(m.doc for m in archive.matches("*", by="document"))
    # A word's id is the vocabulary's size when first seen: defaultdict calls __len__ for a new word,
    # so the whole paragraph is mapped by one C-level map() (a Python loop per word took 4x as long).
    index: defaultdict[str, int] = defaultdict()
    index.default_factory = index.__len__
    lookup = index.__getitem__
    ent_index: dict[str, int] = {}
    ent_vocab: list[str] = []
    tokens = array("i")
    para_tok = array("q", [0])
    doc_para = array("q", [0])
    ent_para, ent_doc, ent_id = array("i"), array("i"), array("i")
    doc_keys: list[int] = []
    doc_ids: list[str] = []
    doc_year = array("i")
    for n, (key, doc) in enumerate(archive.iter_keyed(keys, annotation_types=ENTITY_TYPES)):
        d = len(doc_keys)
        doc_keys.append(key)
        doc_ids.append(doc.id)
        y = doc.date.start[:4] if doc.date and doc.date.start else ""
        doc_year.append(int(y) if y.isdigit() else 0)
        units = paragraph_units(doc.text, [(s.type, s.start, s.end) for s in doc.structure])
        p0 = len(para_tok) - 1
        for s, e, _t in units:
            words = WORD_RX.findall(fold_same_length(doc.text[s:e]))
            tokens.extend(map(lookup, words if max(map(len, words), default=0) < 60 else
                              [w for w in words if len(w) < 60]))
            para_tok.append(len(tokens))
        doc_para.append(len(para_tok) - 1)
        starts = [u[0] for u in units]
        for a in doc.annotations:
            if a.type not in ENTITY_TYPES:
                continue
            label = entity_label(a.type, a.text, a.value)
            eid = ent_index.get(label)
            if eid is None:
                eid = ent_index[label] = len(ent_vocab)
                ent_vocab.append(label)
            j = int(np.searchsorted(starts, a.start, side="right")) - 1 if starts else -1
            inside = j >= 0 and a.start < units[j][1]
            ent_para.append(p0 + j if inside else -1)
            ent_doc.append(d)
            ent_id.append(eid)
        if progress is not None and n % 500 == 0:
            progress(n, len(keys))
    stem_index: dict[str, int] = {}
    stems: list[str] = []
    stem_of = array("i")
    analyze = ANALYZERS["en"].analyze
    vocab = list(index)
    for w in vocab:
        st = analyze(w)
        s = st[0] if st else w
        sid = stem_index.get(s)
        if sid is None:
            sid = stem_index[s] = len(stems)
            stems.append(s)
        stem_of.append(sid)

    def np_(a: array, dt: Any) -> np.ndarray:
        return np.frombuffer(a, dtype=dt).copy() if len(a) else np.zeros(0, dtype=dt)

    return TokenCorpus(
        watermark=watermark, vocab=vocab, tokens=np_(tokens, np.int32),
        doc_keys=np.array(doc_keys, dtype=np.int64), doc_ids=doc_ids, doc_year=np_(doc_year, np.int32),
        doc_para=np_(doc_para, np.int64), para_tok=np_(para_tok, np.int64), stem_of=np_(stem_of, np.int32),
        stems=stems, ent_vocab=ent_vocab, ent_para=np_(ent_para, np.int32), ent_doc=np_(ent_doc, np.int32),
        ent_id=np_(ent_id, np.int32),
    )


_ARRAYS = ("tokens", "doc_keys", "doc_year", "doc_para", "para_tok", "stem_of", "ent_para", "ent_doc", "ent_id")
_LISTS = ("vocab", "doc_ids", "stems", "ent_vocab")


def _write(where: Path, tc: TokenCorpus) -> None:
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / f"tokens.tmp{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    for name in _ARRAYS:
        np.save(tmp / f"{name}.npy", getattr(tc, name))
    np.save(tmp / "freq.npy", tc.freq)  # every word's frequency: what "the rest" and collocates subtract from
    for name in _LISTS:
        (tmp / f"{name}.txt").write_text("\n".join(getattr(tc, name)), encoding="utf-8")
    (tmp / "meta.json").write_text(json.dumps({"format": FORMAT, "watermark": tc.watermark}))
    final = where / "tokens"
    old = where / f"tokens.old{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _read(where: Path, watermark: int) -> TokenCorpus | None:
    d = where / "tokens"
    try:
        meta = json.loads((d / "meta.json").read_text())
        if meta.get("format") != FORMAT or meta.get("watermark") != watermark:
            return None
        arrays = {n: np.load(d / f"{n}.npy", mmap_mode="r" if n == "tokens" else None) for n in _ARRAYS}
        lists = {}
        for n in _LISTS:
            txt = (d / f"{n}.txt").read_text(encoding="utf-8")
            lists[n] = txt.split("\n") if txt else []
    except (OSError, ValueError):
        return None
    tc = TokenCorpus(watermark=watermark, **arrays, **lists)
    try:
        freq = np.load(d / "freq.npy")
        if len(freq) == len(tc.vocab):
            tc._freq = freq
    except (OSError, ValueError):
        pass  # an older cache: load() counts and adds them
    return tc


def _save_beside(d: Path, name: str, arr: np.ndarray, watermark: int) -> None:
    """Add one array to a saved corpus of this watermark, atomically (another process may read it)."""
    path = d / f"{name}.npy"
    if path.exists() or json.loads((d / "meta.json").read_text()).get("watermark") != watermark:
        return
    tmp = d / f"{name}.tmp{os.getpid()}.npy"
    np.save(tmp, arr)
    os.replace(tmp, path)
