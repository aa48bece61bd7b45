"""Where the benchmarks find the real corpora: ../shared/corpus beside the repository, as the tests do.

A missing corpus ends the benchmark with one line saying what to pass, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def need(path: str | Path, option: str) -> Path:
    """`path` if it exists; otherwise exit with a one-line message naming the option to pass."""
    p = Path(path)
    if not p.exists():
        sys.exit(f"{p} is absent: put the corpora in {CORPUS} (beside the repository) or pass {option}")
    return p
