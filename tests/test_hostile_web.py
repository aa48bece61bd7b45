"""Bad requests, foreign Host names, spoofing titles and bad command lines (issue 20, items 7-10).

A small archive is built here from files written by the test; the web app is driven in-process.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from despatch.cli import main
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from despatch.web import create_app  # noqa: E402

HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")
RLO = "\u202e"
TITLE_HTML = "<html><head><title>Cable\x1b[31m from\nLisbon\u202edcba</title></head><body><p>The consul wrote.</p>" \
             "</body></html>"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("hostile-web")
    d = base / "in"
    d.mkdir()
    (d / "note.txt").write_text("The ambassador met the minister about the wheat treaty.\n")
    (d / f"evil{RLO}txt.exe.txt").write_text("A note whose name reverses itself.\n")
    (d / "two\nlines.txt").write_text("A note whose name has a line break.\n")
    (d / "cable.html").write_text(TITLE_HTML)
    db = base / "a.db"
    with open_archive(db) as arch:
        summary = ingest(arch, [d], IngestOptions(collection="c", enrich=False))
        ids = [r.id for r in arch.list()]
    assert summary.failed == 0 and len(ids) == 4
    return db, d, ids


@pytest.fixture(scope="module")
def client(built):
    with TestClient(create_app(built[0]), base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _secure(r) -> None:
    for h in HEADERS:
        assert h in r.headers, (r.status_code, h)


# --- 7. every bad request a 400, headers on every response ---------------------------------------------

@pytest.mark.parametrize("prefix", ["/documents/", "/api/documents/", "/api/source/", "/source/"])
@pytest.mark.parametrize("version", [str(2**63), str(10**40), "-1", "0", "1e3", "9" * 5000])
def test_out_of_range_version_is_a_400(client, built, prefix, version):
    r = client.get(f"{prefix}{built[2][0]}", params={"version": version})
    assert r.status_code == 400, (prefix, version[:30], r.status_code)
    _secure(r)


# "treaty " * 4000: 28,000 characters, over the 20,000 limit (httpx refuses a URL query over 64 KB)
@pytest.mark.parametrize("q", ["(" * 400 + "treaty" + ")" * 400, "NOT " * 5000 + "treaty",
                               "treaty " * 4000, "NOT (" * 40 + "treaty" + ")" * 40])
@pytest.mark.parametrize("path", ["/", "/api/search", "/api/export"])
def test_deep_or_long_query_is_a_400_saying_why(client, q, path):
    r = client.get(path, params={"q": q})
    assert r.status_code == 400, (path, q[:20], r.status_code)
    _secure(r)
    assert "too long" in r.text or "deep" in r.text


def test_page_beyond_any_result_is_a_400(client):
    r = client.get("/api/search", params={"q": "treaty", "page": str(2**63)})
    assert r.status_code == 400
    _secure(r)


def test_a_500_carries_the_security_headers(client, built, monkeypatch):
    from despatch.web import pages

    def broken(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages.data, "document_data", broken)
    r = client.get(f"/documents/{built[2][0]}")
    assert r.status_code == 500
    _secure(r)
    assert "a bug" not in r.text and "Traceback" not in r.text


# --- 8. Host checking --------------------------------------------------------------------------------------

def test_a_foreign_host_gets_400_and_no_archive(built):
    app = create_app(built[0])
    with TestClient(app, base_url="http://attacker.example") as c:
        for url in ["/", "/api/search?q=treaty", f"/api/source/{built[2][0]}", "/api/stats"]:
            r = c.get(url)
            assert r.status_code == 400, url
            _secure(r)
            assert "treaty" not in r.text and "ambassador" not in r.text
    for base in ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "http://LOCALHOST"]:
        with TestClient(app, base_url=base) as c:
            assert c.get("/api/stats").status_code == 200, base


def test_allowed_host_option_and_environment(built, monkeypatch):
    with TestClient(create_app(built[0], ["archive.example.org"]), base_url="https://archive.example.org") as c:
        assert c.get("/api/stats").status_code == 200
    monkeypatch.setenv("DESPATCH_ALLOWED_HOSTS", "reading.example.net, other.example")
    app = create_app(built[0])
    with TestClient(app, base_url="https://reading.example.net") as c:
        assert c.get("/api/stats").status_code == 200
    with TestClient(app, base_url="https://evil.example.net") as c:
        assert c.get("/api/stats").status_code == 400


# --- 9. titles without control or bidi-override characters ----------------------------------------------

def test_titles_have_no_control_or_bidi_characters_and_originals_are_untouched(built):
    db, d, ids = built
    result = CliRunner().invoke(main, ["--archive", str(db), "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 4, lines  # one line per document
    assert not any(c in result.output for c in (RLO, "\x1b", "\r"))
    assert any(line.endswith("\tCable[31m from Lisbondcba") for line in lines), lines  # ESC, LF, RLO gone
    with open_archive(db) as arch:
        for doc_id in ids:
            doc = arch.get(doc_id)
            assert doc.title and doc.title.isprintable(), repr(doc.title)
            path, data = arch.source(doc_id)
            on_disk = [p for p in d.iterdir() if hashlib.sha256(p.read_bytes()).hexdigest() ==
                       hashlib.sha256(data).hexdigest()]
            assert on_disk, path  # the original bytes exactly as they were
        html = next(arch.get(i) for i in ids if arch.get(i).title.startswith("Cable"))
        assert RLO.encode() in arch.source(html.id)[1] and b"\x1b" in arch.source(html.id)[1]


# --- 10. the command line on bad input: one line, exit 2 (usage) or 1 (failure) ---------------------------

def test_empty_file_as_archive_is_one_line_not_a_traceback(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for cmd in (["stats"], ["list"], ["show", "x/y"]):
        result = CliRunner().invoke(main, ["--archive", str(empty), *cmd])
        assert result.exit_code == 1, (cmd, result.output)
        assert "Traceback" not in result.output and "not a Despatch archive" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert empty.read_bytes() == b""  # nothing written into the user's file


def test_cli_bad_numbers_and_queries_exit_2_without_traceback(built):
    db = str(built[0])
    for args in (["show", built[2][0], "--version", str(2**63)], ["search", "(" * 400 + "x" + ")" * 400],
                 ["search", "NOT " * 5000 + "x"], ["search", "x " * 3000]):
        result = CliRunner().invoke(main, ["--archive", db, *args])
        assert result.exit_code == 2, (args[:2], result.exit_code, result.output[-300:])
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
