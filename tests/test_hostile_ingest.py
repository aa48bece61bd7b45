"""Hostile folders: ingest reads only what it was given, within limits, and survives a dead reader.

Issue 20, items 1 (links), 2 (XML opening files, named pipes), 3 (bombs), 6 (dead workers) and 10 (tar
members passed over in silence). Every input is made here, small, against lowered limits where the
behaviour is the same as at the defaults, and at the real defaults where that is cheap.
"""

from __future__ import annotations

import io
import os
import signal
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.readers import ReaderError
from despatch.store import open_archive
from despatch.xmlsafe import parse_xml

SECRET = "root:x:0:0:root:/root:/bin/bash\nsecretword lives outside the folder\n"


def _run(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _lines(result, prefix: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(prefix)]


def _unblock_after(fifo: Path, seconds: float, done: threading.Event) -> list[bool]:
    """If a test's ingest is blocked opening `fifo`, open its other end after a while so the test ends; the
    list returned holds True then (the test must fail)."""
    fired: list[bool] = []

    def opener() -> None:
        if done.wait(seconds):
            return
        fired.append(True)
        os.close(os.open(fifo, os.O_RDWR))

    threading.Thread(target=opener, daemon=True).start()
    return fired


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with one good file and a link to a "password file" outside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(SECRET)
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("A perfectly good note about the treaty.\n")
    os.symlink(outside / "passwd", d / "notes.txt")
    return d, outside


# --- 1. links out of the given folders -------------------------------------------------------------------

def test_symlink_out_of_the_folder_is_skipped_with_one_line_and_never_searchable(tmp_path, hostile):
    d, _ = hostile
    db = tmp_path / "a.db"
    result = _run(["--archive", str(db), "ingest", "--no-enrich", "-j1", str(d)])
    assert result.exit_code == 0, result.output  # a link passed over is not a failure
    (line,) = _lines(result, "SKIPPED ")
    assert "notes.txt" in line and "outside the given folders" in line and "--follow-symlinks" in line
    with open_archive(db) as arch:
        assert [r.title for r in arch.list()] == ["good"]
        assert arch.search("secretword").total == 0
        assert arch.search("root").total == 0
        for row in arch.list():
            _, data = arch.source(row.id)
            assert b"root:x:0" not in data


def test_follow_symlinks_opts_in(tmp_path, hostile):
    d, _ = hostile
    db = tmp_path / "a.db"
    result = _run(["--archive", str(db), "ingest", "--no-enrich", "-j1", "--follow-symlinks", str(d)])
    assert result.exit_code == 0 and not _lines(result, "SKIPPED ")
    with open_archive(db) as arch:
        assert arch.search("secretword").total == 1


def test_link_inside_the_folder_is_read(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "real.txt").write_text("The memorandum on wheat.\n")
    os.symlink(d / "sub" / "real.txt", d / "alias.txt")
    db = tmp_path / "a.db"
    result = _run(["--archive", str(db), "ingest", "--no-enrich", "-j1", str(d)])
    assert result.exit_code == 0 and not _lines(result, "SKIPPED ")


def test_hard_link_to_a_file_outside_is_skipped(tmp_path, hostile):
    d, outside = hostile
    os.unlink(d / "notes.txt")
    os.link(outside / "passwd", d / "notes.txt")
    db = tmp_path / "a.db"
    result = _run(["--archive", str(db), "ingest", "--no-enrich", "-j1", str(d)])
    (line,) = _lines(result, "SKIPPED ")
    assert "notes.txt" in line and "hard link" in line
    with open_archive(db) as arch:
        assert arch.search("secretword").total == 0


def test_hard_links_all_inside_the_folder_are_read(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("The cable about the harbour.\n")
    os.link(d / "a.txt", d / "b.txt")
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", str(d)])
    assert result.exit_code == 0 and not _lines(result, "SKIPPED ")


# --- 2. named pipes, devices, sockets; XML never opens a file ---------------------------------------------

def test_named_pipe_and_socket_in_a_folder_are_skipped_without_hanging(tmp_path):
    import socket

    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("A note.\n")
    os.mkfifo(d / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "sock.txt"))
    done = threading.Event()
    blocked = _unblock_after(d / "pipe.txt", 30, done)
    try:
        result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", str(d)])
    finally:
        done.set()
        sock.close()
    assert not blocked, "the ingest blocked opening a named pipe"
    skipped = _lines(result, "SKIPPED ")
    assert any("pipe.txt" in s and "named pipe" in s for s in skipped), result.stderr
    assert any("sock.txt" in s and "socket" in s for s in skipped), result.stderr
    assert result.exit_code == 0


def test_a_device_given_by_name_is_not_read(tmp_path):
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", "/dev/zero"])
    (line,) = _lines(result, "SKIPPED ")
    assert "character device" in line


def test_xml_dtd_naming_a_named_pipe_neither_opens_nor_hangs(tmp_path):
    fifo = tmp_path / "dtd-pipe"
    os.mkfifo(fifo)
    xml = f'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file://{fifo}">\n<x>hello</x>\n'.encode()
    out: dict[str, object] = {}

    def parse() -> None:
        try:
            out["root"] = parse_xml(xml).getroot().tag
        except ReaderError as e:
            out["error"] = str(e)

    t = threading.Thread(target=parse, daemon=True)
    t.start()
    t.join(20)
    blocked = t.is_alive()
    if blocked:  # let the parser's open() return so the thread ends; the test fails below
        os.close(os.open(fifo, os.O_RDWR))
        t.join(5)
    assert not blocked, "parsing blocked opening the DTD's named pipe"
    assert out == {"root": "x"}


def test_xml_dtd_naming_a_local_file_is_never_read(tmp_path):
    # A file that is not a DTD: reading it as the external subset makes libxml2 report a content error.
    (tmp_path / "passwd").write_text(SECRET)
    xml = f'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file://{tmp_path}/passwd">\n<x>hello</x>\n'.encode()
    assert parse_xml(xml).getroot().text == "hello"


def test_tei_with_a_dtd_pipe_in_a_folder_ingests(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    (d / "letter.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "file://{fifo}">\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Letter</title>'
        '</titleStmt></fileDesc></teiHeader><text><body><div><p>The envoy arrived.</p></div></body></text></TEI>\n')
    done = threading.Event()
    blocked = _unblock_after(fifo, 30, done)
    try:
        result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", str(d)])
    finally:
        done.set()
    assert not blocked, "the ingest blocked opening the DTD's named pipe"
    assert result.exit_code == 0, result.stderr


# --- 3. bombs ----------------------------------------------------------------------------------------------

def _zip(path: Path, members: dict[str, tuple[bytes, int]]) -> None:
    """name → (chunk, repeats), written in chunks so the test never holds the expanded bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, (chunk, n) in members.items():
            with zf.open(name, "w", force_zip64=True) as f:
                for _ in range(n):
                    f.write(chunk)


def test_zip_ratio_bomb_refused_at_the_default_limit_naming_it(tmp_path):
    z = tmp_path / "bomb.zip"
    _zip(z, {"a.txt": (b"a" * (1 << 20), 8), "ok.txt": (b"A note on the conference.\n", 1)})
    assert z.stat().st_size < 64 * 1024
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", str(z)])
    assert result.exit_code == 1
    (line,) = _lines(result, "FAILED ")
    assert "a.txt" in line and "8 MiB" in line and "--max-ratio" in line and "200:1" in line
    with open_archive(tmp_path / "a.db") as arch:
        assert arch.stats()["documents"] == 1  # the batch went on


def test_zip_member_and_total_limits_name_the_option(tmp_path):
    z = tmp_path / "big.zip"
    text = b"".join(f"Paragraph {i} of the dispatch on shipping.\n".encode() for i in range(30000))
    _zip(z, {"a.txt": (text, 1), "b.txt": (text, 1), "c.txt": (text[:1000], 1)})
    args = ["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", "--max-ratio", "100000"]
    result = _run([*args, "--max-file-size", "512K", str(z)])
    failed = _lines(result, "FAILED ")
    assert len(failed) == 2 and all("--max-file-size" in f and "512 KiB" in f for f in failed), failed
    result = _run([*args, "--max-expanded-size", "1500K", str(z)])
    (line,) = _lines(result, "FAILED ")
    assert "b.txt" in line and "--max-expanded-size" in line


def test_text_too_large_is_refused_with_its_size_at_the_default_limit(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    with open(d / "one-line.txt", "wb") as f:
        f.write(b"x" * (17 << 20))
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "-j1", str(d)])
    (line,) = _lines(result, "FAILED ")
    assert "17 MiB" in line and "16 MiB" in line and "--max-text-size" in line


def test_time_limit_fails_the_file_and_names_the_option(tmp_path, monkeypatch):
    import despatch.ingest as ing

    real = ing.read_file

    def slow(display, *a, **k):
        if display.endswith("slow.txt"):
            time.sleep(30)
        return real(display, *a, **k)

    monkeypatch.setattr(ing, "read_file", slow)
    d = tmp_path / "in"
    d.mkdir()
    (d / "slow.txt").write_text("Slow.\n")
    (d / "fast.txt").write_text("Fast.\n")
    t0 = time.monotonic()
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", "--time-limit", "0.5", str(d)])
    assert time.monotonic() - t0 < 25
    (line,) = _lines(result, "FAILED ")
    assert "slow.txt" in line and "0.5 s" in line and "--time-limit" in line
    assert result.exit_code == 1


def test_time_limit_reached_inside_a_reader_names_the_option_not_a_reader_failure(tmp_path, monkeypatch):
    from despatch.readers.plaintext import PlainTextReader

    real = PlainTextReader.read

    def slow(self, data, ctx):
        if ctx.path.name == "slow.txt":  # a reader stuck on one file (OCR of a long scan, a pathological table)
            time.sleep(30)
        return real(self, data, ctx)

    monkeypatch.setattr(PlainTextReader, "read", slow)
    d = tmp_path / "in"
    d.mkdir()
    (d / "slow.txt").write_text("Slow.\n")
    (d / "fast.txt").write_text("Fast.\n")
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", "--time-limit", "0.5", str(d)])
    (line,) = _lines(result, "FAILED ")
    assert "slow.txt" in line and "0.5 s" in line and "--time-limit" in line and "reader failed" not in line
    assert result.exit_code == 1


# --- 10. tar members passed over are reported ---------------------------------------------------------------

def test_tar_links_devices_and_dotdot_members_reported_one_line_each(tmp_path):
    t = tmp_path / "odd.tar"
    with tarfile.open(t, "w") as tf:
        def add(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", link: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data)
            info.linkname = link
            tf.addfile(info, io.BytesIO(data) if data else None)

        add("good.txt", data=b"The minister spoke.\n")
        add("../escape.txt", data=b"Outside.\n")
        add("link.txt", tarfile.SYMTYPE, link="/etc/passwd")
        add("hard.txt", tarfile.LNKTYPE, link="good.txt")
        add("dev.txt", tarfile.CHRTYPE)
        add("fifo.txt", tarfile.FIFOTYPE)
    result = _run(["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", "-j1", str(t)])
    skipped = _lines(result, "SKIPPED ")
    for name, words in [("../escape.txt", ".."), ("link.txt", "symbolic link"), ("hard.txt", "hard link"),
                        ("dev.txt", "device"), ("fifo.txt", "named pipe")]:
        assert any(f"!{name}: " in s and words in s for s in skipped), (name, result.stderr)
    with open_archive(tmp_path / "a.db") as arch:
        assert arch.stats()["documents"] == 1


# --- 6. a reader process that dies ----------------------------------------------------------------------

def test_a_killed_worker_fails_its_file_and_the_batch_goes_on(tmp_path, monkeypatch):
    import despatch.ingest as ing

    real = ing.read_file

    def deadly(display, *a, **k):
        if display.endswith("bomb.txt"):
            os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does
        return real(display, *a, **k)

    monkeypatch.setattr(ing, "read_file", deadly)  # workers are forked: they inherit the patch
    d = tmp_path / "in"
    d.mkdir()
    for i in range(8):
        (d / f"note{i}.txt").write_text(f"Note number {i} on the negotiations.\n")
    (d / "bomb.txt").write_text("Boom.\n")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        summary = ingest(arch, [d], IngestOptions(enrich=False, workers=2))
    assert summary.failed == 1 and summary.documents_added == 8
    (f,) = summary.failures
    assert f.path.endswith("bomb.txt") and f.reason.startswith("worker killed: out of memory?")
    result = _run(["--archive", str(tmp_path / "b.db"), "ingest", "--no-enrich", "-j2", str(d)])
    assert result.exit_code == 1 and len(_lines(result, "FAILED ")) == 1



# --- 5. identity by path ------------------------------------------------------------------------------------

def _same_name_folder(d: Path) -> None:
    (d / "a").mkdir(parents=True)
    (d / "b").mkdir()
    (d / "a" / "note.txt").write_text("The first note speaks of anchovies.\n")
    (d / "b" / "note.txt").write_text("The second note speaks of barley.\n")
    (d / "a" / "note.html").write_text("<html><body><p>The third note speaks of cinnamon.</p></body></html>")


def test_files_with_the_same_name_are_distinct_documents(tmp_path):
    d = tmp_path / "in"
    _same_name_folder(d)
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        s = ingest(arch, [d], IngestOptions(collection="c", enrich=False))
        assert s.documents_added == 3 and s.documents_versioned == 0
        ids = sorted(r.id for r in arch.list())
        assert len(set(ids)) == 3 and "c/note" in ids
        for word in ("anchovies", "barley", "cinnamon"):
            assert arch.search(word).total == 1, word
        assert all(len(arch.versions(i)) == 1 for i in ids)
        # Re-ingest: nothing changes, the same ids.
        s = ingest(arch, [d], IngestOptions(collection="c", enrich=False))
        assert s.documents_added == 0 and s.documents_versioned == 0
        assert sorted(r.id for r in arch.list()) == ids
        # A changed file makes a new version of its own document only.
        (d / "b" / "note.txt").write_text("The second note now speaks of rye.\n")
        s = ingest(arch, [d], IngestOptions(collection="c", enrich=False))
        assert s.documents_versioned == 1 and s.documents_added == 0
        assert sorted(r.id for r in arch.list()) == ids
        (rye,) = arch.search("rye").hits
        assert len(arch.versions(rye.id)) == 2
        assert arch.search("anchovies").total == 1 and arch.search("cinnamon").total == 1


def test_existing_ids_stay_when_the_same_folder_is_ingested_from_elsewhere(tmp_path):
    import shutil

    d = tmp_path / "in"
    _same_name_folder(d)
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [d], IngestOptions(collection="c", enrich=False))
        before = {r.id: arch.get(r.id).text for r in arch.list()}
    moved = tmp_path / "elsewhere" / "in"
    shutil.copytree(d, moved)
    (moved / "a" / "note.html").write_text("<html><body><p>The third note speaks of cloves.</p></body></html>")
    with open_archive(db) as arch:
        s = ingest(arch, [moved], IngestOptions(collection="c", enrich=False))
        assert s.documents_added == 0 and s.documents_versioned == 1
        after = {r.id: arch.get(r.id).text for r in arch.list()}
    assert set(after) == set(before)
