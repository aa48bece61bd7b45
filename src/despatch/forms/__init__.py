"""Forms: a scanned record's header fields (classification, caveats, from, to, info, cite, date-time group,
precedence, routing, file numbers, references, subject) and its kind (cable, dispatch, memorandum for the
record, name-check request…), read from its lines.

`apply_forms(doc)` sets the document's header (type, classification, date, originator, recipient,
title) from what the page says, keeps every field in `metadata["form"]`, and marks each finding in the
text with a `form_field` annotation (page and value), so a reader can see where each value was read.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..dates import parse_iso
from ..model import Annotation, Document, normalise_classification
from .doctype import document_type
from .fields import LEVELS, Fields, Line, in_running_prose, read_fields

PRODUCER = "forms@1"
_LIST_FIELDS = ("caveat", "info", "ref", "file_number", "cite", "dispatch_number", "message_number", "routing")


def document_lines(doc: Document) -> list[Line]:
    """The document's lines: OCR lines with their page (from `ocr_page` annotations), else text lines."""
    out: list[Line] = []
    for a in doc.annotations:
        if a.type != "ocr_page" or not isinstance(a.value, dict):
            continue
        page = int(a.value.get("page") or 0)
        height = a.value.get("height") or 0
        words = a.value.get("words") or []
        wi = 0
        for s, e in a.value.get("lines") or []:
            while wi < len(words) and words[wi][0] < s:
                wi += 1
            top = words[wi][3] if wi < len(words) else 0
            out.append(Line(page, s, e, doc.text[s:e], bool(height) and top < 0.3 * height,
                            top / height if height and wi < len(words) else None))
    if out:
        return out
    pos = 0
    for i, raw in enumerate(doc.text.split("\n")):
        out.append(Line(1, pos, pos + len(raw), raw, i < 15))
        pos += len(raw) + 1
    return out


def page_classifications(fields: Fields) -> dict[int, str]:
    """The classification read on each page (the highest where a page shows more than one)."""
    out: dict[int, str] = {}
    for f in fields.findings:
        if f.field == "classification":
            cur = out.get(f.line.page)
            if cur is None or LEVELS.index(str(f.value)) < LEVELS.index(cur):
                out[f.line.page] = str(f.value)
    return out


def _dedupe(values: list[Any]) -> list[Any]:
    seen, out = set(), []
    for v in values:
        k = repr(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def record_date(fields: Fields, kind: str | None, lines: list[Line] | None = None) -> tuple[str, str, str] | None:
    """(ISO date, how it was found, text) of the record: a cable's date-time group or a DATE field (a
    cable's header gives its date several times — DOC DATE, the date-time group, the time of receipt —
    and OCR damages each differently, so the date most of them give wins, then the one whose year is
    written out in full elsewhere in the record, then the first), else a dateline (a line that is only a
    date), else the first day-precise date written on the first page outside running prose (a date in a
    sentence of the body is that of something the record reports — "published in THE NEW YORKER, 13 July,
    1968" — not the record's own, and no date is better than a wrong one)."""
    first_page = min((f.line.page for f in fields.findings), default=1)
    header = [(f.value["date"], "date-time group", f.value["text"])  # type: ignore[index]
              for f in fields.findings if f.field == "dtg"]
    header += [(str(f.value), "DATE field", _found_text(f)) for f in fields.findings
               if f.field == "date_labelled" and f.line.page == first_page]
    if header:
        votes = Counter(iso for iso, _how, _text in header)
        years = _full_years(lines or [])
        best = max(range(len(header)),
                   key=lambda i: (votes[header[i][0]], header[i][0][:4] in years, -i))
        return header[best]
    for name, how in (("date_line", "dateline"), ("date_written", "first date on the first page")):
        for f in fields.findings:
            if f.field == name and f.line.page == first_page:
                if name == "date_written" and in_running_prose(f.line.text, f.start - f.line.start,
                                                                f.end - f.line.start):
                    continue
                return (str(f.value), how, _found_text(f))
    return None


def _found_text(f: Any) -> str:
    return f.line.text[f.start - f.line.start: f.end - f.line.start]


def _full_years(lines: list[Line]) -> set[str]:
    """Years written with four digits on the record's lines ('NOVEMBER 1991', 'the 1991 coup')."""
    out: set[str] = set()
    for line in lines:
        out.update(re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", line.text))
    return out


def apply_forms(doc: Document) -> Fields:
    """Read the form fields of a document and set its header from them (values from a catalogue, set
    later, take precedence but keep these beside them)."""
    lines = document_lines(doc)
    fields = read_fields(lines)
    kind = document_type(lines, fields)
    form: dict[str, Any] = {}
    pages = page_classifications(fields)
    if pages:
        top = min(pages.values(), key=LEVELS.index)
        doc.classification = normalise_classification(top)
        form["classification"] = top
        form["classified_pages"] = sorted(pages)
    for name in ("from", "to", "subject", "precedence"):
        v = fields.first(name)
        if v:
            form[name] = v
    for name in _LIST_FIELDS:
        vs = _dedupe(fields.values(name))
        if vs:
            form[name + "s" if not name.endswith("s") else name] = vs
    dtg = fields.first("dtg")
    if dtg:
        form["date_time_group"] = dtg
    if kind:
        doc.doc_type = kind
        form["type"] = kind
    found = record_date(fields, kind, lines)
    if found and doc.date is None:
        iso, how, text = found
        doc.date = parse_iso(iso, text)
        form["date"] = {"value": iso, "from": how, "text": text}
        doc.metadata["date_source"] = "page"
    if doc.originator is None and form.get("from"):
        doc.originator = _clean(str(form["from"]))
    if doc.recipient is None and form.get("to"):
        doc.recipient = _clean(str(form["to"]))
    if doc.title is None:
        doc.title = _clean(str(form["subject"])) if form.get("subject") else _first_line_title(doc, lines)
    if form:
        doc.metadata["form"] = form
    for f in fields.findings:
        if f.field in ("date_written", "date_labelled", "date_line") or f.end <= f.start:
            continue
        doc.annotations.append(Annotation("form_field", f.start, f.end, doc.text[f.start:f.end],
                                          {"field": f.field, "value": f.value, "page": f.line.page}, PRODUCER))
    doc.annotations.sort(key=lambda a: (a.start, -a.end))
    return fields


def page_values(doc: Document) -> Document:
    """What the pages alone say, read again from a stored scan's OCR (its `ocr_page` lines and word
    boxes) without OCR'ing anything: a copy of the document with its header (title, date, type,
    classification, from, to) and `metadata["form"]` as the current form rules read them, ignoring any
    catalogue values. For trying changed rules on an archive, and for comparing the page with a catalogue."""
    d = Document.from_dict(doc.to_dict())
    d.title = d.date = d.classification = d.originator = d.recipient = d.doc_type = None
    d.annotations = [a for a in d.annotations if a.type == "ocr_page"]
    d.metadata = {}
    apply_forms(d)
    return d


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" .,;:-_|")[:200]


def _first_line_title(doc: Document, lines: list[Line]) -> str | None:
    """A title for a record without a SUBJECT line: its first substantial body line."""
    release = [(s.start, s.end) for s in doc.structure if s.type == "release"]
    for line in lines[:40]:
        if any(s <= line.start < e for s, e in release):
            continue
        t = _clean(line.text)
        letters = sum(c.isalpha() for c in t)
        if len(t) >= 12 and letters > 0.6 * len(t) and not LEVELS_RX.search(t):
            return t[:120]
    return None


LEVELS_RX = re.compile(r"^(?:TOP )?SECRET|^CONFIDENTIAL|^UNCLASSIFIED")

__all__ = ["apply_forms", "document_lines", "page_classifications", "page_values", "read_fields", "record_date"]
