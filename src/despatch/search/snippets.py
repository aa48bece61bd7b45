"""Snippets: up to three fragments per hit with the query's words (and phrases, as phrases) marked.

Cut only for the hits shown, from the text in the store, with the index's own analyzers deciding what
matches (so `policies` is marked for `policy`, `=Soviets` only for that form). Offsets are exact: a
highlight's `doc_start`/`doc_end` are str offsets into the document's text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .analyzers import ANALYZERS
from .compounds import _JOIN, HYPHENS, MARK, is_joining, query_form, runs
from .query import Node, Phrase, Word
from .result import Highlight, Snippet

FRAGMENT = 240  # characters per fragment
BEFORE = 70
MAX_FRAGMENTS = 3
_WORD = re.compile(r"\w+")
_NEXT = re.compile(r"\W+(\w+)")  # the next word (a hyphenated compound is then read to its end)


def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFKD", c)
    base = "".join(x for x in d if not unicodedata.combining(x))
    return base if len(base) == 1 else c


_FOLD = {chr(i): _fold_char(chr(i)) for i in range(0xC0, 0x250) if _fold_char(chr(i)) != chr(i)}
_NON_ASCII = re.compile(r"[\u00c0-\u024f]")


def fold_same_length(text: str) -> str:
    """Lower case with Latin accents removed, one character for one, so offsets stay valid."""
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: _FOLD.get(m.group(0), m.group(0)), text)
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two (İ): keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


@lru_cache(maxsize=50_000)
def _stem(word: str) -> tuple[str, ...]:
    return tuple(ANALYZERS["en"].analyze(word))


@lru_cache(maxsize=50_000)
def _exact(word: str) -> tuple[str, ...]:
    return tuple(ANALYZERS["exact"].analyze(word))


class Matcher:
    """What to mark for one query: stems, exact forms, prefixes and phrases (outside NOT)."""

    def __init__(self, tree: Node) -> None:
        self.stems: set[str] = set()
        self.exact: set[str] = set()
        self.prefixes: list[str] = []
        self.phrases: list[tuple[str, ...]] = []
        for t in tree.terms():
            form = query_form(t.text)  # co-existence → coexistenceǂ (compounds.py)
            if isinstance(t, Word) and t.prefix:
                self.prefixes += [p.rstrip(MARK) for p in ANALYZERS["exact"].analyze(form)[-1:] if p]
            elif isinstance(t, Word) and t.exact:
                self.exact.update(ANALYZERS["exact"].analyze(form))
            else:
                toks = tuple(ANALYZERS["en"].analyze(form.replace(MARK, "")))
                slop = t.slop if isinstance(t, Phrase) else 0
                if len(toks) > 1 and slop == 0:
                    self.phrases.append(toks)
                else:
                    self.stems.update(toks)
        heads = {s[:3] for s in self.stems} | {p[0][:3] for p in self.phrases}
        heads |= {s[:3] for s in self.exact} | {p[:3] for p in self.prefixes}
        heads.discard("")
        self.heads = sorted(heads)
        self.head_res = [re.compile(re.escape(h) + r"\w*") for h in self.heads]  # literal first: fast scan
        # a compound is judged when its joined form starts like something sought (co-existence: "coe")
        self.compound_heads = tuple(self.heads)
        self._judged: dict[str, tuple[bool, bool]] = {}
        self.active = bool(heads)

    def _judge(self, w: str) -> tuple[bool, bool]:
        first = bool(self.phrases) and any(_stem(w.rstrip(MARK))[:1] == ph[:1] for ph in self.phrases)
        return self._is(w), first

    def _is(self, word: str) -> bool:
        """Whether a word (a joined compound ends with MARK) is a single match."""
        if word in self.exact or _exact(word)[:1] and _exact(word)[0] in self.exact:
            return True
        bare = word.rstrip(MARK)
        if any(bare.startswith(p) for p in self.prefixes):
            return True
        st = _stem(bare)
        return len(st) == 1 and st[0] in self.stems

    @staticmethod
    def _compounds(low: str) -> list[tuple[int, int, str]]:
        """Every hyphenated compound of `low`: (start, end, joined form + MARK)."""
        return [(a, b, _JOIN.sub("", low[a:b]) + MARK) for a, b in runs(low)]

    def find(self, text: str) -> list[tuple[int, int]]:
        """Every match in `text` as (start, end), phrases as one span, in order, not overlapping.

        A hyphenated compound counts as one word (`co-existence` for `coexistence`), and each of its
        parts as a word too (`Soviet` in `Sino-Soviet`), exactly as the index holds them.
        """
        if not self.active:
            return []
        low = fold_same_length(text)
        # Words are found from the first three letters of what is sought (stemming keeps the start of a
        # word), with C-speed str.find, and each distinct word is judged once by the index's analyzers.
        # kind: 0 a word, 1 the first part of a compound, 2 a later part, 3 a whole compound
        starts: list[tuple[int, int, str, int]] = []
        judged = self._judged
        n = len(low)
        for rx in self.head_res:
            for m in rx.finditer(low):
                pos, end = m.start(), m.end()
                if pos and _is_word_char(low[pos - 1]):
                    continue
                w = m.group(0)
                kind = judged.get(w)
                if kind is None:
                    kind = judged[w] = self._judge(w)
                if kind[0] or kind[1]:
                    part = 0
                    if pos > 1 and low[pos - 1] in HYPHENS and is_joining(low, pos - 1):
                        part = 2
                    elif end < n and low[end] in HYPHENS and is_joining(low, end):
                        part = 1
                    starts.append((pos, -end, w, part))
        if self.compound_heads:
            for a, b, w in self._compounds(low):
                if not w.startswith(self.compound_heads):
                    continue
                kind = judged.get(w)
                if kind is None:
                    kind = judged[w] = self._judge(w)
                if kind[0] or kind[1]:
                    starts.append((a, -b, w, 3))
        starts.sort()  # by start, the longer first (a compound before its first part)
        out: list[tuple[int, int]] = []
        for pos, neg_end, w, part in starts:
            if out and pos < out[-1][1]:
                continue
            wend = -neg_end
            kind = judged[w]
            span = None
            if kind[1] and part != 2:  # a phrase may start here (not in the middle of a compound)
                first = _stem(w.rstrip(MARK))[:1]
                # within a compound its parts follow each other; elsewhere words, compounds joined
                inside, limit = (False, self._compound_end(low, pos)) if part == 1 else (True, n)
                for ph in self.phrases:
                    if first != ph[:1]:
                        continue
                    end, ok = wend, True
                    for want in ph[1:]:
                        m = _NEXT.match(low, end)
                        if not m or m.end() > limit:
                            ok = False
                            break
                        word, end = m.group(1), m.end()
                        if inside and end < n and low[end] in HYPHENS and is_joining(low, end):  # a compound
                            end = self._compound_end(low, end)
                            word = _JOIN.sub("", low[m.start(1):end])
                        if _stem(word)[:1] != (want,):
                            ok = False
                            break
                    if ok:
                        span = (pos, end)
                        break
            if span is None and kind[0]:
                span = (pos, wend)
            if span:
                out.append(span)
        return out

    @staticmethod
    def _compound_end(low: str, pos: int) -> int:
        n, b = len(low), pos
        while b < n and (low[b].isalnum() or is_joining(low, b)):
            b += 1
        return b

    def snippets(self, text: str, base: int = 0, whole: bool = False) -> tuple[list[Snippet], int]:
        """Fragments of `text` (which starts at `base` in its document) and the number of matches."""
        spans = self.find(text)
        if whole and len(text) <= FRAGMENT * 2:
            return [_make(text, 0, len(text), spans, base)], len(spans)
        if not spans:
            end = _cut_end(text, min(len(text), FRAGMENT))
            return ([_make(text, 0, end, [], base)] if text.strip() else []), 0
        windows = []
        step = max(1, len(spans) // 60)
        for i in range(0, len(spans), step):
            s = spans[i][0]
            ws = _cut_start(text, max(0, s - BEFORE))
            we = _cut_end(text, min(len(text), ws + FRAGMENT))
            inside = [sp for sp in spans[i : i + 30] if sp[1] <= we]
            distinct = len({fold_same_length(text[a:b]) for a, b in inside})
            windows.append((distinct * 10 + len(inside), -ws, ws, we, inside))
        windows.sort(reverse=True)
        chosen: list[tuple[int, int, list[tuple[int, int]]]] = []
        for _score, _neg, ws, we, inside in windows:
            if all(we <= c[0] or ws >= c[1] for c in chosen):
                chosen.append((ws, we, inside))
            if len(chosen) == MAX_FRAGMENTS:
                break
        chosen.sort()
        return [_make(text, ws, we, inside, base) for ws, we, inside in chosen], len(spans)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _cut_start(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    nl = text.rfind("\n", pos - 40 if pos >= 40 else 0, pos + 1)
    if nl >= 0:
        return nl + 1
    sp = text.find(" ", pos)
    return sp + 1 if 0 <= sp < pos + 20 else pos


def _cut_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    sp = text.rfind(" ", pos - 30, pos)
    return sp if sp > 0 else pos


def _make(text: str, ws: int, we: int, spans: list[tuple[int, int]], base: int) -> Snippet:
    hl = [Highlight(s - ws, e - ws, base + s, base + e) for s, e in spans if s >= ws and e <= we]
    return Snippet(text[ws:we], base + ws, base + we, hl)
