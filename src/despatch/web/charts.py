"""Charts as SVG drawn on the server, in Python.

Why not a JavaScript charting library: the reading room must work offline with a CSP that forbids
inline script and style, every chart needs a data table and an SVG download anyway, and an SVG made
here is the same file on the page, in the download and in a test. Styling uses SVG presentation
attributes (fill, stroke), which the CSP allows, never `style=`. Each chart is `role="img"` with a
title and a description naming what it shows; the numbers are in the table beside it. PNG is made in
the browser from this SVG by the bundled static/charts.js (a canvas, no network).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

# Okabe–Ito: distinguishable by readers with colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FONT = "system-ui, sans-serif"


@dataclass
class Line:
    label: str
    points: list[tuple[str, float, float | None, float | None]] = field(default_factory=list)  # x, y, low, high


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def _fmt(v: float, percent: bool) -> str:
    if percent:
        return f"{v * 100:.0f}%" if v * 100 >= 10 or v == 0 else f"{v * 100:.1f}%"
    return f"{v:,.0f}" if v >= 10 else f"{v:g}"


def _open(width: int, height: int, title: str, desc: str, ident: str, role: str = "img") -> list[str]:
    """The chart's opening: an image to assistive technology, or a group when it holds links (a network)."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="{role}" aria-labelledby="{ident}-t {ident}-d" font-family={quoteattr(FONT)} font-size="12" '
        f'id="{ident}">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def line_chart(lines: Sequence[Line], title: str, desc: str, y_label: str, percent: bool = False,
               ident: str = "chart", width: int = 820, height: int = 380) -> str:
    """Series over shared periods, each with its 95% interval as a band where given."""
    left, right, top, bottom = 64, 180, 34, 56
    xs = sorted({p[0] for ln in lines for p in ln.points})
    ymax = _nice_max(max([max(p[1], p[3] or 0) for ln in lines for p in ln.points] or [0]))
    pw, ph = width - left - right, height - top - bottom
    xi = {x: i for i, x in enumerate(xs)}

    def X(x: str) -> float:
        return left + (pw * xi[x] / max(1, len(xs) - 1) if len(xs) > 1 else pw / 2)

    def Y(v: float) -> float:
        return top + ph - ph * v / ymax

    out = _open(width, height, title, desc, ident)
    out.append(f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    for i in range(5):
        v = ymax * i / 4
        y = Y(v)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333333">{_fmt(v, percent)}</text>')
    step = max(1, math.ceil(len(xs) / 12))
    for i, x in enumerate(xs):
        if i % step == 0 or i == len(xs) - 1:
            out.append(f'<text x="{X(x):.1f}" y="{top + ph + 18}" text-anchor="middle" fill="#333333">'
                       f"{escape(x)}</text>")
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#333333"/>')
    out.append(f'<text x="16" y="{top + ph / 2:.0f}" transform="rotate(-90 16 {top + ph / 2:.0f})" '
               f'text-anchor="middle" fill="#333333">{escape(y_label)}</text>')
    for k, ln in enumerate(lines):
        colour = PALETTE[k % len(PALETTE)]
        pts = [p for p in ln.points if p[0] in xi]
        band = [p for p in pts if p[2] is not None and p[3] is not None]
        if len(band) > 1:
            upper = " ".join(f"{X(p[0]):.1f},{Y(p[3] or 0):.1f}" for p in band)
            lower = " ".join(f"{X(p[0]):.1f},{Y(p[2] or 0):.1f}" for p in reversed(band))
            out.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.12" stroke="none"/>')
        if len(pts) > 1:
            path = " ".join(f"{X(p[0]):.1f},{Y(p[1]):.1f}" for p in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in pts:
            tip = f"{ln.label}, {p[0]}: {_fmt(p[1], percent) if percent else f'{p[1]:g}'}"
            if p[2] is not None:
                tip += f" (95% interval {_fmt(p[2], percent)}–{_fmt(p[3] or 0, percent)})"
            out.append(f'<circle cx="{X(p[0]):.1f}" cy="{Y(p[1]):.1f}" r="2.5" fill="{colour}">'
                       f"<title>{escape(tip)}</title></circle>")
        ly = top + 8 + 18 * k
        out.append(f'<rect x="{left + pw + 14}" y="{ly - 8}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{left + pw + 32}" y="{ly + 2}">{escape(_short(ln.label, 24))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(bars: Sequence[tuple[str, float, str | None]], title: str, desc: str, x_label: str,
              ident: str = "chart", width: int = 820) -> str:
    """Horizontal bars (label, value, colour or None); negative values extend left of the axis."""
    row, top, left, right = 20, 34, 180, 30
    height = top + row * len(bars) + 40
    lo = min([0.0] + [b[1] for b in bars])
    hi = max([0.0] + [b[1] for b in bars])
    span = (hi - lo) or 1.0
    pw = width - left - right

    def X(v: float) -> float:
        return left + pw * (v - lo) / span

    out = _open(width, height, title, desc, ident)
    out.append(f'<text x="8" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    out.append(f'<line x1="{X(0):.1f}" x2="{X(0):.1f}" y1="{top - 4}" y2="{top + row * len(bars)}" stroke="#333333"/>')
    for i, (label, v, colour) in enumerate(bars):
        y = top + i * row
        x0, x1 = sorted((X(0), X(v)))
        c = colour or (PALETTE[0] if v >= 0 else PALETTE[1])
        out.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(1.0, x1 - x0):.1f}" height="{row - 6}" fill="{c}">'
                   f"<title>{escape(label)}: {v:.3g}</title></rect>")
        out.append(f'<text x="{left - 6}" y="{y + row - 6}" text-anchor="end">{escape(_short(label, 26))}</text>')
    out.append(f'<text x="{left + pw / 2:.0f}" y="{height - 10}" text-anchor="middle" fill="#333333">'
               f"{escape(x_label)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def stacked_bars(groups: Sequence[tuple[str, Sequence[int]]], parts: Sequence[str], title: str, desc: str,
                 ident: str = "chart", width: int = 820) -> str:
    """One horizontal bar per group, split into `parts` (e.g. the Kent bands), as shares of the group."""
    row, top, left, right = 22, 34, 150, 20
    height = top + row * len(groups) + 30 + 18 * math.ceil(len(parts) / 3)
    pw = width - left - right
    out = _open(width, height, title, desc, ident)
    out.append(f'<text x="8" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    for i, (label, counts) in enumerate(groups):
        y = top + i * row
        total = sum(counts) or 1
        x = float(left)
        for k, c in enumerate(counts):
            w = pw * c / total
            if c:
                out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                           f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}: {escape(parts[k])} {c} '
                           f"of {sum(counts)}</title></rect>")
            x += w
        out.append(f'<text x="{left - 6}" y="{y + row - 7}" text-anchor="end">{escape(_short(label, 22))}</text>')
    ly = top + row * len(groups) + 16
    for k, p in enumerate(parts):
        lx = left + (k % 3) * 220
        yy = ly + (k // 3) * 18
        out.append(f'<rect x="{lx}" y="{yy - 10}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>')
        out.append(f'<text x="{lx + 18}" y="{yy}">{escape(p)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def network_svg(nodes: Sequence[dict], edges: Sequence[dict], pos: dict[str, tuple[float, float]],
                href: dict[str, str], title: str, desc: str, focus: str | None = None, ident: str = "chart",
                width: int = 820, height: int = 600) -> str:
    """Nodes as links (focusable with Tab, opening the node's own view), edges with width by weight."""
    types = {"person": PALETTE[0], "place": PALETTE[2], "org": PALETTE[1]}
    maxw = max([e["weight"] for e in edges] or [1])
    maxn = max([n["weight"] for n in nodes] or [1])
    near = {focus} | {e["target"] for e in edges if e["source"] == focus} | {
        e["source"] for e in edges if e["target"] == focus} if focus else None
    out = _open(width, height, title, desc, ident, role="group")  # its nodes are links: not one image
    for e in edges:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        on = near is None or (focus in (e["source"], e["target"]))
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{"#555555" if on else "#dddddd"}" stroke-opacity="{0.7 if on else 0.5}" '
                   f'stroke-width="{0.6 + 4 * e["weight"] / maxw:.2f}"><title>{escape(e["source"])} — '
                   f'{escape(e["target"])}: {e["weight"]}</title></line>')
    for n in nodes:
        if n["id"] not in pos:
            continue
        x, y = pos[n["id"]]
        r = 4 + 10 * math.sqrt(n["weight"] / maxn)
        dim = near is not None and n["id"] not in near
        colour = "#cccccc" if dim else types.get(n["type"], PALETTE[3])
        ring = ' stroke="#000000" stroke-width="3"' if n["id"] == focus else ' stroke="#ffffff" stroke-width="1"'
        label = f"{n['label']} ({n['type']}, {n['weight']})"
        out.append(f'<a href={quoteattr(href.get(n["id"], "#"))} aria-label={quoteattr(label)}>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"{ring}><title>{escape(label)}</title>'
                   f"</circle>"
                   f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" fill="{"#999999" if dim else "#111111"}">'
                   f"{escape(_short(n['label'], 22))}</text></a>")
    out.append("</svg>")
    return "\n".join(out)


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
