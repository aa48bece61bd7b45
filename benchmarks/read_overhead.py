"""Per-file reading cost: this checkout's `read_file` against another checkout's, in one run.

    .venv/bin/python benchmarks/read_overhead.py --baseline-src ../../main/src [--repeat 5] [--enrich]

Reads the UN General Debate speeches of 1946-1960 (the 788 files unpacked in ../shared/corpus/ungdc/sessions)
with `despatch.ingest.read_file` — detection, the reader, and with `--enrich` the annotators — in a fresh
interpreter per run, alternating the two source trees, and prints each run's wall and CPU seconds (the
process's own CPU time, which other people's load disturbs less), the medians and their ratios. It isolates
what the component registry put on the ingest path (finding the reader, making the pipeline per file) from
storage and indexing, which it does not touch. The machine is shared: medians of alternating runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT.parent / "shared" / "corpus" / "ungdc" / "sessions"

CHILD = r"""
import sys, time
from pathlib import Path
from despatch.ingest import IngestOptions, read_file
files = sorted(Path(sys.argv[1]).rglob("*.txt"))
opts = IngestOptions(enrich=sys.argv[2] == "1", name_pattern="{country}_{session}_{year}")
data = [(str(p), p.read_bytes()) for p in files]
read_file(*data[0], "ungdc", opts)  # imports, gazetteer: not what is measured
t0, c0 = time.perf_counter(), time.process_time()
docs = 0
for display, raw in data:
    docs += len(read_file(display, raw, "ungdc", opts)[1])
print(time.perf_counter() - t0, time.process_time() - c0, docs)
"""


def run(src: Path, enrich: bool) -> tuple[float, float, int]:
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    out = subprocess.run([sys.executable, "-c", CHILD, str(SESSIONS), "1" if enrich else "0"], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path, required=True, help="the src/ folder of the checkout to compare")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--enrich", action="store_true", help="run the default annotators too")
    a = ap.parse_args()
    if not SESSIONS.exists():
        sys.exit(f"{SESSIONS} is absent: the real corpora live in ../shared/corpus beside the repository")
    wall: dict[str, list[float]] = {"baseline": [], "this": []}
    cpu: dict[str, list[float]] = {"baseline": [], "this": []}
    for i in range(a.repeat):
        for label, src in (("baseline", a.baseline_src), ("this", ROOT / "src")):
            t, c, docs = run(src, a.enrich)
            wall[label].append(t)
            cpu[label].append(c)
            print(f"run {i + 1} {label:8} wall {t:7.2f} s  cpu {c:7.2f} s  {docs} documents", flush=True)
    what = f"{'enrich' if a.enrich else 'no enrich'}, {a.repeat} alternating runs"
    for name, d in (("wall", wall), ("cpu", cpu)):
        b, t = statistics.median(d["baseline"]), statistics.median(d["this"])
        print(f"median {name}: baseline {b:.2f} s, this checkout {t:.2f} s, ratio {t / b:.3f} ({what})")


if __name__ == "__main__":
    main()
