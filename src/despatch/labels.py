"""Titles and metadata safe to show: no control characters, no bidirectional overrides.

A file name or a header is written by whoever made the file. A newline in a title breaks `despatch list`
over two lines; an escape sequence repaints a terminal; U+202E (right-to-left override) makes
"report\u202Efdp.exe" read as "reportexe.pdf". Such characters are removed from every title, header field
and metadata value when a document is read (line breaks and tabs become spaces); the original bytes, kept
under their SHA-256, stay exactly as they were, and the text of the document is not touched.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from .model import Classification, Document, Source

# C0 and C1 controls, DEL; the bidi embeddings, overrides and isolates, marks (LRM, RLM, ALM); the line and
# paragraph separators; zero-width joiners stay (scripts need them).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")

#: Document fields shown as labels (the text and annotations are not among them).
LABEL_FIELDS = ("title", "caption", "doc_type", "language", "originator", "recipient", "place", "rights", "url",
                "last_updated")


def clean_label(s: str) -> str:
    """`s` without control or bidi-override characters; line breaks and tabs as single spaces."""
    if s.isprintable():
        return s
    s = _BREAKS.sub(" ", s)
    return _UNSAFE.sub("", s).strip()


def clean_value(v: Any) -> Any:
    """clean_label applied through lists, tuples and dicts (keys too)."""
    if isinstance(v, str):
        return clean_label(v)
    if isinstance(v, list | tuple):
        return type(v)(clean_value(x) for x in v)
    if isinstance(v, dict):
        return {clean_value(k): clean_value(x) for k, x in v.items()}
    return v


def clean_document(doc: Document) -> Document:
    """Clean a document's labels in place (and return it)."""
    for name in LABEL_FIELDS:
        v = getattr(doc, name)
        if isinstance(v, str):
            setattr(doc, name, clean_label(v))
    for obj in (doc.source, doc.classification):
        if isinstance(obj, Source | Classification):
            for f in fields(obj):
                setattr(obj, f.name, clean_value(getattr(obj, f.name)))
    if doc.date is not None and doc.date.text:
        doc.date.text = clean_label(doc.date.text)
    doc.metadata = clean_value(doc.metadata)
    return doc
