"""Accounts and collection access, end to end: every route of the reading room and JSON API, and every MCP
tool, asked by nobody, a reader, a curator, a reader named on a private collection, and an admin.

The archive holds a public collection, a members-only one whose documents carry the marker "zqx" (in the
collection's name, the ids, titles, text, a person and a metadata value) and a private one marked "vqx",
readable by carol. Those who may not read a collection must find no trace of its marker anywhere: not in
hits, totals, facets, snippets, similar documents, entity pages, timelines, analyses, exports,
citations, sources or error messages; a forbidden document must answer exactly as a missing one does.
The routes are taken from the app itself, so a route added later is swept too (or the sweep fails,
asking for a value for its new path parameter).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sqlite3
import warnings
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import anyio
import pytest
from click.testing import CliRunner

from despatch.access import ANONYMOUS, Reader, accounts, may_read, scoped
from despatch.cli import main
from despatch.enrich import curation
from despatch.enrich.records import refresh_entities
from despatch.model import Annotation, DocDate, Document, FileInfo, Span
from despatch.store import CollectionAccess, StoredFile, open_archive

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.routing import Mount, Route  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from despatch.web import create_app  # noqa: E402

MEMBERS, VAULT = "zqxmembers", "vqxvault"
PUBLIC_DOC = "open/cable-1"
MEMBERS_DOC, VAULT_DOC = f"{MEMBERS}/zqx-cable-1", f"{VAULT}/vqx-cable-1"
PASSWORD = "correct horse battery"
#: who may read what: the markers each person must never see
HIDDEN = {"anonymous": ("zqx", "vqx"), "alice": ("vqx",), "cora": ("vqx",), "carol": (), "adam": ()}
ROLES = {"alice": "reader", "cora": "curator", "carol": "reader", "adam": "admin"}

SHARED = ("The Soviet delegation in Moscow discussed wheat, the armistice and Korea with the Ambassador. "
          "Stalin insisted on the armistice terms and the wheat deliveries.")


def _doc(doc_id: str, collection: str, title: str, text: str, date: str, people: list[tuple[str, str]],
         metadata: dict | None = None) -> Document:
    anns = []
    for name, eid in people:
        for m in re.finditer(re.escape(name), text):
            anns.append(Annotation("person", m.start(), m.end(), name, {"id": eid, "name": name}, "test"))
    paras, spans, pos = text.split("\n"), [], 0
    for p in paras:
        spans.append(Span("paragraph", pos, pos + len(p)))
        pos += len(p) + 1
    return Document(id=doc_id, collection=collection, text=text, title=title, structure=spans,
                    date=DocDate(date, date, "day", None), annotations=anns, metadata=metadata or {}, language="en")


def _put(arch, doc: Document) -> None:
    raw = doc.text.encode()
    sha = hashlib.sha256(raw).hexdigest()
    doc.file = FileInfo(doc.id.replace("/", "_") + ".txt", sha, "txt", len(raw))
    arch.put(StoredFile(doc.file.path, sha, len(raw), "txt", raw), doc.collection, [doc])


def build(path: Path) -> dict[str, str]:
    """The archive, its users and their API tokens (name → token)."""
    arch = open_archive(path)
    _put(arch, _doc(PUBLIC_DOC, "open", "Cable on the armistice", SHARED + "\nThe talks went on.", "1953-03-01",
                    [("Stalin", "person:stalin")]))
    _put(arch, _doc("open/cable-2", "open", "Note on wheat", "Wheat and trade with the Soviet side.\n" + SHARED,
                    "1953-05-01", [("Stalin", "person:stalin")]))
    for coll, doc_id, mark in ((MEMBERS, MEMBERS_DOC, "Zqx"), (VAULT, VAULT_DOC, "Vqx")):
        text = (f"{SHARED}\n{mark}canary {mark}secondword: {mark}person told Stalin about the {mark}canary plan "
                f"in {mark}town. It is likely that the plan will fail.")
        _put(arch, _doc(doc_id, coll, f"{mark}title on the armistice", text, "1954-07-02",
                        [("Stalin", "person:stalin"), (f"{mark}person", f"person:{mark.lower()}person")],
                        {"volume": f"{mark.lower()}volume"}))
    refresh_entities(arch)
    tokens = {}
    for name, role in ROLES.items():
        accounts.add_user(arch, name, role, PASSWORD, by="test")
        tokens[name] = accounts.create_token(arch, name, by="test")[1]
    accounts.set_access(arch, MEMBERS, "members", by="test")
    accounts.set_access(arch, VAULT, "private", allowed=["carol"], by="test")
    arch.close()
    return tokens


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(request, tmp_path_factory):
    """The archive served, on each backend: accounts and access are the same Archive methods on both."""
    tmp = tmp_path_factory.mktemp("access")
    saved = os.environ.get("DESPATCH_INDEX_DIR")
    if request.param == "postgres":
        from pgserver import shared_server

        path = shared_server().new_database("access")  # skips, saying why, where PostgreSQL is absent
        os.environ["DESPATCH_INDEX_DIR"] = str(tmp / "index")  # this node's own index
    else:
        path = tmp / "a.db"
    try:
        tokens = build(path)
        app = create_app(path)
        with TestClient(app, base_url="http://localhost") as client:
            yield app, client, tokens, path
    finally:
        if saved is None:
            os.environ.pop("DESPATCH_INDEX_DIR", None)
        else:
            os.environ["DESPATCH_INDEX_DIR"] = saved


def _headers(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {} if who == "anonymous" else {"authorization": f"Bearer {tokens[who]}"}


# -- the sweep -------------------------------------------------------------------------------------------

#: values for each path parameter a route may have
PATH_VALUES = {
    "doc_id": [PUBLIC_DOC, MEMBERS_DOC, VAULT_DOC],
    "etype": ["person"],
    "key": ["Zqxperson", "Vqxperson", "Stalin", "person:stalin"],
    "kind": ["trend", "keyness", "collocates", "kwic", "network", "judgments"],
    "rest": ["nothing-here"],
    "page": ["1"],
}
#: query strings tried on every route: the markers, the whole archive, filters naming hidden collections
QUERIES = [
    "",
    "?q=zqxcanary&a=zqxcanary&node=zqxcanary",
    "?q=*&a=soviet&node=soviet&format=jsonl&facets=collection&facets=person&facets=volume",
    f"?q=soviet+OR+vqxcanary&filter=collection:{VAULT}&format=csv&by=paragraph&node=wheat",
    f"?q=similar:{MEMBERS_DOC}&format=json",
]


def _urls(app) -> list[str]:
    out = []
    for r in app.routes:
        if isinstance(r, Mount):
            assert r.path == "/static", f"a new mount {r.path}: add it to the access sweep"
            continue
        assert isinstance(r, Route)
        if r.methods and "GET" not in r.methods:
            continue  # state-changing routes: test_every_state_changing_route_needs_a_csrf_token
        names = re.findall(r"{(\w+)(?::\w+)?}", r.path)
        missing = [n for n in names if n not in PATH_VALUES]
        assert not missing, f"route {r.path}: give the access sweep values for {missing}"
        paths = [r.path]
        for n in names:
            paths = [re.sub(r"{" + n + r"(?::\w+)?}", v, p) for p in paths for v in PATH_VALUES[n]]
        out += [p + q for p in paths for q in QUERIES]
    return out


def _asked(url: str) -> list[str]:
    """What the request itself names (echoed back in search boxes, links and error messages): removed
    from a body before it is searched for the markers."""
    parts = urlsplit(url)
    said = [v for _, v in parse_qsl(parts.query)] + [p for p in (MEMBERS_DOC, VAULT_DOC) if p in parts.path]
    said += [s for s in ("Zqxperson", "Vqxperson") if s in parts.path]
    out = []
    for s in said:
        out += [s, quote(s, safe=""), quote(s, safe="/"), quote_plus(s), html.escape(s), html.escape(s, quote=False),
                json.dumps(s)[1:-1]]
    return sorted({s.lower() for s in out if s}, key=len, reverse=True)


def _clean(body: str, url: str) -> str:
    body = body.lower()
    for s in _asked(url):
        body = body.replace(s, " ")
    return body


def _twin(doc_id: str) -> str:
    return doc_id.rsplit("/", 1)[0] + "/no-such-document"


def _missing_twin(url: str, hidden_marks: tuple[str, ...]) -> str | None:
    """The same request with each document hidden from the reader replaced by one that does not exist."""
    hidden = [d for d in (MEMBERS_DOC, VAULT_DOC) if d in url and any(m in d for m in hidden_marks)]
    for d in hidden:
        url = url.replace(d, _twin(d))
    return url if hidden else None


def _ids_blanked(body: str) -> str:
    for doc_id in (MEMBERS_DOC, VAULT_DOC):
        body = body.replace(doc_id, "X").replace(_twin(doc_id), "X").replace(quote(doc_id, safe=""), "X")
        body = body.replace(quote(_twin(doc_id), safe=""), "X")
    return re.sub(r'"took_ms":\s*[\d.]+', "", body)


@pytest.mark.parametrize("who", list(HIDDEN))
def test_every_route_shows_nothing_of_a_collection_the_reader_may_not_read(served, who):
    app, client, tokens, _ = served
    headers = _headers(tokens, who)
    urls = _urls(app)
    assert len(urls) > 100
    leaks, unlike, statuses = [], [], set()
    for url in urls:
        r = client.get(url, headers=headers)
        statuses.add(r.status_code)
        assert r.status_code < 500, (url, r.text[:300])
        body = r.content.decode("utf-8", "replace")
        found = [m for m in HIDDEN[who] if m in _clean(body, url)]
        if found:
            leaks.append(f"{url}: {found} in {r.status_code} {body[:200]!r}")
        twin = _missing_twin(url, HIDDEN[who])
        if twin:
            t = client.get(twin, headers=headers)
            norm, tnorm = _ids_blanked(body), _ids_blanked(t.content.decode("utf-8", "replace"))
            if t.status_code != r.status_code or norm != tnorm:
                unlike.append(f"{url}: {r.status_code} {norm[-300:]!r} vs missing {t.status_code} {tnorm[-300:]!r}")
    assert not leaks, "\n".join(leaks[:20])
    assert not unlike, "\n".join(unlike[:20])
    assert 200 in statuses


@pytest.mark.parametrize("who,sees", [("anonymous", []), ("alice", [MEMBERS]), ("cora", [MEMBERS]),
                                      ("carol", [MEMBERS, VAULT]), ("adam", [MEMBERS, VAULT])])
def test_each_reader_sees_the_collections_they_may_read(served, who, sees):
    _, client, tokens, _ = served
    h = _headers(tokens, who)
    everything = client.get("/api/search?q=&facets=collection&per_page=50", headers=h).json()
    assert everything["total"] == 2 + len(sees)
    colls = {v["value"]: v["count"] for f in everything["facets"] if f["name"] == "collection" for v in f["values"]}
    assert colls == {"open": 2, **{c: 1 for c in sees}}
    assert {c["name"] for c in client.get("/api/collections", headers=h).json()["collections"]} == {"open", *sees}
    assert client.get("/api/stats", headers=h).json()["documents"] == 2 + len(sees)
    for coll, doc_id, mark in ((MEMBERS, MEMBERS_DOC, "zqx"), (VAULT, VAULT_DOC, "vqx")):
        allowed = coll in sees
        found = client.get(f"/api/search?q={mark}canary", headers=h).json()
        assert found["total"] == (1 if allowed else 0)
        doc = client.get(f"/api/documents/{doc_id}", headers=h)
        assert doc.status_code == (200 if allowed else 404)
        src = client.get(f"/api/source/{doc_id}", headers=h)
        assert src.status_code == (200 if allowed else 404)
        assert (f"{mark.capitalize()}canary".encode() in src.content) is allowed
        export = client.get(f"/api/export?q={mark}canary&format=jsonl", headers=h)
        assert (doc_id in export.text) is allowed
        ent = client.get(f"/api/entities/person/{mark.capitalize()}person", headers=h).json()
        assert (ent["documents"] == 1) is allowed
        similar = client.get(f"/api/similar/{PUBLIC_DOC}", headers=h).json()
        assert (doc_id in [s["id"] for s in similar["similar"]]) is allowed
        timeline = client.get("/api/timeline?q=armistice", headers=h).json()
        assert (mark in json.dumps(timeline).lower()) is allowed
        kwic = client.get("/api/analysis/kwic?q=plan&format=csv", headers=h)
        assert (mark in kwic.text.lower()) is allowed
    stalin = client.get("/api/entities/person/Stalin", headers=h).json()
    assert stalin["documents"] == 2 + len(sees)


def test_a_shared_entity_is_recounted_for_the_reader(served):
    """Stalin is named in every collection: as nobody signed in sees him, his record counts the public ones."""
    _, client, tokens, path = served
    anon = client.get("/api/entities/person/Stalin").json()
    admin = client.get("/api/entities/person/Stalin", headers=_headers(tokens, "adam")).json()
    assert anon["id"] == admin["id"] == "person:stalin"
    assert anon["variants"] == [{"text": "Stalin", "count": 2}]
    assert admin["variants"] == [{"text": "Stalin", "count": 6}]
    assert [y["year"] for y in anon["years"]] == ["1953"] and [y["year"] for y in admin["years"]] == ["1953", "1954"]
    with open_archive(path, readonly=True) as arch:
        rec = scoped(arch, ANONYMOUS).get_entity("person:stalin")
        assert (rec.mentions, rec.documents, rec.collections) == (2, 2, ["open"])
        assert scoped(arch, ANONYMOUS).get_entity("person:zqxperson") is None
        assert scoped(arch, Reader("alice", "reader")).get_entity("person:zqxperson") is not None


def test_a_readers_view_gives_no_text_of_a_hidden_document_even_asked_in_a_batch(served):
    """Snippets read a page of hits' texts in one call: a hidden document's slot is empty, the others kept."""
    _, _, _, path = served
    with open_archive(path, readonly=True) as arch:
        wanted = [(arch.current_key(PUBLIC_DOC), 0, 10), (arch.current_key(MEMBERS_DOC), 0, None),
                  (arch.current_key(VAULT_DOC), 0, 40), (arch.current_key("open/cable-2"), 0, None)]
        assert arch.text_slices(wanted)[1].startswith(SHARED)
        got = scoped(arch, ANONYMOUS).text_slices(wanted)
        assert got[0] == SHARED[:10] and got[3].startswith("Wheat and trade") and got[1] is None and got[2] is None
        got = scoped(arch, Reader("alice", "reader")).text_slices(wanted)
        assert "Zqxcanary" in got[1] and got[2] is None


# -- MCP -------------------------------------------------------------------------------------------------


def _mcp(arch, reader, calls):
    from mcp import Client

    from despatch.mcpserver import build_server

    async def go():
        out = []
        async with Client(build_server(arch, reader), read_timeout_seconds=120) as client:
            out.append({t.name for t in (await client.list_tools()).tools})
            for name, args in calls:
                res = await client.call_tool(name, args)
                out.append(json.dumps(res.structured_content if res.structured_content is not None
                                      else [c.text for c in res.content]))
        return out

    return anyio.run(go)


MCP_CALLS = [
    ("search", {"query": "zqxcanary OR vqxcanary OR armistice", "mode": "text", "facets": ["collection", "volume"]}),
    ("search", {"query": "*", "mode": "text", "facets": ["collection", "person"], "per_page": 50}),
    ("search", {"query": f"similar:{MEMBERS_DOC}", "mode": "text"}),
    ("show", {"id": MEMBERS_DOC}),
    ("show", {"id": VAULT_DOC}),
    ("cite_document", {"id": MEMBERS_DOC}),
    ("similar", {"id": PUBLIC_DOC}),
    ("entities", {"type": "person"}),
    ("entity", {"type": "person", "key": "Zqxperson"}),
    ("entity", {"type": "person", "key": "person:stalin"}),
]


@pytest.mark.parametrize("who", ["anonymous", "alice", "adam"])
def test_mcp_tools_show_nothing_of_a_collection_the_reader_may_not_read(served, who):
    _, _, _, path = served
    reader = ANONYMOUS if who == "anonymous" else Reader(who, ROLES[who])
    with open_archive(path, readonly=True) as arch:
        tools, *answers = _mcp(arch, reader, MCP_CALLS)
    # every tool is asked here: a new one must join the sweep
    assert tools == {name for name, _ in MCP_CALLS}
    for (name, args), answer in zip(MCP_CALLS, answers, strict=True):
        text = answer.lower()
        for s in (MEMBERS_DOC, VAULT_DOC, "zqxperson", "zqxcanary", "vqxcanary"):
            if s.lower() in json.dumps(args).lower():
                text = text.replace(s.lower(), " ")
        for mark in HIDDEN[who]:
            assert mark not in text, (name, args, answer[:300])
    if who == "anonymous":
        assert answers[3] == answers[3].replace(MEMBERS_DOC, MEMBERS_DOC)  # "no document" for a hidden id
        assert json.loads(answers[3]) == {"error": f"no document {MEMBERS_DOC!r}"}
    else:
        assert "zqxcanary" in answers[3].lower()  # alice and adam read the members' document
    assert ("vqxcanary" in answers[4].lower()) is (who == "adam")


# -- signing in, cookies, CSRF, tokens -------------------------------------------------------------------


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf" value="([^"]*)"', page)
    assert m, "no CSRF field in the form"
    return m.group(1)


def _sign_in(client, name: str, password: str = PASSWORD):
    token = _csrf(client.get("/sign-in").text)
    # the double-submit cookie sent by hand: a Secure one would not go back over the test's plain http
    return client.post("/sign-in", data={"name": name, "password": password, "csrf": token, "next": "/"},
                       headers={"cookie": f"despatch_csrf={token}"}, follow_redirects=False)


def _set_cookies(r) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in r.headers.get_list("set-cookie")}


def test_sign_in_gives_an_httponly_samesite_session_cookie_and_sign_out_ends_it(tmp_path):
    path = tmp_path / "a.db"
    build(path)
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert "zqx" not in client.get("/api/search?q=").text
        r = _sign_in(client, "alice")
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = _set_cookies(r)["despatch_session"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        assert "zqx" in client.get("/api/search?q=").text
        page = client.get("/").text
        assert "alice (reader)" in page and "Sign out" in page
        out = client.post("/sign-out", data={"csrf": _csrf(page)}, follow_redirects=False)
        assert out.status_code == 303
        assert "zqx" not in client.get("/api/search?q=").text
        with open_archive(path, readonly=True) as arch:
            assert [e.who for e in arch.audit(action="sign-in")] == ["alice"]
            assert arch.get_session(accounts.secret_hash(cookie.split(";")[0].split("=", 1)[1])) is None
    # Over HTTPS (or behind a proxy the server is told to trust) the cookie is Secure.
    with TestClient(create_app(path), base_url="https://localhost") as client:
        assert "Secure" in _set_cookies(_sign_in(client, "alice"))["despatch_session"]
    for trust, secure in ((True, True), (False, False)):
        with TestClient(create_app(path, trust_proxy=trust), base_url="http://localhost",
                        headers={"x-forwarded-proto": "https"}) as client:
            assert ("Secure" in _set_cookies(_sign_in(client, "alice"))["despatch_session"]) is secure


def test_every_state_changing_route_needs_a_csrf_token(served):
    app, client, tokens, _ = served
    posts = [r.path for r in app.routes if isinstance(r, Route) and r.methods and "POST" in r.methods]
    assert {"/sign-in", "/sign-out"} <= set(posts)
    client.cookies.clear()
    good = _csrf(client.get("/sign-in").text)
    for path in posts:
        data = {"name": "alice", "password": PASSWORD, "next": "/"}
        assert client.post(path, data=data, follow_redirects=False).status_code == 403, path
        assert client.post(path, data={**data, "csrf": "forged"}, follow_redirects=False).status_code == 403, path
        foreign = client.post(path, data={**data, "csrf": good}, headers={"origin": "https://evil.example"},
                              follow_redirects=False)
        assert foreign.status_code == 403, path
    # with the form's token, from this site, signing in works
    r = client.post("/sign-in", data={"name": "alice", "password": PASSWORD, "next": "/", "csrf": good},
                    headers={"origin": "http://localhost"}, follow_redirects=False)
    assert r.status_code == 303
    # signed in, the session's own token is needed: the sign-in cookie's old value no longer does
    assert client.post("/sign-out", data={"csrf": good}, follow_redirects=False).status_code == 403
    client.cookies.clear()


def test_failed_sign_ins_are_audited_and_then_refused(tmp_path):
    path = tmp_path / "a.db"
    build(path)
    with TestClient(create_app(path), base_url="http://localhost") as client:
        for _ in range(accounts.MAX_FAILED_PER_NAME):
            r = _sign_in(client, "alice", "wrong password")
            assert r.status_code == 401 and "wrong name or password" in r.text
        assert _sign_in(client, "nobody-at-all", "x" * 10).status_code == 401  # the same answer for no such user
        r = _sign_in(client, "alice")  # the right password, too late
        assert r.status_code == 401 and "too many failed sign-ins" in r.text
        assert "despatch_session" not in _set_cookies(r)
    with open_archive(path, readonly=True) as arch:
        failed = arch.audit(action="sign-in-failed")
        assert [e.who for e in failed].count("alice") == accounts.MAX_FAILED_PER_NAME + 1
        assert all(e.at and e.detail["address"] for e in failed)
        assert arch.audit(action="sign-in") == []


def test_api_tokens_read_as_their_user_and_a_wrong_or_revoked_one_is_refused(tmp_path):
    path = tmp_path / "a.db"
    tokens = build(path)
    with TestClient(create_app(path), base_url="http://localhost") as client:
        me = client.get("/api/me", headers=_headers(tokens, "cora")).json()
        assert me == {"name": "cora", "role": "curator", "signed_in": True}
        for bad in ("Bearer dsp_not-a-token", "Basic YWxpY2U6eA==", "Bearer "):
            r = client.get("/api/search?q=", headers={"authorization": bad})
            assert r.status_code == 401 and "zqx" not in r.text
            assert r.headers["www-authenticate"].startswith("Bearer")
        with open_archive(path) as arch:
            accounts.revoke_token(arch, arch.tokens("cora")[0].id)
        assert client.get("/api/search?q=", headers=_headers(tokens, "cora")).status_code == 401
        assert client.get("/api/audit", headers=_headers(tokens, "alice")).status_code == 403
        assert client.get("/audit").status_code == 403
        audit = client.get("/api/audit", headers=_headers(tokens, "adam")).json()["entries"]
        assert {"token-revoke", "access", "user-add"} <= {e["action"] for e in audit}


def test_exports_and_source_downloads_are_audited_with_who_and_when(tmp_path):
    path = tmp_path / "a.db"
    tokens = build(path)
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert client.get("/api/export?q=armistice&format=csv", headers=_headers(tokens, "alice")).status_code == 200
        assert client.get(f"/source/{PUBLIC_DOC}").status_code == 200
    with open_archive(path, readonly=True) as arch:
        export, = arch.audit(action="export")
        assert (export.who, export.target, export.detail["format"]) == ("alice", "armistice", "csv")
        source, = arch.audit(action="source")
        assert (source.who, source.target) == ("", PUBLIC_DOC) and source.at


def test_curation_is_audited(tmp_path):
    path = tmp_path / "a.db"
    build(path)
    with open_archive(path) as arch:
        curation.merge(arch, "person:stalin", ["person:zqxperson"], user="cora")
        entry, = arch.audit(action="curation")
    assert (entry.who, entry.target, entry.detail) == ("cora", "merge",
                                                      {"keep": "person:stalin", "others": ["person:zqxperson"]})


def test_embargo_closes_a_collection_to_all_but_admins_and_named_readers_until_its_day():
    rec = CollectionAccess("c", "members", "2030-01-01", ["carol"])
    alice, carol, adam = Reader("alice", "reader"), Reader("carol", "reader"), Reader("adam", "admin")
    assert not may_read(alice, rec, "2029-12-31") and may_read(alice, rec, "2030-01-01")
    assert may_read(carol, rec, "2029-12-31") and may_read(adam, rec, "2029-12-31")
    assert not may_read(ANONYMOUS, rec, "2030-01-01")  # then members only, as set
    public = CollectionAccess("p", "public", "2030-01-01")
    assert not may_read(ANONYMOUS, public, "2029-12-31") and may_read(ANONYMOUS, public, "2030-01-01")
    private = CollectionAccess("v", "private", None, ["carol"])
    assert may_read(carol, private) and not may_read(alice, private) and may_read(adam, private)


def test_an_embargoed_collection_is_hidden_on_the_web_until_its_day(tmp_path):
    path = tmp_path / "a.db"
    tokens = build(path)
    with open_archive(path) as arch:
        accounts.set_access(arch, MEMBERS, "members", embargo="2999-01-01")
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert client.get("/api/search?q=zqxcanary", headers=_headers(tokens, "alice")).json()["total"] == 0
        assert client.get("/api/search?q=zqxcanary", headers=_headers(tokens, "adam")).json()["total"] == 1


# -- the command line ------------------------------------------------------------------------------------


def _cli(path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--archive", str(path), *args], input=input)


def test_users_tokens_collections_and_audit_from_the_command_line(tmp_path):
    path = tmp_path / "a.db"
    open_archive(path).close()
    pw = "a long secret phrase"
    r = _cli(path, "users", "add", "zoe", "--role", "curator", input=f"{pw}\n{pw}\n")
    assert r.exit_code == 0, r.output
    assert _cli(path, "users", "add", "yan", input=f"{pw}\nanother one\n").exit_code == 2  # the two differ
    assert _cli(path, "users", "add", "zoe", input=f"{pw}\n{pw}\n").exit_code == 2  # taken
    assert _cli(path, "users", "add", "short", input="abc\nabc\n").exit_code == 2  # too short
    assert _cli(path, "users", "list").output.split("\t")[:2] == ["zoe", "curator"]
    with open_archive(path, readonly=True) as arch:
        stored = arch.get_user("zoe").password_hash
    assert stored.startswith("$argon2id$") and pw not in stored
    assert pw.encode() not in _archive_bytes(path)
    r = _cli(path, "tokens", "create", "zoe", "--label", "laptop")
    assert r.exit_code == 0
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("dsp_") and token.encode() not in _archive_bytes(path)
    listed = _cli(path, "tokens", "list").output
    assert "laptop" in listed and token not in listed
    assert _cli(path, "users", "set-role", "zoe", "admin").exit_code == 0
    r = _cli(path, "collections", "set", "secret", "--visibility", "private", "--allow", "zoe",
             "--embargo", "2031-02-03")
    assert r.exit_code == 0 and "not" in r.stderr  # no such collection yet: said, and set all the same
    assert _cli(path, "collections", "set", "x", "--visibility", "private", "--allow", "nobody").exit_code == 1
    assert _cli(path, "collections", "set", "x", "--visibility", "members", "--embargo", "soon").exit_code == 2
    assert "secret\t0\tprivate\t2031-02-03\tzoe" in _cli(path, "collections", "list").output
    audit = [json.loads(line) for line in _cli(path, "audit", "--json").output.splitlines()]
    assert [e["action"] for e in audit][:4] == ["access", "user-role", "token-create", "user-add"]
    assert _cli(path, "tokens", "revoke", token_id(path)).exit_code == 0
    assert _cli(path, "users", "remove", "zoe").exit_code == 0
    assert _cli(path, "users", "remove", "zoe").exit_code == 1
    assert _cli(path, "users", "list").output == ""


def token_id(path: Path) -> str:
    with open_archive(path, readonly=True) as arch:
        return arch.tokens()[0].id


def _archive_bytes(path: Path) -> bytes:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


# -- an archive without accounts ---------------------------------------------------------------------------


def test_an_archive_without_accounts_is_served_as_before_and_never_written(tmp_path):
    path = tmp_path / "a.db"
    with open_archive(path) as arch:
        _put(arch, _doc(PUBLIC_DOC, "open", "Cable", SHARED, "1953-03-01", []))
    with TestClient(create_app(path), base_url="http://localhost") as client:
        page = client.get("/")
        assert page.status_code == 200 and "Sign in" not in page.text and "set-cookie" not in page.headers
        assert client.get("/api/export?q=armistice&format=csv").status_code == 200
        assert client.get(f"/source/{PUBLIC_DOC}").status_code == 200
        r = client.post("/sign-in", data={"name": "a", "password": "b" * 9, "csrf": "x"}, follow_redirects=False)
        assert r.status_code == 403
    with open_archive(path, readonly=True) as arch:
        assert arch.audit() == [] and arch.users() == []


# -- curation on the web ---------------------------------------------------------------------------------


def test_curation_on_the_web_needs_a_curator_and_entities_the_curator_can_see(tmp_path):
    path = tmp_path / "a.db"
    tokens = build(path)
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert _sign_in(client, "alice").status_code == 303
        page = client.get("/entity/person/Stalin").text
        assert 'action="/curation/merge"' not in page  # a reader gets no form
        r = client.post("/curation/merge", data={"csrf": _csrf(page), "keep": "person:stalin",
                                                 "other": "person:zqxperson"}, follow_redirects=False)
        assert r.status_code == 403 and "curator" in r.text
        cora = {**_headers(tokens, "cora"), "accept": "application/json"}
        hidden = client.post("/curation/merge", data={"keep": "person:stalin", "other": "person:vqxperson"},
                             headers=cora)
        missing = client.post("/curation/merge", data={"keep": "person:stalin", "other": "person:nosuch"},
                              headers=cora)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text.replace("vqxperson", "X") == missing.text.replace("nosuch", "X")
        done = client.post("/curation/merge", data={"keep": "person:stalin", "other": "person:zqxperson"},
                           headers=cora)
        assert done.status_code == 200 and done.json()["who"] == "cora"
        client.cookies.clear()
        assert _sign_in(client, "cora").status_code == 303
        assert 'action="/curation/merge"' in client.get("/entity/person/Stalin").text  # a curator gets the form
    with open_archive(path, readonly=True) as arch:
        entry, = arch.audit(action="curation")
        assert (entry.who, entry.detail) == ("cora", {"keep": "person:stalin", "others": ["person:zqxperson"]})
        assert arch.get_entity("person:zqxperson") is None  # merged away
    # what was merged away from a members' document is still hidden from nobody signed in
    with TestClient(create_app(path), base_url="http://localhost") as client:
        assert "zqx" not in client.get("/api/entities/person/Stalin").text.lower()


# -- search by meaning -----------------------------------------------------------------------------------


def test_search_and_similar_by_meaning_show_nothing_hidden(tmp_path):
    from despatch.semantic import model as semantic_model

    if not semantic_model.available():
        pytest.skip("the semantic extra is not installed")
    from despatch.semantic.embed import embed_archive

    path = tmp_path / "a.db"
    tokens = build(path)
    with open_archive(path) as arch:
        assert embed_archive(arch, semantic_model.Embedder()).documents == 4
    with TestClient(create_app(path), base_url="http://localhost") as client:
        for who in ("anonymous", "alice", "adam"):
            h = _headers(tokens, who)
            for url in ("/api/search?q=the+plan+will+fail&mode=semantic&facets=collection",
                        "/api/search?q=the+plan+will+fail&mode=hybrid&by=paragraph",
                        f"/api/similar/{PUBLIC_DOC}", f"/similar/{PUBLIC_DOC}",
                        f"/api/search?q=similar:{VAULT_DOC}&mode=semantic"):
                r = client.get(url, headers=h)
                text = _clean(r.text, url)
                for mark in HIDDEN[who]:
                    assert mark not in text, (who, url, r.text[:300])
            found = client.get("/api/search?q=the+plan+will+fail&mode=semantic", headers=h).json()
            ids = {hit["id"] for hit in found["hits"]}
            assert (MEMBERS_DOC in ids) is (who != "anonymous") and (VAULT_DOC in ids) is (who == "adam")


def test_an_archive_from_before_accounts_opened_read_only_has_none_and_reads_as_before(tmp_path):
    path = tmp_path / "a.db"
    with open_archive(path) as arch:
        _put(arch, _doc(PUBLIC_DOC, "open", "Cable", SHARED, "1953-03-01", []))
    con = sqlite3.connect(path)  # as an archive written before migration 5 was
    for table in ("users", "api_tokens", "sessions", "collection_access", "collection_readers", "audit_log"):
        con.execute(f"DROP TABLE {table}")
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with open_archive(path, readonly=True) as arch:
        assert arch.users() == [] and arch.collection_access() == [] and arch.audit() == []
        assert scoped(arch, ANONYMOUS) is arch
        tools, found = _mcp(arch, ANONYMOUS, [("search", {"query": "armistice", "mode": "text"})])
        assert json.loads(found)["total"] == 1
    assert _cli(path, "users", "list").exit_code == 0


def test_trends_count_only_what_the_reader_may_read(served):
    _, client, tokens, _ = served
    for who, n in (("anonymous", 0), ("alice", 1), ("adam", 1)):
        d = client.get("/api/analysis/trend?q=zqxcanary", headers=_headers(tokens, who)).json()
        assert sum(p["count"] for s in d["series"] for p in s["points"]) == n, who
