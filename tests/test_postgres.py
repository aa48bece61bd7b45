"""The PostgreSQL archive beyond the contract suite: the change feed's commit order, several ingest
processes on one archive, a kill mid-ingest, and the one-line failures an operator meets (unreachable
server, wrong password, a database from a newer Despatch, a connection lost mid-ingest).

Each test runs against the session's throwaway server (tests/pgserver.py) in a database of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from despatch.store import open_archive

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["DESPATCH_INDEX_DIR"] = str(tmp / "index")
    env.pop("DESPATCH_ARCHIVE", None)
    return env


def _cli(tmp: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "despatch", *args], capture_output=True, text=True,
                          env=_env(tmp), timeout=timeout, stdin=subprocess.DEVNULL)


def _folder(tmp: Path, n: int, name: str = "many", words: int = 60) -> Path:
    src = tmp / name
    src.mkdir()
    for i in range(n):
        (src / f"doc{i:05d}.txt").write_text(f"Document number {i}.\n\n" + "A paragraph of text. " * words + "\n")
    return src


def _count(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return int(conn.execute(sql).fetchone()[0])


# -- the change feed: sequence numbers become visible in commit order ------------------------------------

def test_a_change_committed_later_never_hides_behind_a_seen_one(pg_url, tmp_path):
    """A writer that took a seq first but commits late holds back every later writer: a follower that
    has read up to some seq never later finds a smaller one it had not seen."""
    import psycopg

    from despatch.model import Document
    from despatch.store import StoredFile
    from despatch.store.pg_schema import FEED_LOCK

    arch = open_archive(pg_url, index_dir=tmp_path / "ix")
    arch.put(StoredFile("a.txt", "a" * 64, 1, "txt", b"a"), "c", [Document(id="c/a", collection="c", text="a")])
    start = arch.last_change()
    slow = psycopg.connect(pg_url)  # a transaction that got its seq and has not committed yet
    slow.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
    slow.execute("INSERT INTO search_log(doc, op, mark) VALUES (1, 'annotations', 'x') RETURNING seq")
    done = threading.Event()

    def later_writer() -> None:
        w = open_archive(pg_url, index_dir=tmp_path / "ix2")
        w.put(StoredFile("b.txt", "b" * 64, 1, "txt", b"b"), "c", [Document(id="c/b", collection="c", text="b")])
        done.set()

    t = threading.Thread(target=later_writer)
    t.start()
    time.sleep(1.0)
    assert not done.is_set(), "the later writer must wait for the earlier seq to commit"
    assert arch.changes_since(start) == []  # a follower sees nothing yet, so it cannot skip the slow one
    slow.commit()
    slow.close()
    t.join(30)
    assert done.is_set()
    seqs = [c.seq for c in arch.changes_since(start)]
    assert len(seqs) == 2 and seqs == sorted(seqs)
    arch.close()


def test_archive_id_and_change_marks(pg_url, tmp_path):
    from despatch.model import Document
    from despatch.store import StoredFile

    a = open_archive(pg_url, index_dir=tmp_path / "ix")
    a.put(StoredFile("a.txt", "a" * 64, 1, "txt", b"a"), "c", [Document(id="c/a", collection="c", text="a")])
    seq = a.last_change()
    ident, mark = a.archive_id(), a.change_mark(seq)  # type: ignore[attr-defined]
    a.close()
    b = open_archive(pg_url, readonly=True, index_dir=tmp_path / "ix")
    assert b.archive_id() == ident and len(ident) >= 16  # type: ignore[attr-defined]
    assert b.change_mark(seq) == mark and mark  # type: ignore[attr-defined]
    assert b.change_mark(seq + 100) is None  # type: ignore[attr-defined]
    b.close()


# -- several ingest processes on one archive -----------------------------------------------------------

def test_two_ingest_processes_on_one_folder_store_every_file_once(pg_url, tmp_path):
    src = _folder(tmp_path, 300)
    cmd = [sys.executable, "-m", "despatch", "--archive", pg_url, "ingest", "--no-enrich", "-q", str(src)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=_env(tmp_path / f"n{i}")) for i in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, (out, err)
    assert _count(pg_url, "SELECT count(*) FROM documents") == 300
    assert _count(pg_url, "SELECT count(DISTINCT id) FROM documents WHERE is_current") == 300
    assert _count(pg_url, "SELECT count(*) FROM ingests") == 300  # each file stored by one of the two
    assert _count(pg_url, "SELECT count(*) FROM files") == 300
    assert _count(pg_url, "SELECT count(*) FROM search_log") == 300
    with open_archive(pg_url, index_dir=tmp_path / "check") as arch:
        assert arch.search("paragraph").total == 300


def test_ingest_killed_midway_leaves_no_partial_document_and_resumes(pg_url, tmp_path):
    src = _folder(tmp_path, 2000, words=200)
    cmd = [sys.executable, "-m", "despatch", "--archive", pg_url, "ingest", "--no-enrich", "-q", str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(tmp_path))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if _count(pg_url, "SELECT count(*) FROM ingests") >= 100:
                break
        except Exception:  # noqa: BLE001 - the schema may not be there yet
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    docs = _count(pg_url, "SELECT count(*) FROM documents")
    assert 0 < docs < 2000, "the ingest should have been killed midway"
    # every committed document is whole: its original, its paragraphs, its ingest record, its feed entry
    assert _count(pg_url, "SELECT count(*) FROM documents d LEFT JOIN files f ON f.sha256=d.file_sha256 "
                          "WHERE f.sha256 IS NULL") == 0
    assert _count(pg_url, "SELECT count(*) FROM files f WHERE (SELECT count(*) FROM file_chunks c "
                          "WHERE c.sha256=f.sha256) <> f.chunks") == 0
    assert _count(pg_url, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                          "(SELECT 1 FROM structure s WHERE s.doc=d.key AND s.type='paragraph')") == 0
    assert _count(pg_url, "SELECT count(*) FROM ingests") == docs
    assert _count(pg_url, "SELECT count(*) FROM search_log") == docs
    r = _cli(tmp_path, "--archive", pg_url, "ingest", "--no-enrich", "-q", str(src))
    assert r.returncode == 0, r.stderr
    assert _count(pg_url, "SELECT count(*) FROM documents") == 2000
    with open_archive(pg_url, index_dir=tmp_path / "index") as arch:
        assert arch.search("paragraph").total == 2000


# -- bad input: one line, exit status 1, nothing half-written --------------------------------------------

def _one_line_failure(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("despatch: "), r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


def test_a_file_whose_claim_holder_dies_unstored_is_stored_by_the_other_process(pg_url, tmp_path):
    """A file another process had claimed is not reported unchanged: this process comes back to it and,
    once the claim is gone without the file stored (that process died), stores it."""
    import hashlib

    import psycopg

    from despatch.ingest import IngestOptions, ingest
    from despatch.store.postgres import _lock_key

    src = _folder(tmp_path, 3)
    held = src / "doc00001.txt"
    sha = hashlib.sha256(held.read_bytes()).hexdigest()
    arch = open_archive(pg_url, index_dir=tmp_path / "ix")
    opts = IngestOptions(collection="many", enrich=False)
    other = psycopg.connect(pg_url, autocommit=True)  # the other process, holding its claim on one file
    other.execute("SELECT pg_advisory_lock(%s)", (_lock_key("claim", f"{sha}\0many\0{opts.key()}"),))
    threading.Timer(1.0, other.close).start()  # ... and dying before it stored the file
    summary = ingest(arch, [src], opts)
    assert summary.documents_added == 3 and summary.unchanged_files == 0
    assert _count(pg_url, "SELECT count(*) FROM documents") == 3


def test_claims_between_two_processes_are_released_before_either_waits(pg_url, tmp_path):
    """A process releases a stored file's claim with its next claim, not on its own; before it waits for a
    file another process holds it releases what it owes, so that process (maybe waiting on it) goes on."""
    import hashlib

    import psycopg

    from despatch.store.postgres import _lock_key

    arch = open_archive(pg_url, index_dir=tmp_path / "ix")
    mine, theirs = hashlib.sha256(b"mine").hexdigest(), hashlib.sha256(b"theirs").hexdigest()
    other = psycopg.connect(pg_url, autocommit=True)  # the other process
    try:
        other.execute("SELECT pg_advisory_lock(%s)", (_lock_key("claim", f"{theirs}\0c\0"),))
        assert arch.claim_new_file(mine, "c", "") == "claimed"
        assert arch.claim_new_file(theirs, "c", "") == "busy"
        try_mine = ("SELECT pg_try_advisory_lock(%s)", (_lock_key("claim", f"{mine}\0c\0"),))
        assert other.execute(*try_mine).fetchone()[0] is False  # claimed: the other process passes it over
        arch.release_file(mine, "c", "")
        waited = threading.Thread(target=arch.claim_file, args=(theirs, "c", ""), kwargs={"wait": True})
        waited.start()
        deadline = time.monotonic() + 30
        while not other.execute(*try_mine).fetchone()[0]:  # released before this process began to wait
            assert time.monotonic() < deadline, "the claim was still held while its holder waited"
            time.sleep(0.05)
        assert waited.is_alive()
        other.execute("SELECT pg_advisory_unlock(%s)", (_lock_key("claim", f"{theirs}\0c\0"),))
        waited.join(30)
        assert not waited.is_alive()
    finally:
        other.close()
        arch.close()


def test_a_put_the_server_refuses_keeps_nothing_and_the_next_one_is_stored(pg_url, tmp_path):
    """A file's transaction is sent in one pipeline: a statement the server refuses (text with NUL, which
    PostgreSQL cannot store) fails that file only; nothing of it is kept and the next file is stored."""
    import hashlib

    import pytest

    from despatch.model import Document
    from despatch.store import StoredFile

    def stored(name: str, data: bytes) -> StoredFile:
        return StoredFile(name, hashlib.sha256(data).hexdigest(), len(data), "text", data, "")

    arch = open_archive(pg_url, index_dir=tmp_path / "ix")
    try:
        with pytest.raises(Exception, match="0x00"):
            arch.put(stored("bad.txt", b"bad"), "c", [Document(id="c/fine", collection="c", text="fine"),
                                                      Document(id="c/bad", collection="c", text="nul \x00 here")])
        assert not arch.file_seen(hashlib.sha256(b"bad").hexdigest(), "c", "")
        for i in range(3):  # the pool's connections are fit for use again
            r = arch.put(stored(f"good{i}.txt", f"good {i}".encode()), "c",
                         [Document(id=f"c/good{i}", collection="c", text=f"good {i}")])
            assert r.added == 1
        assert arch.get("c/fine") is None and arch.get("c/good2") is not None
        assert _count(pg_url, "SELECT count(*) FROM documents") == 3
        assert _count(pg_url, "SELECT count(*) FROM files") == 3
    finally:
        arch.close()


def test_text_and_originals_are_compressed_with_lz4_and_come_back_exact(pg_url, tmp_path):
    """The columns an ingest compresses for every file use LZ4 (pglz took a large share of the server's
    time), and what is stored comes back byte for byte."""
    import hashlib

    from despatch.model import Document, FileInfo
    from despatch.store import StoredFile

    raw = ("Telegram. " * 5000).encode()  # large enough to be compressed out of line
    with open_archive(pg_url, index_dir=tmp_path / "ix") as arch:
        sha = hashlib.sha256(raw).hexdigest()
        doc = Document(id="c/t", collection="c", text=raw.decode(), file=FileInfo("t.txt", sha, "txt", len(raw)))
        arch.put(StoredFile("t.txt", sha, len(raw), "txt", raw), "c", [doc])
        assert arch.source("c/t")[1] == raw and arch.get("c/t").text == raw.decode()
    assert _count(pg_url, "SELECT count(*) FROM documents WHERE pg_column_compression(text) = 'lz4'") == 1
    assert _count(pg_url, "SELECT count(*) FROM file_chunks WHERE pg_column_compression(data) = 'lz4'") >= 1


def test_an_unreachable_server_is_one_line(tmp_path, pg_server):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here
    line = _one_line_failure(_cli(tmp_path, "--archive", f"postgresql://u@127.0.0.1:{port}/db", "stats"))
    assert "cannot reach" in line and f"127.0.0.1:{port}" in line


def test_a_wrong_password_is_one_line_and_never_shows_the_password(tmp_path, pg_server):
    db = pg_server.new_database()
    name = db.rsplit("/", 1)[1]
    url = f"postgresql://{pg_server.PASSWORD_USER}:not-the-password@127.0.0.1:{pg_server.port}/{name}"
    line = _one_line_failure(_cli(tmp_path, "--archive", url, "stats"))
    assert "password" in line and "not-the-password" not in line
    good = f"postgresql://{pg_server.PASSWORD_USER}:{pg_server.PASSWORD}@127.0.0.1:{pg_server.port}/{name}"
    pg_server.sql(f"GRANT ALL ON SCHEMA public TO {pg_server.PASSWORD_USER}", db=name)
    r = _cli(tmp_path, "--archive", good, "ingest", "--no-enrich", "-q", str(_folder(tmp_path, 2)))
    assert r.returncode == 0, r.stderr


def test_a_database_from_a_newer_despatch_is_refused_untouched(pg_url, tmp_path):
    open_archive(pg_url, index_dir=tmp_path / "ix").close()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE despatch_meta SET value='999' WHERE key='schema_version'")
    src = _folder(tmp_path, 3)
    for args in (["stats"], ["ingest", "--no-enrich", str(src)]):
        line = _one_line_failure(_cli(tmp_path, "--archive", pg_url, *args))
        assert "newer" in line and "upgrade Despatch" in line
    assert _count(pg_url, "SELECT count(*) FROM documents") == 0


def test_a_connection_lost_mid_ingest_stops_with_one_line_and_keeps_only_whole_files(tmp_path, pg_server):
    from pgserver import PGServer

    own = PGServer(pg_server.bindir).start()  # a server of its own, to stop under the ingest
    try:
        url = own.new_database()
        src = _folder(tmp_path, 1500, words=100)
        cmd = [sys.executable, "-m", "despatch", "--archive", url, "ingest", "--no-enrich", "-q", str(src)]
        env = {**_env(tmp_path), "DESPATCH_PG_TIMEOUT": "3"}
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                if _count(url, "SELECT count(*) FROM ingests") >= 50:
                    break
            except Exception:  # noqa: BLE001 - the schema may not be there yet
                pass
        own.halt()  # what a crashed server or a cut network does to the ingest
        out, err = proc.communicate(timeout=300)
        line = _one_line_failure(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
        assert "lost the connection" in line or "cannot reach" in line, line
        own.resume()
        docs = _count(url, "SELECT count(*) FROM documents")
        assert 0 < docs < 1500
        assert _count(url, "SELECT count(*) FROM ingests") == docs
        assert _count(url, "SELECT count(*) FROM search_log") == docs
        assert _count(url, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                           "(SELECT 1 FROM structure s WHERE s.doc=d.key)") == 0
    finally:
        own.stop()


def test_an_empty_database_read_only_is_no_archive(pg_url, tmp_path):
    line = _one_line_failure(_cli(tmp_path, "--archive", pg_url, "list"))
    assert "no Despatch archive" in line


# -- serving nodes: each keeps its own index, which follows the archive ---------------------------------

def test_a_serving_node_finds_a_document_another_process_ingested_without_restart(pg_url, tmp_path):
    from starlette.testclient import TestClient

    from despatch.web import create_app

    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text("A memorandum on the wheat harvest.\n")
    assert _cli(tmp_path / "ingester", "--archive", pg_url, "ingest", "--no-enrich", "-q", str(first)).returncode == 0
    os.environ["DESPATCH_INDEX_DIR"] = str(tmp_path / "node")  # this node's own index, not the ingester's
    try:
        app = create_app(pg_url)
        with TestClient(app, base_url="http://localhost") as c:
            assert c.get("/api/search?q=wheat").json()["total"] == 1
            assert c.get("/api/search?q=zanzibar").json()["total"] == 0
            second = tmp_path / "second"
            second.mkdir()
            (second / "b.txt").write_text("A telegram from Zanzibar on the clove trade.\n")
            r = _cli(tmp_path / "ingester", "--archive", pg_url, "ingest", "--no-enrich", "-q", str(second))
            assert r.returncode == 0, r.stderr
            deadline = time.monotonic() + 120
            found = 0
            while time.monotonic() < deadline and not found:
                time.sleep(0.5)
                found = c.get("/api/search?q=zanzibar").json()["total"]
            assert found == 1
            assert c.get("/documents/second/b").status_code == 200
            index = c.get("/api/stats").json()["index"]
            assert index["lag"] == 0 and index["watermark"] == index["last_change"] > 0 and index["node"]
    finally:
        os.environ.pop("DESPATCH_INDEX_DIR", None)
    assert (tmp_path / "node" / "search" / "watermark.json").exists()
