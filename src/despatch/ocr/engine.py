"""Tesseract, called as a command for one page image at a time, with a time limit.

Why the command and not ocrmypdf: ocrmypdf rebuilds a whole PDF (rasterise, OCR, re-encode, PDF/A) and
gives words only through its hOCR side files; Despatch keeps the original bytes and needs the words with
their boxes and confidences, which `tesseract IMAGE stdout tsv` prints directly (pytesseract's
`image_to_data` runs exactly this command). Measured figures are in docs/ocr.md.

Each call runs one single-threaded Tesseract (`OMP_THREAD_LIMIT=1`): pages, not threads inside a page,
are spread over the cores, which is faster per core and keeps memory flat (about 150 MB per process).
"""

from __future__ import annotations

import functools
import math
import os
import re
import resource
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReaderError

INSTALL_HINT = ("Tesseract is not installed: on Debian or Ubuntu run "
                "`sudo apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-rus` "
                "(or `./dev setup`, which installs it)")
DEFAULT_LANG = "eng"
DEFAULT_PAGE_TIMEOUT = 180.0


class OcrError(ReaderError):
    """A page or a file that could not be recognised; the message is the one-line reason."""


@dataclass
class Word:
    """A recognised word: its text, its box on the page image (pixels) and Tesseract's confidence (0-100)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int


@dataclass
class PageResult:
    """One page's recognition: the page image size, the words in reading order, and how long it took."""

    number: int
    width: int
    height: int
    words: list[Word]
    seconds: float = 0.0
    error: str | None = None


def tesseract_path() -> str | None:
    return shutil.which(os.environ.get("DESPATCH_TESSERACT", "tesseract"))


@functools.lru_cache(maxsize=1)
def tesseract_version() -> str:
    """'5.3.0' (the first line of `tesseract --version`); raises OcrError when Tesseract is missing."""
    exe = tesseract_path()
    if exe is None:
        raise OcrError(INSTALL_HINT)
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    m = re.search(r"tesseract\s+v?(\S+)", (out.stdout or "") + (out.stderr or ""))
    return m.group(1) if m else "unknown"


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    exe = tesseract_path()
    if exe is None:
        raise OcrError(INSTALL_HINT)
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(x.strip() for x in out.stdout.splitlines()[1:] if x.strip())


def check_languages(lang: str) -> None:
    missing = [x for x in lang.split("+") if x not in installed_languages()]
    if missing:
        raise OcrError(f"Tesseract has no data for {', '.join(missing)}: install tesseract-ocr-{missing[0]}")


def recognise(image: Path, lang: str = DEFAULT_LANG, timeout: float = DEFAULT_PAGE_TIMEOUT,
              psm: int = 3) -> list[Word]:
    """The words Tesseract finds on one page image, in its reading order.

    `psm` 3 is Tesseract's automatic page segmentation (its default), which keeps a form's boxes and the
    body's paragraphs apart; raises OcrError on a time-out or a failed run.
    """
    exe = tesseract_path()
    if exe is None:
        raise OcrError(INSTALL_HINT)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = [exe, str(image), "stdout", "-l", lang, "--psm", str(psm), "tsv"]
    # The limit counts the page's own CPU time (RLIMIT_CPU), so a machine busy with other work does not
    # fail pages that are merely waiting for a core; ten times the limit in wall-clock time is the backstop
    # for a process that hangs without computing.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    cpu = max(1, math.ceil(timeout))
    try:
        resource.prlimit(proc.pid, resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (OSError, ValueError, AttributeError):  # not Linux, or the process already ended
        pass
    try:
        stdout, stderr = proc.communicate(timeout=timeout * 10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise OcrError(f"OCR took longer than the page time limit ({timeout:g} s)") from None
    except BaseException:
        # The file's --time-limit (an alarm raised in this thread) or an interrupt: stop this page's
        # Tesseract too, or it goes on reading a page nobody waits for, up to its CPU limit.
        proc.kill()
        proc.wait()
        raise
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise OcrError(f"OCR took longer than the page time limit ({timeout:g} s of CPU)")
    if proc.returncode != 0:
        msg = stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {msg[-1] if msg else proc.returncode}")
    return parse_tsv(stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text) → words."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            words.append(Word(text, int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]), float(cols[10]),
                              int(cols[2]), int(cols[3]), int(cols[4])))
        except ValueError:
            continue
    return words
