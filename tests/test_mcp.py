"""The MCP server, driven by the official SDK's own client: in process, and over stdio as an assistant
would start it (`despatch mcp`)."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from despatch.ingest import IngestOptions, ingest
from despatch.mcpserver import build_server
from despatch.store import open_archive

SEED_ID = "seed/cvce-development-of-soviet-policy-1953"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from conftest import SEED, need

    path = tmp_path_factory.mktemp("mcp") / "a.db"
    with open_archive(path) as arch:
        ingest(arch, [need(SEED)], IngestOptions(workers=1))
    return path


def _call(server_or_params, calls):
    async def go():
        out = []
        async with Client(server_or_params, read_timeout_seconds=120) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            out.append(tools)
            for name, args in calls:
                res = await client.call_tool(name, args)
                assert not res.is_error, res.content
                out.append(res.structured_content if res.structured_content is not None
                           else json.loads(res.content[0].text))
        return out

    return anyio.run(go)


def test_tools_answer_with_ids_and_citations(seeded):
    with open_archive(seeded, readonly=True) as arch:
        tools, found, shown, cited, page = _call(build_server(arch), [
            ("search", {"query": "Malenkov AND year:1953", "mode": "text", "facets": ["year"]}),
            ("show", {"id": SEED_ID, "first": 2, "last": 4}),
            ("cite_document", {"id": SEED_ID, "style": "bibtex"}),
            ("entity", {"type": "person", "key": "Malenkov"}),
        ])
    assert {"search", "show", "cite_document", "similar", "entities", "entity"} <= tools
    hit = found["hits"][0]
    assert found["total"] == 1 and hit["id"] == SEED_ID and "**Malenkov**" in " ".join(hit["snippets"])
    assert "Belgian" in hit["citation"] or "Soviet" in hit["citation"]
    assert found["facets"]["year"] == {"1953": 1}
    assert [p["n"] for p in shown["paragraphs"]] == [2, 3, 4] and shown["citation"]
    assert shown["document"]["id"] == SEED_ID and "text" not in shown["document"]
    assert cited["citation"].startswith("@")
    assert page["documents"] == 1 and page["mentions"][0]["doc_id"] == SEED_ID
    assert any("Stalin" in c["name"] for c in page["cooccurring"])


def test_bad_requests_come_back_as_errors_not_crashes(seeded):
    with open_archive(seeded, readonly=True) as arch:
        _, bad_query, missing = _call(build_server(arch), [
            ("search", {"query": "year:19x3", "mode": "text"}),
            ("show", {"id": "seed/none"}),
        ])
    assert "error" in bad_query and "is not a year" in bad_query["error"]
    assert missing == {"error": "no document 'seed/none'"}


def test_despatch_mcp_over_stdio(seeded):
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "despatch", "--archive", str(seeded), "mcp"],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    tools, found = _call(params, [("search", {"query": "Bulganin", "mode": "text"})])
    assert "search" in tools and found["hits"][0]["id"] == SEED_ID
