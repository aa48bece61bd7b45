"""Snippets: up to three fragments per hit with the query's words (and phrases, as phrases) marked.

Cut only for the hits shown, from the text in the store, with the index's own analyzers deciding what
matches (so `policies` is marked for `policy`, `=Soviets` only for that form). Offsets are exact: a
highlight's `doc_start`/`doc_end` are str offsets into the document's text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .index import ANALYZERS
from .query import Node, Phrase, Word
from .result import Highlight, Snippet

FRAGMENT = 240  # characters per fragment
BEFORE = 70
MAX_FRAGMENTS = 3
_WORD = re.compile(r"\w+")
_NEXT = re.compile(r"\W+(\w+)")


def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFKD", c)
    base = "".join(x for x in d if not unicodedata.combining(x))
    return base if len(base) == 1 else c


_FOLD = {i: _fold_char(chr(i)) for i in range(0xC0, 0x250) if _fold_char(chr(i)) != chr(i)}


def fold_same_length(text: str) -> str:
    """Lower case with Latin accents removed, one character for one, so offsets stay valid."""
    return text.translate(_FOLD).lower() if not text.isascii() else text.lower()


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
            if isinstance(t, Word) and t.prefix:
                self.prefixes += [p for p in ANALYZERS["exact"].analyze(t.text)[-1:] if p]
            elif isinstance(t, Word) and t.exact:
                self.exact.update(ANALYZERS["exact"].analyze(t.text))
            else:
                toks = tuple(ANALYZERS["en"].analyze(t.text))
                slop = t.slop if isinstance(t, Phrase) else 0
                if len(toks) > 1 and slop == 0:
                    self.phrases.append(toks)
                else:
                    self.stems.update(toks)
        heads = {s[:3] for s in self.stems} | {p[0][:3] for p in self.phrases}
        heads |= {s[:3] for s in self.exact} | {p[:3] for p in self.prefixes}
        heads.discard("")
        self.active = bool(heads)
        alts = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
        self.candidates = re.compile(rf"(?<!\w)(?:{alts})\w*") if heads else None

    def _is(self, word: str) -> bool:
        if word in self.exact or _exact(word)[:1] and _exact(word)[0] in self.exact:
            return True
        if any(word.startswith(p) for p in self.prefixes):
            return True
        st = _stem(word)
        return len(st) == 1 and st[0] in self.stems

    def find(self, text: str) -> list[tuple[int, int]]:
        """Every match in `text` as (start, end), phrases as one span, in order, not overlapping."""
        if self.candidates is None:
            return []
        low = fold_same_length(text)
        out: list[tuple[int, int]] = []
        for m in self.candidates.finditer(low):
            word = m.group(0)
            span = None
            for ph in self.phrases:
                if _stem(word)[:1] == ph[:1]:
                    end, ok = m.end(), True
                    for nxt in ph[1:]:
                        n = _NEXT.match(low, end)
                        if not n or _stem(n.group(1))[:1] != (nxt,):
                            ok = False
                            break
                        end = n.end()
                    if ok:
                        span = (m.start(), end)
                        break
            if span is None and self._is(word):
                span = (m.start(), m.end())
            if span and (not out or span[0] >= out[-1][1]):
                out.append(span)
        return out

    def snippets(self, text: str, base: int = 0, whole: bool = False) -> tuple[list[Snippet], int]:
        """Fragments of `text` (which starts at `base` in its document) and the number of matches."""
        spans = self.find(text)
        if whole and len(text) <= FRAGMENT * 2:
            return [_make(text, 0, len(text), spans, base)], len(spans)
        if not spans:
            end = _cut_end(text, min(len(text), FRAGMENT))
            return ([_make(text, 0, end, [], base)] if text.strip() else []), 0
        windows = []
        for i, (s, _e) in enumerate(spans[:300]):
            ws = _cut_start(text, max(0, s - BEFORE))
            we = _cut_end(text, min(len(text), ws + FRAGMENT))
            inside = [sp for sp in spans[i : i + 40] if sp[1] <= we]
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
