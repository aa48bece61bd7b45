"""Archive records as exported by digital archives such as CVCE.eu.

Layout: a title line; labelled header fields (Caption, Source, Copyright with its reuse terms, URL,
Last updated); then the document — a date in parentheses, a classification marking, a subject line,
numbered and unnumbered headings, paragraphs, bullet items and "..." where the editors omitted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..dates import parse_written_date
from ..decode import decode_text, looks_like_text
from ..langid import guess_language
from ..model import Document, Source, normalise_classification
from ..textbuild import TextBuilder
from .base import ReadContext, ReaderError
from .blocks import blocks, ends_sentence, rejoin_broken

_LABELS = ("Caption", "Source", "Copyright", "URL", "Last updated")
_LABEL_LINE = re.compile(r"^(Caption|Source|Copyright|URL|Last updated)\s*:\s*(.*)$", re.M)
_MARKINGS = re.compile(
    r"^(?:(?:strictly|highly|most|personal and)\s+)?(?:top secret|secret|confidential|restricted|unclassified)"
    r"(?:\s*[-–/]\s*\w+)?\.?$",
    re.I,
)
_NUMBERED_HEADING = re.compile(r"^(?P<n>\d{1,3}|[IVXLC]{1,6})\.\s+(?P<t>\S.*)$")
_BULLET = re.compile(r"^[-–•*]\s+(?:(?P<label>[a-z]|\d{1,3}|[ivx]{1,5})[.)]\s+)?")
_OMISSION = re.compile(r"\[\s*(?:\.\s*){3}\]|\[…\]|\.\.\.|…")
_DOC_TYPES = ("telegram", "despatch", "dispatch", "memorandum", "note", "letter", "report", "minutes", "speech",
              "statement", "record", "instruction", "aide-mémoire", "aide-memoire", "communiqué", "treaty")
_CAPSEQ = r"(?:the\s+)?((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|on|du|de|des|la|le))*)"


class ArchiveRecordReader:
    name = "archive-record"

    def sniff(self, head: bytes, path: Path) -> float:
        if not looks_like_text(head):
            return 0.0
        try:
            text = head[:4096].decode("utf-8-sig", errors="replace")  # the labelled fields open the file
        except Exception:  # noqa: BLE001
            return 0.0
        found = {m.group(1) for m in _LABEL_LINE.finditer(text)}
        if {"Source", "URL"} <= found and len(found) >= 3:
            return 0.9
        return 0.0

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        text, _encoding = decode_text(data)
        header, body = _split_header(text)
        if "Source" not in header and "URL" not in header:
            raise ReaderError("archive record without Source/URL header fields")
        title = header.get("title")
        caption = header.get("Caption")
        source = parse_source(header["Source"]) if header.get("Source") else None
        last_updated = None
        if header.get("Last updated"):
            lu = parse_written_date(header["Last updated"], dayfirst=True)
            last_updated = lu.start if lu and lu.precision == "day" else None

        tb = TextBuilder()
        date = classification = None
        subject = None
        parts = rejoin_broken(blocks(body, numbered_starts=False, indent_starts=False))
        for i, part in enumerate(parts):
            if date is None and i <= 2 and part.startswith("(") and part.endswith(")"):
                d = parse_written_date(part[1:-1])
                if d:
                    d.text = part[1:-1].strip()
                    date = d
                    continue
            if classification is None and i <= 3 and _MARKINGS.match(part):
                classification = normalise_classification(part)
                continue
            if subject is None and (date or classification) and tb.pos == 0:
                subject = part
                tb.block("heading", part, level=1, label="subject")
                continue
            _add_block(tb, part)
        doc_text = tb.finish()
        if not doc_text:
            raise ReaderError("archive record has a header but no document text")
        metadata: dict[str, object] = {}
        if subject:
            metadata["subject"] = subject
        originator = recipient = None
        doc_type = None
        if caption:
            originator = _after(caption, "from")
            recipient = _after(caption, "to")
            low = caption.lower()
            for t in _DOC_TYPES:
                if re.search(rf"\b{re.escape(t)}\b", low):
                    doc_type = "despatch" if t == "dispatch" else t
                    break
        yield Document(
            id=ctx.doc_id(ctx.path.stem),
            collection=ctx.collection,
            text=doc_text,
            title=title,
            caption=caption,
            doc_type=doc_type,
            language=guess_language(doc_text),
            date=date,
            classification=classification,
            originator=originator,
            recipient=recipient,
            source=source,
            rights=header.get("Copyright"),
            url=header.get("URL"),
            last_updated=last_updated,
            file=ctx.file_info(self.name),
            structure=tb.structure,
            metadata=metadata,
        )


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """The labelled header fields (a field runs until the next label) and the body after them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and not _LABEL_LINE.match(lines[i]):
        header["title"] = " ".join(lines[i].split())
        i += 1
    current: str | None = None
    buf: list[str] = []

    def flush() -> None:
        if current is not None:
            paras = [" ".join(p.split()) for p in "\n".join(buf).split("\n\n")]
            header[current] = "\n".join(p for p in paras if p)

    body_start = len(lines)
    while i < len(lines):
        m = _LABEL_LINE.match(lines[i])
        if m:
            flush()
            current, buf = m.group(1), [m.group(2)]
            if current == "Last updated":
                flush()
                current = None
                body_start = i + 1
                break
        elif current is not None:
            if current in ("URL", "Caption") and not lines[i].strip():
                flush()
                current = None
            else:
                buf.append(lines[i])
        elif lines[i].strip():  # body without a Last updated line
            body_start = i
            break
        i += 1
    else:
        flush()
    return header, "\n".join(lines[body_start:])


def _add_block(tb: TextBuilder, part: str) -> None:
    bullet = _BULLET.match(part)
    if bullet:
        content = part[2:].lstrip() if bullet.group("label") else part[bullet.end() :]
        span = tb.block("list_item", content, label=(bullet.group("label") + ".") if bullet.group("label") else "-")
        _mark_omissions(tb, span)
        return
    if _OMISSION.fullmatch(part.strip()):
        tb.block("omission", part)
        return
    m = _NUMBERED_HEADING.match(part)
    if m and len(part) <= 100 and not ends_sentence(part):
        tb.block("heading", part, level=2, number=m.group("n"))
        return
    if len(part) <= 80 and not ends_sentence(part) and part[:1].isupper():
        tb.block("heading", part, level=1)
        return
    m2 = re.match(r"^(\d{1,3})\.\s+", part)
    span = tb.block("paragraph", part, number=m2.group(1) if m2 else None)
    _mark_omissions(tb, span)


def _mark_omissions(tb: TextBuilder, span) -> None:
    if span is None:
        return
    text = tb.text()[span.start : span.end]
    for m in _OMISSION.finditer(text):
        tb.mark("omission", span.start + m.start(), span.start + m.end())


def _after(caption: str, word: str) -> str | None:
    m = re.search(rf"\b{word}\s+{_CAPSEQ}", caption)
    if not m:
        return None
    name = re.sub(r"(\s+(?:of|for|and|on|du|de|des|la|le))+$", "", m.group(1)).strip()
    return name if len(name) > 2 else None


_EDITOR_MARK = re.compile(r"\s*\((?:sous la dir\.|dir\.|eds?\.|Hrsg\.|ed\. by|coord\.)\)\s*\.?\s*", re.I)
_IMPRINT = re.compile(r"(?P<place>[^.:;]+?)\s*:\s*(?P<publisher>[^.:;]+?),\s*(?P<year>1[5-9]\d\d|20\d\d)\.")
_ISBN = re.compile(r"ISBN[:\s]*([0-9Xx][0-9Xx -]{8,16}[0-9Xx])")
_PAGES = re.compile(r"\bpp?\.\s*(\d+(?:\s*[-–]\s*\d+)?)\.?\s*$")


def parse_source(text: str) -> Source:
    """A bibliographic reference as archives write it → structured fields (absent ones None)."""
    src = Source(text=text)
    rest = text
    m = _EDITOR_MARK.search(rest)
    if m:
        names = [n.strip() for n in rest[: m.start()].split(";") if n.strip()]
        src.editors = [_name_case(n) for n in names]
        rest = rest[m.end() :]
    imp = _IMPRINT.search(rest)
    if imp:
        src.title = rest[: imp.start()].strip().rstrip(".").strip() or None
        src.place = imp.group("place").strip()
        src.publisher = imp.group("publisher").strip()
        src.year = int(imp.group("year"))
    isbn = _ISBN.search(text)
    if isbn:
        src.isbn = isbn.group(1).strip()
    pages = _PAGES.search(text)
    if pages:
        src.pages = re.sub(r"\s*[-–]\s*", "-", pages.group(1))
    return src


def _name_case(name: str) -> str:
    """"DE VOS, Luc" → "De Vos, Luc": surnames written in capitals, as French references do."""
    if "," in name:
        last, first = name.split(",", 1)
        return f"{_cap(last.strip())}, {first.strip()}"
    return _cap(name)


def _cap(s: str) -> str:
    if s.upper() != s:
        return s
    return "-".join(" ".join(w.capitalize() for w in part.split()) for part in s.split("-"))


