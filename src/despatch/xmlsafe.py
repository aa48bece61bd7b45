"""Safe XML parsing for every XML reader.

Archive exports and editions come from outside; an XML file must never make Despatch read a local file,
fetch a URL or expand entities until memory runs out. So: no DTD loading (and every external resource
resolved to nothing), no entity resolution, no network, no "huge tree" mode (libxml2 then refuses nesting
deeper than 256 levels and oversized text nodes), and any DOCTYPE that declares entities is refused
outright (billion laughs, external entities).
Malformed XML is reported with its line and column.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import ReaderError

#: libxml2's own nesting limit without XML_PARSE_HUGE; deeper documents are refused.
MAX_DEPTH = 256

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class NoExternalResources(etree.Resolver):
    """Answers every request for an external resource (a DTD's SYSTEM file, an entity, a URL) with nothing.

    `load_dtd=False` alone does not stop libxml2 from opening the file a DOCTYPE names as its external
    subset (a named pipe there would block the ingest forever); with this resolver it never opens anything.
    """

    def resolve(self, system_url, public_id, context):  # noqa: ARG002 - lxml's signature
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(NoExternalResources())
    return parser


def _prolog(data: bytes) -> bytes:
    """The bytes before the root element (where a DOCTYPE and its internal subset live)."""
    head = data[:1 << 20]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
        # UTF-16: look at it as ASCII by dropping the zero bytes (good enough to find markup).
        head = head.replace(b"\x00", b"")
    m = _DOCTYPE.search(head)
    if not m:
        return b""
    # The internal subset ends at "]>" (or the DOCTYPE at ">" when there is none).
    end = head.find(b"]>", m.end())
    return head[m.start() : end + 2 if end >= 0 else len(head)]


def check_prolog(data: bytes) -> None:
    """Refuse a DOCTYPE that declares entities, before libxml2 ever sees it."""
    prolog = _prolog(data)
    if prolog and _ENTITY_DECL.search(prolog):
        raise ReaderError(
            "refusing XML whose DOCTYPE declares entities (entity expansion or external entities are not allowed)"
        )


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse XML bytes safely; raises ReaderError with a one-line reason (line and column when malformed)."""
    check_prolog(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        msg = str(e.msg if hasattr(e, "msg") and e.msg else e)
        line, col = (e.position if getattr(e, "position", None) else (e.lineno, 0))
        if "Excessive depth" in msg:
            raise ReaderError(f"XML nested deeper than {MAX_DEPTH} levels (refused), at line {line}") from None
        if "entity" in msg.lower() and ("loop" in msg.lower() or "amplification" in msg.lower()):
            raise ReaderError(f"refusing XML entity expansion at line {line}, column {col}") from None
        msg = re.sub(r",? line \d+, column \d+$", "", msg)
        raise ReaderError(f"malformed XML at line {line}, column {col}: {msg}") from None
    except ValueError as e:  # e.g. a unicode string with an encoding declaration
        raise ReaderError(f"unreadable XML: {e}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ReaderError(
            "refusing XML whose DOCTYPE declares entities (entity expansion or external entities are not allowed)"
        )
    for el in root.iter(etree.Entity):
        raise ReaderError(f"refusing XML with an unresolved entity reference {el.text!r} at line {el.sourceline}")
    return tree


def sniff_xml_root(head: bytes) -> tuple[str | None, str | None]:
    """(namespace URI, local name) of the root element from the first bytes, without parsing the whole file."""
    text = head.replace(b"\x00", b"") if b"\x00" in head[:4] else head
    s = text.decode("utf-8", "replace")
    pos = 0
    while True:
        i = s.find("<", pos)
        if i < 0 or i + 1 >= len(s):
            return (None, None)
        c = s[i + 1]
        if c == "?":
            pos = s.find("?>", i)
            if pos < 0:
                return (None, None)
            continue
        if c == "!":
            if s.startswith("<!--", i):
                pos = s.find("-->", i)
            elif s.startswith("<!DOCTYPE", i) or s.startswith("<!doctype", i):
                j = s.find("[", i)
                k = s.find(">", i)
                pos = s.find("]>", i) if 0 <= j < k else k
            else:
                pos = s.find(">", i)
            if pos < 0:
                return (None, None)
            continue
        m = re.match(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)([^>]*)", s[i:])
        if not m:
            return (None, None)
        prefix = (m.group(1) or "")[:-1]
        attr = "xmlns" + (":" + prefix if prefix else "")
        ns = re.search(attr + r"\s*=\s*[\"']([^\"']*)[\"']", m.group(3))
        return (ns.group(1) if ns else None, m.group(2))
