"""Entity records in the archive, search by every variant, curation that survives re-enrichment."""

from __future__ import annotations

import json

from click.testing import CliRunner

from despatch.cli import main
from despatch.enrich import curation
from despatch.enrich.pages import entity_page
from despatch.enrich.rerun import enrich_archive
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive

TEXTS = {
    "a.txt": "Mr. Gnasher met Malenkov in the Soviet Union.\n\nThe USSR replied through the Ambassador.\n",
    "b.txt": "G. M. Malenkov spoke of NATO and the Union of Soviet Socialist Republics. Mr. Gnasher agreed.\n",
    "c.txt": "Frederick W. Seward wrote from Moscow to the U.S.S.R. Foreign Office. Mr. Seward waited.\n",
    "d.txt": "Mr. Seward, in Paris, heard nothing from the Ambassador.\n",
}


def make(tmp_path):
    src = tmp_path / "notes"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / name).write_text(text, encoding="utf-8")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        s = ingest(arch, [src], IngestOptions(collection="notes", workers=1))
        assert s.failed == 0, s.failures
    return db


def hits(arch, q: str) -> set[str]:
    return {h.id for h in arch.search(q, per_page=100).hits}


def test_ingest_builds_records_keyed_on_the_id_with_variants_and_counts(tmp_path):
    db = make(tmp_path)
    with open_archive(db) as arch:
        ussr = arch.get_entity("place:ussr")
        assert ussr.label == "USSR" and ussr.documents == 3 and ussr.mentions == 4
        assert set(ussr.variants) == {"Soviet Union", "USSR", "Union of Soviet Socialist Republics", "U.S.S.R."}
        assert "gazetteer" in ussr.sources
        mal = arch.get_entity("person:georgy-malenkov")
        assert mal.label == "Georgy Malenkov" and mal.documents == 2
        assert mal.dates["offices"][0]["from"] == 1953 and any("WorldStatesmen" in s for s in mal.sources)
        # "Mr. Seward" in d.txt joins the one Seward the collection knows by full name
        assert arch.get_entity("person:seward") is None
        assert arch.get_entity("person:f-seward").documents == 2


def test_field_search_matches_every_variant_of_the_entity(tmp_path):
    db = make(tmp_path)
    with open_archive(db) as arch:
        a = hits(arch, 'place:"Soviet Union"')
        assert a == hits(arch, "place:USSR") == hits(arch, 'place:"Union of Soviet Socialist Republics"')
        assert a == {"notes/a", "notes/b", "notes/c"}
        assert hits(arch, "person:Malenkov") == hits(arch, 'person:"Georgy Malenkov"') == {"notes/a", "notes/b"}


def test_curation_survives_re_enrichment_and_round_trips(tmp_path):
    db = make(tmp_path)
    with open_archive(db) as arch:
        curation.merge(arch, "person:georgy-malenkov", ["person:gnasher"], user="tester")
        curation.rename(arch, "place:ussr", "Soviet Union", user="tester")
        curation.not_entity(arch, "Ambassador", user="tester")
        from despatch.enrich.records import refresh_entities

        refresh_entities(arch)
        enrich_archive(arch)  # re-enrichment re-creates the raw annotations; the layer is applied again
        assert arch.get_entity("person:gnasher") is None
        assert arch.get_entity("person:georgy-malenkov").variants.get("Mr. Gnasher") == 2
        assert arch.get_entity("place:ussr").label == "Soviet Union"
        assert "curation" in arch.get_entity("place:ussr").sources
        assert not [m for m in arch.iter_entity_mentions() if m.text == "Ambassador"]
        ops = arch.curations()
        assert [(o.action, o.who) for o in ops] == [("merge", "tester"), ("rename", "tester"),
                                                    ("not-entity", "tester")]
        assert all(o.at for o in ops)
        exported = curation.export_layer(arch, "json")
        as_csv = curation.export_layer(arch, "csv")
    other = tmp_path / "other"
    other.mkdir()
    db2 = make(other)
    with open_archive(db2) as arch:
        assert arch.get_entity("person:gnasher") is not None
        assert curation.import_layer(arch, as_csv, "csv") == 3
        assert arch.get_entity("person:gnasher") is None
        assert curation.import_layer(arch, exported, "json") == 3
        assert arch.get_entity("place:ussr").label == "Soviet Union"
        assert json.loads(curation.export_layer(arch))[0]["args"] == {"keep": "person:georgy-malenkov",
                                                                      "others": ["person:gnasher"]}


def test_split_moves_one_mention_to_a_new_entity(tmp_path):
    db = make(tmp_path)
    with open_archive(db) as arch:
        m = next(m for m in arch.entity_mentions("person:f-seward") if m.doc_id == "notes/d")
        op = curation.split(arch, "person:f-seward", [f"{m.doc_id}:{m.start}:{m.end}"], to="person:other-seward",
                            label="Another Seward", user="tester")
        from despatch.enrich.records import refresh_entities

        refresh_entities(arch)
        enrich_archive(arch)
        assert op.args["to"] == "person:other-seward"
        assert arch.get_entity("person:other-seward").label == "Another Seward"
        assert arch.get_entity("person:f-seward").documents == 1


def test_entity_page_has_variants_years_and_cooccurring_entities(tmp_path):
    db = make(tmp_path)
    with open_archive(db) as arch:
        page = entity_page(arch, "place:ussr")
        assert page["entity"]["label"] == "USSR"
        assert {c["id"] for c in page["cooccurring"]} >= {"person:georgy-malenkov", "org:nato"}
        assert {m["doc_id"] for m in page["mentions"]} == {"notes/a", "notes/b", "notes/c"}
        assert entity_page(arch, "place:nowhere") is None


def test_cli_entities_show_merge_rename_and_errors(tmp_path):
    db = make(tmp_path)
    r = CliRunner()
    base = ["--archive", str(db), "entities"]
    out = r.invoke(main, base + ["show", "place:ussr"])
    assert out.exit_code == 0, out.output
    assert "USSR" in out.output and "Soviet Union (1)" in out.output and "named with:" in out.output
    out = r.invoke(main, base + ["merge", "person:georgy-malenkov", "person:nobody"])
    assert out.exit_code != 0 and "no entity 'person:nobody'" in out.output
    out = r.invoke(main, base + ["rename", "person:gnasher", "Walter Gnasher"])
    assert out.exit_code == 0 and "rename" in out.output
    out = r.invoke(main, base + ["--format", "json", "--type", "person"])
    rows = {e["id"]: e for e in json.loads(out.output)}
    assert rows["person:gnasher"]["label"] == "Walter Gnasher"
    f = tmp_path / "layer.csv"
    assert r.invoke(main, base + ["curation", "export", str(f)]).exit_code == 0
    assert "rename" in f.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    out = r.invoke(main, base + ["curation", "import", str(bad)])
    assert out.exit_code != 0 and "bad.json" in out.output


def test_one_man_written_two_ways_is_one_record_and_his_wife_another(tmp_path):
    src = tmp_path / "page"
    src.mkdir()
    for name, text in {"p1.txt": "Mr. Page arrived in Rome.\n", "p2.txt": "Nelson Page cabled from Rome.\n",
                       "p3.txt": "Thos. Nelson Page, the Ambassador, reported. Mrs. Page was with him.\n"}.items():
        (src / name).write_text(text, encoding="utf-8")
    with open_archive(tmp_path / "p.db") as arch:
        assert ingest(arch, [src], IngestOptions(collection="page", workers=1)).failed == 0
        assert arch.get_entity("person:page") is None and arch.get_entity("person:n-page") is None
        page = arch.get_entity("person:t-page")
        assert page.documents == 3 and not page.ambiguous
        assert arch.get_entity("person:mrs-page").documents == 1
