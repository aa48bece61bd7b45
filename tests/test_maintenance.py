"""`despatch check` finds damage and a stale index; `despatch backup` copies an archive while it is in use."""

from __future__ import annotations

import shutil
import sqlite3
import threading

from click.testing import CliRunner

from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive


def _folder(d, words):
    d.mkdir(parents=True, exist_ok=True)
    for w in words:
        (d / f"{w}.txt").write_text(f"A note about {w}.\n")
    return d


def _build(tmp_path, words=("anchovies", "barley")):
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [_folder(tmp_path / "in", words)], IngestOptions(collection="c", enrich=False))
    return db


def test_check_passes_a_sound_archive_and_reports_a_damaged_original(tmp_path):
    db = _build(tmp_path)
    r = CliRunner().invoke(main, ["--archive", str(db), "check"])
    assert r.exit_code == 0 and "sound" in r.output, r.output
    con = sqlite3.connect(db)
    (sha,) = con.execute("SELECT sha256 FROM files LIMIT 1").fetchone()
    con.execute("UPDATE files SET data = CAST('A note about nothing.' AS BLOB) WHERE sha256=?", (sha,))
    con.commit()
    con.close()
    r = CliRunner().invoke(main, ["--archive", str(db), "check"])
    assert r.exit_code == 1
    (line,) = [ln for ln in r.output.splitlines() if ln.startswith("PROBLEM")]
    assert sha in line and "damaged" in line


def test_check_reports_a_search_index_out_of_step(tmp_path):
    db = _build(tmp_path)
    saved = tmp_path / "saved.db"
    assert CliRunner().invoke(main, ["--archive", str(db), "backup", str(saved)]).exit_code == 0
    with open_archive(db) as arch:
        ingest(arch, [_folder(tmp_path / "in", ["cinnamon", "dates"])], IngestOptions(collection="c", enrich=False))
    shutil.copy(saved, db)  # a restore that forgot the index beside it
    for extra in ("-wal", "-shm"):
        (tmp_path / f"a.db{extra}").unlink(missing_ok=True)
    r = CliRunner().invoke(main, ["--archive", str(db), "check"])
    assert r.exit_code == 1 and "PROBLEM index" in r.output, r.output


def test_backup_while_an_ingest_writes_is_consistent(tmp_path):
    db = _build(tmp_path)
    more = _folder(tmp_path / "more", [f"w{i}" for i in range(60)])
    done = threading.Event()

    def writer():
        with open_archive(db) as arch:
            ingest(arch, [more], IngestOptions(collection="c", enrich=False))
        done.set()

    t = threading.Thread(target=writer)
    t.start()
    dest = tmp_path / "backups"
    dest.mkdir()
    r = CliRunner().invoke(main, ["--archive", str(db), "backup", str(dest)])
    t.join(120)
    assert r.exit_code == 0, r.output
    copy = dest / "a.db"
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs, files = con.execute("SELECT count(*), count(DISTINCT file_sha256) FROM documents").fetchone()
    assert 2 <= docs <= 62 and files == docs  # whole files only, each with its original
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == docs
    con.close()
    r = CliRunner().invoke(main, ["--archive", str(db), "backup", str(dest)])
    assert r.exit_code == 1 and "exists" in r.output  # never overwrites
