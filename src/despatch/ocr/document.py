"""Recognised pages → one Document: text once, with page breaks, paragraphs, release furniture as spans,
and the words' page, box and confidence as standoff data.

Per page one `ocr_page` annotation spans the page's text; its value holds the page number, the image
size and resolution, the mean word confidence, the lines (`[start, end]`) and the words
(`[start, end, left, top, width, height, confidence]`, offsets into the document text, boxes in image
pixels). One annotation per page instead of one per word keeps a 37-page record at 37 rows, not 15,000.
Blacked-out areas become zero-width `redaction` annotations where they fall in reading order, with
their page and box.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..model import Annotation, Span
from ..textbuild import TextBuilder
from .engine import Word
from .furniture import record_number_line, release_facts
from .recognise import Page

_HYPHEN_END = re.compile(r"[A-Za-z]{2,}-$")


def _lines(words: list[Word]) -> list[list[Word]]:
    out: list[list[Word]] = []
    key = None
    for w in words:
        k = (w.block, w.par, w.line)
        if k != key:
            out.append([])
            key = k
        out[-1].append(w)
    return out


def _line_text(line: list[Word]) -> str:
    return " ".join(w.text for w in line)


class Built:
    """The text, spans and annotations made from a scan's pages, and the release facts found."""

    def __init__(self) -> None:
        self.text = ""
        self.structure: list[Span] = []
        self.annotations: list[Annotation] = []
        self.release: Counter[str] = Counter()
        self.record_numbers: Counter[str] = Counter()
        self.crest: Counter[str] = Counter()
        self.lines: list[tuple[int, int, int]] = []  # (page, start, end) for every line, body and furniture


def build(pages: list[Page], producer: str) -> Built:
    tb = TextBuilder()
    out = Built()
    page_values: list[tuple[int, int, dict[str, Any]]] = []
    pending_redactions: list[tuple[Page, Any, int]] = []
    for page in pages:
        page_start = tb.pos + (1 if tb.pos else 0)
        tb.mark("page_break", page_start, page_start, number=str(page.number))
        word_rows: list[list[Any]] = []
        line_rows: list[list[int]] = []
        anchors: list[tuple[int, int, int]] = []  # (top, left, offset) of each word, for redaction places
        lines = _lines(page.words)
        para_key = None
        open_para: tuple[int, list[int]] | None = None
        top_band = page.height * 0.1 if page.height else 0

        def close_para() -> None:
            nonlocal open_para
            if open_para is None:
                return
            rng = tb.end_block()
            if rng:
                tb.mark("paragraph", rng[0], rng[1])
            open_para = None

        for i, line in enumerate(lines):
            text = _line_text(line)
            facts = release_facts(text)
            rn = record_number_line(text) if not facts and line[0].top <= top_band else None
            if facts or rn:
                close_para()
                para_key = None
                start = tb.begin_block()
                _write_words(tb, line, word_rows, anchors, None)
                rng = tb.end_block()
                if rng:
                    tb.mark("release", rng[0], rng[1])
                    line_rows.append([rng[0], rng[1]])
                    out.lines.append((page.number, rng[0], rng[1]))
                for k, v in (facts or {}).items():
                    if k == "release":
                        out.release[v] += 1
                    elif k == "record_number":
                        out.record_numbers[v] += 1
                    elif k == "crest_number":
                        out.crest[v] += 1
                if rn:
                    out.record_numbers[rn] += 1
                del start
                continue
            key = (line[0].block, line[0].par)
            if key != para_key:
                close_para()
                tb.begin_block()
                open_para = (i, [])
                para_key = key
            else:
                tb.space()
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            joined = (nxt is not None and (nxt[0].block, nxt[0].par) == key and _HYPHEN_END.search(line[-1].text)
                      and nxt[0].text[:1].islower())
            ls = _write_words(tb, line, word_rows, anchors, "join" if joined else None)
            line_rows.append(list(ls))
            out.lines.append((page.number, ls[0], ls[1]))
        close_para()
        page_end = tb.pos
        confs = [w.conf for w in page.words if w.conf >= 0]
        value: dict[str, Any] = {
            "page": page.number, "width": page.width, "height": page.height, "dpi": page.dpi,
            "mean_confidence": round(sum(confs) / len(confs), 1) if confs else None,
            "lines": line_rows, "words": word_rows,
        }
        if page.error:
            value["error"] = page.error
        if page.psm != 3:
            value["psm"] = page.psm  # read as one block after automatic layout analysis found no text
        page_values.append((page_start, max(page_start, page_end), value))
        for box in page.redactions:
            pending_redactions.append((page, box, _place(anchors, box, page_end)))
    out.text = tb.finish()
    out.structure = tb.structure
    for start, end, value in page_values:
        end = min(end, len(out.text))
        start = min(start, end)
        out.annotations.append(Annotation("ocr_page", start, end, out.text[start:end], value, producer))
    for page, box, at in pending_redactions:
        at = min(at, len(out.text))
        out.annotations.append(Annotation(
            "redaction", at, at, "",
            {"page": page.number, "box": box.as_list(), "source": "image", "fill": box.fill}, producer))
    out.annotations.sort(key=lambda a: (a.start, -a.end))
    return out


def _write_words(tb: TextBuilder, line: list[Word], rows: list[list[Any]], anchors: list[tuple[int, int, int]],
                 mode: str | None) -> tuple[int, int]:
    """Append a line's words to the open block; returns the line's (start, end)."""
    first = last = None
    for j, w in enumerate(line):
        text = w.text
        if mode == "join" and j == len(line) - 1:
            text = text[:-1]  # a word broken at the line's end: "Vladi-" + "mirovich" → "Vladimirovich"
        s, e = tb.inline(text if j == 0 else " " + text)
        if e <= s:
            continue
        rows.append([s, e, w.left, w.top, w.width, w.height, round(w.conf)])
        anchors.append((w.top, w.left, s))
        first = s if first is None else first
        last = e
    if mode == "join":
        tb._pending_space = False  # the next line's first word continues this word
    else:
        tb.space()
    if first is None:
        return (tb.pos, tb.pos)
    return (first, last or first)


def _place(anchors: list[tuple[int, int, int]], box: Any, page_end: int) -> int:
    """The text offset where a redaction box falls in reading order: before the first word below or to
    its right on the same line."""
    mid = box.top + box.height // 2
    best = None
    for top, left, off in anchors:
        if top > mid or (abs(top - box.top) < box.height and left >= box.left):
            if best is None or off < best:
                best = off
    return best if best is not None else page_end
