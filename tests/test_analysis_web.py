"""The analysis pages and /api/analysis/ on the seed and a few UN speeches: charts are SVG drawn on the
server with their numbers as tables, downloads stream, the CSP stays strict, errors are one line."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import SEED, UNGDC, need
from lxml import etree
from starlette.testclient import TestClient

from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive
from despatch.web.app import create_app

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    need(SEED)
    sessions = need(UNGDC / "sessions")
    d = tmp_path_factory.mktemp("speeches")
    for y in (1953, 1954, 1955):
        for c in ("RUS", "USA", "GBR"):
            (d / f"{c}_{y - 1945:02d}_{y}.txt").symlink_to(sessions / str(y) / f"{c}_{y - 1945:02d}_{y}.txt")
    db = tmp_path_factory.mktemp("db") / "a.db"
    with open_archive(db) as arch:
        ingest(arch, [SEED.parent], IngestOptions(enrich=True))
        ingest(arch, [d], IngestOptions(enrich=True, collection="ungdc", name_pattern="{country}_{session}_{year}",
                                        follow_symlinks=True))  # the links lead out of the folder
    with TestClient(create_app(db), base_url="http://localhost") as c:
        yield c


def _no_inline(r) -> None:  # type: ignore[no-untyped-def]
    csp = r.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)  # every script is a file
    assert not re.search(r"\sstyle=", r.text)  # no style attributes (the CSP would block them)
    assert "http://" not in r.text.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


def test_trend_page_has_chart_table_and_downloads(client):
    r = client.get("/analysis/trend", params=[("q", "Soviet"), ("q", "peace"), ("split", "country")])
    assert r.status_code == 200
    _no_inline(r)
    svg = re.search(r"<svg.*?</svg>", r.text, re.S).group(0)
    root = etree.fromstring(svg.encode())
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "<table>" in r.text and "share" in r.text
    assert "/analysis/trend.svg?" in r.text and "format=csv" in r.text and 'data-png="trend"' in r.text
    assert '<script src="/static/charts.js"' in r.text
    assert client.get("/static/charts.js").status_code == 200
    s = client.get("/analysis/trend.svg", params=[("q", "Soviet")])
    assert s.headers["content-type"].startswith("image/svg+xml") and "attachment" in s.headers["content-disposition"]
    etree.fromstring(s.content)


def test_trend_api_json_and_csv_agree(client):
    j = client.get("/api/analysis/trend", params=[("q", "Soviet"), ("split", "country")]).json()
    assert j["queries"] == ["Soviet"] and j["corpus"]["documents"] == 10
    rus = next(s for s in j["series"] if s["split"] == "RUS")
    assert [(p["period"], p["total"]) for p in rus["points"]] == [("1953", 1), ("1954", 1), ("1955", 1)]
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/analysis/trend", params=[("q", "Soviet"), ("split", "country"), ("format", "csv")]).text)))
    assert {(r["split"], r["period"], int(r["count"])) for r in rows} == {
        (s["split"], p["period"], p["count"]) for s in j["series"] for p in s["points"]}


def test_every_page_answers(client):
    for url in ["/analysis", "/analysis/keyness?a=country:RUS",
                "/analysis/keyness?a=country:RUS&b=country:USA&unit=entities",
                "/analysis/collocates?node=peace&stopwords=1", "/analysis/kwic?q=peace&sort=left",
                "/analysis/network?type=person", "/analysis/judgments?by=collection"]:
        r = client.get(url)
        assert r.status_code == 200, url
        _no_inline(r)


def test_network_nodes_are_keyboard_links_and_gephi_files_parse(client):
    r = client.get("/analysis/network", params={"filter": "collection:seed", "type": "person"})
    assert r.status_code == 200
    svg = re.search(r"<svg.*?</svg>", r.text, re.S).group(0)
    links = etree.fromstring(svg.encode()).findall(".//{http://www.w3.org/2000/svg}a")
    assert links and all(a.get("href", "").startswith("/analysis/network?") and a.get("aria-label") for a in links)
    focus = client.get(links[0].get("href").replace("&amp;", "&"))
    assert focus.status_code == 200 and "Named with" in focus.text
    g = client.get("/api/analysis/network", params={"filter": "collection:seed", "format": "gexf"})
    root = etree.fromstring(g.content)
    names = [n.get("label") for n in root.iter("{http://gexf.net/1.3}node")]
    assert any("Malenkov" in n for n in names) and any("Bulganin" in n for n in names)
    etree.fromstring(client.get("/api/analysis/network", params={"format": "graphml"}).content)


def test_judgments_open_at_their_paragraph(client):
    r = client.get("/analysis/judgments", params={"filter": "collection:seed"})
    link = re.search(r'href="(/documents/seed/[^"#]+)#s(\d+)"', r.text)
    assert link
    doc = client.get(link.group(1))
    assert f'id="s{link.group(2)}"' in doc.text


def test_kwic_streams_without_cap_and_errors_are_one_line(client):
    r = client.get("/api/analysis/kwic", params={"q": "the", "format": "tsv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/tab-separated-values")
    lines = r.text.splitlines()
    assert len(lines) > 500  # more than a page: the export has no cap
    assert all(len(ln.split("\t")) == 5 for ln in lines)
    c = client.get("/api/analysis/kwic", params={"q": "peace", "format": "csv"})
    rows = list(csv.reader(io.StringIO(c.text)))
    assert rows[0][:3] == ["n", "document", "date"] and len(rows) > 2
    assert [int(x[0]) for x in rows[1:]] == list(range(1, len(rows)))
    bad = client.get("/api/analysis/kwic", params={"q": "year:1953", "format": "csv"})
    assert bad.status_code == 400 and "no words" in bad.json()["error"]["message"]
    bad = client.get("/api/analysis/trend", params={"q": "peace", "split": "nonsense"})
    assert bad.status_code == 400 and "split must be one of" in bad.json()["error"]["message"]


def test_openapi_describes_the_analysis_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for k in ("trend", "keyness", "collocates", "kwic", "network", "judgments"):
        assert f"/api/analysis/{k}" in paths
