"""The reading room and its JSON API, driven through Starlette's TestClient on a small archive.

The archive holds a hostile document (markup and script in its title, text, metadata and annotations),
a structured despatch with annotations, page breaks, an omission and a footnote, and a few short notes so
that paging, facets and exports have something to do.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

from despatch.model import Annotation, Classification, DocDate, Document, FileInfo, Source, Span
from despatch.store import StoredFile, open_archive

FIXTURES = Path(__file__).resolve().parent / "fixtures"

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402

from despatch.web import create_app  # noqa: E402

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
EVIL_TITLE = f'Report {EVIL} & "quotes"'


def _doc_from_builder(doc_id: str, collection: str, blocks: list[tuple[str, str, dict]], **fields) -> Document:
    """A document whose text is the blocks joined by one newline, with a span for each block."""
    text, spans, pos = [], [], 0
    for kind, body, extra in blocks:
        spans.append(Span(kind, pos, pos + len(body), **extra))
        text.append(body)
        pos += len(body) + 1
    return Document(id=doc_id, collection=collection, text="\n".join(text), structure=spans, **fields)


def _span(doc: Document, needle: str) -> tuple[int, int]:
    i = doc.text.index(needle)
    return i, i + len(needle)


def build_archive(path: Path) -> dict[str, object]:
    """Write the test archive at `path`; returns what the tests check against."""
    arch = open_archive(path)
    raw_hostile = ("<html><body>" + EVIL + " original bytes</body></html>").encode()
    hostile = _doc_from_builder(
        "test/hostile", "test",
        [("heading", f"Heading {EVIL}", {"level": 1}),
         ("paragraph", f"Soviet policy text {EVIL} with ]]> and {{{{ 7*7 }}}} and </textarea>", {"number": "1"})],
        title=EVIL_TITLE, caption=EVIL, doc_type=EVIL, originator=EVIL, recipient="Moscow", place=EVIL,
        date=DocDate("1953-09-03", "1953-09-03", "day", EVIL), classification=Classification("SECRET", EVIL),
        source=Source(text=EVIL), rights=EVIL, url="javascript:alert(1)", metadata={"country": EVIL, EVIL: EVIL},
        file=FileInfo("/somewhere/evil \"name\";.html", hashlib.sha256(raw_hostile).hexdigest(), "html",
                      len(raw_hostile)),
    )
    a, b = _span(hostile, "Soviet")
    hostile.annotations = [Annotation("person", a, b, "Soviet", {"id": EVIL, "name": EVIL}, "test@1"),
                           Annotation(EVIL, a, b, "Soviet", EVIL, "test@1")]
    arch.put(StoredFile("evil.html", hostile.file.sha256, len(raw_hostile), "html", raw_hostile), "test", [hostile])

    raw = b"The Ambassador to the Secretary of State. Soviet policy, Stalin, Vladivostok."
    despatch = _doc_from_builder(
        "test/despatch", "test",
        [("heading", "Underlying premise", {"level": 1, "number": "1."}),
         ("paragraph", "Stalin met the Ambassador in Vladivostok. The Soviet leaders were probably influenced "
                       "by all these factors.", {"number": "1"}),
         ("page_break", "", {"number": "420"}),
         ("paragraph", "Soviet troops remain in Germany ... and the Soviet policy is unchanged.", {"number": "2"}),
         ("list_item", "to consolidate established positions;", {"label": "•"}),
         ("list_item", "to create a global system;", {"label": "•"}),
         ("note", "1 Telegram 123 from Moscow.", {"number": "1"})],
        title="The development of Soviet policy", date=DocDate("1953-09-04", "1953-09-04", "day", "4 September 1953"),
        classification=Classification("TOP SECRET", "Top Secret"), originator="The Ambassador",
        recipient="The Secretary of State", place="Paris", language="en",
        source=Source(text="Documents on policy, 1998, pp. 419-421", year=1998, pages="419-421"),
        metadata={"country": "FRA"}, doc_type="despatch",
        file=FileInfo("/corpus/soviet-policy.txt", hashlib.sha256(raw).hexdigest(), "text", len(raw)),
    )
    # page_break spans are zero-width; fix the one made above
    for s in despatch.structure:
        if s.type == "page_break":
            s.end = s.start
    om = _span(despatch, "...")
    despatch.structure.append(Span("omission", om[0], om[1]))
    st = _span(despatch, "Stalin")
    vl = _span(despatch, "Vladivostok")
    jd = _span(despatch, "The Soviet leaders were probably influenced by all these factors.")
    despatch.annotations = [
        Annotation("person", *st, "Stalin", {"id": "stalin", "name": "Joseph Stalin"}, "test@1"),
        Annotation("place", *vl, "Vladivostok", {"id": "vladivostok", "name": "Vladivostok"}, "test@1"),
        Annotation("judgment", *jd, despatch.text[jd[0]:jd[1]],
                   {"cue": "probably", "probability": 0.7, "kent": "probable", "icd203": "likely", "phia": "likely"},
                   "test@1"),
    ]
    arch.put(StoredFile("soviet-policy.txt", despatch.file.sha256, len(raw), "text", raw), "test", [despatch])

    notes = []
    for i in range(7):
        rawn = f"note {i} soviet".encode()
        d = Document(id=f"notes/n{i}", collection="notes", text=f"Note {i}: the Soviet delegation met.",
                     title=f"Note {i}", date=DocDate(f"19{60 + i}-01-0{i + 1}", f"19{60 + i}-01-0{i + 1}", "day"),
                     structure=[Span("paragraph", 0, 33)], metadata={"country": "USA" if i % 2 else "GBR"},
                     file=FileInfo(f"n{i}.txt", hashlib.sha256(rawn).hexdigest(), "text", len(rawn)))
        notes.append(d)
        arch.put(StoredFile(f"n{i}.txt", d.file.sha256, len(rawn), "text", rawn), "notes", [d])
    arch.close()
    return {"hostile_bytes": raw_hostile, "despatch_bytes": raw}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.db"
    info = build_archive(path)
    return path, info


@pytest.fixture(scope="module")
def client(built):
    with TestClient(create_app(built[0]), base_url="http://localhost") as c:
        yield c


class Audit(HTMLParser):
    """What a page's markup really contains (attributes as the browser sees them, not as substrings)."""

    VOID = {"input", "img", "br", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}

    def __init__(self, html: str, skip_classes: tuple[str, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.styles = 0
        self.unlabelled: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict[str, str | None], bool]] = []
        self.stack: list[tuple[str, bool]] = []
        self.skip_classes = skip_classes
        self.text: list[str] = []
        self.feed(html)
        for tag, attrs, in_label in self.controls:
            if in_label or attrs.get("aria-label") or attrs.get("id") in self.label_for:
                continue
            self.unlabelled.append(f"<{tag} {attrs}>")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        self.handlers += [k for k in a if k.startswith("on")]
        self.styles += "style" in a
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append((tag, a, any(t == "label" for t, _ in self.stack)))
        classes = (a.get("class") or "").split()
        skipping = any(sk for _, sk in self.stack) or any(c in classes for c in self.skip_classes)
        if tag not in self.VOID:
            self.stack.append((tag, skipping))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if not any(sk for _, sk in self.stack):
            self.text.append(data)


def _pages(client) -> dict[str, str]:
    urls = ["/", "/?q=soviet", "/?q=policy&filter=collection:test", "/documents/test/hostile",
            "/documents/test/despatch", "/entity/person/Joseph Stalin", f"/entity/person/{EVIL}", "/timeline",
            "/timeline?q=soviet&from=1953&to=1953", "/collections", "/similar/test/hostile", "/api/docs",
            "/?q=%22unclosed", "/documents/no/such"]
    return {u: client.get(u).text for u in urls}


# -- security -----------------------------------------------------------------------------------------


def test_hostile_text_and_metadata_are_escaped_everywhere(client):
    for url, html in _pages(client).items():
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert Audit(html).handlers == [], url
    doc = client.get("/documents/test/hostile").text
    assert "&lt;script&gt;alert(" in doc  # shown as text, not dropped
    assert "{{ 7*7 }}" in doc and "49" not in doc  # no template evaluation of document text
    assert 'href="javascript:' not in doc  # a hostile URL is shown, never linked
    assert "</textarea>" not in doc


def test_hostile_files_ingested_through_the_pipeline_render_inert(tmp_path):
    """An HTML page and a TEI file whose text, title and metadata carry markup, ingested as a user would."""
    from despatch.ingest import IngestOptions, ingest

    path = tmp_path / "hostile.db"
    arch = open_archive(path)
    summary = ingest(arch, [FIXTURES / "web"], IngestOptions(collection="hostile"))
    ids = [d.id for d in arch.list()]
    arch.close()
    assert summary.failed == 0 and len(ids) == 2
    with TestClient(create_app(path), base_url="http://localhost") as c:
        urls = ["/?q=ambassador", "/?q=soviet&by=paragraph", "/collections", "/timeline?collection=hostile"]
        urls += [f"/documents/{i}" for i in ids] + [f"/similar/{i}" for i in ids]
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, url
            audit = Audit(r.text)
            assert audit.inline_scripts == 0 and audit.handlers == [] and audit.styles == 0, url
            assert "<script>alert" not in r.text and "<img src=x" not in r.text and "<svg onload" not in r.text, url
            assert 'href="javascript:' not in r.text, url
        page = c.get(f"/documents/{ids[0]}").text
        assert "&lt;script&gt;alert(" in page  # the reader's text is shown as text
        for i in ids:
            j = c.get(f"/api/documents/{i}")
            assert j.headers["content-type"].startswith("application/json")
            assert "<script>" in j.json()["title"]  # JSON carries the text unchanged: escaping is the page's job
            src = c.get(f"/source/{i}")
            assert src.headers["content-type"] == "application/octet-stream"
            assert src.headers["content-disposition"].startswith("attachment;")


def test_every_response_has_a_strict_csp_and_no_inline_script_or_style(client):
    for url in ["/", "/?q=soviet", "/documents/test/despatch", "/api/search?q=soviet", "/static/app.css",
                "/api/nothing", "/documents/nope/x"]:
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    for url, html in _pages(client).items():
        audit = Audit(html)
        assert audit.inline_scripts == 0 and audit.styles == 0 and audit.handlers == [], url


@pytest.mark.parametrize("url", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2f..%2fetc/passwd",
    "/documents/../../../../etc/passwd", "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/source/../../etc/passwd",
    "/source/%2Fetc%2Fpasswd", "/api/source/..%2F..%2Fetc%2Fpasswd", "/static//etc/passwd",
])
def test_no_url_reaches_the_file_system(client, url):
    r = client.get(url)
    assert r.status_code in (400, 404)
    assert "root:" not in r.text


def test_malformed_query_is_a_400_page_with_the_parsers_message(client):
    r = client.get("/?q=%22soviet%20policy")
    assert r.status_code == 400
    assert "unclosed quotation mark" in r.text
    assert 'aria-invalid="true"' in r.text  # the query box is marked and keeps the query
    assert 'value="&#34;soviet policy"' in r.text
    j = client.get("/api/search?q=(soviet")
    assert j.status_code == 400 and j.headers["content-type"].startswith("application/json")
    err = j.json()["error"]
    assert err["status"] == 400 and "parenthes" in err["message"] and err["position"] is not None


def test_source_download_is_exact_bytes_with_its_name_and_never_rendered(client, built):
    info = built[1]
    r = client.get("/source/test/despatch")
    assert r.status_code == 200
    assert r.content == info["despatch_bytes"]
    assert hashlib.sha256(r.content).hexdigest() == r.headers["x-content-sha256"]
    assert 'filename="soviet-policy.txt"' in r.headers["content-disposition"]
    h = client.get("/source/test/hostile")
    assert h.content == info["hostile_bytes"]
    assert h.headers["content-type"] == "application/octet-stream"  # an HTML source never runs in our origin
    cd = h.headers["content-disposition"]
    assert cd.startswith("attachment;") and cd.count('"') == 2  # the quote in the name cannot break the header
    page = client.get("/documents/test/despatch").text
    assert hashlib.sha256(info["despatch_bytes"]).hexdigest() in page  # the SHA-256 shown on the page


# -- search page --------------------------------------------------------------------------------------


def test_search_shows_hits_with_marked_snippets_badges_and_facets(client):
    html = client.get("/?q=soviet").text
    assert 'id="total">9<' in html
    assert "<mark>Soviet</mark>" in html
    assert "TOP SECRET" in html and 'class="badge cls-top-secret"' in html
    assert "The development of Soviet policy" in html
    assert 'class="chart"' in html  # the histogram of hits per year
    assert "Hits over time" in html


def test_snippet_html_escapes_text_and_marks_only_offsets():
    from despatch.search import Highlight, Snippet
    from despatch.web.render import snippet_html

    s = Snippet("a <b>Soviet</b> & policy", 0, 24, [Highlight(5, 11, 5, 11)])
    assert str(snippet_html(s)) == "a &lt;b&gt;<mark>Soviet</mark>&lt;/b&gt; &amp; policy"


def test_facet_click_filters_and_click_again_removes(client):
    html = client.get("/?q=soviet").text
    m = re.search(r'<a href="([^"]+)" class="fv"[^>]*aria-label="Filter by collection notes', html)
    assert m, "a collection facet link"
    href = m.group(1).replace("&amp;", "&")
    filtered = client.get(href).text
    assert 'id="total">7<' in filtered
    m2 = re.search(r'<a href="([^"]+)" class="fv selected"[^>]*aria-label="Remove filter collection notes', filtered)
    assert m2, "the applied value is marked and removes the filter"
    back = client.get(m2.group(1).replace("&amp;", "&")).text
    assert 'id="total">9<' in back


def test_histogram_bar_narrows_the_dates(client):
    html = client.get("/?q=soviet").text
    m = re.search(r'<a href="([^"]+)" aria-label="1953: 2"', html)
    assert m
    narrowed = client.get(m.group(1).replace("&amp;", "&")).text
    assert 'id="total">2<' in narrowed


def test_sort_and_paging(client):
    r = client.get("/api/search?q=soviet&sort=date&per_page=4&page=2").json()
    assert r["page"] == 2 and r["total"] == 9 and len(r["hits"]) == 4
    dates = [h["date_start"] for h in r["hits"]]
    assert dates == sorted(dates)
    html = client.get("/?q=soviet&sort=-date&per_page=4").text
    assert 'rel="next"' in html
    assert client.get("/api/search?q=soviet&sort=sideways").status_code == 400


def test_export_streams_the_whole_result_set(client, monkeypatch):
    import csv
    import io

    from despatch.web import exporting

    monkeypatch.setattr(exporting, "FLUSH_BYTES", 1)  # a chunk per document
    with client.stream("GET", "/export?q=soviet&format=csv") as r:
        assert r.status_code == 200
        assert "attachment" in r.headers["content-disposition"]
        chunks = list(r.iter_text())
    rows = list(csv.DictReader(io.StringIO("".join(chunks))))
    expected = ["test/hostile", "test/despatch"] + [f"notes/n{i}" for i in range(7)]
    assert sorted(row["id"] for row in rows) == sorted(expected)
    assert len(chunks) > 1
    jl = client.get("/api/export?q=soviet&filter=collection:notes&format=jsonl")
    lines = [json.loads(x) for x in jl.text.strip().splitlines()]
    assert len(lines) == 7 and all(x["id"].startswith("notes/") for x in lines)
    for fmt in exporting.formats():
        r = client.get(f"/export?q=stalin&format={fmt}")
        assert r.status_code == 200 and r.text, fmt
    assert client.get("/export?q=soviet&format=docx").status_code == 400
    assert client.get("/export?q=%22bad&format=csv").status_code == 400


# -- document page ------------------------------------------------------------------------------------


def test_document_page_shows_structure_annotations_and_judgments(client):
    html = client.get("/documents/test/despatch").text
    assert re.search(r'<h2 class="heading"[^>]*><span class="num"[^>]*>1\.</span> Underlying premise</h2>', html)
    assert re.search(r'<p class="para"[^>]*><span class="num"[^>]*>2</span>', html)  # numbered paragraphs
    assert '<span class="omission"' in html  # the editors' omission is marked
    assert 'class="pb" aria-label="page 420">420<' in html  # the page number in the margin
    assert '<aside class="note"' in html and "Telegram 123" in html  # the footnote
    assert '<ul class="items"><li' in html  # list items as a list
    assert re.search(r'<span class="a t-person"[^>]*><a href="/entity/person/Joseph%20Stalin">Stalin</a>', html)
    assert 'class="a t-place"' in html
    assert re.search(r'<span class="margin t-judgment-note" role="note">.*probably.*Kent</abbr> probable.*'
                     r'ICD 203</abbr> likely.*PHIA</abbr> likely', html)  # the judgment's bands in the margin
    assert 'data-ann="person"' in html and 'data-ann="judgment"' in html  # a switch per type
    assert "4 September 1953" in html and "TOP SECRET" in html and "The Ambassador" in html
    assert "Documents on policy, 1998" in html
    assert 'id="copy-cite"' in html and 'class="citation"' in html


def test_document_text_is_complete(client, built):
    """Rendering never drops or alters text: stripped of tags, the page holds every line of the text."""
    page = client.get("/documents/test/despatch").text
    body = '<div id="text"' + page.split('id="text"', 1)[1].split("</div>", 1)[0]
    # margin notes, paragraph numbers and page numbers sit beside the text, not in it
    plain = "".join(Audit(body, skip_classes=("margin", "num", "pb", "label")).text)
    arch = open_archive(built[0], readonly=True)
    doc = arch.get("test/despatch")
    arch.close()
    for line in doc.text.split("\n"):
        assert line in plain


def test_previous_next_in_collection(client):
    html = client.get("/documents/test/hostile").text
    assert 'rel="next" href="/documents/test/despatch"' in html
    html2 = client.get("/documents/test/despatch").text
    assert 'rel="prev" href="/documents/test/hostile"' in html2


def test_similar_documents(client):
    r = client.get("/api/similar/test/despatch").json()
    ids = [d["id"] for d in r["similar"]]
    assert "test/despatch" not in ids and ids


# -- entity, timeline, collections --------------------------------------------------------------------


def test_entity_page_shows_name_variants_chart_and_mentions(client):
    r = client.get("/entity/person/Joseph Stalin")
    assert r.status_code == 200
    assert "Joseph Stalin" in r.text  # the normalised name
    assert '<td class="k"><mark>Stalin</mark></td>' in r.text  # keyword in context
    assert "met the Ambassador in Vladivostok" in r.text
    j = client.get("/api/entities/person/Joseph%20Stalin").json()
    assert j["name"] == "Joseph Stalin" and j["documents"] >= 1 and j["mentions"]
    assert client.get("/entity/spaceship/x").status_code == 404


def test_timeline_zooms_from_decades_to_days(client):
    top = client.get("/api/timeline?q=soviet").json()
    assert top["level"] == "decade"
    assert {b["label"]: b["count"] for b in top["bins"]} == {"1950s": 2, "1960s": 7}
    year = client.get("/api/timeline?q=soviet&from=1960&to=1969").json()
    assert year["level"] == "year" and len(year["bins"]) == 7
    month = client.get("/api/timeline?q=soviet&from=1953&to=1953").json()
    assert month["level"] == "month" and month["bins"] == [{"label": "1953-09", "count": 2, "from": "1953-09",
                                                            "to": "1953-09-30"}]
    day = client.get("/api/timeline?q=soviet&from=1953-09&to=1953-09-30").json()
    assert day["level"] == "day" and [b["label"] for b in day["bins"]] == ["1953-09-03", "1953-09-04"]
    assert client.get("/api/timeline?from=yesterday").status_code == 400
    assert client.get("/timeline?collection=notes").status_code == 200


def test_dates_are_shown_no_more_precisely_than_known():
    from despatch.web.data import shown_date

    assert shown_date("1950-01-01", "year") == "1950"
    assert shown_date("1950-03-01", "month") == "1950-03"
    assert shown_date("1950-03-07", "day", "7 March 1950") == "7 March 1950"


def test_collections_and_stats(client):
    html = client.get("/collections").text
    assert "notes" in html and "test" in html
    j = client.get("/api/collections").json()
    assert {c["name"]: c["documents"] for c in j["collections"]} == {"notes": 7, "test": 2}
    s = client.get("/api/stats").json()
    assert s["documents"] == 9 and "archive" not in s


# -- API ----------------------------------------------------------------------------------------------


def test_api_document_is_the_library_document(client, built):
    j = client.get("/api/documents/test/despatch").json()
    arch = open_archive(built[0], readonly=True)
    doc = arch.get("test/despatch").to_dict()
    arch.close()
    for k, v in doc.items():
        assert j[k] == v, k
    assert j["links"]["next"] is None and j["links"]["previous"] == "test/hostile"
    assert j["citations"]


def test_api_errors_are_json_with_status(client):
    for url, status in [("/api/documents/no/such", 404), ("/api/nowhere", 404), ("/api/search?page=x", 400),
                        ("/api/citation/test/despatch?style=mla-99", 400), ("/api/documents/test/despatch?version=z",
                                                                             400)]:
        r = client.get(url)
        assert r.status_code == status, url
        assert r.headers["content-type"].startswith("application/json")
        assert r.json()["error"]["status"] == status and r.json()["error"]["message"]


def test_openapi_describes_every_api_route(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    from despatch.web import analysis, api

    paths = {r.path.replace("{doc_id:path}", "{doc_id}").replace("{key:path}", "{key}")
             for r in api.routes() if "{rest" not in r.path}
    paths |= {f"/api/analysis/{k}" for k in analysis.KINDS}  # one route, /api/analysis/{kind}, six operations
    assert paths <= set(spec["paths"])  # every route of the app: tests/test_openapi.py
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text


def test_citation_api(client):
    j = client.get("/api/citation/test/despatch").json()
    assert j["citations"]
    style = next(iter(j["citations"]))
    one = client.get(f"/api/citation/test/despatch?style={style}").json()
    assert one["citation"] == j["citations"][style]


# -- accessibility basics -----------------------------------------------------------------------------


def test_controls_are_labelled_and_pages_have_landmarks(client):
    for url, html in _pages(client).items():
        assert '<html lang="en">' in html and '<main id="main"' in html and 'class="skip"' in html, url
        assert 'name="viewport"' in html
        assert Audit(html).unlabelled == [], url


def test_serve_command_is_registered(tmp_path):
    from click.testing import CliRunner

    from despatch.cli import main

    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output and "--host" in r.output
    r = CliRunner().invoke(main, ["--archive", str(tmp_path / "none.db"), "serve"])
    assert r.exit_code != 0 and "no archive" in r.output


def test_a_slow_request_does_not_hold_up_the_others(built, monkeypatch):
    """Handlers run on threads, not on the event loop: while one search is stuck (a slow query, a database
    taking its time), the same serving process goes on answering everyone else."""
    import threading

    from despatch.web import api

    entered, release = threading.Event(), threading.Event()
    real = api.run_search

    def slow(arch, p):
        if p.q == "stuck":
            entered.set()
            release.wait(10)
        return real(arch, p)

    monkeypatch.setattr(api, "run_search", slow)
    out: dict[str, object] = {}
    with TestClient(create_app(built[0]), base_url="http://localhost") as c:
        t = threading.Thread(target=lambda: out.setdefault("stuck", c.get("/api/search?q=stuck")))
        t.start()
        try:
            assert entered.wait(10)
            other = c.get("/api/search?q=soviet")
            still_waiting = t.is_alive()
        finally:
            release.set()
            t.join(10)
    assert other.status_code == 200 and other.json()["total"] >= 1
    assert still_waiting  # answered while the stuck one was still waiting
    assert out["stuck"].status_code == 200
