"""Concordance (keyword in context): every match of a query with the words to its left and right.

Hits are the search engine's paragraph matches, oldest first; inside each paragraph the query's words
and phrases are found by the same matcher that marks snippets, so a concordance line is exactly a
highlighted match of the reading room. Lines stream: documents are read a batch at a time and
nothing is kept once written, so an export of a million lines runs in constant memory. Sorting by the
words to the left or right (AntConc's 1L/2L/3L, 1R/2R/3R) has to see every line first; it keeps only
the lines' short fields, not the documents.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..search.engine import filter_strings
from ..search.query import parse
from ..search.snippets import Matcher, fold_same_length
from ..store.base import Archive

SORTS = ("position", "left", "right", "hit")
_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")
FIELDS = ("n", "document", "date", "paragraph", "start", "end", "left", "hit", "right", "title")


@dataclass
class Line:
    n: int
    document: str
    date: str | None
    paragraph: int | None
    start: int  # offsets of the hit in the document's text
    end: int
    left: str
    hit: str
    right: str
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _context_left(text: str, pos: int, lo: int, words: int) -> str:
    found = list(_WORDS.finditer(text, lo, pos))
    if not found:
        return ""
    cut = found[-words].start() if len(found) >= words else lo
    return " ".join(text[cut:pos].split())


def _context_right(text: str, pos: int, hi: int, words: int) -> str:
    cut = pos
    for i, m in enumerate(_WORDS.finditer(text, pos, hi)):
        cut = m.end()
        if i + 1 >= words:
            break
    return " ".join(text[pos:cut].split())


def lines(
    archive: Archive, query: str, filters: Any = None, context: int = 8, limit: int | None = None,
) -> Iterator[Line]:
    """Every concordance line of `query`, oldest document first, in text order within each."""
    tree = parse(query).tree
    matcher = Matcher(tree)
    if not matcher.active:
        raise ValueError(f"{query!r} has no words to find in the text (a concordance needs a word or phrase)")
    fl = filter_strings(filters)
    n = 0
    batch: list[Any] = []

    def flush() -> Iterator[Line]:
        nonlocal n
        keys = list(dict.fromkeys(m.doc for m in batch))
        docs = dict(archive.iter_keyed(keys, annotation_types=()))
        for m in batch:
            doc = docs.get(m.doc)
            if doc is None:
                continue
            s, e = m.start or 0, m.end if m.end is not None else len(doc.text)
            for hs, he in matcher.find(doc.text[s:e]):
                n += 1
                yield Line(n, doc.id, doc.date.start if doc.date else None, m.pnum, s + hs, s + he,
                           _context_left(doc.text, s + hs, s, context), " ".join(doc.text[s + hs:s + he].split()),
                           _context_right(doc.text, s + he, e, context), doc.title)
                if limit is not None and n >= limit:
                    return

    for m in archive.matches(query, filters=fl, by="paragraph"):
        batch.append(m)
        if len(batch) >= 500:
            yield from flush()
            batch = []
            if limit is not None and n >= limit:
                return
    if batch:
        yield from flush()


def _words(s: str) -> list[str]:
    return _WORDS.findall(fold_same_length(s))


def sort_key(line: Line, how: str) -> tuple[Any, ...]:
    """AntConc's sorts: the words right before the hit (1L, 2L, 3L), right after it (1R, 2R, 3R), the hit."""
    hit = fold_same_length(line.hit)
    if how == "left":
        return (tuple(_words(line.left)[::-1][:3]), hit, line.n)
    if how == "right":
        return (tuple(_words(line.right)[:3]), hit, line.n)
    if how == "hit":
        return ((hit,), tuple(_words(line.right)[:2]), line.n)
    return ((), "", line.n)


def concordance(
    archive: Archive, query: str, filters: Any = None, context: int = 8, sort: str = "position",
    limit: int | None = None,
) -> Iterator[Line]:
    """The lines, in text order (streamed) or sorted by their left or right words (collected first)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    it = lines(archive, query, filters, context, limit if sort == "position" else None)
    if sort == "position":
        return it
    out = sorted(it, key=lambda ln: sort_key(ln, sort))
    return iter(out[:limit] if limit is not None else out)


def _clean(s: str | None) -> str:
    return " ".join((s or "").replace("\t", " ").split())


def write_csv(rows: Iterator[Line], out: io.TextIOBase | Any) -> int:
    w = csv.writer(out)
    w.writerow(FIELDS)
    n = 0
    for ln in rows:
        w.writerow([getattr(ln, f) if getattr(ln, f) is not None else "" for f in FIELDS])
        n += 1
    return n


def write_tsv(rows: Iterator[Line], out: io.TextIOBase | Any) -> int:
    """The layout concordancers save (AntConc's "Save output"): hit number, left context, hit, right
    context, file — one line each, tab-separated; the file column names the document and paragraph."""
    n = 0
    for ln in rows:
        where = f"{ln.document}#p{ln.paragraph}" if ln.paragraph else ln.document
        out.write("\t".join([str(ln.n), _clean(ln.left), _clean(ln.hit), _clean(ln.right), _clean(where)]) + "\n")
        n += 1
    return n
