"""Similar documents, entity pages and timelines: library functions (despatch.explore), the same data
from `despatch similar|entity|timeline --format json` and from the JSON API."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from despatch import explore
from despatch.cli import main
from despatch.model import Annotation, DocDate, Document, Span
from despatch.store import Archive, StoredFile, open_archive


def _doc(doc_id: str, text: str, date: DocDate | None, people: list[str], title: str) -> Document:
    anns = []
    for name in people:
        at = text.index(name)
        anns.append(Annotation("person", at, at + len(name), name, {"id": name.lower(), "name": name}, "test"))
    if date is not None:
        at = text.index(date.text or "")
        anns.append(Annotation("date", at, at + len(date.text or ""), date.text or "",
                               {"start": date.start, "precision": date.precision}, "test"))
    return Document(id=doc_id, collection="t", text=text, title=title, date=date, annotations=anns,
                    structure=[Span("paragraph", 0, len(text))])


DOCS = [
    _doc("t/a", "On 3 March 1953 Malenkov spoke of coexistence with Bulganin present; coexistence again.",
         DocDate("1953-03-03", "1953-03-03", "day", "3 March 1953"), ["Malenkov", "Bulganin"], "Malenkov speech"),
    _doc("t/b", "In July 1953 Malenkov answered questions on coexistence and armaments.",
         DocDate("1953-07", "1953-07-31", "month", "July 1953"), ["Malenkov"], "Malenkov interview"),
    _doc("t/c", "In 1961 the wheat harvest was discussed at length; harvest figures followed.",
         DocDate("1961", "1961-12-31", "year", "1961"), [], "Harvest report"),
    _doc("t/d", "Bulganin wrote on 9 May 1955 about coexistence in Europe.",
         DocDate("1955-05-09", "1955-05-09", "day", "9 May 1955"), ["Bulganin"], "Bulganin letter"),
]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "x.db"
    with open_archive(p) as a:
        a.put(StoredFile("t.txt", hashlib.sha256(b"t").hexdigest(), 1, "txt", b"t"), "t", DOCS)
    return p


@pytest.fixture
def arch(path: Path):
    a = open_archive(path)
    yield a
    a.close()


def cli(path: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["--archive", str(path), *args])
    return r.exit_code, r.output


def test_similar_finds_documents_sharing_entities_and_words_not_itself(arch: Archive) -> None:
    doc = arch.get("t/a")
    assert doc is not None
    res = explore.similar(arch, doc)
    ids = [h.id for h in res.hits]
    assert "t/a" not in ids
    assert set(ids[:2]) == {"t/b", "t/d"}  # Malenkov / Bulganin and "coexistence"
    assert "t/c" not in ids  # nothing in common
    assert '"Malenkov"' in res.query and "coexistence" in res.query


def test_entity_page_counts_names_mentions_and_company(arch: Archive) -> None:
    e = explore.entity_page(arch, "person", "Malenkov")
    d = e.to_dict()
    assert d["documents"] == 2 and d["name"] == "Malenkov"
    assert len(d["mentions"]) == 2
    assert {m["doc_id"] for m in d["mentions"]} == {"t/a", "t/b"}
    assert all(m["match"] == "Malenkov" for m in d["mentions"])
    assert {(y["year"], y["count"]) for y in d["years"]} == {("1953", 2)}
    assert [(c["type"], c["name"], c["documents"]) for c in d["cooccurring"]] == [("person", "Bulganin", 1)]
    with pytest.raises(LookupError):
        explore.entity_page(arch, "planet", "Mars")


def test_timeline_zooms_from_decades_to_days(arch: Archive) -> None:
    t = explore.timeline(arch)
    assert t.level == "decade" and [(b[0], b[1]) for b in t.bins] == [("1950s", 3), ("1960s", 1)]
    assert [h.id for h in t.documents] == ["t/a", "t/b", "t/d", "t/c"]  # by date
    t = explore.timeline(arch, "coexistence", start="1953", end="1956")
    assert t.level == "year" and [(b[0], b[1]) for b in t.bins] == [("1953", 2), ("1955", 1)]
    t = explore.timeline(arch, start="1953", end="1953")
    assert t.level == "month" and [(b[0], b[1]) for b in t.bins] == [("1953-03", 1), ("1953-07", 1)]
    t = explore.timeline(arch, start="1953-03", end="1953-03")
    assert t.level == "day" and [(b[0], b[1]) for b in t.bins] == [("1953-03-03", 1)]
    assert [e["date"] for e in t.events] == ["1953-03-03"]
    t = explore.timeline(arch, start="1961-01", end="1961-01")
    assert t.total == 1 and t.bins == [] and t.coarse == 1  # dated to the year only: not put on a day
    with pytest.raises(ValueError):
        explore.timeline(arch, start="March 1953")


def test_cli_json_is_the_library_result(path: Path) -> None:
    with open_archive(path) as a:
        doc = a.get("t/a")
        assert doc is not None
        want_similar = explore.similar(a, doc).to_dict()
        want_entity = explore.entity_page(a, "person", "Bulganin").to_dict()
        want_timeline = explore.timeline(a, "coexistence").to_dict()
    code, out = cli(path, "similar", "t/a", "--format", "json")
    assert code == 0 and json.loads(out) == want_similar
    code, out = cli(path, "entity", "person", "Bulganin", "--format", "json")
    assert code == 0 and json.loads(out) == want_entity
    code, out = cli(path, "timeline", "coexistence", "--format", "json")
    assert code == 0 and json.loads(out) == want_timeline


def test_cli_text_output_and_errors(path: Path) -> None:
    code, out = cli(path, "similar", "t/a")
    assert code == 0 and "Documents like t/a" in out and "t/b" in out
    code, out = cli(path, "entity", "person", "Malenkov")
    assert code == 0 and out.startswith("Malenkov (person): 2 documents") and "[Malenkov]" in out
    code, out = cli(path, "timeline", "--from", "1953", "--to", "1953")
    assert code == 0 and "by month" in out and "1953-03" in out
    code, out = cli(path, "similar", "t/none")
    assert code == 1 and "no document 't/none'" in out
    code, out = cli(path, "entity", "planet", "Mars")
    assert code == 2
    code, out = cli(path, "timeline", "--from", "March")
    assert code == 2 and "from must be a date" in out
    code, out = cli(path, "timeline", "title:(")
    assert code == 2 and "query error" in out


def test_web_api_serves_the_library_result(path: Path) -> None:
    from starlette.testclient import TestClient

    from despatch.web import create_app

    with open_archive(path) as a:
        want_entity = explore.entity_page(a, "person", "Malenkov").to_dict()
        want_timeline = explore.timeline(a, "", None, "1953", "1955").to_dict()
        doc = a.get("t/d")
        assert doc is not None
        want_similar = [h["id"] for h in explore.similar(a, doc).to_dict()["similar"]]
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert client.get("/api/entities/person/Malenkov").json() == want_entity
        assert client.get("/api/timeline", params={"from": "1953", "to": "1955"}).json() == want_timeline
        assert [h["id"] for h in client.get("/api/similar/t/d").json()["similar"]] == want_similar
        assert client.get("/api/timeline", params={"from": "soon"}).status_code == 400
