"""From a hit to the passage (web/passage.py, search/passage.py): hit links carry the query, the document
marks exactly what the snippets marked, the API returns the match offsets, and the way back leads to the
same place in the result list."""

from __future__ import annotations

import re
import warnings
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from despatch.search.passage import find_matches
from despatch.search.query import QueryError

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402

from despatch.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from test_web import build_archive

    path = tmp_path_factory.mktemp("passage") / "web.db"
    build_archive(path)
    with TestClient(create_app(path), base_url="http://localhost") as c:
        yield c


def _hit_links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<li class="hit" id="hit-\d+">\s*<h2><a href="([^"]+)"', html)]


def _marks(html: str) -> list[tuple[int, str]]:
    """(match number, text) of each mark piece in a document page."""
    return [(int(n), unescape(re.sub(r"<[^>]+>", "", t)))
            for n, t in re.findall(r'<mark class="hit"[^>]*data-m="(\d+)">(.*?)</mark>', html, re.S)]


def test_hit_links_carry_the_search(client):
    html = client.get("/", params={"q": "soviet policy", "filter": "collection:test", "sort": "date"}).text
    links = _hit_links(html)
    assert links
    url = urlsplit(links[0])
    qs = parse_qs(url.query)
    assert qs["q"] == ["soviet policy"] and qs["filter"] == ["collection:test"] and qs["sort"] == ["date"]
    assert qs["hit"] == ["1"] and url.fragment == "m1"


def test_document_marks_every_match_as_the_snippets_do(client):
    res = client.get("/api/search", params={"q": "soviet", "per_page": 50}).json()
    hit = next(h for h in res["hits"] if h["id"] == "test/despatch")
    snippet_marks = [(h["doc_start"], h["doc_end"]) for s in hit["snippets"] for h in s["highlights"]]
    doc = client.get("/api/documents/test/despatch", params={"q": "soviet"}).json()
    offsets = [tuple(o) for o in doc["matches"]["offsets"]]
    assert doc["matches"]["count"] == hit["matches"] == len(offsets) == 3
    assert set(snippet_marks) <= set(offsets)
    assert all(doc["text"][a:b].lower() == "soviet" for a, b in offsets)
    page = client.get("/documents/test/despatch", params={"q": "soviet", "hit": "1"}).text
    marks = _marks(page)
    assert [n for n, _ in marks] == [1, 2, 3] and all(t == "Soviet" for _, t in marks)
    assert 'id="m1"' in page and 'id="m3"' in page and 'data-count="3"' in page


def test_a_phrase_is_one_mark_and_stems_are_marked(client):
    doc = client.get("/api/documents/test/despatch", params={"q": '"soviet policy" leader'}).json()
    shown = [doc["text"][a:b] for a, b in doc["matches"]["offsets"]]
    assert shown == ["leaders", "Soviet policy"]


def test_paragraph_hit_opens_at_its_paragraph(client):
    res = client.get("/api/search", params={"q": "soviet", "by": "paragraph", "per_page": 50}).json()
    second = [h for h in res["hits"] if h["id"] == "test/despatch" and h["paragraph"]["number"] > 2]
    assert second, res["hits"]
    para = second[0]["paragraph"]
    html = client.get("/", params={"q": "soviet", "by": "paragraph", "per_page": 50}).text
    link = next(u for u in _hit_links(html) if f"at={para['start']}" in u)
    assert urlsplit(link).fragment == f"s{para['start']}"
    page = client.get(link.split("#")[0]).text
    m = client.get("/api/documents/test/despatch", params={"q": "soviet", "at": para["start"]}).json()["matches"]
    first = m["offsets"][m["first"]]
    assert para["start"] <= first[0] < para["end"]
    assert f'data-first="{m["first"] + 1}"' in page
    assert m["first"] > 0  # not simply the first match of the document


def test_back_to_the_results_at_the_same_hit(client):
    html = client.get("/", params={"q": "soviet", "per_page": "1", "page": "2"}).text
    link = _hit_links(html)[0]
    page = client.get(link.split("#")[0]).text
    back = unescape(re.search(r'href="([^"]+)" id="back-to-results"', page).group(1))
    url = urlsplit(back)
    assert parse_qs(url.query) == {"q": ["soviet"], "page": ["2"], "per_page": ["1"]} and url.fragment == "hit-2"
    assert 'id="hit-2"' in client.get(back.split("#")[0]).text


def test_bad_query_on_a_document(client):
    r = client.get("/api/documents/test/despatch", params={"q": "soviet)"})
    assert r.status_code == 400 and r.json()["error"]["position"] == 6
    page = client.get("/documents/test/despatch", params={"q": "soviet)"})
    assert page.status_code == 200 and "could not be marked" in page.text


def test_no_query_no_marks(client):
    page = client.get("/documents/test/despatch").text
    assert "<mark" not in page and 'id="hitnav"' not in page
    assert "matches" not in client.get("/api/documents/test/despatch").json()


def test_find_matches_library():
    text = "Peaceful co-existence; peaceful coexistence. Policies and policy."
    m = find_matches(text, '"peaceful coexistence" OR policy', at=20)
    assert [text[a:b] for a, b in m.spans] == ["Peaceful co-existence", "peaceful coexistence", "Policies", "policy"]
    assert m.first == 1 and m.to_dict()["count"] == 4
    with pytest.raises(QueryError):
        find_matches(text, '"unclosed')
