"""despatch.analysis on real documents: UN General Debate speeches 1950–1960 and the seed, checked
against counts made here directly from the files (independent code: a regular expression over the
text files, no Despatch function)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, UNGDC, need
from lxml import etree

from despatch.analysis import collocates, concordance, judgments, keyness, network, trend
from despatch.analysis.kwic import write_csv, write_tsv
from despatch.analysis.network import to_gexf, to_graphml
from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive

pytestmark = pytest.mark.corpus
COUNTRIES = ("RUS", "USA", "GBR", "FRA", "IND", "YUG", "POL")
YEARS = range(1950, 1961)
# Both spellings: the 1952 Soviet speech writes "co-existence".
PC_QUERY = '"peaceful coexistence" OR "peaceful co-existence"'
PC_RX = re.compile(r"peaceful\s+co-?existence", re.I)


def _files() -> list[Path]:
    sessions = need(UNGDC / "sessions")
    return sorted(p for y in YEARS for p in (sessions / str(y)).glob("*.txt") if p.name[:3] in COUNTRIES)


@pytest.fixture(scope="module")
def un(tmp_path_factory):
    files = _files()
    d = tmp_path_factory.mktemp("un")
    for p in files:  # a folder of just these speeches, read in place by path
        (d / p.name).symlink_to(p)
    arch = open_archive(tmp_path_factory.mktemp("undb") / "un.db")
    s = ingest(arch, [d], IngestOptions(enrich=True, collection="ungdc", name_pattern="{country}_{session}_{year}",
                                        follow_symlinks=True))  # the links lead out of the folder
    assert s.failed == 0
    yield arch
    arch.close()


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    need(SEED)
    arch = open_archive(tmp_path_factory.mktemp("seed") / "seed.db")
    ingest(arch, [SEED.parent], IngestOptions(enrich=True))
    yield arch
    arch.close()


def test_soviet_share_of_peaceful_coexistence_equals_a_count_from_the_files(un):
    # From the files: for each year and country, speeches and speeches naming peaceful coexistence.
    speeches: dict[tuple[str, str], int] = {}
    naming: dict[tuple[str, str], int] = {}
    for p in _files():
        country, _session, year = p.stem.split("_")
        speeches[(year, country)] = speeches.get((year, country), 0) + 1
        if PC_RX.search(p.read_text(encoding="utf-8")):
            naming[(year, country)] = naming.get((year, country), 0) + 1
    t = trend(un, [PC_QUERY], period="year", split="country", start=1950, end=1960)
    d = t.to_dict()
    assert d["queries"] == [PC_QUERY] and d["unit"] == "documents" and d["corpus"]["documents"] == len(_files())
    series = {s["split"]: s for s in d["series"]}
    assert set(series) == set(COUNTRIES)
    soviet = {p["period"]: p for p in series["RUS"]["points"]}
    assert sorted(soviet) == [str(y) for y in YEARS]
    for y in YEARS:
        pt = soviet[str(y)]
        assert pt["total"] == speeches[(str(y), "RUS")]
        assert pt["count"] == naming.get((str(y), "RUS"), 0), y
        assert pt["share"] == pt["count"] / pt["total"]
        assert pt["low"] <= pt["share"] <= pt["high"]
    # the Soviet speeches took the phrase up after Stalin (1952 spells it co-existence) ...
    assert [soviet[str(y)]["count"] for y in YEARS] == [0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1]
    # ... and every other country's figures agree with the files too
    for c in COUNTRIES:
        for pt in series[c]["points"]:
            assert (pt["count"], pt["total"]) == (naming.get((pt["period"], c), 0), speeches.get((pt["period"], c), 0))


def test_trend_of_mentions_per_10k_words_counts_every_occurrence(un):
    occurrences = sum(len(PC_RX.findall(p.read_text(encoding="utf-8"))) for p in _files() if p.name[:3] == "RUS")
    t = trend(un, ['"peaceful coexistence"', '"peaceful co-existence"'], unit="mentions", filters=["country:RUS"])
    got = sum(p["count"] for s in t.series for p in s.points)
    assert got == occurrences
    pt = next(p for p in t.series[0].points if p["period"] == "1960")
    assert pt["per_10k_words"] == pytest.approx(pt["count"] * 10_000 / pt["total"], abs=1e-4)


def test_concordance_finds_every_occurrence_and_streams_csv_and_tsv(un):
    expected = []
    for p in _files():
        if p.name[:3] == "RUS":
            expected += [(p.stem, " ".join(m.group(0).split())) for m in PC_RX.finditer(p.read_text(encoding="utf-8"))]
    lines = list(concordance(un, PC_QUERY, filters=["country:RUS"]))
    assert sorted((ln.document.split("/")[-1], ln.hit) for ln in lines) == sorted(expected)
    doc = un.get(lines[0].document)
    assert " ".join(doc.text[lines[0].start:lines[0].end].split()) == lines[0].hit
    assert lines[0].left and lines[0].right
    buf = io.StringIO()
    assert write_csv(iter(lines), buf) == len(lines)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows[0]["hit"] == lines[0].hit and rows[0]["document"] == lines[0].document
    tsv = io.StringIO()
    write_tsv(iter(lines), tsv)
    first = tsv.getvalue().splitlines()[0].split("\t")
    assert len(first) == 5 and first[2] == lines[0].hit and first[0] == "1"
    by_right = list(concordance(un, PC_QUERY, filters=["country:RUS"], sort="right"))
    keys = [[w.lower() for w in re.findall(r"\w+", ln.right)][:1] for ln in by_right]
    assert keys == sorted(keys)


def test_keyness_of_soviet_speeches_against_the_rest(un):
    k = keyness(un, "country:RUS", min_freq=10)
    assert k.b["rest"] and k.a["documents"] == 11 and k.b["documents"] == len(_files()) - 11
    assert k.a["words"] + k.b["words"] == k.corpus["words"]
    top = [i.item for i in k.key_a[:30]]
    assert "soviet" in top or "ussr" in top
    for i in k.key_a:
        assert i.freq_a / k.a["words"] >= i.freq_b / k.b["words"] and i.log_ratio > 0
    assert all(i.g2 >= j.g2 for i, j in zip(k.key_a, k.key_a[1:], strict=False))
    # against the Americans directly
    ab = keyness(un, "country:RUS", "country:USA", min_freq=10)
    assert ab.b["documents"] == 11 and not ab.b["rest"]


def test_collocates_of_a_common_word(un):
    c = collocates(un, "peaceful", within="country:RUS", left=0, right=1, min_freq=2)
    assert c.within["documents"] == 11
    words = [x.word for x in c.collocates]
    assert "coexistence" in words  # "peaceful coexistence" is the Soviet phrase
    x = c.collocates[words.index("coexistence")]
    assert x.right == x.freq and x.left == 0 and x.ll > 0 and x.mi > 0


def test_network_of_the_seed_links_malenkov_and_bulganin(seed):
    net = network(seed, types=["person"])
    ids = {n["id"] for n in net.nodes}
    malenkov = next(i for i in ids if "Malenkov" in i)
    bulganin = next(i for i in ids if "Bulganin" in i)
    assert any({e["source"], e["target"]} == {malenkov, bulganin} and e["weight"] >= 1 for e in net.edges)
    # exports that Gephi reads: well-formed, same nodes and edges
    gexf = etree.fromstring(to_gexf(net).encode())
    ns = {"g": "http://gexf.net/1.3"}
    assert len(gexf.findall(".//g:node", ns)) == len(net.nodes)
    assert len(gexf.findall(".//g:edge", ns)) == len(net.edges)
    gml = etree.fromstring(to_graphml(net).encode())
    labels = {d.text for d in gml.iter("{http://graphml.graphdrawing.org/xmlns}data") if d.get("key") == "label"}
    assert any("Malenkov" in lbl for lbl in labels) and any("Bulganin" in lbl for lbl in labels)


def test_judgment_profile_of_the_seed_points_at_each_sentence(seed):
    p = judgments(seed, by="year")
    (prof,) = p.profiles
    assert prof.group == "1953" and prof.judgments >= 1
    for j in p.judgments:
        doc = seed.get(j.document)
        assert " ".join(doc.text[j.start:j.end].split()) == j.sentence
    assert any("no reason to believe" in (j.cue or "") for j in p.judgments)
    d = prof.to_dict()
    assert sum(d["kent"].values()) == prof.judgments


def test_cli_formats(un, tmp_path):
    runner = CliRunner()
    db = str(un.path)
    r = runner.invoke(main, ["--archive", db, "analyse", "trend", PC_QUERY, "disarmament", "--split", "country",
                             "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [s["query"] for s in d["series"]][:1] == [PC_QUERY] and {"period", "count", "total", "share"} <= set(
        d["series"][0]["points"][0])
    r = runner.invoke(main, ["--archive", db, "analyse", "keyness", "country:RUS", "--format", "csv", "-n", "5"])
    assert r.exit_code == 0 and r.output.startswith("key_for,item,freq_a")
    out = tmp_path / "kwic.tsv"
    r = runner.invoke(main, ["--archive", db, "analyse", "kwic", "peace", "--format", "tsv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) > 100
    r = runner.invoke(main, ["--archive", db, "analyse", "network", "--format", "gexf", "--min-weight", "2"])
    assert r.exit_code == 0 and "<gexf" in r.output
    r = runner.invoke(main, ["--archive", db, "analyse", "collocates", "peace", "--format", "table"])
    assert r.exit_code == 0 and "collocate" in r.output
    r = runner.invoke(main, ["--archive", db, "analyse", "judgments", "--by", "country", "--format", "csv"])
    assert r.exit_code == 0 and "RUS" in r.output
    r = runner.invoke(main, ["--archive", db, "analyse", "trend", "peace", "--split", "nonsense"])
    assert r.exit_code != 0
