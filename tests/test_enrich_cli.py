"""`despatch enrich`, `despatch entities`, `despatch authority import` over a small archive."""

from __future__ import annotations

import json

from click.testing import CliRunner

from despatch.cli import main
from despatch.enrich.entities_index import entities
from despatch.enrich.rerun import enrich_archive
from despatch.ingest import IngestOptions, ingest


def make(tmp_path, enrich: bool = False):
    src = tmp_path / "notes"
    src.mkdir()
    (src / "a.txt").write_text("Mr. Gnasher met Malenkov in the Soviet Union.\n\nThe USSR replied.\n", encoding="utf-8")
    (src / "b.txt").write_text("G. M. Malenkov spoke of NATO and the U.S.S.R.\n", encoding="utf-8")
    db = tmp_path / "a.db"
    from despatch.store import open_archive

    with open_archive(db) as arch:
        s = ingest(arch, [src], IngestOptions(collection="notes", enrich=enrich))
        assert s.failed == 0, s.failures
    return db


def test_entities_counts_variants_mentions_and_documents(tmp_path):
    db = make(tmp_path, enrich=True)
    from despatch.store import open_archive

    with open_archive(db) as arch:
        rows = {e.id: e for e in entities(arch, "notes")}
    ussr = rows["place:ussr"]
    assert ussr.mentions == 3 and ussr.documents == 2
    assert set(ussr.variants) == {"Soviet Union", "USSR", "U.S.S.R."}
    assert rows["person:georgy-malenkov"].documents == 2
    with open_archive(db) as arch:
        people = entities(arch, "notes", "person")
    assert all(e.type == "person" for e in people)


def test_enrich_command_is_idempotent_and_applies_imported_authorities(tmp_path):
    db = make(tmp_path, enrich=False)
    csv = tmp_path / "people.csv"
    csv.write_text("id,kind,name,description\ngn1,person,\"Gnasher, Walter\",Envoy\n", encoding="utf-8")
    r = CliRunner()
    base = ["--archive", str(db)]
    assert r.invoke(main, base + ["authority", "import", str(csv), "--collection", "notes"]).exit_code == 0
    out1 = r.invoke(main, base + ["enrich", "--collection", "notes", "-q"])
    assert out1.exit_code == 0, out1.output
    out2 = r.invoke(main, base + ["enrich", "-q"])
    assert out1.output.split(":")[1] == out2.output.split(":")[1]  # same annotation count: replaced, not added
    res = r.invoke(main, base + ["entities", "--type", "person", "--format", "json"])
    people = {e["id"]: e for e in json.loads(res.output)}
    assert "person:gn1" in people and people["person:gn1"]["name"] == "Walter Gnasher"
    table = r.invoke(main, base + ["entities", "--collection", "notes"])
    assert "place:ussr" in table.output


def test_authority_csv_without_name_column_is_one_line_error(tmp_path):
    db = make(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\nx,y\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["--archive", str(db), "authority", "import", str(bad), "--collection", "notes"])
    assert res.exit_code != 0 and "name" in res.output


def test_enrich_archive_library_call(tmp_path):
    db = make(tmp_path)
    from despatch.store import open_archive

    with open_archive(db) as arch:
        s = enrich_archive(arch, "notes")
        assert s.documents == 2 and s.annotations > 0
