"""The hostile-input battery (issue 20): every input generated here, in a temporary folder.

    .venv/bin/python benchmarks/hostile.py [--archive UN.db] [--quick] [--requests N]

Per case it prints the outcome, the seconds and the peak RSS (Despatch and all its child processes, sampled
every 50 ms), and at the end the totals the issue asks for: hangs, tracebacks, files read from outside
what was given, cases over 1 GB, and errors at 32 concurrent clients. Exit status 1 if any is not zero.

The load test serves an archive with `despatch serve` on 127.0.0.1 (a free port) and runs 32 clients for
a bounded number of requests: give the UN archive with --archive (e.g. one built by
`despatch ingest ../shared/corpus/ungdc/ungdc-1946-2024.tar.xz --name-pattern "{country}_{session}_{year}"`);
without it, the battery builds a small archive from ../shared/corpus/ungdc/sessions (or, absent that, from
generated speeches) and says so.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DESPATCH = [sys.executable, "-m", "despatch"]
SECRET = "zqxjkvsecret"  # a word that exists only outside the given folders
GB = 1 << 30
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>%s</p></body></text></TEI>'
TIMEOUT = 300.0
KILLED: list[int] = []  # reader processes the battery killed


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float
    peak: int
    hang: bool = False
    traceback: bool = False
    outside: bool = False


def run(cmd: list[str], timeout: float = TIMEOUT, during=None) -> tuple[int | None, str, float, int]:
    """(exit status or None on a hang, stderr+stdout, seconds, peak RSS of the process tree)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                         env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    peak = 0
    proc = psutil.Process(p.pid)
    fired = False
    while p.poll() is None:
        peak = max(peak, _tree_rss(proc))
        if during and not fired and time.monotonic() - t0 > during[0]:
            fired = during[1](proc)
        if time.monotonic() - t0 > timeout:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            reader.join(5)
            return None, b"".join(out).decode("utf-8", "replace"), time.monotonic() - t0, peak
        time.sleep(0.05)
    reader.join(10)
    return p.returncode, b"".join(out).decode("utf-8", "replace"), time.monotonic() - t0, peak


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def ingest_case(name: str, work: Path, inputs: list[Path], expect: list[str], args: list[str] | None = None,
                status: int | set[int] = 1, during=None) -> Outcome:
    db = work / f"{name}.db"
    code, out, secs, peak = run([*DESPATCH, "--archive", str(db), "ingest", "-q", *(args or []),
                                 *map(str, inputs)], during=during)
    hang = code is None
    tb = "Traceback" in out
    outside = _secret_in(db)
    missing = [e for e in expect if e not in out]
    want = status if isinstance(status, set) else {status}
    ok = not hang and not tb and not outside and not missing and code in want
    detail = "hang" if hang else (f"exit {code}; " + ("; ".join(_reasons(out)) or out.strip()[-160:]))
    if missing:
        detail += f" [missing: {missing}]"
    return Outcome(name, ok, detail[:400], secs, peak, hang, tb, outside)


def _reasons(out: str) -> list[str]:
    lines = [ln for ln in out.splitlines() if ln.startswith(("FAILED", "SKIPPED"))]
    return [ln.split(": ", 1)[-1][:110] for ln in lines[:3]] + ([f"+{len(lines) - 3} more"] if len(lines) > 3 else [])


def _secret_in(db: Path) -> bool:
    if not db.exists():
        return False
    con = sqlite3.connect(db)
    try:
        return bool(con.execute("SELECT count(*) FROM documents WHERE text LIKE ?", (f"%{SECRET}%",)).fetchone()[0])
    except sqlite3.Error:
        return False
    finally:
        con.close()


# -- inputs -------------------------------------------------------------------------------------------------

def make_inputs(work: Path, quick: bool) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    outside = work / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(f"root:x:0:0:root:/root:/bin/bash {SECRET}\n")

    def folder(name: str) -> Path:
        d = work / name
        d.mkdir()
        (d / "good.txt").write_text("The ambassador reported on the wheat negotiations.\n")
        paths[name] = d
        return d

    os.symlink(outside / "passwd", folder("symlink") / "notes.txt")
    os.link(outside / "passwd", folder("hardlink") / "notes.txt")
    os.mkfifo(folder("fifo") / "pipe.txt")
    d = folder("dtd-pipe")
    os.mkfifo(work / "dtd.pipe")
    (d / "a.xml").write_text(f'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file://{work}/dtd.pipe">\n'
                             '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Text.</p></body></text></TEI>\n')
    (folder("dtd-file") / "b.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file://{outside}/passwd">\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Text.</p></body></text></TEI>\n')
    (folder("xxe") / "c.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY e SYSTEM "file://{outside}/passwd">]>\n{TEI % "&e;"}\n')
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    (folder("laughs") / "d.xml").write_text(f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY l0 "lol">{laughs}]>'
                                            f"{TEI % '&l9;'}\n")
    size = (64 << 20) if quick else GB
    for name, byte in (("zip-letters", b"a"), ("zip-zeros", b"\0")):
        z = work / f"{name}.zip"
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            with zf.open("bomb.txt", "w", force_zip64=True) as f:
                chunk = byte * (1 << 20)
                for _ in range(size >> 20):
                    f.write(chunk)
            zf.writestr("ok.txt", "A note on the conference.\n")
        paths[name] = z
    t = work / "odd.tar"
    with tarfile.open(t, "w") as tf:
        for mname, kind, link in (("../escape.txt", tarfile.REGTYPE, ""), ("link.txt", tarfile.SYMTYPE, "/etc/passwd"),
                                  ("hard.txt", tarfile.LNKTYPE, "ok.txt"), ("dev.txt", tarfile.CHRTYPE, ""),
                                  ("ok.txt", tarfile.REGTYPE, "")):
            info = tarfile.TarInfo(mname)
            info.type, info.linkname = kind, link
            data = b"The minister spoke.\n" if kind == tarfile.REGTYPE else b""
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data else None)
    paths["odd-tar"] = t
    d = folder("text-50mb")
    with open(d / "one-line.txt", "wb") as f:
        for _ in range(50):
            f.write(b"treaty " * (1 << 20 // 7) + b"x" * ((1 << 20) - 7 * (1 << 20 // 7)))
    d = folder("many")
    for i in range(120):
        (d / f"note{i:03}.txt").write_text(f"Note {i}. " + "The delegation discussed the harbour dues. " * 200 + "\n")
    empty = work / "empty.db"
    empty.write_bytes(b"")
    paths["empty-db"] = empty
    return paths


def kill_a_worker(proc: psutil.Process) -> bool:
    """Kill -9 one reader process of a running ingest (what the out-of-memory killer does)."""
    try:
        kids = proc.children(recursive=True)
    except psutil.Error:
        return False
    workers = [k for k in kids if k.ppid() == proc.pid]
    if len(workers) < 3:  # the indexer (started first) and two readers
        return False
    newest = max(workers, key=lambda k: k.create_time())  # a reader: the pool starts after the indexer
    os.kill(newest.pid, signal.SIGKILL)
    KILLED.append(newest.pid)
    return True


# -- the web ------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_un(work: Path) -> Path:
    src = ROOT.parent / "shared" / "corpus" / "ungdc" / "sessions"
    db = work / "un-small.db"
    if src.is_dir():
        print(f"# no --archive: building a small UN archive from {src} (pass --archive UN.db for the full one)")
        paths = [str(p) for p in sorted(src.iterdir())[:6]]
    else:
        print("# no --archive and no ../shared corpus: building an archive of generated speeches")
        gen = work / "speeches"
        gen.mkdir()
        rnd = random.Random(1)
        words = "peace security nations council assembly development disarmament treaty sovereignty".split()
        for i in range(400):
            (gen / f"C{i:03}_01_1946.txt").write_text(" ".join(rnd.choice(words) for _ in range(800)))
        paths = [str(gen)]
    subprocess.run([*DESPATCH, "--archive", str(db), "ingest", "-q", "--no-enrich", "--collection", "un",
                    "--name-pattern", "{country}_{session}_{year}", *paths], cwd=ROOT, check=False)
    return db


def request(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        c.putrequest("GET", path, skip_host=True)
        c.putheader("Host", f"{host}:{port}")
        c.endheaders()
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def web_cases(archive: Path, requests_total: int) -> list[Outcome]:
    port = free_port()
    server = subprocess.Popen([*DESPATCH, "--archive", str(archive), "serve", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    proc = psutil.Process(server.pid)
    outcomes: list[Outcome] = []
    try:
        t0 = time.monotonic()
        while True:
            try:
                request(port, "/api/stats")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() - t0 > 600:
                    err = server.stderr.read().decode()[-300:] if server.stderr else ""
                    return [Outcome("serve", False, f"server did not start: {err}", time.monotonic() - t0, 0)]
                time.sleep(0.5)
        ids = _some_ids(archive)
        bad = {
            "version beyond 2^63": f"/documents/{ids[0]}?version={2**64}",
            "api version beyond 2^63": f"/api/documents/{ids[0]}?version={2**64}",
            "source version beyond 2^63": f"/api/source/{ids[0]}?version={2**64}",
            "400 nested parentheses": "/?q=" + urllib.parse.quote("(" * 400 + "peace" + ")" * 400),
            "5000 NOTs": "/api/search?q=" + urllib.parse.quote("NOT " * 5000 + "peace"),
            "100 KB query": "/api/search?q=" + urllib.parse.quote("peace " * 17000),
            "page beyond 2^63": f"/api/search?q=peace&page={2**64}",
        }
        for name, path in bad.items():
            t1 = time.monotonic()
            try:
                status, headers, body = request(port, path)
                secure = all(h in headers for h in ("content-security-policy", "x-content-type-options",
                                                    "x-frame-options"))
                ok = status == 400 and secure
                detail = f"{status}, security headers {'present' if secure else 'MISSING'}"
            except OSError as e:
                ok, detail = False, f"connection error: {e}"
            outcomes.append(Outcome(f"web: {name}", ok, detail, time.monotonic() - t1, _tree_rss(proc)))
        t1 = time.monotonic()
        status, headers, body = request(port, "/api/search?q=peace", host="rebind.attacker.example")
        outcomes.append(Outcome("web: foreign Host (DNS rebinding)", status == 400 and b"peace" not in body,
                                f"{status}", time.monotonic() - t1, _tree_rss(proc)))
        outcomes.append(load_test(port, ids, requests_total, proc))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return outcomes


def _some_ids(archive: Path) -> list[str]:
    con = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT id FROM documents WHERE is_current=1 ORDER BY rowid LIMIT 200")]
    finally:
        con.close()


def load_test(port: int, ids: list[str], total: int, proc: psutil.Process, clients: int = 32) -> Outcome:
    words = ["peace", "security council", "disarmament", "colonial", "atomic", "korea", "palestine", "trade",
             "human rights", "charter"]
    rnd = random.Random(7)
    paths = []
    for i in range(total):
        k = i % 4
        if k == 0:
            paths.append("/api/search?q=" + urllib.parse.quote(rnd.choice(words)))
        elif k == 1:
            paths.append("/?q=" + urllib.parse.quote(rnd.choice(words)))
        elif k == 2:
            paths.append("/documents/" + urllib.parse.quote(rnd.choice(ids)))
        else:
            paths.append("/api/documents/" + urllib.parse.quote(rnd.choice(ids)))
    errors: list[str] = []
    lock = threading.Lock()
    it = iter(paths)
    peak = [0]
    deadline = time.monotonic() + 600

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                path = next(it, None)
            if path is None:
                return
            try:
                status, _, _ = request(port, path)
                if status != 200:
                    with lock:
                        errors.append(f"{status} {path[:60]}")
            except OSError as e:
                with lock:
                    errors.append(f"{type(e).__name__} {path[:60]}")

    def sample() -> None:
        while any(t.is_alive() for t in threads):
            peak[0] = max(peak[0], _tree_rss(proc))
            time.sleep(0.1)

    t0 = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    sampler = threading.Thread(target=sample)
    sampler.start()
    for t in threads:
        t.join()
    sampler.join()
    secs = time.monotonic() - t0
    left = sum(1 for _ in it)
    ok = not errors and left == 0
    detail = (f"{total - left} requests, {clients} clients, {len(errors)} errors, {(total - left) / secs:.1f} req/s"
              + (f"; first errors: {errors[:3]}" if errors else "")
              + (f"; {left} not sent (time bound)" if left else ""))
    return Outcome(f"web: load, {clients} concurrent clients", ok, detail, secs, peak[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", type=Path, help="a UN archive to serve for the web cases")
    ap.add_argument("--quick", action="store_true", help="64 MiB bombs instead of 1 GiB (same limits hit)")
    ap.add_argument("--requests", type=int, default=1000, help="requests in the load test (default 1000)")
    ap.add_argument("--no-web", action="store_true")
    a = ap.parse_args()
    if a.archive and not a.archive.exists():
        print(f"hostile.py: no archive at {a.archive} (pass --archive PATH to a built archive, or omit it)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="despatch-hostile-"))
    try:
        t0 = time.monotonic()
        p = make_inputs(work, a.quick)
        print(f"# inputs generated in {work} in {time.monotonic() - t0:.1f}s; machine shared with parallel work",
              flush=True)
        skipped_outside = ["SKIPPED", "outside the given folders"]
        bomb = "64 MiB" if a.quick else "1 GiB"
        cases = [
            ("symlink to a file outside", lambda: ingest_case("symlink", work, [p["symlink"]], skipped_outside,
                                                               status=0)),
            ("hard link to a file outside", lambda: ingest_case("hardlink", work, [p["hardlink"]],
                                                                 ["SKIPPED", "hard link"], status=0)),
            ("named pipe in the folder", lambda: ingest_case("fifo", work, [p["fifo"]], ["named pipe"], status=0)),
            ("DTD naming a named pipe", lambda: ingest_case("dtd-pipe", work, [p["dtd-pipe"]], [], status={0, 1})),
            ("DTD naming a file outside", lambda: ingest_case("dtd-file", work, [p["dtd-file"]], [], status={0, 1})),
            ("XXE entity naming a file outside", lambda: ingest_case("xxe", work, [p["xxe"]], ["entities"])),
            ("billion laughs", lambda: ingest_case("laughs", work, [p["laughs"]], ["entities"])),
            (f"zip: {bomb} of one letter", lambda: ingest_case("zip-letters", work, [p["zip-letters"]], ["(--max-"])),
            (f"zip: {bomb} of zeros", lambda: ingest_case("zip-zeros", work, [p["zip-zeros"]], ["(--max-"])),
            (f"zip: {bomb}, --max-file-size 2G", lambda: ingest_case("zip-ratio", work, [p["zip-letters"]],
                                                                     ["--max-ratio"], ["--max-file-size", "2G"])),
            ("zip bombs with -j4", lambda: ingest_case("zip-j4", work, [p["zip-letters"], p["zip-zeros"],
                                                                       p["text-50mb"]], ["(--max-"], ["-j4"])),
            ("50 MB one-line text", lambda: ingest_case("text-50mb", work, [p["text-50mb"]], ["--max-text-size"])),
            ("tar: ../, link, hard link, device", lambda: ingest_case("odd-tar", work, [p["odd-tar"]],
                                                                       ["..", "symbolic link", "device"], status=0)),
            # The files in flight are read again; none kills its reader again, so none is lost or failed.
            ("a reader killed mid-batch (-j2)", lambda: _killed(ingest_case(
                "killed", work, [p["many"]], ["121 documents added"], ["-j2", "--no-enrich"], status=0,
                during=(0.5, kill_a_worker)))),
            ("empty file as --archive", lambda: _cli_case("empty-db", [*DESPATCH, "--archive", str(p["empty-db"]),
                                                                       "stats"], 1, "not a Despatch archive")),
            ("show --version 2^64", lambda: _cli_case("cli-version", [*DESPATCH, "--archive", str(work / "symlink.db"),
                                                                      "show", "x/y", "--version", str(2**64)], 2, "")),
            ("search with 5000 NOTs", lambda: _cli_case("cli-not", [*DESPATCH, "--archive", str(work / "symlink.db"),
                                                                    "search", "NOT " * 5000 + "x"], 2, "query")),
        ]
        outcomes: list[Outcome] = []
        print(f"{'case':40} {'outcome':8} {'s':>7} {'peak RSS':>9}  detail")
        for name, fn in cases:
            o = fn()
            o.name = name
            outcomes.append(o)
            _print(o)
        if not a.no_web:
            archive = a.archive or build_un(work)
            for o in web_cases(archive, a.requests):
                outcomes.append(o)
                _print(o)
        hangs = sum(o.hang for o in outcomes)
        tbs = sum(o.traceback for o in outcomes)
        outside = sum(o.outside for o in outcomes)
        over = sum(o.peak > GB for o in outcomes)
        failed = sum(not o.ok for o in outcomes)
        print(f"\n{len(outcomes)} cases: {hangs} hangs, {tbs} tracebacks, {outside} files read outside what was "
              f"given, {over} over 1 GB peak RSS (max {max(o.peak for o in outcomes) / 2**20:.0f} MiB), "
              f"{failed} not as expected")
        return 1 if (hangs or tbs or outside or over or failed) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _killed(o: Outcome) -> Outcome:
    if not KILLED:
        o.ok, o.detail = False, "no reader was running to kill; " + o.detail
    else:
        o.detail = f"killed reader pid {KILLED[-1]}; " + o.detail
    return o


def _cli_case(name: str, cmd: list[str], status: int, words: str) -> Outcome:
    code, out, secs, peak = run(cmd, timeout=120)
    tb = "Traceback" in out
    ok = code == status and not tb and words in out
    return Outcome(name, ok, f"exit {code}; {out.strip().splitlines()[-1][:150] if out.strip() else ''}", secs, peak,
                   code is None, tb)


def _print(o: Outcome) -> None:
    print(f"{o.name[:40]:40} {'ok' if o.ok else 'NOT OK':8} {o.seconds:7.1f} {o.peak / 2**20:7.0f} MB  {o.detail}",
          flush=True)


if __name__ == "__main__":
    sys.exit(main())
