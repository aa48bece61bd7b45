"""FRUS volumes: the TEI reader against a bare baseline, side by side, plus a whole ingest.

Baseline: lxml parses the volume and takes `itertext()` of every `div[@type="document"]` — the least any
reader must do. The TEI reader does that plus safe parsing, structure, footnotes, annotations and fields.
Each volume is read `--repeat` times by both; medians and p95 per volume, the totals' ratio, documents/s
and MB/s. With `--ingest`, also `despatch ingest DIR --no-enrich` into a fresh archive in a subprocess
(documents/s, MB/s, peak RSS of that process).

    .venv/bin/python benchmarks/tei_read.py [DIR] [--repeat 3] [--ingest]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import need
from lxml import etree

from despatch.readers.base import ReadContext
from despatch.readers.tei import TEIReader

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "frus"
T = "{http://www.tei-c.org/ns/1.0}"


def baseline(data: bytes) -> int:
    root = etree.fromstring(data)
    n = 0
    for div in root.iter(T + "div"):
        if div.get("type") == "document":
            " ".join("".join(div.itertext()).split())
            n += 1
    return n


def despatch_read(data: bytes, path: Path) -> int:
    ctx = ReadContext(path=path, collection="frus", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return sum(1 for _ in TEIReader().read(data, ctx))


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def measure_frus(folder: Path = DEFAULT, repeat: int = 3) -> dict:
    """Read every volume `repeat` times with both; returns per-volume medians and the totals."""
    rows, tot_b, tot_d = [], 0.0, 0.0
    docs = size = 0
    for f in sorted(folder.glob("*.xml")):
        data = f.read_bytes()
        tb, td, n = [], [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            baseline(data)
            tb.append(time.perf_counter() - t)
            t = time.perf_counter()
            n = despatch_read(data, f)
            td.append(time.perf_counter() - t)
        rows.append((f.stem, n, len(data), statistics.median(tb), p95(tb), statistics.median(td), p95(td)))
        tot_b += statistics.median(tb)
        tot_d += statistics.median(td)
        docs += n
        size += len(data)
    return {"rows": rows, "baseline_s": tot_b, "despatch_s": tot_d, "documents": docs, "bytes": size}


def measure_ingest(folder: Path = DEFAULT) -> dict:
    """`despatch ingest DIR --no-enrich` into a fresh archive; wall time and the child's peak RSS."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "despatch"), "--archive", str(Path(tmp) / "b.db"), "ingest", str(folder),
             "--no-enrich", "--quiet"],
            check=True, stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = sum(f.stat().st_size for f in folder.glob("*.xml"))
    return {"wall_s": wall, "bytes": size, "peak_rss_mb": max(rss, before) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ingest", action="store_true")
    a = ap.parse_args()
    folder = need(a.folder, "a folder of FRUS TEI volumes as the first argument")
    if not any(folder.glob("*.xml")):
        sys.exit(f"{folder} holds no .xml volumes: pass a folder of FRUS TEI volumes")
    r = measure_frus(folder, a.repeat)
    print(f"{'volume':22} {'docs':>5} {'MB':>5}  {'baseline med/p95 s':>19}  {'despatch med/p95 s':>19}  ratio")
    for stem, n, b, bm, bp, dm, dp in r["rows"]:
        print(f"{stem:22} {n:>5} {b / 1e6:>5.1f}  {bm:>9.3f}/{bp:<9.3f}  {dm:>9.3f}/{dp:<9.3f}  {dm / bm:5.1f}x")
    mb = r["bytes"] / 1e6
    print(f"total: baseline {r['baseline_s']:.2f}s, despatch TEI reader {r['despatch_s']:.2f}s "
          f"(ratio {r['despatch_s'] / r['baseline_s']:.1f}x); "
          f"reader {r['documents'] / r['despatch_s']:.0f} documents/s, "
          f"{mb / r['despatch_s']:.2f} MB/s over {r['documents']} documents, {mb:.1f} MB")
    if a.ingest:
        i = measure_ingest(folder)
        print(f"despatch ingest --no-enrich: {i['wall_s']:.1f}s, {r['documents'] / i['wall_s']:.0f} documents/s, "
              f"{i['bytes'] / 1e6 / i['wall_s']:.2f} MB/s, peak RSS {i['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
