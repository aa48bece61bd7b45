"""What the reading room shows of one scanned page: the words with their boxes and confidences, the
redaction boxes, the words a search matched — everything in the OCR image's pixel space."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..model import Document

_TERM = re.compile(r"[\w']+")


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).strip(".,;:!?\"'()[]{}")


def query_terms(q: str) -> set[str]:
    """Plain words of a search (field names, operators and wildcards left out), folded."""
    words = set()
    for tok in _TERM.findall(re.sub(r"\b\w+:", " ", q or "")):
        if tok.upper() in ("AND", "OR", "NOT", "NEAR"):
            continue
        words.add(fold(tok))
    return {w for w in words if w}


@dataclass
class WordView:
    index: int
    text: str
    box: tuple[int, int, int, int]
    conf: int
    hit: bool
    line: int

    @property
    def band(self) -> str:
        """Confidence band for colouring: low (< 50), fair (50-79), good (80+)."""
        return "low" if self.conf < 50 else "fair" if self.conf < 80 else "good"


@dataclass
class PageView:
    number: int
    count: int
    width: int
    height: int
    mean_confidence: float | None
    words: list[WordView] = field(default_factory=list)
    lines: list[list[WordView]] = field(default_factory=list)
    redactions: list[dict[str, Any]] = field(default_factory=list)
    hits: int = 0
    error: str | None = None


def scan_pages(doc: Document) -> list[dict[str, Any]]:
    return sorted((a.value for a in doc.annotations if a.type == "ocr_page" and isinstance(a.value, dict)),
                  key=lambda v: v.get("page", 0))


def is_scan(doc: Document) -> bool:
    return any(a.type == "ocr_page" for a in doc.annotations)


def page_view(doc: Document, number: int, q: str = "") -> PageView | None:
    """Page `number` of a scanned document, with the words matching `q` marked; None if no such page."""
    pages = scan_pages(doc)
    value = next((v for v in pages if v.get("page") == number), None)
    if value is None:
        return None
    terms = query_terms(q)
    pv = PageView(number, len(pages), int(value.get("width") or 0), int(value.get("height") or 0),
                  value.get("mean_confidence"), error=value.get("error"))
    line_bounds = [tuple(x) for x in value.get("lines") or []]
    li = 0
    current: list[WordView] = []
    for i, row in enumerate(value.get("words") or []):
        s, e, left, top, w, h, conf = row[:7]
        while li < len(line_bounds) and s >= line_bounds[li][1]:
            li += 1
            if current:
                pv.lines.append(current)
                current = []
        text = doc.text[s:e]
        hit = bool(terms) and fold(text) in terms
        wv = WordView(i, text, (int(left), int(top), int(w), int(h)), int(conf), hit, li)
        pv.words.append(wv)
        current.append(wv)
        pv.hits += int(hit)
    if current:
        pv.lines.append(current)
    for a in doc.annotations:
        if a.type == "redaction" and isinstance(a.value, dict) and a.value.get("page") == number and a.value.get("box"):
            pv.redactions.append({"box": a.value["box"], "exemption": a.value.get("exemption")})
    return pv
