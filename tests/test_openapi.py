"""The OpenAPI document is one a client can be written from: valid (openapi-spec-validator), every route
of the app described, every operation, parameter and response complete, and /api/docs shows it all."""

from __future__ import annotations

import re
import warnings

import pytest
from markupsafe import escape as html_escape
from openapi_spec_validator import validate

from despatch.web.openapi import spec

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.routing import Mount, Route  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from despatch.web import create_app  # noqa: E402

NOT_OPERATIONS = {"/api/docs", "/api/{rest}"}  # the HTML rendering of this document; the 404 for the rest


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from test_web import build_archive

    path = tmp_path_factory.mktemp("openapi") / "web.db"
    build_archive(path)
    with TestClient(create_app(path), base_url="http://localhost") as c:
        yield c


def test_the_document_is_valid_openapi():
    validate(spec())


def test_every_api_route_is_described(client):
    paths = set(spec()["paths"])
    routes = {re.sub(r":\w+}", "}", r.path) for r in client.app.routes
              if isinstance(r, Route) and not isinstance(r, Mount) and r.path.startswith("/api/")}
    if "/api/analysis/{kind}" in routes:  # one route, an operation per kind (web/analysis.py)
        routes = (routes - {"/api/analysis/{kind}"}) | {p for p in paths if p.startswith("/api/analysis/")}
    missing = routes - paths - NOT_OPERATIONS
    assert not missing, f"routes without an OpenAPI description: {sorted(missing)}"
    assert not paths - routes, f"described but not served: {sorted(paths - routes)}"


def test_every_operation_parameter_and_response_is_complete():
    doc = spec()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op.get("summary") and len(op.get("description", "")) > 40, where
            for p in op["parameters"]:
                assert p.get("description") and p.get("schema", {}).get("type"), (where, p["name"])
                assert "example" in p, (where, p["name"])
                assert p["in"] == "path" or "default" in p["schema"], (where, p["name"], "default")
            assert "200" in op["responses"], where
            for code, resp in op["responses"].items():
                assert resp.get("description"), (where, code)
                for media, body in resp["content"].items():
                    assert body.get("schema") and "example" in body, (where, code, media)
            if path.startswith("/api/documents/"):
                assert {"400", "404"} <= set(op["responses"]), where


def test_examples_match_what_the_server_answers(client):
    """The examples' keys are the keys the server really sends (no invented fields)."""
    doc = spec()
    ex = doc["paths"]["/api/search"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    real = client.get("/api/search", params={"q": "soviet"}).json()
    assert set(ex) == set(real)
    assert set(ex["hits"][0]) <= set(real["hits"][0]) | {"paragraph", "snippets", "metadata"}
    ex_doc = doc["paths"]["/api/documents/{doc_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    real_doc = client.get("/api/documents/test/despatch", params={"q": "soviet"}).json()
    assert set(ex_doc["example"]["matches"]) == set(real_doc["matches"])
    assert set(ex_doc["example"]) <= set(real_doc)
    err = client.get("/api/documents/nope/none")
    assert err.status_code == 404 and set(err.json()["error"]) >= {"status", "message"}


def test_api_docs_renders_descriptions_parameters_and_responses(client):
    html = client.get("/api/docs").text
    doc = spec()
    for path, item in doc["paths"].items():
        op = item["get"]
        assert f"GET {path}" in html
        assert html_escape(op["description"]) in html, path
        for code in op["responses"]:
            assert f"<code>{code}</code>" in html
    assert "Responses:" not in html.replace("<h3>Responses</h3>", "")
    assert "Example" in html and "Default" in html


def test_analysis_examples_have_the_keys_the_server_sends(client):
    doc = spec()
    asks = {"trend": {"q": "soviet", "split": "collection"}, "keyness": {"a": "soviet"},
            "collocates": {"node": "soviet", "min_freq": "1"}, "kwic": {"q": "soviet"}, "network": {},
            "judgments": {}}
    for kind, params in asks.items():
        path = f"/api/analysis/{kind}"
        ex = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["example"]
        r = client.get(path, params=params)
        assert r.status_code == 200, (kind, r.text)
        real = r.json()
        assert set(ex) == set(real), kind
        for key in ("series", "key_a", "collocates", "lines", "profiles", "judgments", "nodes", "edges"):
            if ex.get(key) and real.get(key):
                assert set(ex[key][0]) == set(real[key][0]), (kind, key)
        if kind == "trend":
            assert set(ex["series"][0]["points"][0]) == set(real["series"][0]["points"][0])
        csv_ex = doc["paths"][path]["get"]["responses"]["200"]["content"]["text/csv"]["example"]
        csv_real = client.get(path, params={**params, "format": "csv"}).text
        assert csv_ex.splitlines()[0] == csv_real.splitlines()[0], kind
