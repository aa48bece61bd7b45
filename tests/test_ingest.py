"""Ingest and the archive: originals kept byte for byte, idempotent re-ingest, versions, bad input,
an ingest killed midway."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive

F = FIXTURES / "foundation"
RAW = IngestOptions(enrich=False)


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("files", "documents", "structure", "annotations", "ingests")}
    finally:
        con.close()


def test_original_bytes_come_back_identical(archive, tmp_path):
    src = F / "cp1252.txt"
    ingest(archive, [src], RAW)
    (row,) = archive.list()
    path, data = archive.source(row.id)
    assert data == src.read_bytes()
    doc = archive.get(row.id)
    assert doc.file.sha256 == hashlib.sha256(data).hexdigest() == hashlib.sha256(src.read_bytes()).hexdigest()
    assert doc.file.bytes == len(data) and doc.file.format == "text"


def test_reingest_changes_nothing(tmp_path):
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        s1 = ingest(arch, [F / "record.txt", F / "USA_08_1953.txt"], RAW)
    before = _counts(db)
    with open_archive(db) as arch:
        s2 = ingest(arch, [F / "record.txt", F / "USA_08_1953.txt"], RAW)
    assert s1.documents_added == 2 and s1.failed == 0
    assert s2.documents_added == 0 and s2.unchanged_files == 2
    assert _counts(db) == before


def test_changed_file_becomes_a_new_version(tmp_path):
    p = tmp_path / "docs" / "note.txt"
    p.parent.mkdir()
    p.write_text("First wording of the note.\n")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [p.parent], RAW)
        doc_id = arch.list()[0].id
        p.write_text("Second wording of the note.\n")
        s = ingest(arch, [p.parent], RAW)
        assert s.documents_versioned == 1
        vs = arch.versions(doc_id)
        assert [(v.version, v.current) for v in vs] == [(1, False), (2, True)]
        assert arch.get(doc_id).text == "Second wording of the note."
        assert arch.get(doc_id, version=1).text == "First wording of the note."
        assert arch.source(doc_id, version=1)[1] == b"First wording of the note.\n"
        assert len(arch.list()) == 1  # only the current version is listed


def _bad_inputs(d: Path) -> dict[str, str]:
    """file name → the words its one-line reason must contain."""
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (d / "latin-nul.txt").write_bytes(b"caf\xe9\x00\x00\xff\xfe\x00garbage" * 50)
    (d / "whitespace.txt").write_bytes(b"   \n\n\t\n")
    (d / "broken.xml").write_bytes(b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div')
    os.symlink(d / "does-not-exist", d / "dangling.txt")
    (d / "good.txt").write_text("A perfectly good document.\n")
    return {
        "empty.txt": "empty file",
        "blob.bin": "binary",
        "latin-nul.txt": "binary",
        "whitespace.txt": "no text",
        "broken.xml": "line",
    }


def test_bad_input_reported_one_line_each_and_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    expected = _bad_inputs(d)
    db = tmp_path / "a.db"
    result = CliRunner().invoke(main, ["--archive", str(db), "ingest", "--no-enrich", str(d)])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == len(expected), result.stderr
    for name, words in expected.items():
        (line,) = [f for f in failed if f"/{name}: " in f]
        assert words in line.lower(), line
    # A link is not a failure: it is passed over, saying so (exit status 1 comes from the failures above).
    (skipped,) = [line for line in result.stderr.splitlines() if line.startswith("SKIPPED ")]
    assert "/dangling.txt: broken symbolic link" in skipped
    with open_archive(db) as arch:
        rows = arch.list()
        assert [r.title for r in rows] == ["good"]
    c = _counts(db)
    assert c["files"] == 1 and c["documents"] == 1  # nothing half-stored from the failures


def test_exit_status_zero_when_all_succeed(tmp_path):
    args = ["--archive", str(tmp_path / "a.db"), "ingest", "--no-enrich", str(F / "record.txt")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 documents added" in result.output


def test_tar_archive_members_are_files(tmp_path):
    tar = tmp_path / "speeches.tar.xz"
    with tarfile.open(tar, "w:xz") as tf:
        tf.add(F / "USA_08_1953.txt", arcname="TXT/Session 08 - 1953/USA_08_1953.txt")
        tf.add(F / "cp1252.txt", arcname="TXT/.DS_Store")  # hidden members are skipped
    with open_archive(tmp_path / "a.db") as arch:
        s = ingest(arch, [tar], IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))
        assert s.failed == 0 and s.documents_added == 1
        (row,) = arch.list()
        assert row.collection == "speeches"
        path, data = arch.source(row.id)
        assert data == (F / "USA_08_1953.txt").read_bytes()
        assert path.endswith("speeches.tar.xz!TXT/Session 08 - 1953/USA_08_1953.txt")


def test_show_json_and_source_through_the_cli(tmp_path):
    db = str(tmp_path / "a.db")
    r = CliRunner()
    assert r.invoke(main, ["--archive", db, "ingest", "--no-enrich", str(F / "record.txt")]).exit_code == 0
    listed = r.invoke(main, ["--archive", db, "list", "--format", "json"])
    import json

    doc_id = json.loads(listed.output)[0]["id"]
    shown = json.loads(r.invoke(main, ["--archive", db, "show", doc_id, "--format", "json"]).output)
    assert shown["date"]["start"] == "1958-11-27" and shown["file"]["format"] == "archive-record"
    src = r.invoke(main, ["--archive", db, "source", doc_id])
    assert src.stdout_bytes == (F / "record.txt").read_bytes()
    missing = r.invoke(main, ["--archive", db, "show", "no/such-doc"])
    assert missing.exit_code != 0 and "no document" in missing.output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ingest_killed_midway_leaves_a_consistent_archive(tmp_path, workers):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(3000):
        (src / f"doc{i:05d}.txt").write_text(f"Document number {i}.\n\n" + "A paragraph of text. " * 200 + "\n")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "despatch", "--archive", str(db), "ingest", "--no-enrich", "-q", "-j", workers,
           str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists() and _safe_count(db) >= 200:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # its readers and indexer leave with it rather than wait for work forever
    left = _processes_of(db)
    deadline = time.monotonic() + 10
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _processes_of(db)
    assert not left, left
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < docs < 3000, "the ingest should have been killed midway"
    # every committed document is complete: its file, its paragraphs, its ingest record
    assert con.execute("SELECT count(*) FROM documents d LEFT JOIN files f ON f.sha256=d.file_sha256 "
                       "WHERE f.sha256 IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                       "(SELECT 1 FROM structure s WHERE s.doc=d.rowid AND s.type='paragraph')").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM ingests").fetchone()[0] == docs
    con.close()
    # resuming finishes the job without duplicating anything
    with open_archive(db) as arch:
        s = ingest(arch, [src], RAW)
        assert s.failed == 0
        assert s.unchanged_files == docs
        assert len(arch.list(limit=5000)) == 3000
        res = arch.search("paragraph")
        assert res.total == 3000


def _processes_of(db: Path) -> list[int]:
    import psutil

    out = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        if str(db) in " ".join(p.info["cmdline"] or []) and p.status() != psutil.STATUS_ZOMBIE:
            out.append(p.info["pid"])
    return out


def _safe_count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_unknown_schema_version_is_refused(tmp_path):
    db = tmp_path / "future.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 999")
    con.close()
    with pytest.raises(RuntimeError, match="newer than this Despatch"):
        open_archive(db)


@pytest.mark.corpus
@pytest.mark.slow
def test_whole_un_corpus_ingests_with_zero_failures(tmp_path, ungdc_dir):
    tar = ungdc_dir / "ungdc-1946-2024.tar.xz"
    if not tar.exists():
        pytest.skip(f"{tar} is absent")
    with open_archive(tmp_path / "un.db") as arch:
        s = ingest(arch, [tar], IngestOptions(enrich=False, workers=2, name_pattern="{country}_{session}_{year}"))
        assert s.failed == 0, [f.__dict__ for f in s.failures[:5]]
        assert s.documents_added == 10952
        con = arch.conn
        missing = con.execute(
            "SELECT count(*) FROM documents WHERE json_extract(metadata_json, '$.country') IS NULL "
            "OR json_type(metadata_json, '$.session') != 'integer' OR json_type(metadata_json, '$.year') != 'integer' "
            "OR date_precision != 'year' "
            "OR substr(date_start, 1, 4) != CAST(json_extract(metadata_json, '$.year') AS TEXT)"
        ).fetchone()[0]
        assert missing == 0
        usa = arch.get("ungdc-1946-2024/USA_08_1953")
        # speaker from the corpus's Speakers_by_session.xlsx beside the tar; the speech's own line kept beside it
        assert usa is not None and usa.metadata["speaker"] == "Mr. Dulles"
        assert usa.metadata["speaker_as_printed"] == "Mr. DULLES"
        assert arch.get("ungdc-1946-2024/USA_79_2024").metadata["speaker_post"] == "President"


def test_parallel_ingest_indexes_every_document_while_writing(tmp_path):
    """With workers, a process of its own indexes while the main one writes; when the ingest returns,
    every stored document is searchable and the index has applied the whole log."""
    src = tmp_path / "speeches"
    src.mkdir()
    words = ["armistice", "plebiscite", "trusteeship", "decolonisation", "disarmament"]
    for i in range(40):
        (src / f"C{i:02d}_{i % 5 + 1:02d}_{1946 + i}.txt").write_text(
            f"Speech {i}. The delegation spoke of {words[i % 5]} and of item number{i}.\n", encoding="utf-8"
        )
    with open_archive(tmp_path / "a.db") as arch:
        s = ingest(arch, [src], IngestOptions(enrich=False, workers=2, name_pattern="{country}_{session}_{year}"))
        assert s.documents_added == 40 and s.failed == 0
        index = arch.search_index
        assert index.pending() == 0
        assert arch.search("", per_page=1).total == 40
        assert arch.search("plebiscites").total == 8  # stemmed: every form of the word
        assert [h.id for h in arch.search("number17").hits] == ["speeches/C17_03_1963"]
