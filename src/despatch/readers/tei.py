"""TEI editions, above all the Foreign Relations of the United States (FRUS) volumes.

A volume yields one document per `div[@type="document"]` (also those nested in an attachment, which
become documents of their own, linked to the document that encloses them). The text is built with
`TextBuilder` in reading order; footnotes are moved after the body as `note` blocks (a zero-width
`note_ref` span marks where each was anchored), page breaks become zero-width `page_break` spans, and the
edition's own markup (`persName`, `placeName`, `orgName`, `gloss`, `rs`, `date`, `ref`) becomes
annotations with producer `tei` whose offsets cover exactly the element's text.

Ids: `{collection}/{volume-id}-{xml:id}` (e.g. `frus/frus1917Supp02v02-d12`); a document without an
`xml:id` (an enclosure printed as a document of its own) takes the id of the nearest ancestor that has one
plus `-att{k}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..annotation_types import ANNOTATION_TYPES, ENTITY_TYPES
from ..dates import parse_iso, parse_written_date
from ..markings import archival_location, first_line_markings, note_markings, read_markings, summarise
from ..model import Annotation, DocDate, Document, Source, normalise_classification
from ..parties import name_and_role
from ..plausibility import check_volume_dates
from ..textbuild import TextBuilder, normalise_block
from ..xmlsafe import parse_xml, sniff_xml_root
from .base import AuthorityEntry, ReadContext, ReaderError

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DOC_MIN = f"{{{FRUS_NS}}}doc-dateTime-min"
DOC_MAX = f"{{{FRUS_NS}}}doc-dateTime-max"
HSG = "https://history.state.gov/historicaldocuments"
#: Edition markup → annotation type.
#: Edition markup → annotation type: the registry's TEI elements (persName → person, rs → entity, ...),
#: and `gloss`, which the FRUS editions use for a glossed term.
ANNOTATED = {t.tei_element: t.name for t in ANNOTATION_TYPES.values() if t.tei_element != "seg"} | {"gloss": "term"}
#: `seg` types that are annotations (what Despatch's own TEI export writes for estimative language).
SEG_TYPES = tuple(t.name for t in ANNOTATION_TYPES.values() if t.tei_element == "seg")
#: Elements that are blocks of their own kind (anything else is inline or a container).
BLOCKS = {
    "p": "paragraph",
    "head": "heading",
    "dateline": "paragraph",
    "salute": "paragraph",
    "byline": "paragraph",
    "opener": "paragraph",
    "closer": "paragraph",
    "signed": "paragraph",
    "item": "list_item",
    "row": "paragraph",
    "l": "paragraph",
    "trailer": "paragraph",
    "docAuthor": "paragraph",
    "figDesc": "paragraph",
}
#: Elements that also get a span covering all their content.
CONTAINERS = {
    "quote": "quote",
    "closer": "closer",
    "postscript": "postscript",
    "attachment": "attachment",
    "table": "table",
}
SKIP = {"graphic", "fw", "facsimile", "milestone", "index", "teiHeader"}
_OMISSION_PARA = re.compile(r"^[\s.*…]+$")
_NOT_DECLASSIFIED = re.compile(r"\[[^\[\]\n]{0,120}?not declassified[^\[\]\n]{0,60}?\]", re.I)
_CLASS_WORDS = (
    r"strictly confidential|personal and (?:strictly )?confidential|personal and secret|most secret|top secret|"
    r"secret and confidential|confidential|secret"
)
_CLASS_MARK = re.compile(rf"^\s*\[?\s*(?:[\w.]+\s*\.?\s*[—–-]\s*)?({_CLASS_WORDS})\s*[.\]]*\s*$", re.I)
_CLASS_ANY = re.compile(rf"(?:^|[\[(—–,:;]\s*)({_CLASS_WORDS})\b\s*[.\])]?", re.I)
_CLASS_TELEGRAM = re.compile(r"^(?:\d+[a-z]?\.\s+)?((?-i:Strictly [Cc]onfidential|Personal and [Cc]onfidential|"
                             r"Personal and [Ss]ecret|Most [Ss]ecret|Top [Ss]ecret|Confidential|Secret|"
                             r"CONFIDENTIAL|SECRET|STRICTLY CONFIDENTIAL|TOP SECRET))\b", re.I)
_WRITTEN_DATE = re.compile(
    r"(?:\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?)?\b(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s*(?:[0-3]?\d(?:st|nd|rd|th)?|—+)?,?"
    r"\s+1[5-9]\d\d\b"
)
_DOC_TYPES = [
    (re.compile(r"\b(tele|cable)gra(m|ph)", re.I), "telegram"),
    (re.compile(r"^\s*(memorandum|aide[- ]m[ée]moire)", re.I), None),
    (re.compile(r"^\s*minutes\b", re.I), "minutes"),
    (re.compile(r"^\s*record of\b", re.I), "record"),
    (re.compile(r"^\s*(a )?proclamation\b", re.I), "proclamation"),
    (re.compile(r"^\s*circular\b|\[circular", re.I), "circular"),
    (re.compile(r"^\s*report\b", re.I), "report"),
    (re.compile(r"^\s*(treaty|convention|protocol|agreement)\b", re.I), "treaty"),
    (re.compile(r"^\s*(instruction)\b", re.I), "instruction"),
    (re.compile(r"^\s*(despatch|dispatch)\b", re.I), "despatch"),
    (re.compile(r"^\s*letter\b", re.I), "letter"),
    (re.compile(r"^\s*note\b", re.I), "note"),
]


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _text(el: etree._Element | None) -> str:
    """An element's text, whitespace collapsed, without its footnotes."""
    if el is None:
        return ""
    out: list[str] = []

    def walk(e: etree._Element) -> None:
        if e.text:
            out.append(e.text)
        for c in e:
            name = local(c)
            if name == "lb":
                out.append(" ")
            elif name != "note" and isinstance(c.tag, str):
                walk(c)
            if c.tail:
                out.append(c.tail)

    walk(el)
    return normalise_block("".join(out))


def _attrs(el: etree._Element) -> dict[str, str]:
    d: dict[str, str] = {}
    for k, v in el.attrib.items():
        name = k.rsplit("}", 1)[-1]
        d["xml_id" if k == XML_ID else name] = v
    return d


# -- the volume ----------------------------------------------------------------------------------
@dataclass
class Volume:
    id: str
    series: str | None = None
    subseries: str | None = None
    volume_number: str | None = None
    volume: str | None = None
    title: str | None = None
    editors: list[str] = field(default_factory=list)
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    isbn: str | None = None
    #: where `id` came from: "idno", "xml:id", "file-name-pattern" (frus… in the file's name) or "file-name"
    #: (nothing of the edition's: then the volume id is only a local name, never a history.state.gov path)
    id_source: str = "idno"

    def citation(self) -> str | None:
        title = self.title or ", ".join(x for x in (self.series, self.subseries, self.volume, self.volume_number) if x)
        if not title:
            return None
        imprint = ", ".join(x for x in (self.publisher, str(self.year) if self.year else None) if x)
        if self.place and imprint:
            imprint = f"{self.place}: {imprint}"
        eds = "; ".join(self.editors)
        s = title
        if eds:
            s += f", ed. {eds}"
        if imprint:
            s += f" ({imprint})"
        return s

    def source(self, pages: str | None) -> Source:
        return Source(
            text=self.citation(),
            editors=list(self.editors),
            title=self.title,
            publisher=self.publisher,
            place=self.place,
            year=self.year,
            isbn=self.isbn,
            pages=pages,
        )


def _last_first(name: str) -> str:
    """'Joseph V. Fuller' → 'Fuller, Joseph V.' (a name already with a comma is kept)."""
    name = " ".join(name.split())
    if "," in name or " " not in name:
        return name
    parts = name.split(" ")
    suffix = ""
    if parts[-1].rstrip(".") in ("Jr", "Sr", "II", "III", "IV") and len(parts) > 2:
        suffix = ", " + parts.pop()
    return f"{parts[-1]}, {' '.join(parts[:-1])}{suffix}"


_FRUS_FILE_ID = re.compile(r"^(frus\d{4}(?:-\d{2,4})?[A-Za-z0-9]*?)(?:[-_]?(?:d\d|ch|comp)\w*)?$")


def read_volume(root: etree._Element, fallback_id: str) -> Volume:
    header = next((e for e in root.iter() if local(e) == "teiHeader"), None)
    vol_id, id_source = None, None
    if header is not None:
        for e in header.iter():
            if local(e) == "idno" and e.get("type") == "frus" and _text(e):
                vol_id, id_source = _text(e), "idno"
                break
    if not vol_id:
        # The edition's own ids: the root's xml:id, or a document's in the `frus…` form ("frus1952-54v08-d475").
        for e in ([root] if local(root) in ("TEI", "teiCorpus") else []) + [
                d for d in root.iter() if local(d) == "div" and d.get("type") == "document"][:1]:
            xid = e.get(XML_ID) or ""
            m = _FRUS_FILE_ID.match(xid)
            if m and xid.startswith("frus"):
                vol_id, id_source = m.group(1), "xml:id"
                break
            if xid and e is root and local(root) in ("TEI", "teiCorpus"):
                vol_id, id_source = xid, "xml:id"
                break
    if not vol_id:  # an excerpt saved as `frus1952-54v08-d475.xml`: the edition's volume id, from the file's name
        m = _FRUS_FILE_ID.match(fallback_id)
        if m:
            vol_id, id_source = m.group(1), "file-name-pattern"
    v = Volume(id=vol_id or fallback_id, id_source=id_source or "file-name")
    if header is None:
        return v
    for e in header.iter():
        name = local(e)
        if name == "title" and _in(e, "titleStmt"):
            t, val = (e.get("type") or "").replace("-", ""), _text(e) or None
            if t == "complete":
                v.title = val
            elif t == "series":
                v.series = val
            elif t == "subseries":
                v.subseries = val
            elif t == "volumenumber":
                v.volume_number = val
            elif t == "volume":
                v.volume = val
            elif not t and not v.title:
                v.title = val
        elif name == "editor" and _in(e, "titleStmt") and _text(e):
            v.editors.append(_last_first(_text(e)))
        elif name == "publisher" and _in(e, "publicationStmt") and not v.publisher:
            v.publisher = _text(e) or None
        elif name == "pubPlace" and _in(e, "publicationStmt") and not v.place:
            v.place = _text(e) or None
        elif name == "date" and _in(e, "publicationStmt") and not v.year:
            m = re.search(r"\d{4}", e.get("when") or _text(e))
            v.year = int(m.group(0)) if m else None
        elif name == "idno" and (e.get("type") or "").lower().startswith("isbn") and _text(e):
            if not v.isbn or (e.get("type") or "").endswith("13"):
                v.isbn = _text(e)
    return v


def _in(el: etree._Element, ancestor: str) -> bool:
    return any(local(a) == ancestor for a in el.iterancestors())


def read_authorities(root: etree._Element, vol_id: str) -> list[AuthorityEntry]:
    """The volume's lists of persons and of terms (front matter divs `persons` / `terms`)."""
    out: list[AuthorityEntry] = []
    for div in root.iter():
        if local(div) != "div" or div.get(XML_ID) not in ("persons", "terms"):
            continue
        kind = "person" if div.get(XML_ID) == "persons" else "term"
        for item in div.iter():
            if local(item) != "item":
                continue
            target = next((e for e in item.iter() if e.get(XML_ID)), None)
            if target is None:
                continue
            name = _text(target).strip(" ,:;")
            full = _text(item)
            desc = full[len(_text(target)) :].strip(" ,:;.—–-") if full.startswith(_text(target)) else full
            if name:
                out.append(AuthorityEntry(f"{vol_id}#{target.get(XML_ID)}", kind, name, desc or None))
    return out


# -- one document --------------------------------------------------------------------------------
class _Open:
    """A range being measured while its element's content is written (an annotation or a container)."""

    __slots__ = ("start", "end", "kind", "value", "is_annotation")

    def __init__(self, kind: str, value: object, is_annotation: bool) -> None:
        self.start: int | None = None
        self.end: int | None = None
        self.kind = kind
        self.value = value
        self.is_annotation = is_annotation


class DocWriter:
    """Walks one document div and writes its text, spans and annotations."""

    def __init__(self, doc_el: etree._Element, page: str | None, vol_id: str) -> None:
        self.doc_el = doc_el
        self.vol_id = vol_id
        self.tb = TextBuilder()
        self.page = page
        self.pages: list[str] = []
        self.blocks: list[list] = []  # stack of [kind, attrs] for block elements
        self.open_block = False
        self.ranges: list[_Open] = []
        self.footnotes: list[tuple[etree._Element, str | None]] = []
        self.in_notes = False
        self.annotations: list[Annotation] = []
        self.head_range: tuple[int, int] | None = None
        self.head_marks: list[tuple[str, int, int]] = []  # (from|to, start, end) inside the title head
        self.in_title_head = False
        self.source_notes: list[str] = []
        self.top_texts: list[str] = []  # short blocks before the first long paragraph (for markings)
        self.datelines: list[etree._Element] = []
        self.pending_breaks: list[str | None] = []
        # anchor xml:id → (end of the text before it, start of the text after it)
        self.anchors: dict[str, tuple[int, int | None]] = {}
        self.pending_anchors: list[str] = []
        self.last_end = 0

    # -- writing primitives -------------------------------------------------------------------------
    def emit(self, s: str) -> None:
        if not s:
            return
        if not self.open_block:
            if not s.strip():
                return
            self.tb.begin_block()
            self.open_block = True
        start, end = self.tb.inline(s)
        if end > start:
            for ident in self.pending_anchors:
                self.anchors[ident] = (self.anchors[ident][0], start)
            self.pending_anchors.clear()
            self.last_end = end
            for number in self.pending_breaks:  # a page break lands on the first word of its page
                self.tb.mark("page_break", start, start, number=number)
            self.pending_breaks.clear()
            if not self.in_notes and self.page is not None and (not self.pages or self.pages[-1] != self.page):
                self.pages.append(self.page)
            for r in self.ranges:
                if r.start is None:
                    r.start = start
                r.end = end

    def flush(self) -> None:
        if not self.open_block:
            return
        self.open_block = False
        rng = self.tb.end_block()
        if rng is None:
            return
        kind, attrs = self.blocks[-1] if self.blocks else ("paragraph", {})
        self.tb.mark(kind, rng[0], rng[1], **attrs)

    # -- the walk -----------------------------------------------------------------------------------
    def write(self) -> None:
        self.children(self.doc_el)
        self.flush()
        for number in self.pending_breaks:
            self.tb.mark("page_break", self.tb.pos, self.tb.pos, number=number)
        self.pending_breaks.clear()
        self.in_notes = True
        i = 0
        while i < len(self.footnotes):  # footnotes may hold footnotes: the list grows while we go
            note, page = self.footnotes[i]
            self.page = page
            self.blocks.append(["note", {"number": note.get("n")}])
            self.children(note)
            self.flush()
            self.blocks.pop()
            i += 1

    def children(self, el: etree._Element) -> None:
        if el.text:
            self.emit(el.text)
        for c in el:
            self.element(c)
            if c.tail:
                self.emit(c.tail)

    def element(self, el: etree._Element) -> None:
        name = local(el)
        if not name or name in SKIP:
            return
        if name == "div" and el.get("type") == "document" and el is not self.doc_el:
            self.skip_nested(el)
            return
        if name == "pb":
            self.page_break(el)
            return
        if name == "lb":
            self.tb.space()
            return
        if name == "cb":
            return
        if name == "anchor":
            if el.get(XML_ID):
                self.anchor(el.get(XML_ID))
            return
        if name == "gap":
            self.gap(el)
            return
        if name == "note":
            self.note(el)
            return
        if name == "cell":
            if el.getprevious() is not None and local(el.getprevious()) == "cell":
                self.emit(" | ")
            self.inline(el)
            return
        block = BLOCKS.get(name)
        container = CONTAINERS.get(name)
        if name == "div" or name == "list" or name == "figure":
            self.flush()
            self.children(el)
            self.flush()
            return
        if name == "label" and self.blocks and self.blocks[-1][0] == "list_item":
            self.blocks[-1][1].setdefault("label", _text(el))
            self.inline(el)
            return
        if name in ("quote", "q") and not self.has_blocks(el):
            self.inline(el, container="quote")
            return
        if block or container:
            self.block(el, block, container)
            return
        self.inline(el)

    def is_own(self, el: etree._Element) -> bool:
        """True for an element of this document itself, not of an attachment (enclosure) or nested document."""
        return not _in_attachment(el, self.doc_el)

    def has_blocks(self, el: etree._Element) -> bool:
        return any(local(c) in BLOCKS or local(c) in ("list", "table", "quote", "div", "note") for c in el)

    def block(self, el: etree._Element, kind: str | None, container: str | None) -> None:
        rec = None
        if container:
            rec = _Open(container, None, False)
            self.ranges.append(rec)
        if kind:
            attrs: dict = {}
            if kind == "heading":
                attrs["level"] = 1 if el.getparent() is self.doc_el else 2
                title_head = el.getparent() is self.doc_el and self.head_range is None
            else:
                title_head = False
            self.flush()
            self.blocks.append([kind, attrs])
            start_len = len(self.tb.structure)
            self.in_title_head = title_head
            self.children(el)
            self.flush()
            self.in_title_head = False
            self.blocks.pop()
            if title_head:
                spans = [s for s in self.tb.structure[start_len:] if s.type == "heading"]
                if spans:
                    self.head_range = (spans[0].start, spans[-1].end)
            if not self.in_notes and kind == "paragraph" and self.is_own(el) and len(self.top_texts) < 8:
                t = _text(el)
                if t and not any(len(x) > 200 for x in self.top_texts):
                    self.top_texts.append(t)
        else:
            self.flush()
            self.children(el)
            self.flush()
        if local(el) == "dateline" and not self.in_notes and self.is_own(el):
            self.datelines.append(el)
        if rec is not None:
            self.ranges.remove(rec)
            if rec.start is not None and rec.end is not None:
                self.tb.mark(container, rec.start, rec.end)

    def inline(self, el: etree._Element, container: str | None = None) -> None:
        name = local(el)
        kind = ANNOTATED.get(name)
        if name == "seg" and el.get("type") in SEG_TYPES:
            kind = el.get("type")
        rec = None
        if kind == "ref" and not el.get("target"):
            kind = None
        if kind or container:
            value = _attrs(el) if kind else None
            if kind and isinstance(value, dict):
                value["element"] = name
                corresp = value.get("corresp") or value.get("target")
                if corresp and "#" in corresp and kind != "ref":
                    vol, _, ident = corresp.partition("#")
                    value["authority"] = f"{vol or self.vol_id}#{ident}"
                if kind == "entity" and value.get("type") in ENTITY_TYPES:
                    kind = value["type"]
            rec = _Open(kind or container or "", value, bool(kind))
            self.ranges.append(rec)
        self.children(el)
        if rec is not None:
            self.ranges.remove(rec)
            if rec.start is not None and rec.end is not None and rec.end > rec.start:
                if rec.is_annotation:
                    self.annotations.append(Annotation(rec.kind, rec.start, rec.end, "", rec.value, "tei"))
                    party = el.get("type") in ("from", "to") and name in ("persName", "gloss", "orgName", "rs")
                    if self.in_title_head and party:
                        self.head_marks.append((el.get("type"), rec.start, rec.end))
                else:
                    self.tb.mark(rec.kind, rec.start, rec.end)

    def note(self, el: etree._Element) -> None:
        if el.get("n") is not None or (el.get(XML_ID) or "").count("fn"):
            # A footnote: anchored here, written after the body. A post-1945 volume's source note is the
            # head's first footnote (`<note n="1" type="source">`): its markings and file are read too.
            if el.get("type") == "source" and not self.in_notes and self.is_own(el) and (t := _text(el)):
                self.source_notes.append(t)
            self.tb.mark("note_ref", self.tb.pos, self.tb.pos, number=el.get("n"))
            self.footnotes.append((el, self.page))
            return
        label = "source" if el.get("type") == "source" else None
        if label and not self.in_notes and self.is_own(el):
            t = _text(el)
            if t:
                self.source_notes.append(t)
        if not self.in_notes and self.is_own(el):
            t = _text(el)
            if t and len(self.top_texts) < 8:
                self.top_texts.append(t)
        self.flush()
        self.blocks.append(["note", {"label": label} if label else {}] if label else ["paragraph", {}])
        self.children(el)
        self.flush()
        self.blocks.pop()

    def anchor(self, ident: str) -> None:
        self.anchors[ident] = (self.last_end, None)
        self.pending_anchors.append(ident)

    def standoff(self) -> None:
        """Annotations kept in `standOff` between two anchors (Despatch's export puts those that cross
        another annotation's or a block's boundary there): start after the first, end before the second."""
        tei = next((a for a in self.doc_el.iterancestors() if local(a) == "TEI"), None)
        if tei is None:
            return
        for so in tei:
            if local(so) != "standOff":
                continue
            for sp in so.iter(f"{{{TEI_NS}}}span"):
                a, b = (sp.get("from") or "")[1:], (sp.get("to") or "")[1:]
                if a not in self.anchors or b not in self.anchors:
                    continue
                start = self.anchors[a][1] if self.anchors[a][1] is not None else self.anchors[a][0]
                end = self.anchors[b][0]
                if end <= start:
                    continue
                value: object = None
                if sp.get("ana"):
                    try:
                        value = json.loads(sp.get("ana"))
                    except ValueError:
                        value = sp.get("ana")
                self.annotations.append(Annotation(sp.get("type") or "span", start, end, "", value, "tei"))

    def page_break(self, el: etree._Element) -> None:
        n = el.get("n")
        if self.in_notes:
            if n:
                self.pages.append(n) if n not in self.pages else None
                self.page = n
            return
        self.pending_breaks.append(n)
        if n:
            self.page = n

    def gap(self, el: etree._Element) -> None:
        desc = " ".join(x for x in (el.get("quantity"), el.get("unit"), el.get("reason")) if x) or None
        if el.text and el.text.strip():
            rec = _Open("omission", None, False)
            self.ranges.append(rec)
            self.emit(el.text)
            self.ranges.remove(rec)
            if rec.start is not None:
                self.tb.mark("omission", rec.start, rec.end, label=desc)
        else:
            self.tb.mark("omission", self.tb.pos, self.tb.pos, label=desc or "gap")

    def skip_nested(self, el: etree._Element) -> None:
        """A nested document is a document of its own; its page breaks still move this one's page."""
        self.flush()
        for pb in el.iter():
            if local(pb) == "pb" and pb.get("n"):
                self.page = pb.get("n")


def _in_attachment(el: etree._Element, doc_el: etree._Element) -> bool:
    for a in el.iterancestors():
        if a is doc_el:
            return False
        if local(a) == "attachment" or (local(a) == "div" and a.get("type") == "document"):
            return True
    return False


def _nearest_doc(el: etree._Element) -> etree._Element | None:
    for a in el.iterancestors():
        if local(a) == "div" and a.get("type") == "document":
            return a
    return None


# -- fields from what was written ------------------------------------------------------------------
_HEAD_NUMBER = re.compile(r"^\s*\*?(?:No\.\s*)?\d+[a-z]?\.\s*(?:—\s*)?")
_RECEIVED = re.compile(r"\s*[.—–,]*\s*[\[(]\s*Received\b.*$", re.I)
_NOT_PARTIES = re.compile(
    r"^\s*(?:\[|extract|minutes|record|report|treaty|convention|protocol|article|notes?\b|memorial|proclamation|"
    r"circular|declaration|statement|agreement|decree|law|act\b|resolution|message|schedule|list|table|abstract|"
    r"translation|summary|draft|copy|enclosure|inclosure|annex|appendix|instructions?\b)",
    re.I,
)
_BY = re.compile(r"^\s*(?:memorandum|aide[- ]m[ée]moire|minutes|report|statement|note|notes|telegram|letter)"
                 r"(?: of (?:a )?conversations?| of conversation)?,?\s+(?:prepared\s+)?by\s+(?P<who>.+)$", re.I)


_KIND_FROM = re.compile(r"^\s*(?:(?:Circular\s+|Backchannel\s+)?(?:Telegram|Memorandum|Letter|Despatch|Dispatch|"
                        r"Airgram|Message|Note|Instruction|Cable|Paper|Report|Briefing Paper|Intelligence Note)s?\s+"
                        r"(?:From|by|Prepared by|Prepared in)\s+)", re.I)


def _clean_party(s: str) -> str | None:
    s = _RECEIVED.sub("", s)
    s = _KIND_FROM.sub("", s)  # "Telegram From the Embassy in the Soviet Union" → the Embassy …
    s = s.strip(" .,;:—–-")
    return s or None


def parties(title: str | None, marks: list[tuple[str, int, int]], head_start: int) -> tuple[str | None, str | None]:
    """(originator, recipient) from the head: split at the ' to ' before the recipient's markup."""
    if not title or title.strip("[] ").lower() == "untitled":
        return (None, None)
    h = title
    rel = [(t, s - head_start, e - head_start) for t, s, e in marks]
    to = next(((s, e) for t, s, e in rel if t == "to"), None)
    fr = next(((s, e) for t, s, e in rel if t == "from"), None)
    idx = -1
    if to is not None:
        idx = h.rfind(" to ", fr[1] - 1 if fr else 0, to[0] + 1)
    elif fr is not None:
        idx = h.find(" to ", fr[1] - 1)
    if idx < 0:
        m = _BY.match(h)
        if m:
            return (_clean_party(_HEAD_NUMBER.sub("", m.group("who"))), None)
        if fr is not None:
            return (_clean_party(_HEAD_NUMBER.sub("", h)), None)
        body = _HEAD_NUMBER.sub("", h)
        if _NOT_PARTIES.match(body) or body.count(" to ") != 1:
            return (None, None)
        idx = h.find(" to ")
        if len(h[:idx].split()) > 14 or re.search(r"[’']s\s", h[:idx]):  # "Mr. Fay’s parting remarks to …"
            return (None, None)
    orig = _HEAD_NUMBER.sub("", h[:idx])
    return (_clean_party(orig), _clean_party(h[idx + 4 :]))


def classification_of(head: str | None, sources: list[str], tops: list[str]):
    for t in sources + tops:
        m = _CLASS_MARK.match(t)
        if m:
            return normalise_classification(m.group(1))
    for t in sources:
        m = _CLASS_ANY.search(t)
        if m:
            return normalise_classification(m.group(1))
    for t in tops:
        m = _CLASS_TELEGRAM.match(t)
        if m:
            return normalise_classification(m.group(1))
    if head:
        m = re.search(rf"[\[(—–]\s*({_CLASS_WORDS})\b", head, re.I)
        if m:
            return normalise_classification(m.group(1))
    return None


def doc_type_of(el: etree._Element, head: str | None, sources: list[str], dateline: str | None) -> str | None:
    sub = (el.get("subtype") or "").lower()
    if sub in ("editorial-note", "editorial_note"):
        return "editorial-note"
    for t in sources + ([dateline] if dateline else []):
        if _DOC_TYPES[0][0].search(t):
            return "telegram"
        if re.search(r"\bcircular\b", t, re.I):
            return "circular"
    if head:
        h = _HEAD_NUMBER.sub("", head)
        m = re.match(r"^\s*(memorandum|aide[- ]m[ée]moire)", h, re.I)
        if m:
            return "aide-memoire" if m.group(1).lower().startswith("aide") else "memorandum"
        for rx, kind in _DOC_TYPES:
            if kind and rx.search(h) and (kind != "telegram"):
                return kind
        if re.search(r"\btelegram\b", h, re.I):
            return "telegram"
    return None


def _range_date(lo: str, hi: str, text: str | None) -> DocDate | None:
    a, b = parse_iso(lo[:19]), parse_iso(hi[:19])
    if a is None or b is None:
        return None
    if lo[:19] == hi[:19]:
        return DocDate(a.start, a.start, "minute", text)
    d1, d2 = lo[:10], hi[:10]
    t1, t2 = lo[11:19], hi[11:19]
    if t1 in ("", "00:00:00") and t2 in ("", "23:59:59"):
        if d1 == d2:
            return DocDate(d1, d2, "day", text)
        if d1[:7] == d2[:7] and d1[8:] == "01":
            m = parse_iso(d1[:7])
            if m and m.end == d2:
                return DocDate(m.start, m.end, "month", text)
        if d1[:4] == d2[:4] and d1[5:] == "01-01" and d2[5:] == "12-31":
            return DocDate(d1, d2, "year", text)
        return DocDate(d1, d2, "day", text)
    return DocDate(a.start, b.start, "minute", text)


def _next_day(iso_day: str, step: int = 1) -> str:
    """The day after (or before) an ISO day: a local time in another zone than the edition's may fall there."""
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(iso_day) + timedelta(days=step)).isoformat()
    except ValueError:
        return iso_day


def date_of(
    el: etree._Element, datelines: list[etree._Element], first_texts: list[str]
) -> tuple[DocDate | None, str | None]:
    """(date, where it came from): frus:doc-dateTime-min/max, the dateline's date/@when, or written text."""
    date_el = None
    for dl in datelines:
        date_el = next((d for d in dl.iter() if local(d) == "date"), None)
        if date_el is not None:
            break
    written = _text(date_el) if date_el is not None else None
    lo, hi = el.get(DOC_MIN), el.get(DOC_MAX)
    when = date_el.get("when") if date_el is not None else None
    if lo and hi and when and "T" in when and (local_dt := parse_iso(when[:19], written or when)) is not None \
            and _next_day(lo[:10], -1) <= local_dt.start[:10] <= _next_day(hi[:10]):
        # The dateline's own time, as printed at the place ("Moscow, … 9 p.m."), not the edition's
        # normalisation of it to another zone; both are kept in the metadata (`times_of`).
        return local_dt, "dateline"
    if lo and hi:
        d = _range_date(lo, hi, written)
        if d:
            return d, "frus:doc-dateTime"
    for dl in datelines:
        for d in dl.iter():
            if local(d) == "date":
                when = d.get("when")
                if when and (parsed := parse_iso(when)):
                    parsed.text = _text(d) or when
                    return parsed, "dateline"
                t = _text(d)
                if t and (parsed := parse_written_date(t)):
                    return parsed, "dateline"
    for t in first_texts:
        for m in _WRITTEN_DATE.finditer(t):
            parsed = parse_written_date(re.sub(r"\s*—+", "", m.group(0)).replace(" of ", " "))
            if parsed:
                return parsed, "text"
    return None, None


def _opener_lines(doc_el: etree._Element) -> list[str]:
    """The lines of this document's own `opener`s other than the dateline: where a post-1945 FRUS document
    prints its markings (`<seg><hi rend="smallcaps">secret</hi></seg>`)."""
    out: list[str] = []
    for op in doc_el.iter(f"{{{TEI_NS}}}opener"):
        if _in_attachment(op, doc_el) or any(local(a) == "note" for a in op.iterancestors()):
            continue
        if op.text and op.text.strip():
            out.append(normalise_block(op.text))
        for c in op:
            if local(c) not in ("dateline", "note", "pb", "lb") and isinstance(c.tag, str):
                t = _text(c)
                if t:
                    out.append(t)
            if c.tail and c.tail.strip():
                out.append(normalise_block(c.tail))
    return out


_TIME = re.compile(r"(?:\b\d{1,2}(?:[:.]\d\d)?\s*[ap]\.\s?m\.?|\b(?:noon|midnight)\b|"
                   r"\b\d{4}\s?(?:Z|GMT|hours?|hrs\.?)(?!\w)|\b\d{1,2}(?::\d\d)?\s*o['’]clock\b)", re.I)


def times_of(el: etree._Element, datelines: list[etree._Element]) -> dict[str, str]:
    """Both times a FRUS document carries: the dateline's local time as printed ("9 p.m.", "1830Z") with the
    edition's encoding of it (`date/@when`, which may hold the place's UTC offset), and the edition's
    normalised range (`frus:doc-dateTime-min/max`). Only what is there."""
    out: dict[str, str] = {}
    for dl in datelines[:1]:
        d = next((x for x in dl.iter() if local(x) == "date"), None)
        t = _text(d) if d is not None else _text(dl)
        m = _TIME.search(t or "")
        if m:
            out["time_as_printed"] = m.group(0)
        if d is not None and d.get("when"):
            out["date_when"] = d.get("when")
    lo, hi = el.get(DOC_MIN), el.get(DOC_MAX)
    if lo:
        out["date_normalised_min"] = lo
    if hi:
        out["date_normalised_max"] = hi
    return out


def _place_of(datelines: list[etree._Element]) -> str | None:
    for dl in datelines:
        for p in dl.iter():
            if local(p) == "placeName":
                t = _text(p).strip(" ,.;:[]")
                if t:
                    return t
    return None


def page_range(pages: list[str]) -> str | None:
    if not pages:
        return None
    first, last = pages[0].strip("[]"), pages[-1].strip("[]")
    return first if first == last else f"{first}-{last}"


def _omissions(text: str, tb: TextBuilder) -> None:
    for s in list(tb.structure):
        if s.type == "paragraph" and _OMISSION_PARA.match(text[s.start : s.end]) and s.end - s.start >= 3:
            tb.mark("omission", s.start, s.end, label=text[s.start : s.end])
    for m in _NOT_DECLASSIFIED.finditer(text):
        tb.mark("omission", m.start(), m.end(), label=m.group(0))


# -- the reader --------------------------------------------------------------------------------------
class TEIReader:
    """TEI P5 editions (FRUS volumes) and single TEI documents.

    `infer_enclosure_dates`: an undated document with no dateline that follows a dated one in the same
    chapter is, in these volumes, an enclosure printed after its covering despatch: it gets that despatch's
    date, marked `metadata.date_source = "covering-document"` (date.text stays None: nothing of the kind is
    written). On by default; `despatch ingest --no-infer-enclosure-dates` or
    `IngestOptions(reader_settings={"tei": {"infer_enclosure_dates": False}})` turns it off.
    """

    name = "tei"

    def __init__(self, infer_enclosure_dates: bool = True) -> None:
        self.infer_enclosure_dates = bool(infer_enclosure_dates)

    def sniff(self, head: bytes, path: Path) -> float:
        ns, name = sniff_xml_root(head)
        if name in ("TEI", "teiCorpus") or ns in (TEI_NS, FRUS_NS):
            return 0.95
        if name == "div" and b'type="document"' in head[:4096]:
            return 0.7
        return 0.0

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        tree = parse_xml(data)
        root = tree.getroot()
        vol = read_volume(root, Path(str(ctx.path).split("!")[-1]).stem)
        ctx.authorities.extend(read_authorities(root, vol.id))
        docs = [e for e in root.iter() if local(e) == "div" and e.get("type") == "document"]
        if not docs:
            # Any other TEI file (a letter, a diary): its text (or body) is one document.
            docs = [e for e in root.iter() if local(e) == "text" and not _in(e, "text")][:1] or \
                [e for e in root.iter() if local(e) == "body"][:1]
            if not docs:
                raise ReaderError("TEI file with neither div[@type='document'] nor a text element")
        start_page: dict[etree._Element, str | None] = {}
        page = None
        wanted = set(docs)
        for e in root.iter():
            name = local(e)
            if name == "pb" and e.get("n"):
                page = e.get("n")
            elif e in wanted:
                start_page[e] = page
        keys = _doc_keys(docs)
        url_of: dict[etree._Element, str | None] = {}
        id_of: dict[etree._Element, str] = {}
        for i, el in enumerate(docs):
            id_of[el] = ctx.doc_id(f"{vol.id}-{keys[i]}")
        chapters: dict[etree._Element, str | None] = {}
        out = [self._document(el, vol, ctx, start_page.get(el), id_of, url_of, chapters) for el in docs]
        check_volume_dates(out, _volume_year(vol), vol.year)  # before enclosures inherit a covering date
        if self.infer_enclosure_dates:
            for i in range(1, len(out)):
                doc, prev = out[i], out[i - 1]
                if doc.date is None and prev.date is not None and docs[i].getparent() is docs[i - 1].getparent() \
                        and doc.doc_type != "editorial-note" and "date_flags" not in doc.metadata \
                        and not any(local(e) == "dateline" for e in docs[i].iter()):
                    # what is doubtful about the covering date (a 1628 charter in an 1872 volume) is said of
                    # the enclosure's copy too
                    doc.date = DocDate(prev.date.start, prev.date.end, prev.date.precision, None,
                                       list(prev.date.flags))
                    if prev.date.flags:
                        doc.metadata["date_flags"] = list(prev.date.flags)
                    doc.metadata["date_source"] = "covering-document"
                    doc.metadata["date_inferred_from"] = prev.metadata.get("date_inferred_from", prev.id)
        yield from out

    def _document(self, el, vol: Volume, ctx: ReadContext, page, id_of, url_of, chapters) -> Document:
        w = DocWriter(el, page, vol.id)
        w.write()
        w.standoff()
        text = w.tb.finish()
        _omissions(text, w.tb)
        w.tb.structure.sort(key=lambda s: (s.start, -s.end))
        for a in w.annotations:
            a.text = text[a.start : a.end]
        w.annotations.sort(key=lambda a: (a.start, -a.end))
        title = text[w.head_range[0] : w.head_range[1]] if w.head_range else None
        if title is None and local(el) in ("text", "body"):
            title = vol.title
        n = el.get("n")
        parent = _nearest_doc(el)
        if vol.id_source == "file-name":
            url = None  # no edition id: a history.state.gov path made from a file's name would be invented
        elif n:
            url = f"{HSG}/{vol.id}/d{n}"
        elif parent is not None and url_of.get(parent):
            url = url_of[parent]
        else:
            anc = next((a for a in el.iterancestors() if a.get(XML_ID)), None)
            url = f"{HSG}/{vol.id}/{anc.get(XML_ID)}" if anc is not None and local(anc) == "div" else None
        if el.get(XML_ID) and not n and vol.id_source != "file-name":
            url = url or f"{HSG}/{vol.id}/{el.get(XML_ID)}"
        url_of[el] = url
        originator, recipient = parties(title, w.head_marks, w.head_range[0] if w.head_range else 0)
        first_texts = ([title] if title else []) + [_text(d) for d in w.datelines[:1]] + w.top_texts[:3]
        date, date_source = date_of(el, w.datelines, first_texts)
        times = times_of(el, w.datelines)
        dateline_text = _text(w.datelines[0]) if w.datelines else None
        heads = _section_heads(el, chapters)
        marks = [(m, "opener") for line in _opener_lines(el) for m in read_markings(line, allow_tail=True)]
        marks += [(m, "opening line") for t in w.top_texts if len(t) < 80 for m in read_markings(t)]
        marks += [(m, "opening line") for t in w.top_texts[:4] if t not in w.source_notes
                  for m in first_line_markings(t)]
        marks += [(m, "source note") for t in w.source_notes for m in note_markings(t)]
        cls_text, precedence, handling = summarise([m for m, _ in marks])
        editorial = (el.get("subtype") or "").lower() in ("editorial-note", "editorial_note")
        classification = normalise_classification(cls_text) if cls_text else \
            None if editorial else classification_of(title, w.source_notes, w.top_texts)
        location = next((loc for t in w.source_notes if (loc := archival_location(t))), None)
        meta: dict = {
            "volume": vol.id,
            "volume_id_source": vol.id_source if vol.id_source != "idno" else None,
            "number": n,
            "xml_id": el.get(XML_ID),
            "chapter": heads[-1] if heads else None,
            "sections": heads,
            "series": vol.series,
            "subseries": vol.subseries,
            "volume_number": vol.volume_number,
            "volume_title": vol.title,
            "archival_source": "; ".join(w.source_notes) or None,
            "pages": w.pages,
            "subtype": el.get("subtype"),
            "date_source": date_source,
            **times,
            "precedence": precedence,
            "handling": handling,
            "markings": [{"kind": m.kind, "value": m.value, "text": m.text, "where": where} for m, where in marks],
            "archival_location": location,
        }
        for side, party in (("originator", originator), ("recipient", recipient)):
            name, role = name_and_role(party)  # "The Chargé in the Soviet Union (Kennan)": Kennan, the role
            meta[f"{side}_name"], meta[f"{side}_role"] = name, role
        if parent is not None:
            meta["attached_to"] = id_of.get(parent)
        children = [id_of[d] for d in el.iter() if d is not el and d in id_of and _nearest_doc(d) is el]
        if children:
            meta["attachments"] = children
        meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
        return Document(
            id=id_of[el],
            collection=ctx.collection,
            text=text,
            title=title,
            doc_type=doc_type_of(el, title, w.source_notes, dateline_text),
            language="en",
            date=date,
            classification=classification,
            originator=originator,
            recipient=recipient,
            place=_place_of(w.datelines),
            source=vol.source(page_range(w.pages)),
            url=url,
            file=ctx.file_info("tei"),
            structure=w.tb.structure,
            annotations=w.annotations,
            metadata=meta,
        )


def _volume_year(vol: Volume) -> int | None:
    """The year a volume is about, from its id (frus1864p3 → 1864) or its title; None if neither says."""
    for s in (vol.id, vol.subseries, vol.title):
        m = re.search(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)", s or "")
        if m:
            return int(m.group(1))
    return None


def _doc_keys(docs: list[etree._Element]) -> list[str]:
    keys: list[str] = []
    counters: dict[str, int] = {}
    for i, el in enumerate(docs):
        xid = el.get(XML_ID)
        if xid:
            keys.append(xid)
            continue
        anc = next((a for a in el.iterancestors() if a.get(XML_ID)), None)
        base = anc.get(XML_ID) if anc is not None else "doc"
        if anc is None:
            keys.append(f"doc{i + 1}")
            continue
        counters[base] = counters.get(base, 0) + 1
        keys.append(f"{base}-att{counters[base]}")
    return keys


def _section_heads(el: etree._Element, cache: dict) -> list[str]:
    """Heads of the enclosing chapters/compilations, outermost first."""
    out: list[str] = []
    for a in el.iterancestors():
        if local(a) != "div" or a.get("type") == "document":
            continue
        if a not in cache:
            h = next((c for c in a if local(c) == "head"), None)
            cache[a] = _text(h) or None if h is not None else None
        if cache[a]:
            out.append(cache[a])
    return list(reversed(out))


