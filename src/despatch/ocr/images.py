"""Page images for reading a scan: rendered from the archive's stored original, cached on disk beside the
archive (`ARCHIVE.pages/<sha256>/<page>.png`), never fetched from anywhere else.

A PDF page is rendered with `pdftoppm` at 100 dpi (enough to read on screen; boxes are drawn in the OCR
image's pixel space and scaled by the browser); an image file's frame is converted with Pillow and
scaled to the same width. Writes go to a temporary name and are renamed, so two readers asking for the
same page at once never see half a file. A read-only place for the archive renders without caching.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

from .engine import OcrError
from .pages import pdftoppm_path

VIEW_DPI = 100
MAX_WIDTH = 1400


def cache_dir(archive_path: str | os.PathLike[str]) -> Path:
    return Path(str(archive_path) + ".pages")


def page_png(cache: str | os.PathLike[str], sha256: str, data: bytes, fmt: str, page: int) -> bytes:
    """PNG bytes of page `page` (1-based) of a stored original, from the cache (a folder: `cache_dir(archive
    file)`, or the archive's own `cache_dir("pages")`) or rendered now."""
    if not sha256.isalnum():
        raise OcrError("bad file hash")
    target = Path(cache) / sha256 / f"{page}.png"
    if target.exists():
        return target.read_bytes()
    png = _render(data, fmt, page)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only place: serve without caching
    return png


def _render(data: bytes, fmt: str, page: int) -> bytes:
    if fmt == "pdf" or data.startswith(b"%PDF-"):
        exe = pdftoppm_path()
        if exe is None:
            raise OcrError("poppler-utils is not installed: sudo apt-get install poppler-utils")
        with tempfile.TemporaryDirectory(prefix="despatch-view-") as tmp:
            src = Path(tmp) / "src.pdf"
            src.write_bytes(data)
            out = Path(tmp) / "page"
            try:
                res = subprocess.run([exe, "-r", str(VIEW_DPI), "-gray", "-png", "-f", str(page), "-l", str(page),
                                      "-singlefile", str(src), str(out)], capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                raise OcrError(f"page {page} took too long to render") from None
            png = out.with_suffix(".png")
            if res.returncode != 0 or not png.exists():
                raise OcrError(f"page {page} cannot be rendered")
            return png.read_bytes()
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        try:
            im.seek(page - 1)
        except EOFError:
            raise OcrError(f"no page {page}") from None
        frame = im.convert("L")
        if frame.width > MAX_WIDTH:
            frame = frame.resize((MAX_WIDTH, round(frame.height * MAX_WIDTH / frame.width)))
        buf = io.BytesIO()
        frame.save(buf, "PNG", optimize=False)
        return buf.getvalue()
