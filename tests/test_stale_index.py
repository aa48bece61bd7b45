"""A derived index knows which archive and which history it follows (issue 20, "indexes that know their
archive"): beside a restored backup, or beside another archive, it is rebuilt and says so, never trusted.

Each case is what an operator actually does: restore a backup over the archive file and forget the index
folder beside it; copy an archive's folder with another's index; keep working after a restore.
"""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from despatch.cli import main
from despatch.errors import SearchIndexMissing
from despatch.ingest import IngestOptions, ingest
from despatch.maintenance import backup
from despatch.store import open_archive


def _add(db, tmp_path, *words):
    folder = tmp_path / "in" / "-".join(words)
    folder.mkdir(parents=True)
    for w in words:
        (folder / f"{w}.txt").write_text(f"A note about {w}.\n")
    with open_archive(db) as arch:
        ingest(arch, [folder], IngestOptions(collection="c", enrich=False))
        arch.search("note")  # the index follows the store up to here


def _found(db, word):
    with open_archive(db) as arch:
        return sorted(h.id for h in arch.search(word).hits)


def _restore(saved, db):
    """What docs/operating.md warns against, done anyway: the backup copied over, the index left."""
    shutil.copy(saved, db)
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)


@pytest.fixture
def restored(tmp_path):
    """An archive with "anchovies" restored from a backup made before "barley" and "cinnamon" were added;
    its search index, left beside it, has seen all three."""
    db = tmp_path / "a.db"
    _add(db, tmp_path, "anchovies")
    saved = tmp_path / "saved.db"
    backup(db, saved)
    _add(db, tmp_path, "barley")
    _add(db, tmp_path, "cinnamon")
    assert _found(db, "barley") == ["c/barley"]
    _restore(saved, db)
    return db


def test_an_index_ahead_of_a_restored_archive_is_rebuilt_and_says_so(restored, caplog):
    with caplog.at_level(logging.WARNING):
        assert _found(restored, "barley") == []  # not a document of this archive any more
        assert _found(restored, "anchovies") == ["c/anchovies"]
    assert any("rebuilding" in r.getMessage() and "restored" in r.getMessage() for r in caplog.records)


def test_an_index_from_another_history_with_the_same_change_numbers_is_rebuilt(restored, tmp_path):
    # After the restore, two new documents bring the change numbers back to where the old index stood:
    # the numbers agree, the changes do not.
    _add(restored, tmp_path, "dates")
    _add(restored, tmp_path, "elderberries")
    assert _found(restored, "cinnamon") == []
    assert _found(restored, "barley") == []
    assert _found(restored, "dates") == ["c/dates"] and _found(restored, "elderberries") == ["c/elderberries"]


def test_another_archives_index_is_not_trusted(tmp_path):
    one, two = tmp_path / "one" / "a.db", tmp_path / "two" / "a.db"
    one.parent.mkdir()
    two.parent.mkdir()
    _add(one, tmp_path / "one", "anchovies")
    _add(two, tmp_path / "two", "barley")
    shutil.rmtree(str(two) + ".search")
    shutil.copytree(str(one) + ".search", str(two) + ".search")
    assert _found(two, "anchovies") == []
    assert _found(two, "barley") == ["c/barley"]


def test_read_only_refuses_a_stale_index_and_names_the_cure(restored):
    with pytest.raises(SearchIndexMissing, match="despatch reindex"):
        with open_archive(restored, readonly=True) as arch:
            arch.search("barley")
    r = CliRunner().invoke(main, ["--archive", str(restored), "reindex"])
    assert r.exit_code == 0, r.output
    with open_archive(restored, readonly=True) as arch:
        assert arch.search("barley").total == 0 and arch.search("anchovies").total == 1


def test_the_vector_index_of_a_restored_archive_is_rebuilt(tmp_path, caplog):
    from despatch.semantic.vectors import VectorIndex

    db = tmp_path / "a.db"
    _add(db, tmp_path, "anchovies")
    saved = tmp_path / "saved.db"

    def embed(arch, word, value):
        key = arch.current_key(f"c/{word}")
        vec = np.full(8, value, dtype=np.int8).tobytes()
        arch.put_embeddings("toy", [key], [(key, 1, 0, 10, vec)])

    with open_archive(db) as arch:
        embed(arch, "anchovies", 1)
    backup(db, saved)
    _add(db, tmp_path, "barley")
    with open_archive(db) as arch:
        embed(arch, "barley", -1)
        vx = VectorIndex(arch.vector_index_dir(), arch, "toy", 8)
        vx.sync()
        assert len(vx) == 2
    _restore(saved, db)
    with open_archive(db) as arch, caplog.at_level(logging.WARNING):
        vx = VectorIndex(arch.vector_index_dir(), arch, "toy", 8)
        vx.sync()
        assert len(vx) == 1 and vx.pending() == 0
    assert any("vector index" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
