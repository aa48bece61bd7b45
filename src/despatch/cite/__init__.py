"""Citations of one document in the forms scholars paste or import: Chicago notes and bibliography
(17th ed.), BibTeX, RIS, CSL-JSON. `cite(doc, style)` is the one entry point every interface uses."""

from __future__ import annotations

from functools import cache

from .. import plugins
from ..errors import BadOption
from ..model import Document
from .record import CitationRecord, kind_of, to_record
from .styles import TEXT_FORMATS, CitationStyle

FORMATS = TEXT_FORMATS


#: What `cite` writes unless told otherwise, and what every list of styles shows first.
DEFAULT_STYLE = "chicago-note"


def styles() -> list[str]:
    """The names of the citation styles installed: the default first, then Despatch's own and any a plug-in
    registers."""
    names = plugins.names("citation_styles")
    return sorted(names, key=lambda n: n != DEFAULT_STYLE)


STYLES = tuple(styles())


@cache
def citation_style(name: str) -> CitationStyle:
    """The style registered as `name` (made once per process)."""
    if name not in styles():
        raise BadOption(f"unknown citation style {name!r}; choose one of {', '.join(styles())}")
    return plugins.create("citation_styles", name)


def style_label(name: str) -> str:
    """How people call a style ("Chicago note"), for menus."""
    return str(citation_style(name).label)


def cite(doc: Document, style: str = DEFAULT_STYLE, accessed: str | None = None, fmt: str = "text") -> str:
    """The citation of `doc` in `style`; `accessed` (YYYY-MM-DD) dates an online consultation.

    `fmt` applies to the styles that italicise (the Chicago ones): plain text, Markdown or HTML; a style
    that writes one form (BibTeX, RIS, CSL-JSON) writes it whatever `fmt` says.
    """
    if fmt not in FORMATS:
        raise BadOption(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    st = citation_style(style)
    if accessed is not None:
        _check_iso_date(accessed)
    return st.cite(to_record(doc, accessed), fmt if fmt in st.formats else "text")


def _check_iso_date(s: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(s)
    except ValueError:
        raise BadOption(f"access date must be YYYY-MM-DD, not {s!r}") from None


__all__ = ["FORMATS", "STYLES", "CitationRecord", "CitationStyle", "citation_style", "cite", "kind_of", "style_label",
           "styles", "to_record"]
