"""Blacked-out areas on a page image, found by image analysis (numpy).

A redaction is a solid dark rectangle: unlike type, handwriting or stamps, almost every pixel inside it
is dark. The page is cut into cells of 1/50 inch; a cell is *solid* when at least 90% of its pixels are
dark, and solid cells that touch form a region. A region is a redaction when it is at least about a
character high and two characters wide and at least 80% of its bounding box is solid. Regions touching
the image edge are the scanner's black borders, not redactions, and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

DARK = 96  # grey level below which a pixel counts as ink
SOLID = 0.9  # share of dark pixels that makes a cell solid
FILL = 0.8  # share of solid cells a region's bounding box must have


@dataclass
class Box:
    left: int
    top: int
    width: int
    height: int
    fill: float

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.width, self.height]


def find_redactions(gray: object, dpi: int = 300) -> list[Box]:
    """Solid dark rectangles on a grayscale page image (a 2-D uint8 numpy array), in pixels."""
    import numpy as np

    a = np.asarray(gray)
    if a.ndim != 2 or a.size == 0:
        return []
    cell = max(2, round(dpi / 50))
    h, w = (a.shape[0] // cell) * cell, (a.shape[1] // cell) * cell
    if h == 0 or w == 0:
        return []
    dark = (a[:h, :w] < DARK).reshape(h // cell, cell, w // cell, cell).mean(axis=(1, 3))
    solid = dark >= SOLID
    min_h = max(2, round(dpi * 0.08 / cell))  # ~2 mm: a line of type
    min_w = max(3, round(dpi * 0.2 / cell))  # ~5 mm: two characters
    rows, cols = solid.shape
    seen = np.zeros_like(solid)
    out: list[Box] = []
    ys, xs = np.nonzero(solid)
    for y0, x0 in zip(ys.tolist(), xs.tolist(), strict=True):
        if seen[y0, x0]:
            continue
        stack = [(y0, x0)]
        seen[y0, x0] = True
        top, left, bottom, right, n = y0, x0, y0, x0, 0
        while stack:
            y, x = stack.pop()
            n += 1
            top, bottom, left, right = min(top, y), max(bottom, y), min(left, x), max(right, x)
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < rows and 0 <= nx < cols and solid[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        bh, bw = bottom - top + 1, right - left + 1
        if bh < min_h or bw < min_w:
            continue
        if top == 0 or left == 0 or bottom == rows - 1 or right == cols - 1:
            continue  # a scanner border or the dark edge of the sheet
        if bw > 0.9 * cols or bh > 0.5 * rows:
            continue  # a whole-width band or column: a scan artefact, not a redaction
        fill = n / (bh * bw)
        if fill < FILL:
            continue
        out.append(Box(left * cell, top * cell, bw * cell, bh * cell, round(fill, 2)))
    out.sort(key=lambda b: (b.top, b.left))
    return out
