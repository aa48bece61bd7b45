"""HTML pages: a saved archive page (or any ordinary HTML file) → its main text, title, date and fields.

Parsed with lxml.html (libxml2's HTML parser, no network): it is already a dependency, it never fetches
anything, and it gives the same element tree the TEI reader walks. Boilerplate is removed by rule, not by
a statistical extractor: scripts, styles, forms, `nav`/`aside`, page headers and footers, ARIA landmarks
for navigation, and elements whose id/class name them as menus, breadcrumbs, cookie banners and the like.
The main text is `main`, `[role=main]` or the single `article` when the page has one, else `body`.
Fields come from meta tags (Dublin Core, Highwire `citation_*`, Open Graph / `article:*`) and from
labelled visible fields ("Date: 3 September 1953", `<dt>Date</dt><dd>…</dd>`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml import etree

from ..dates import parse_iso, parse_written_date
from ..decode import decode_text
from ..model import Document, normalise_classification
from ..textbuild import TextBuilder, normalise_block
from ..xmlsafe import NoExternalResources
from .base import ReadContext, ReaderError

_DROP = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "form", "button",
    "select", "input", "textarea", "nav", "aside", "link", "meta", "canvas", "video", "audio", "map", "dialog",
}
_BOILER_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "dialog"}
_BOILER_NAME = re.compile(
    r"(?:^|[-_\s])(nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|site-?header|site-?footer|masthead|"
    r"footer|cookies?|consent|share|sharing|social|skip|skiplink|advert|ads|related|pagination|toolbar|"
    r"print-?only|visually-?hidden|sr-only)(?:$|[-_\s])",
    re.I,
)
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "li", "dt", "dd", "tr", "h1", "h2", "h3",
    "h4", "h5", "h6", "figcaption", "caption", "address", "header", "footer", "body", "ul", "ol", "dl",
    "table", "thead", "tbody", "tfoot", "figure", "hr", "center", "details", "summary", "fieldset", "legend",
}
_META_DATE = (
    "citation_publication_date", "citation_date", "dc.date", "dc.date.created", "dc.date.issued", "dcterms.date",
    "dcterms.created", "dcterms.issued", "article:published_time", "date", "pubdate", "publication_date",
    "og:published_time",
)
_META_TITLE = ("citation_title", "dc.title", "dcterms.title", "og:title")
_LABEL = re.compile(
    r"^\s*(?P<label>date|dated|document date|date of document|publication date|from|to|author|place|"
    r"classification|security classification)\s*[:：]\s*(?P<value>.+)$",
    re.I,
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)


def _decode(data: bytes) -> str:
    m = _CHARSET.search(data[:8192])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace").lstrip("\ufeff")
        except LookupError:
            pass
    text, _ = decode_text(data)
    return text


def _is_boiler(el: etree._Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP:
        return True
    if (el.get("role") or "").lower() in _BOILER_ROLES:
        return True
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if tag in ("header", "footer") and not any(a.tag in ("article", "main") for a in el.iterancestors()):
        return True
    if tag in ("html", "body", "main", "article"):
        return False
    names = f"{el.get('id') or ''} {el.get('class') or ''}"
    return bool(names.strip() and _BOILER_NAME.search(names))


class _Walker:
    def __init__(self) -> None:
        self.tb = TextBuilder()
        self.open = False
        self.kind: list[tuple[str, dict]] = [("paragraph", {})]
        self.term = self.term_colon = False  # a <dt> whose <dd> is still to come

    def emit(self, s: str | None) -> None:
        if not s:
            return
        if not self.open:
            if not s.strip():
                return
            self.tb.begin_block()
            self.open = True
        self.tb.inline(s)

    def flush(self) -> None:
        if not self.open:
            return
        self.open = False
        rng = self.tb.end_block()
        if rng:
            kind, attrs = self.kind[-1]
            self.tb.mark(kind, rng[0], rng[1], **attrs)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or _is_boiler(el):
            if el.tail:
                self.emit(el.tail)
            return
        if tag == "br":
            self.tb.space()
        elif tag in ("td", "th"):
            prev = el.getprevious()
            if prev is not None and prev.tag in ("td", "th"):
                self.emit(" | ")
            self.children(el)
        elif tag == "dd" and self.open and self.term:
            # A definition continues its term's paragraph: "Date: 3 September 1953", not two paragraphs.
            self.term = False
            self.emit(" " if self.term_colon else ": ")
            self.children(el)
            self.kind.append(("paragraph", {}))
            self.flush()
            self.kind.pop()
        elif tag in _BLOCKS:
            self.term = False
            self.flush()
            kind = None
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                kind = ("heading", {"level": int(tag[1])})
            elif tag == "li":
                kind = ("list_item", {})
            elif tag in ("p", "blockquote", "pre", "dt", "dd", "tr", "address", "figcaption", "caption"):
                kind = ("paragraph", {})
            if kind:
                self.kind.append(kind)
            self.children(el)
            if tag == "dt" and _next_is_dd(el):
                self.term, self.term_colon = True, el.text_content().rstrip().endswith(":")
            else:
                self.flush()
            if kind:
                self.kind.pop()
        else:
            self.children(el)
        if el.tail:
            self.emit(el.tail)

    def children(self, el: etree._Element) -> None:
        self.emit(el.text)
        for c in el:
            if isinstance(c.tag, str):
                self.walk(c)
            elif c.tail:
                self.emit(c.tail)


def _next_is_dd(el: etree._Element) -> bool:
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):  # comments between the two
        nxt = nxt.getnext()
    return nxt is not None and nxt.tag == "dd"


def _metas(doc: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in doc.iter("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _main_root(body: etree._Element) -> etree._Element:
    for xp in ("//main", "//*[@role='main']"):
        found = body.xpath(xp)
        if found:
            return found[0]
    articles = body.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    return body


def _date(value: str) -> object:
    v = value.strip()
    return parse_iso(v[:16] if re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", v) else v[:10] if re.match(r"\d{4}-\d\d-\d\d", v)
                     else v) or parse_written_date(v)


class HTMLReader:
    name = "html"

    def sniff(self, head: bytes, path: Path) -> float:
        h = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if b"\x00" in h[:16]:
            h = h.replace(b"\x00", b"")
        ext = path.suffix.lower() in (".html", ".htm", ".xhtml", ".shtml")
        if h.startswith(b"<!doctype html") or re.search(rb"<html[\s>]", h[:1024]):
            return 0.9 if ext else 0.85
        if re.search(rb"<(head|body|title)[\s>]", h):
            return 0.7 if ext else 0.5
        return 0.3 if ext else 0.0

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        text = _decode(data)
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
        try:
            parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
            parser.resolvers.add(NoExternalResources())  # a DOCTYPE's SYSTEM file is never opened
            root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as e:
            raise ReaderError(f"unreadable HTML: {e}") from None
        metas = _metas(root)
        body = root.find("body")
        if body is None:
            body = root
        main = _main_root(body)
        w = _Walker()
        w.walk(main)
        w.flush()
        doc_text = w.tb.finish()
        if not doc_text.strip():
            raise ReaderError("HTML page with no text")
        fields: dict[str, str] = {}
        for s in w.tb.structure[:60]:
            m = _LABEL.match(doc_text[s.start : s.end])
            if m:
                fields.setdefault(m.group("label").lower(), m.group("value").strip())
        for dt in main.iter("dt"):
            dd = dt.getnext()
            if dd is not None and dd.tag == "dd":
                label = normalise_block(dt.text_content()).rstrip(":").lower()
                if _LABEL.match(f"{label}: x"):
                    fields.setdefault(label, normalise_block(dd.text_content()))
        title_el = root.find(".//title")
        h1 = main.find(".//h1")
        title = next((metas[k] for k in _META_TITLE if k in metas), None)
        title = title or (normalise_block(h1.text_content()) if h1 is not None else None)
        title = title or (normalise_block(title_el.text_content()) if title_el is not None else None) or None
        date, date_source = None, None
        for k in ("date", "dated", "document date", "date of document"):
            if k in fields and (date := parse_written_date(fields[k]) or _date(fields[k])):
                date_source = f"field:{k}"
                break
        if date is None:
            for k in _META_DATE:
                if k in metas and (date := _date(metas[k])):
                    date_source = f"meta:{k}"
                    break
        if date is None:
            t = main.find(".//time[@datetime]")
            if t is not None and (date := _date(t.get("datetime"))):
                date_source = "time"
        canonical = root.xpath("//link[@rel='canonical']/@href")
        url = (canonical[0] if canonical else None) or metas.get("og:url") or metas.get("citation_public_url")
        author = metas.get("citation_author") or metas.get("dc.creator") or metas.get("author")
        cls = fields.get("classification") or fields.get("security classification")
        meta = {k: v for k, v in metas.items() if k.startswith(("dc.", "dcterms.", "citation_", "og:", "article:"))
                or k in ("description", "keywords", "author", "date")}
        metadata = {"meta": meta} if meta else {}
        if fields:
            metadata["fields"] = fields
        if date_source:
            metadata["date_source"] = date_source
        yield Document(
            id=ctx.doc_id(ctx.path.name.split("!")[-1].rsplit(".", 1)[0] or "page"),
            collection=ctx.collection,
            text=doc_text,
            title=title,
            caption=metas.get("description") or metas.get("dc.description") or metas.get("og:description"),
            language=(root.get("lang") or metas.get("dc.language") or "").split("-")[0].lower() or None,
            date=date,
            classification=normalise_classification(cls) if cls else None,
            originator=fields.get("from") or author,
            recipient=fields.get("to"),
            place=fields.get("place"),
            url=url if url and url.startswith(("http://", "https://")) else None,
            file=ctx.file_info("html"),
            structure=w.tb.structure,
            metadata=metadata,
        )


