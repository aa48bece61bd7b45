"""Page images from a scan: PDF pages rendered with poppler's `pdftoppm`, image files (TIFF, PNG, JPEG,
multi-page TIFF) read frame by frame with Pillow. Every page image is a grayscale PNG in a temporary
folder, made when the page is recognised and deleted after, so memory holds one page per worker.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from .engine import OcrError

RENDER_DPI = 300
MIN_SIDE = 200  # pixels: anything smaller is an icon, not a page
PDFTOPPM_HINT = "poppler-utils is not installed (pdftoppm renders PDF pages): sudo apt-get install poppler-utils"


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")


def render_pdf_page(pdf: Path, number: int, out: Path, dpi: int = RENDER_DPI, timeout: float = 120.0) -> Path:
    """Render page `number` (1-based) of a PDF to `out` (a PNG, grayscale, `dpi` dots per inch)."""
    exe = pdftoppm_path()
    if exe is None:
        raise OcrError(PDFTOPPM_HINT)
    prefix = out.with_suffix("")
    cmd = [exe, "-r", str(dpi), "-gray", "-png", "-f", str(number), "-l", str(number), "-singlefile",
           str(pdf), str(prefix)]
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=timeout * 10)  # wall clock: see engine.recognise
    except subprocess.TimeoutExpired:
        raise OcrError(f"rendering took longer than the page time limit ({timeout:g} s)") from None
    made = prefix.with_suffix(".png")
    if res.returncode != 0 or not made.exists():
        msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"page cannot be rendered: {msg[-1] if msg else 'pdftoppm failed'}")
    if made != out:
        made.rename(out)
    return out


def single_image_pages(pdf: Path, timeout: float = 60.0) -> set[int]:
    """Pages (1-based) that are one embedded raster image of at least 150 dpi: a scan whose pixels can be
    taken out as they are (`pdfimages`, about 8 times cheaper than rendering and exactly the scanned
    pixels) instead of rendered."""
    exe = shutil.which("pdfimages")
    if exe is None:
        return set()
    try:
        res = subprocess.run([exe, "-list", str(pdf)], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return set()
    counts: dict[int, int] = {}
    good: set[int] = set()
    for line in res.stdout.decode("utf-8", "replace").splitlines()[2:]:
        cols = line.split()
        if len(cols) < 14 or not cols[0].isdigit():
            continue
        page = int(cols[0])
        counts[page] = counts.get(page, 0) + 1
        try:
            if cols[2] == "image" and min(int(cols[12]), int(cols[13])) >= 150:
                good.add(page)
        except ValueError:
            continue
    return {p for p in good if counts[p] == 1}


def extract_pdf_page_image(pdf: Path, number: int, out: Path, timeout: float = 120.0) -> Path:
    """The one image on page `number`, as a PNG at its scanned resolution."""
    exe = shutil.which("pdfimages")
    if exe is None:
        raise OcrError(PDFTOPPM_HINT)
    prefix = out.with_suffix("")
    try:
        res = subprocess.run([exe, "-png", "-f", str(number), "-l", str(number), str(pdf), str(prefix)],
                             capture_output=True, timeout=timeout * 10)
    except subprocess.TimeoutExpired:
        raise OcrError(f"extracting the page image took longer than the page time limit ({timeout:g} s)") from None
    made = sorted(prefix.parent.glob(prefix.name + "-*.png"))
    if res.returncode != 0 or not made:
        raise OcrError("page image cannot be extracted")
    made[0].rename(out)
    for extra in made[1:]:
        extra.unlink()
    return out


def image_frames(data: bytes) -> int:
    """How many pages (frames) an image file holds; raises OcrError for bytes Pillow can't read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            return max(1, int(getattr(im, "n_frames", 1)))
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise OcrError(f"unreadable image: {e}") from None


def save_image_frame(data: bytes, index: int, out: Path) -> Path:
    """Frame `index` (0-based) of an image file as a grayscale PNG; refuses images too small for a page."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.seek(index)
            frame = ImageOps.exif_transpose(im) if index == 0 else im
            if min(frame.size) < MIN_SIDE:
                raise OcrError(f"image is {frame.size[0]}x{frame.size[1]} pixels: too small to be a document page")
            frame.convert("L").save(out, "PNG")
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as e:
        raise OcrError(f"unreadable image frame {index + 1}: {e}") from None
    return out


def count_pages(paths: list[str]) -> int:
    """Pages in the PDFs and frames in the images under `paths` (for an estimate of the time left)."""
    import os

    total = 0
    for raw in paths:
        p = Path(raw)
        files = [p] if p.is_file() else [Path(r) / n for r, _, ns in os.walk(p) for n in ns] if p.is_dir() else []
        for f in files:
            suffix = f.suffix.lower()
            try:
                if suffix == ".pdf":
                    from pypdf import PdfReader

                    total += len(PdfReader(str(f)).pages)
                elif suffix in (".tif", ".tiff", ".png", ".jpg", ".jpeg"):
                    total += image_frames(f.read_bytes())
            except Exception:  # noqa: BLE001 - an estimate: a file that can't be counted counts 0
                continue
    return total
