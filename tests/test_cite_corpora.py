"""Every document of the shared corpora cited in every style: no citation has an empty part."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FRUS, SEED, UNGDC, need

from despatch.cite import cite
from despatch.ingest import IngestOptions, iter_items, read_file, read_path

#: Despatch's own styles. Not `despatch.cite.STYLES`: that lists every installed plug-in too, and the shared
#: venv holds test_plugins.py's "short-note" while any engineer's run of that module is under way.
STYLES = ("chicago-note", "chicago-bib", "bibtex", "ris", "csl-json")
_CHICAGO_EMPTY = re.compile(r", ,|,,|\(\s*\)|“\s*[,.]?”|\bin \s*[,.]|\bin \*\*|ed\. [,.(]|vol\. [,.]|\s[,.;:]|"
                            r"(?<!\.)\.\.(?!\.)|\bby [,.]|^\s*[,.]")


def empty_parts(style: str, out: str) -> list[str]:
    """The empty parts of one citation, as a reader or an importer would meet them."""
    if style.startswith("chicago"):
        return [m.group(0) for line in out.splitlines() for m in _CHICAGO_EMPTY.finditer(line)]
    if style == "bibtex":
        return re.findall(r"^\s*\w+\s*=\s*\{\s*(?:\{\s*\})?\s*\},?$", out, re.M)
    if style == "ris":
        return [line for line in out.splitlines() if re.fullmatch(r"[A-Z][A-Z0-9]  - ?", line) and line[:2] != "ER"]
    bad: list[str] = []

    def walk(k: str, v: object) -> None:
        if v in ("", [], {}, None):
            bad.append(k)
        elif isinstance(v, dict):
            for kk, vv in v.items():
                walk(f"{k}.{kk}", vv)
        elif isinstance(v, list):
            for i, vv in enumerate(v):
                walk(f"{k}[{i}]", vv)

    for item in json.loads(out):
        for k, v in item.items():
            walk(k, v)
    return bad


def test_the_checker_finds_empty_parts():
    assert empty_parts("chicago-note", "Heading, The Hague, in , Document 475, URL.")
    assert empty_parts("bibtex", "@misc{x,\n  title = {{}},\n}\n")
    assert empty_parts("ris", "TY  - CHAP\nT2  - \nER  - \n")
    assert empty_parts("csl-json", '[{"id": "x", "title": ""}]')
    assert not empty_parts("chicago-note", "Dulles (United States of America), statement in the General Debate.")


def _check(docs) -> list[tuple[str, str, list[str]]]:
    bad = []
    for doc in docs:
        for style in STYLES:
            out = cite(doc, style, accessed="2024-05-01")
            found = empty_parts(style, out)
            if found:
                bad.append((doc.id, style, found))
    return bad


@pytest.mark.corpus
def test_seed_and_un_speeches_cite_without_empty_parts():
    docs = read_path(need(SEED), IngestOptions(enrich=False))
    for f in sorted(need(UNGDC / "sessions").glob("*/*.txt")):
        docs += read_path(f, IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))
    assert len(docs) == 789
    assert _check(docs) == []


@pytest.mark.corpus
@pytest.mark.slow
def test_every_frus_document_cites_without_empty_parts():
    n = 0
    bad = []
    for f in sorted(need(FRUS).glob("*.xml")):
        docs = read_path(f, IngestOptions(enrich=False))
        n += len(docs)
        bad += _check(docs)
    assert n == 9656
    assert bad[:10] == []


@pytest.mark.corpus
@pytest.mark.slow
def test_every_un_speech_of_the_tarball_cites_without_empty_parts():
    """All 10,952 speeches of 1946–2024 as a default ingest reads them (no file-name pattern, so no metadata):
    titles are then first lines such as "Mr. President, Your Excellencies,", whose comma made a ",,"."""
    opts = IngestOptions(enrich=False)
    n, bad = 0, []
    for item in iter_items([need(UNGDC / "ungdc-1946-2024.tar.xz")], None):
        _, docs, _ = read_file(item.display, item.data, item.collection, opts, key=item.key)
        n += len(docs)
        bad += _check(docs)
    assert n == 10952
    assert bad[:10] == []
