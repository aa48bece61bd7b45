"""Does image clean-up before Tesseract help on the JFK scans? Measured, not assumed.

    .venv/bin/python benchmarks/ocr_cleanup.py [--every 12]

For every `--every`-th page of ../shared/corpus/jfk (the scanned page image as Despatch takes it), OCR
as is (what Despatch does) and after each clean-up — despeckle (3x3 median filter), Otsu-style
re-binarisation at 2x scale — and print the share of tokens that are dictionary words or numbers (the
measure of benchmarks/ocr.py) and the CPU seconds, side by side. Deskew is left to Tesseract's own
page layout analysis, which already handles the small skews of these scans.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ocr import CORPUS, load_words, token_share  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def ocr_text(img: Path) -> tuple[str, float]:
    t0 = _cpu()
    out = subprocess.run(["tesseract", str(img), "stdout", "-l", "eng", "--psm", "3"], capture_output=True,
                         env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    return out.stdout.decode("utf-8", "replace"), _cpu() - t0


def main() -> None:
    from PIL import Image, ImageFilter
    from pypdf import PdfReader

    from despatch.ocr.recognise import ScanSettings, pdf_source

    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=12)
    args = ap.parse_args()
    words = load_words()
    variants = {"as is": None, "despeckle": "median", "2x rebinarised": "rebin"}
    totals = {k: [0, 0, 0.0] for k in variants}
    k = 0
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in sorted(CORPUS.glob("*.pdf")):
            src = pdf_source(pdf, ScanSettings())
            for n in range(1, len(PdfReader(str(pdf)).pages) + 1):
                k += 1
                if (k - 1) % args.every:
                    continue
                base = Path(tmp) / f"{pdf.stem}-{n}.png"
                src(n, base)
                row = [f"{pdf.stem} p{n}"]
                for name, how in variants.items():
                    img = base
                    if how:
                        im = Image.open(base).convert("L")
                        if how == "median":
                            im = im.filter(ImageFilter.MedianFilter(3))
                        else:
                            im = im.resize((im.width * 2, im.height * 2), Image.LANCZOS)
                            im = im.point(lambda v: 255 if v > 150 else 0)
                        img = Path(tmp) / f"{base.stem}-{how}.png"
                        im.save(img)
                    text, cpu = ocr_text(img)
                    g, t = token_share(text, words)
                    totals[name][0] += g
                    totals[name][1] += t
                    totals[name][2] += cpu
                    row.append(f"{name}: {g / max(t, 1):.3f} ({t} tokens, {cpu:.1f} CPU-s)")
                print(" | ".join(row), flush=True)
    print()
    for name, (g, t, cpu) in totals.items():
        print(f"{name:15} dictionary share {g / max(t, 1):.3f} over {t} tokens, {cpu:.1f} CPU-s")


if __name__ == "__main__":
    main()
