"""Citations of one document in the forms scholars paste or import: Chicago notes and bibliography
(17th ed.), BibTeX, RIS, CSL-JSON. `cite(doc, style)` is the one entry point every interface uses."""

from __future__ import annotations

import json

from ..errors import BadOption
from ..model import Document
from . import bibtex, chicago, csljson, ris
from .record import CitationRecord, kind_of, to_record

STYLES = ("chicago-note", "chicago-bib", "bibtex", "ris", "csl-json")
FORMATS = ("text", "markdown", "html")


def cite(doc: Document, style: str = "chicago-note", accessed: str | None = None, fmt: str = "text") -> str:
    """The citation of `doc` in `style`; `accessed` (YYYY-MM-DD) dates an online consultation.

    `fmt` applies to the Chicago styles, whose titles are italic: plain text, Markdown or HTML.
    """
    if style not in STYLES:
        raise BadOption(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")
    if fmt not in FORMATS:
        raise BadOption(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if accessed is not None:
        _check_iso_date(accessed)
    rec = to_record(doc, accessed)
    if style == "chicago-note":
        return chicago.render(chicago.note(rec), fmt)
    if style == "chicago-bib":
        return chicago.render(chicago.bibliography(rec), fmt)
    if style == "bibtex":
        return bibtex.entry(rec)
    if style == "ris":
        return ris.record(rec)
    return json.dumps([csljson.item(rec)], ensure_ascii=False, indent=2)


def _check_iso_date(s: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(s)
    except ValueError:
        raise BadOption(f"access date must be YYYY-MM-DD, not {s!r}") from None


__all__ = ["FORMATS", "STYLES", "CitationRecord", "cite", "kind_of", "to_record"]
