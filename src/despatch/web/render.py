"""Turning documents, snippets and counts into HTML — safely.

Every character that comes from a document is escaped here before any tag is added around it; tags are
only ever placed at span offsets. Nothing in this module trusts document text, titles or metadata.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as _esc
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..annotation_types import ENTITY_TYPES, SWITCH_TYPES
from ..explore.entity import entity_key
from ..model import Annotation, Document, Span

BLOCK_TYPES = ("heading", "paragraph", "list_item", "note")
# Annotation types with a switch on the document page, in display order (the registry's `switch` types).
KNOWN_ANNOTATION_TYPES = SWITCH_TYPES


def mark_offsets(text: str, highlights: Iterable[tuple[int, int]]) -> Markup:
    """Escape `text`, then wrap each (start, end) range in <mark>. Overlapping ranges are merged."""
    out: list[str] = []
    pos = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in highlights):
        if end <= start or end <= pos:
            continue
        start = max(start, pos)
        out.append(_esc(text[pos:start]))
        out.append("<mark>" + _esc(text[start:end]) + "</mark>")
        pos = end
    out.append(_esc(text[pos:]))
    return Markup("".join(out))


def snippet_html(snippet: Any) -> Markup:
    """A search snippet (despatch.search.Snippet or its dict) with its matches marked."""
    if isinstance(snippet, dict):
        text = snippet.get("text", "")
        hl = [(h["start"], h["end"]) for h in snippet.get("highlights", [])]
    else:
        text = snippet.text
        hl = [(h.start, h.end) for h in snippet.highlights]
    return mark_offsets(text, hl)


# -- the document body --------------------------------------------------------------------------------


@dataclass
class _Node:
    span: Span | None
    start: int
    end: int
    children: list[_Node] = field(default_factory=list)


def _tree(doc: Document) -> _Node:
    """Structure spans as a containment tree; a span that crosses its parent's end is clipped to it."""
    root = _Node(None, 0, len(doc.text))
    spans = sorted(
        (s for s in doc.structure if 0 <= s.start <= s.end <= len(doc.text)),
        key=lambda s: (s.start, -(s.end - s.start), s.type != "page_break"),
    )
    stack = [root]
    for s in spans:
        while len(stack) > 1 and not stack[-1].start <= s.start < stack[-1].end:
            stack.pop()
        parent = stack[-1]
        node = _Node(s, s.start, min(s.end, parent.end))
        parent.children.append(node)
        if s.end > s.start and s.type != "page_break":
            stack.append(node)
    return root


class _Inline:
    """Renders a run of text with the annotations that cover it (segments split at every boundary)."""

    def __init__(self, doc: Document, annotations: Sequence[Annotation],
                 matches: Sequence[tuple[int, int]] = ()) -> None:
        self.text = doc.text
        self.anns = [a for a in annotations if 0 <= a.start < a.end <= len(doc.text)]
        self.anns.sort(key=lambda a: (a.start, -a.end))
        bounds = {0, len(doc.text)}
        for a in self.anns:
            bounds.add(a.start)
            bounds.add(a.end)
        # Search matches (despatch.search.passage): <mark>s numbered 1..n, cut at the same boundaries.
        self.m_starts = [s for s, _ in matches]
        self.m_ends = [e for _, e in matches]
        self.m_opened: set[int] = set()
        for s, e in matches:
            bounds.add(s)
            bounds.add(e)
        self.bounds = sorted(bounds)
        # Sweep once: the annotations active in each elementary interval [bounds[i], bounds[i+1]).
        starts: dict[int, list[Annotation]] = {}
        for a in self.anns:
            starts.setdefault(a.start, []).append(a)
        self.active: list[tuple[Annotation, ...]] = []
        self._wraps: dict[tuple[int, ...], tuple[str, str]] = {}
        self.anchors: set[int] = set()
        self.footnotes: set[str] = set()
        live: list[Annotation] = []
        for b in self.bounds:
            live = [a for a in live if a.end > b] + starts.get(b, [])
            self.active.append(tuple(live))
        # Judgments get a margin note at their first character.
        self.margin_at: dict[int, list[Annotation]] = {}
        for a in self.anns:
            if a.type in ("judgment", "uncertainty"):
                self.margin_at.setdefault(a.start, []).append(a)

    def run(self, start: int, end: int) -> str:
        lo = bisect.bisect_right(self.bounds, start)
        hi = bisect.bisect_left(self.bounds, end)
        cuts = [start, *self.bounds[lo:hi], end]
        out: list[str] = []
        for pos, seg_end in zip(cuts, cuts[1:], strict=False):
            if seg_end <= pos:
                continue
            for a in self.margin_at.get(pos, ()):
                out.append(_margin_note(a))
            active = self._covering(pos, seg_end)
            piece = self._marked(pos, _esc(self.text[pos:seg_end]))
            if not active:
                out.append(piece)
                continue
            key = tuple(map(id, active))
            wrap = self._wraps.get(key)
            if wrap is None:
                wrap = self._wraps[key] = self._wrap(active)
            out.append(wrap[0] + piece + wrap[1])
        return "".join(out)

    def _marked(self, pos: int, piece: str) -> str:
        """A segment inside a search match as a <mark> (the match's first piece carries its id)."""
        k = bisect.bisect_right(self.m_starts, pos) - 1
        if k < 0 or self.m_ends[k] <= pos:
            return piece
        n = k + 1
        ident = ""
        if n not in self.m_opened:
            self.m_opened.add(n)
            ident = f' id="m{n}"'
        return f'<mark class="hit"{ident} data-m="{n}">{piece}</mark>'

    def _wrap(self, active: tuple[Annotation, ...]) -> tuple[str, str]:
        """The opening and closing tags around text covered by these annotations (computed once per set)."""
        types = sorted({_slug(a.type) for a in active})
        title = "; ".join(f"{a.type}: {_value_label(a)}" for a in active)
        cls = "a " + " ".join(f"t-{t}" for t in types)
        link = next((a for a in active if a.type in ENTITY_TYPES and entity_key(a)), None)
        if link is not None:
            return f'<span class="{cls}" title="{_esc(title)}"><a href="{_esc(entity_url(link))}">', "</a></span>"
        return f'<span class="{cls}" title="{_esc(title)}">', "</span>"

    def _covering(self, start: int, end: int) -> tuple[Annotation, ...]:
        return self.active[bisect.bisect_right(self.bounds, start) - 1]


def _slug(s: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in s.lower())[:40] or "x"


def _value_label(a: Annotation) -> str:
    v = a.value
    if isinstance(v, dict):
        for k in ("name", "normalized", "normalised", "iso", "value", "band", "cue"):
            if v.get(k) not in (None, ""):
                return str(v[k])
        return a.text
    if v not in (None, ""):
        return str(v)
    return a.text


def doc_url(doc_id: str) -> str:
    """The reading room's address of a document."""
    return "/documents/" + quote(doc_id, safe="/")


def entity_url(a: Annotation) -> str:
    return f"/entity/{quote(a.type, safe='')}/{quote(entity_key(a) or '', safe='')}"


def judgment_bands(value: Any) -> list[tuple[str, str]]:
    """(scale, band) pairs from a judgment's value, whatever nesting enrichment used."""
    if not isinstance(value, dict):
        return []
    out: list[tuple[str, str]] = []
    bands = value.get("bands") or value.get("scales")
    if isinstance(bands, dict):
        for scale, band in bands.items():
            if isinstance(band, dict):
                band = band.get("term") or band.get("band") or band.get("label") or ", ".join(map(str, band.values()))
            out.append((str(scale), str(band)))
    for scale in ("kent", "icd203", "icd_203", "phia"):
        if scale in value and not isinstance(bands, dict):
            b = value[scale]
            if isinstance(b, dict):
                b = b.get("term") or b.get("band") or b.get("label")
            out.append((scale, str(b)))
    if not out and value.get("band"):
        out.append(("band", str(value["band"])))
    return out


SCALE_NAMES = {"kent": "Kent", "icd203": "ICD 203", "icd_203": "ICD 203", "phia": "PHIA"}
SCALE_TITLES = {"kent": "Sherman Kent, Words of Estimative Probability (1964)",
                "icd203": "Intelligence Community Directive 203", "icd_203": "Intelligence Community Directive 203",
                "phia": "UK Professional Head of Intelligence Analysis yardstick"}


def _margin_note(a: Annotation) -> str:
    v = a.value if isinstance(a.value, dict) else {}
    cue = v.get("cue") or ""
    bands = judgment_bands(a.value)
    label = "uncertainty" if a.type == "uncertainty" else "judgment"
    parts = [f'<span class="mn-kind">{_esc(label)}</span>']
    if cue:
        parts.append(f'<q class="mn-cue">{_esc(cue)}</q>')
    if bands:
        parts.append(
            '<span class="mn-bands">'
            + " · ".join(f'<span class="band"><abbr title="{_esc(SCALE_TITLES.get(s, s))}">'
                         f'{_esc(SCALE_NAMES.get(s, s))}</abbr> {_esc(b)}</span>' for s, b in bands)
            + "</span>"
        )
    return f'<span class="margin t-{_slug(a.type)}-note" role="note">{" ".join(parts)}</span>'


def _render(node: _Node, inline: _Inline) -> str:
    out: list[str] = []
    pos = node.start
    children = node.children
    k = 0
    while k < len(children):
        child = children[k]
        if child.start > pos:
            out.append(_loose(inline, pos, child.start, node.span is None))
        if child.span is not None and child.span.type == "list_item":
            items = []
            while k < len(children) and children[k].span is not None and children[k].span.type == "list_item":
                c = children[k]
                if items and c.start > pos:
                    items.append(inline.run(pos, c.start) if inline.text[pos:c.start].strip() else "")
                items.append(_element(c, inline))
                pos = max(pos, c.end)
                k += 1
            out.append('<ul class="items">' + "".join(items) + "</ul>")
            continue
        out.append(_element(child, inline))
        pos = max(pos, child.end)
        k += 1
    if pos < node.end:
        out.append(_loose(inline, pos, node.end, node.span is None))
    return "".join(out)


def _loose(inline: _Inline, start: int, end: int, top: bool) -> str:
    """Text not inside any block span: kept (never dropped), as its own paragraph at the top level."""
    text = inline.text[start:end]
    if not top:
        return inline.run(start, end)
    if not text.strip():
        return ""
    parts = []
    pos = start
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        if line.strip():
            parts.append(f'<p class="loose">{inline.run(a, b)}</p>')
        pos = b + 1
    return "".join(parts)


BLOCKS = {"heading", "paragraph", "list_item", "note", "quote", "closer", "attachment", "table", "row",
          "postscript", "signature", "opener", "dateline", "salute", "item"}


def _has_block_child(node: _Node) -> bool:
    return any(c.span is not None and c.span.type in BLOCKS for c in node.children)


def _element(node: _Node, inline: _Inline) -> str:
    s = node.span
    assert s is not None
    body = _render(node, inline)
    num = ""
    # A number the text already carries ("1. Underlying premise") is not shown twice.
    if s.number and not inline.text[node.start:node.end].lstrip().startswith(s.number.rstrip(".")):
        num = f'<span class="num" aria-label="number {_esc(s.number)}">{_esc(s.number)}</span> '
    label = f'<span class="label">{_esc(s.label)}</span> ' if s.label and s.type != "page_break" else ""
    anchor = ""
    if s.type in BLOCKS and node.start not in inline.anchors:  # one anchor per offset: ids stay unique
        inline.anchors.add(node.start)
        anchor = f' id="s{node.start}"'
    t = s.type
    if t == "heading":
        lvl = min(6, max(2, (s.level or 1) + 1))
        return f'<h{lvl} class="heading"{anchor}>{num}{label}{body}</h{lvl}>'
    if t == "paragraph":
        tag = "div" if _has_block_child(node) else "p"  # a <p> cannot hold blocks
        return f'<{tag} class="para"{anchor}>{num}{label}{body}</{tag}>'
    if t == "list_item":
        return f"<li{anchor}>{num}{label}{body}</li>"
    if t == "note":
        fid = ""
        if s.number and s.number not in inline.footnotes:
            inline.footnotes.add(s.number)
            fid = f' id="fn-{_esc(_slug(s.number))}"'
        kind = "note source" if (s.label or "").lower() == "source" else "note"
        head = f'<span class="num">{_esc(s.number)}</span> ' if s.number else ""
        inner = f'<aside class="{kind}"{fid} role="note">{head}{body}</aside>'
        return f'<span{anchor}></span>{inner}' if anchor else inner
    if t == "note_ref":
        n = s.number or s.label or "*"
        return (f'<sup class="fnref"><a href="#fn-{_esc(_slug(n))}" aria-label="note {_esc(n)}">{_esc(n)}</a></sup>'
                + body)
    if t == "omission":
        return f'<span class="omission" title="omitted in the source">{body}</span>'
    if t == "page_break":
        page = s.number or s.label or ""
        mark = f'<span class="pb" aria-label="page {_esc(page)}">{_esc(page)}</span>' if page else ""
        return mark + body
    if t == "quote":
        return f'<blockquote class="quote"{anchor}>{body}</blockquote>'
    if t == "attachment":
        return f'<section class="attachment"{anchor}>{label}{body}</section>'
    if t in BLOCKS:
        return f'<div class="s-{_slug(t)}"{anchor}>{label}{body}</div>'
    return f'<span class="s-{_slug(t)}">{body}</span>'


# Standoff data that is not marked up in the text: a scan's per-page OCR words (shown by the page view).
NOT_INLINE = ("ocr_page",)


def document_html(doc: Document, annotations: Sequence[Annotation] | None = None,
                  matches: Sequence[tuple[int, int]] = ()) -> Markup:
    """The document text with its structure and annotations as HTML; every character escaped.

    `matches`: a search's matches (sorted, not overlapping), marked `<mark class="hit" data-m="N">`, the
    first piece of match N with id="mN"."""
    anns = doc.annotations if annotations is None else annotations
    inline = _Inline(doc, [a for a in anns if a.type not in NOT_INLINE], matches)
    return Markup(_render(_tree(doc), inline))


def annotation_counts(doc: Document) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for a in doc.annotations:
        counts[a.type] = counts.get(a.type, 0) + 1
    order = {t: i for i, t in enumerate(KNOWN_ANNOTATION_TYPES)}
    # Only the types the reading room highlights get a switch; others (an edition's ref, term…) are plain.
    return sorted(((t, n) for t, n in counts.items() if t in order), key=lambda kv: order[kv[0]])


# -- charts -------------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    href: str | None = None


def bar_chart(bars: Sequence[Bar], title: str, width: int = 640, height: int = 120) -> Markup:
    """An SVG bar chart (sizes as attributes, so the CSP needs no inline styles); bars are links."""
    if not bars:
        return Markup("")
    top = max(b.count for b in bars) or 1
    n = len(bars)
    gap = 1 if n > 60 else 2
    bw = max(1.0, (width - gap * n) / n)
    # A chart of links is a group of links to assistive technology; role="img" would hide them (and axe
    # reports it as nested-interactive).
    role = "group" if any(b.href for b in bars) else "img"
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 18}" role="{role}" aria-label="{_esc(title)}" '
        f'preserveAspectRatio="none"><title>{_esc(title)}</title>'
    ]
    for i, b in enumerate(bars):
        h = max(1.0, b.count / top * height) if b.count else 0
        x = i * (bw + gap)
        rect = (
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bw:.1f}" height="{h:.1f}">'
            f"<title>{_esc(b.label)}: {b.count}</title></rect>"
            # an invisible full-height target makes small bars easy to hit
            f'<rect class="hit" x="{x:.1f}" y="0" width="{bw:.1f}" height="{height}"></rect>'
        )
        if b.href:
            out.append(f'<a href="{_esc(b.href)}" aria-label="{_esc(b.label)}: {b.count}">{rect}</a>')
        else:
            out.append(rect)
    # first and last labels under the axis
    out.append(f'<text x="0" y="{height + 14}">{_esc(bars[0].label)}</text>')
    if n > 1:
        out.append(f'<text x="{width}" y="{height + 14}" text-anchor="end">{_esc(bars[-1].label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
