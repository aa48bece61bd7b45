"""The search index's memory is a setting an operator sets once (`DESPATCH_INDEX_MEMORY_MB`, docs/scale.md):
whatever is set there, a mistake must not quietly stop the index from following the archive."""

from __future__ import annotations

import logging

import pytest

from despatch.ingest import IngestOptions, ingest
from despatch.search.index import MEMORY_ENV, writer_heap
from despatch.store import open_archive


def _archive(tmp_path, *words):
    folder = tmp_path / "in"
    folder.mkdir()
    for w in words:
        (folder / f"{w}.txt").write_text(f"A despatch about {w}.\n\nA second paragraph on {w}.\n")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [folder], IngestOptions(collection="c", enrich=False))
    return db


@pytest.mark.parametrize("setting", ["1", "0", "lots"])
def test_a_tiny_or_garbled_memory_setting_still_indexes_and_rebuilds(tmp_path, monkeypatch, caplog, setting):
    # tantivy refuses a writer heap under 15 MB; unguarded, `sync` took that refusal for a writer held
    # by another process and searched an index that never saw the new documents.
    monkeypatch.setenv(MEMORY_ENV, setting)
    with caplog.at_level(logging.WARNING):
        db = _archive(tmp_path, "wheat", "coal")
        with open_archive(db) as arch:
            assert sorted(h.id for h in arch.search("wheat").hits) == ["c/wheat"]
            assert arch.reindex() == 2
            assert {h.id for h in arch.search("coal", by="paragraph").hits} == {"c/coal"}
    if setting == "lots":
        assert MEMORY_ENV in caplog.text


def test_the_setting_is_shared_by_the_two_writers(monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "300")
    assert writer_heap() == 150_000_000  # documents and paragraphs: half each
    monkeypatch.delenv(MEMORY_ENV)
    assert 15_000_000 <= writer_heap() <= 128_000_000  # the default keeps both under 256 MB
