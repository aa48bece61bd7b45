"""TEI P5 export of one document: header from its metadata, body from its structure, annotations inline.

The body is one `div type="document"` (what Despatch's TEI reader looks for), its blocks in text order:
heading → `head`, paragraph → `p`, list item → `item` in a `list`, note → `note`. Footnotes (note blocks
at the end of the text, where the TEI reader puts them) go back to their anchors as `note n="…"`; page
breaks are `pb`, empty omissions `gap`. Annotations become inline elements: person → `persName`, place →
`placeName`, org → `orgName`, date → `date` (`when`/`from`/`to`), term → `term`, amount → `measure`
(`quantity`, `unit`), judgment and uncertainty → `seg type="judgment|uncertainty"` with an empty
`certainty` pointing at it (`degree` = the probability); any other type → `rs type="…"`. An annotation
that cannot nest (it crosses another's boundary or a block's) is kept in `standOff` as a `span` between
two `anchor`s, so nothing is lost, though a reader that only reads inline markup will not count it.

The text inside the elements is exactly the document's text, so reading the export gives it back.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from ..annotation_types import ANNOTATION_TYPES, ENTITY_TYPES
from ..model import Annotation, Document, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
BLOCK_TYPES = ("note", "list_item", "heading", "paragraph")
ELEMENTS = {**{t.name: t.tei_element for t in ANNOTATION_TYPES.values()}, "measure": "measure"}
# Elements that point at an authority (key or corresp): the entity types' and the glossed term's.
_NAME_ELEMENTS = {ELEMENTS[t] for t in ENTITY_TYPES} | {ELEMENTS["term"]}
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(s: str) -> str:
    s = _BAD_XML.sub("\ufffd", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s: Any) -> str:
    return esc(str(s)).replace('"', "&quot;")


def _attrs(d: dict[str, Any]) -> str:
    return "".join(f' {k}="{attr(v)}"' for k, v in d.items() if v not in (None, ""))


def _resp_id(base: str, producer: str) -> str:
    return f"{base}.resp.{xml_id(producer)}"


def xml_id(s: str) -> str:
    """A valid xml:id (NCName) from a Despatch id."""
    s = re.sub(r"[^A-Za-z0-9._-]", "_", s)
    return s if re.match(r"[A-Za-z_]", s) else f"d_{s}"


# -- annotations → elements ----------------------------------------------------------------------
class _Ids:
    """xml:ids unique within a teiCorpus: the document's own id, then a running number."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.n = 0

    def next(self, prefix: str) -> str:
        self.n += 1
        return f"{self.base}.{prefix}{self.n}"


def _open_tag(a: Annotation, ids: _Ids, after: list[str]) -> tuple[str, str]:
    """(start tag, element name) for an annotation; `after` collects what follows its end tag."""
    name = ELEMENTS.get(a.type, "rs")
    v = a.value if isinstance(a.value, dict) else {}
    at: dict[str, Any] = {}
    if name == "rs":
        at["type"] = v.get("type") if a.type == "entity" and v.get("type") else a.type
    elif name in _NAME_ELEMENTS:
        ref = v.get("authority") or v.get("corresp") or v.get("id")
        if isinstance(ref, str) and ref:
            at["corresp" if "#" in ref else "key"] = ref
        if v.get("type") in ("from", "to"):
            at["type"] = v["type"]
    elif name == "date":
        iso = v.get("when") or v.get("value")
        if isinstance(iso, str) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", iso):
            at["when"] = iso
        elif v.get("start") and v.get("end"):
            at["from"], at["to"] = v["start"], v["end"]
        elif isinstance(a.value, str) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", a.value):
            at["when"] = a.value
    elif name == "measure":
        q = v.get("value", v.get("quantity"))
        if isinstance(q, (int, float)):
            at["quantity"] = q
        unit = v.get("currency") or v.get("currency_name") or v.get("unit")
        if unit:
            at["unit"] = unit
        at["type"] = "currency" if (v.get("currency") or v.get("currency_name")) else None
    elif name == "seg":
        sid = ids.next("j")
        at["type"] = a.type
        at["xml:id"] = sid
        cert: dict[str, Any] = {"target": f"#{sid}", "locus": "value"}
        p = v.get("probability")
        if isinstance(p, (int, float)):
            cert["degree"] = p
        after.append(f"<certainty{_attrs(cert)}/>")
    elif name == "ref":
        at["target"] = v.get("target") or "#"
    if a.producer:
        at["resp"] = f"#{_resp_id(ids.base, a.producer)}"
    return f"<{name}{_attrs(at)}>", name


def _inline(text: str, lo: int, hi: int, anns: list[Annotation], points: dict[int, list[str]], ids: _Ids,
            standoff: list[tuple[Annotation, str, str]]) -> str:
    """The block text[lo:hi] with nested annotation elements and the zero-width markup at `points`."""
    events: dict[int, list[str]] = {}  # offset → markup in order
    opens: dict[int, list[tuple[int, str]]] = {}
    stack: list[tuple[int, Annotation]] = []
    placed: list[tuple[Annotation, int, int]] = []
    for a in sorted(anns, key=lambda a: (a.start, -a.end)):
        while stack and stack[-1][0] <= a.start:
            stack.pop()
        if stack and a.end > stack[-1][0]:  # crosses the enclosing element: stand off
            s_id, e_id = ids.next("a"), ids.next("a")
            events.setdefault(a.start, []).append(f'<anchor xml:id="{s_id}"/>')
            events.setdefault(a.end, []).insert(0, f'<anchor xml:id="{e_id}"/>')
            standoff.append((a, s_id, e_id))
            continue
        stack.append((a.end, a))
        placed.append((a, a.start, a.end))
    closes: dict[int, list[str]] = {}
    for a, s, e in placed:
        after: list[str] = []
        tag, name = _open_tag(a, ids, after)
        opens.setdefault(s, []).append((e, tag))
        closes.setdefault(e, []).insert(0, f"</{name}>" + "".join(after))
    out: list[str] = []
    cuts = sorted({lo, hi, *events, *opens, *closes, *points})
    pos = lo
    for c in cuts:
        if c < lo or c > hi:
            continue
        out.append(esc(text[pos:c]))
        pos = c
        out.extend(closes.get(c, []))
        out.extend(events.get(c, []))
        out.extend(points.get(c, []))
        # longer elements open first so that they enclose the shorter ones starting at the same place
        out.extend(tag for _, tag in sorted(opens.get(c, []), key=lambda t: -t[0]))
    out.append(esc(text[pos:hi]))
    return "".join(out)


# -- the document --------------------------------------------------------------------------------
def _blocks(doc: Document) -> list[tuple[int, int, str, Span | None]]:
    """(start, end, type, span) for each line of the text, typed by the structure span that covers it."""
    by_range: dict[tuple[int, int], Span] = {}
    for s in doc.structure:
        if s.type in BLOCK_TYPES:
            cur = by_range.get((s.start, s.end))
            if cur is None or BLOCK_TYPES.index(s.type) < BLOCK_TYPES.index(cur.type):
                by_range[(s.start, s.end)] = s
    out = []
    pos = 0
    for line in doc.text.split("\n"):
        end = pos + len(line)
        span = by_range.get((pos, end))
        out.append((pos, end, span.type if span else "paragraph", span))
        pos = end + 1
    return out


def tei_document(doc: Document, declaration: bool = True) -> str:
    """The TEI P5 XML of one document (a string; UTF-8 when written)."""
    from ..cite import cite

    text = doc.text
    blocks = _blocks(doc)
    # Footnotes: the run of note blocks that ends the text (where the TEI reader writes them).
    first_trailing = len(blocks)
    while first_trailing > 0 and blocks[first_trailing - 1][2] == "note":
        first_trailing -= 1
    body_end = blocks[first_trailing][0] if first_trailing < len(blocks) else len(text) + 1
    trailing = blocks[first_trailing:]
    refs = sorted((s for s in doc.structure if s.type == "note_ref" and s.start < body_end), key=lambda s: s.start)
    anchored = len(refs) == len(trailing) and bool(trailing)

    # Annotations by the block that contains them; others stand off.
    base = xml_id(doc.id.rsplit("/", 1)[-1])
    ids = _Ids(base)
    standoff: list[tuple[Annotation, str, str]] = []
    per_block: list[list[Annotation]] = [[] for _ in blocks]
    starts = [b[0] for b in blocks]
    for a in doc.annotations:
        if a.end <= a.start:
            continue
        i = bisect.bisect_right(starts, a.start) - 1
        if i >= 0 and a.end <= blocks[i][1]:
            per_block[i].append(a)
        else:
            s_id, e_id = ids.next("a"), ids.next("a")
            standoff.append((a, s_id, e_id))
    # Zero-width markup: anchors of stood-off annotations, page breaks, empty omissions, footnote anchors.
    points: dict[int, list[str]] = {}
    for a, s_id, e_id in standoff:
        points.setdefault(a.start, []).append(f'<anchor xml:id="{s_id}"/>')
        points.setdefault(a.end, []).insert(0, f'<anchor xml:id="{e_id}"/>')
    for s in doc.structure:
        if s.start == s.end and s.type == "page_break":
            points.setdefault(s.start, []).append(f"<pb{_attrs({'n': s.number})}/>")
        elif s.start == s.end and s.type == "omission":
            points.setdefault(s.start, []).append(f"<gap{_attrs({'reason': s.label})}/>")

    def block_points(lo: int, hi: int, last: bool) -> dict[int, list[str]]:
        got: dict[int, list[str]] = {}
        for p, v in points.items():
            if lo <= p <= hi:
                got.setdefault(p, []).extend(v)
            elif last and hi < p < body_end:  # after the last body block: at its end
                got.setdefault(hi, []).extend(v)
        return got

    notes_xml: list[str] = []
    for k, (lo, hi, _t, span) in enumerate(trailing):
        i = first_trailing + k
        inner = _inline(text, lo, hi, per_block[i], block_points(lo, hi, False), ids, standoff)
        number = span.number if span and span.number is not None else (refs[k].number if anchored else None)
        notes_xml.append(f"<note{_attrs({'n': number if number is not None else str(k + 1), 'place': 'foot'})}>"
                         f"{inner}</note>")
    if anchored:
        for k, r in enumerate(refs):
            points.setdefault(r.start, []).append(notes_xml[k])
        notes_xml = []

    body: list[str] = []
    in_list = False
    for i, (lo, hi, kind, span) in enumerate(blocks[:first_trailing]):
        pts = block_points(lo, hi, i == first_trailing - 1)
        inner = _inline(text, lo, hi, per_block[i], pts, ids, standoff)
        if kind == "list_item" and not in_list:
            body.append("<list>")
            in_list = True
        elif kind != "list_item" and in_list:
            body.append("</list>")
            in_list = False
        if kind == "heading":
            body.append(f"<head>{inner}</head>")
        elif kind == "list_item":
            body.append(f"<item{_attrs({'n': span.label if span else None})}>{inner}</item>")
        elif kind == "note":
            body.append(f"<note{_attrs({'type': 'source' if span and span.label == 'source' else None})}>"
                        f"{inner}</note>")
        else:
            body.append(f"<p>{inner}</p>")
    if in_list:
        body.append("</list>")
    body.extend(notes_xml)

    div_at = {"type": "document", "xml:id": base, "n": (doc.metadata or {}).get("number")}
    parts = []
    if declaration:
        parts.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    parts.append(f'<TEI xmlns="{TEI_NS}">\n')
    parts.append(_header(doc, cite(doc, "chicago-note"), base))
    parts.append("<text><body>\n")
    parts.append(f"<div{_attrs(div_at)}>\n" + "\n".join(body) + "\n</div>\n")
    parts.append("</body></text>\n")
    if standoff:
        parts.append("<standOff><spanGrp>\n")
        for a, s_id, e_id in standoff:
            sp = {"type": a.type, "from": f"#{s_id}", "to": f"#{e_id}",
                  "ana": json.dumps(a.value, ensure_ascii=False) if a.value is not None else None}
            parts.append(f"<span{_attrs(sp)}/>\n")
        parts.append("</spanGrp></standOff>\n")
    parts.append("</TEI>\n")
    return "".join(parts)


def _header(doc: Document, citation: str, base: str) -> str:
    h = ["<teiHeader>\n<fileDesc>\n<titleStmt>"]
    h.append(f"<title>{esc(doc.title or doc.id)}</title>")
    if doc.originator:
        h.append(f"<author>{esc(doc.originator)}</author>")
    producers = sorted({a.producer for a in doc.annotations if a.producer})
    for p in producers:
        rid = attr(_resp_id(base, p))
        h.append(f'<respStmt xml:id="{rid}"><resp>annotation</resp><name>{esc(p)}</name></respStmt>')
    h.append("</titleStmt>\n<publicationStmt><publisher>Despatch</publisher>")
    h.append(f'<idno type="despatch">{esc(doc.id)}</idno>')
    if doc.url:
        h.append(f'<idno type="URL">{esc(doc.url)}</idno>')
    if doc.rights:
        h.append(f"<availability><p>{esc(doc.rights)}</p></availability>")
    h.append("</publicationStmt>\n<sourceDesc>")
    h.append(f"<bibl>{esc(citation)}</bibl>")
    if doc.source and doc.source.text:
        h.append(f'<bibl type="source">{esc(doc.source.text)}</bibl>')
    if doc.file:
        h.append(f'<p>Read from {esc(doc.file.path)} ({esc(doc.file.format)}, SHA-256 {esc(doc.file.sha256)})</p>')
    h.append("</sourceDesc>\n</fileDesc>\n<profileDesc>")
    if doc.date:
        d = doc.date
        dat = {"when": d.start} if d.start == d.end else {"from": d.start, "to": d.end}
        h.append(f"<creation><date{_attrs(dat)}>{esc(d.text or d.start)}</date>"
                 f"{f'<placeName>{esc(doc.place)}</placeName>' if doc.place else ''}</creation>")
    if doc.language:
        h.append(f'<langUsage><language ident="{attr(doc.language)}"/></langUsage>')
    if doc.classification or doc.doc_type:
        h.append("<textClass><keywords>")
        if doc.doc_type:
            h.append(f'<term type="doc_type">{esc(doc.doc_type)}</term>')
        if doc.classification:
            h.append(f'<term type="classification">{esc(doc.classification.level)}</term>')
        h.append("</keywords></textClass>")
    h.append("</profileDesc>\n</teiHeader>\n")
    return "".join(h)


def corpus_begin() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="{TEI_NS}">\n<teiHeader><fileDesc>'
            "<titleStmt><title>Despatch export</title></titleStmt><publicationStmt><publisher>Despatch</publisher>"
            "</publicationStmt><sourceDesc><p>Exported from a Despatch archive.</p></sourceDesc></fileDesc>"
            "</teiHeader>\n")
