"""One error hierarchy: every error Despatch raises is a DespatchError, mapped to an exit status (CLI) and an
HTTP status (web) in one place each, with one line of reason and no traceback; nothing is dropped silently."""

from __future__ import annotations

import ast
import importlib
import logging
import pkgutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import despatch
from despatch import errors
from despatch.cli import main
from despatch.errors import BadOption, DespatchError, NotFound, QueryError, ReaderError
from despatch.model import Document
from despatch.store import StoredFile, open_archive

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402

SRC = Path(despatch.__file__).resolve().parent


def _exception_classes() -> list[type[BaseException]]:
    """Every exception class defined in Despatch's own modules."""
    found = []
    for mod in pkgutil.walk_packages([str(SRC)], "despatch."):
        if mod.name.endswith("__main__"):
            continue
        try:
            m = importlib.import_module(mod.name)
        except ImportError:  # an optional extra (spaCy) not installed
            continue
        for obj in vars(m).values():
            if isinstance(obj, type) and issubclass(obj, BaseException) and obj.__module__ == m.__name__:
                found.append(obj)
    return found


def test_every_exception_class_despatch_defines_is_a_despatch_error():
    classes = _exception_classes()
    names = {c.__name__ for c in classes}
    assert {"DespatchError", "ReaderError", "QueryError", "NotFound", "BadOption", "StorageError"} <= names
    outside = [f"{c.__module__}.{c.__name__}" for c in classes
               if not issubclass(c, DespatchError) and not c.__module__.startswith("despatch.cli")]
    assert outside == []


def test_no_module_raises_a_bare_builtin_for_a_user_facing_error():
    """`raise ValueError(...)`/`LookupError`/`FileNotFoundError`/`RuntimeError` in the library: the kinds in
    despatch.errors say what went wrong; a built-in is only allowed where it is caught inside the module."""
    bare = {"LookupError", "KeyError", "FileNotFoundError", "PermissionError", "RuntimeError"}
    hits = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and \
                    isinstance(node.exc.func, ast.Name) and node.exc.func.id in bare:
                hits.append(f"{path.relative_to(SRC)}:{node.lineno} raise {node.exc.func.id}")
    assert hits == []


def test_old_names_still_importable_and_still_the_builtin_kinds():
    from despatch.readers import ReaderError as R1
    from despatch.readers.base import ReaderError as R2
    from despatch.search.query import QueryError as Q1
    from despatch.web.searching import SearchFailed

    assert R1 is R2 is ReaderError and Q1 is QueryError
    assert issubclass(QueryError, ValueError) and issubclass(NotFound, LookupError)
    assert issubclass(errors.ArchiveNotFound, FileNotFoundError) and issubclass(SearchFailed, BadOption)
    e = QueryError("unclosed quotation mark", 4, 'add a closing "', 'abc "def')
    assert str(e) == 'unclosed quotation mark (at character 5); add a closing "'
    assert e.pointer() == 'abc "def\n    ^'
    assert str(NotFound("no document 'x'")) == "no document 'x'"  # not quoted like a KeyError


# -- the command line ----------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    arch = open_archive(path)
    doc = Document(id="c/one", collection="c", text="The Ambassador called on Dulles in Paris.", title="One")
    arch.put(StoredFile("one.txt", "0" * 64, 10, "plaintext", b"0123456789"), "c", [doc])
    arch.close()
    return str(path)


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def _one_line(r) -> str:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in r.output and len(lines) == 1, r.output
    assert lines[0].startswith("despatch: "), lines
    return lines[0]


def test_cli_not_found_is_one_line_and_exit_1(db):
    r = _run("--archive", db, "show", "no/such")
    assert r.exit_code == 1 and "no document 'no/such'" in _one_line(r)
    r = _run("--archive", db, "cite", "no/such")
    assert r.exit_code == 1 and "no document" in _one_line(r)
    r = _run("--archive", db, "enrich", "--collection", "nope", "-q")
    assert r.exit_code == 1 and "no collection named 'nope'" in _one_line(r)


def test_cli_missing_archive_is_one_line_and_exit_1(tmp_path):
    r = _run("--archive", str(tmp_path / "absent.db"), "list")
    assert r.exit_code == 1 and "no archive at" in _one_line(r)
    assert not (tmp_path / "absent.db").exists()


def test_cli_usage_errors_exit_2(db):
    r = _run("--archive", db, "cite", "c/one", "--accessed", "yesterday")
    assert r.exit_code == 2 and "--accessed must be a date" in _one_line(r)
    r = _run("--archive", db, "export", "--id", "no/such")
    assert r.exit_code == 2 and "no document 'no/such'" in _one_line(r)
    r = _run("--archive", db, "search", "title:(Dulles")
    assert r.exit_code == 2 and "query error" in r.stderr and "Traceback" not in r.output
    assert r.stderr.splitlines()[1] == "title:(Dulles"  # the query, with a caret under the fault below it
    r = _run("--archive", db, "search", "--sort", "sideways", "x")  # click's own usage error: also 2
    assert r.exit_code == 2


def test_cli_bug_is_one_line_unless_debugging(db, monkeypatch):
    def broken(*a, **k):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("despatch.cli.core.render_text", broken)
    r = _run("--archive", db, "show", "c/one")
    assert r.exit_code == 1
    line = _one_line(r)
    assert "internal error: ZeroDivisionError: a bug" in line and "DESPATCH_DEBUG" in line
    r = _run("--archive", db, "show", "c/one", env={"DESPATCH_DEBUG": "1"})
    assert isinstance(r.exception, ZeroDivisionError)


def test_cli_error_kinds_map_to_exit_statuses():
    from despatch.cli.errors import exit_code

    assert exit_code(BadOption("x")) == exit_code(QueryError("x", 0)) == 2
    assert exit_code(NotFound("x")) == exit_code(ReaderError("x")) == exit_code(errors.StorageError("x")) == 1


# -- the web -------------------------------------------------------------------------------------------


@pytest.fixture
def client(db):
    from despatch.web import create_app

    with TestClient(create_app(db), base_url="http://localhost") as c:
        yield c


def test_web_maps_error_kinds_to_statuses_in_json_and_html(client):
    r = client.get("/api/documents/no/such")
    assert r.status_code == 404 and r.json()["error"]["message"] == "no document 'no/such' in this archive"
    assert client.get("/documents/no/such").status_code == 404
    r = client.get("/api/entities/planet/Mars")
    assert r.status_code == 404 and "unknown entity type 'planet'" in r.json()["error"]["message"]
    r = client.get("/api/search", params={"q": 'title:"Dulles'})
    body = r.json()["error"]
    assert r.status_code == 400 and body["position"] == 6 and body["query"] == 'title:"Dulles'
    r = client.get("/api/documents/c/one", params={"version": "two"})
    assert r.status_code == 400 and "version must be a whole number" in r.json()["error"]["message"]
    r = client.get("/api/citation/c/one", params={"style": "harvard-ish"})
    assert r.status_code == 400 and "unknown citation style" in r.json()["error"]["message"]
    assert client.get("/api/nowhere").status_code == 404


def test_web_status_table():
    from despatch.web.errors import status_for

    assert status_for(NotFound("x")) == status_for(errors.ArchiveNotFound("x")) == 404
    assert status_for(QueryError("x", 1)) == status_for(BadOption("x")) == 400
    assert status_for(errors.ReadOnlyArchive("x")) == status_for(errors.SearchIndexMissing("x")) == 503
    assert status_for(ReaderError("x")) == 422 and status_for(DespatchError("x")) == 500


def test_a_failing_citation_style_is_reported_not_dropped(client, monkeypatch, caplog):
    import despatch.web.data as data

    real = data.cite

    def flaky(doc, style, *a, **k):
        if style == "ris":
            raise KeyError("no RIS type for this document")
        return real(doc, style, *a, **k)

    monkeypatch.setattr(data, "cite", flaky)
    with caplog.at_level(logging.ERROR, logger="despatch.web.data"):
        body = client.get("/api/documents/c/one").json()
    assert "ris" not in body["citations"] and "chicago-note" in body["citations"]
    assert body["citation_errors"] == {"ris": "KeyError: 'no RIS type for this document'"}
    assert any("citation style 'ris' failed on c/one" in r.getMessage() for r in caplog.records)
    page = client.get("/documents/c/one").text
    assert "could not be produced (KeyError: &#39;no RIS type for this document&#39;)" in page
    r = client.get("/api/citation/c/one", params={"style": "ris"})
    assert r.status_code == 500 and "could not cite 'c/one'" in r.json()["error"]["message"]
