"""The documentation covers what Despatch offers: a test fails when something a user can type or choose is
missing from docs/ (sqlite-utils checks its CLI reference the same way).

Checked: every command of the `despatch` group, walked recursively, has a section in docs/cli.md headed
`## despatch COMMAND` (or ###, ####), and every option of that command is named in its section; every field of
the query language and every facet is in docs/search.md; every reader Despatch registers in docs/formats.md,
every annotator in docs/enrichment.md, every citation style and export format in docs/citations.md. When this
fails after you add something, document it there.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from despatch import plugins
from despatch.cite import STYLES
from despatch.cli import main
from despatch.search.facets import FACETS
from despatch.search.query import ALIASES, KNOWN_FIELDS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _commands(cmd: click.Command, path: tuple[str, ...] = ()):
    """(path, command) for every command under `cmd`, groups included, depth first."""
    if path:
        yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from _commands(cmd.commands[name], (*path, name))


def _sections(text: str) -> dict[str, str]:
    """`despatch a b` → the text of the section that heading opens (up to the next heading of any level)."""
    out: dict[str, str] = {}
    heads = list(re.finditer(r"^#{2,4}\s+`?despatch ([a-z][a-z0-9 _-]*?)`?\s*$", text, re.M))
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        nxt = re.search(r"^#{1,4}\s", text[m.end():end], re.M)
        out[m.group(1).strip()] = text[m.end(): m.end() + nxt.start()] if nxt else text[m.end():end]
    return out


COMMANDS = list(_commands(main))


def test_the_walk_finds_nested_commands():
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"ingest", "search", "authority", "authority import"} <= paths


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_cli_reference(path, cmd):
    name = " ".join(path)
    sections = _sections(_read("cli.md"))
    if isinstance(cmd, click.Group) and name not in sections:
        # a group is documented by its commands' sections (`## despatch authority import`)
        assert any(s.startswith(name + " ") for s in sections), f"docs/cli.md has no section for `despatch {name}`"
        return
    assert name in sections, f"docs/cli.md has no section headed `## despatch {name}`: document the command there"
    body = sections[name]
    missing = []
    for p in cmd.params:
        if not isinstance(p, click.Option) or p.hidden:
            continue
        flags = [o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")] or list(p.opts)
        if not any(re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", body) for f in flags):
            missing.append("/".join(flags))
    assert not missing, f"docs/cli.md, section `despatch {name}`: options not documented: {', '.join(missing)}"


def test_every_global_option_is_documented():
    text = _read("cli.md")
    for p in main.params:
        assert any(o in text for o in p.opts), f"docs/cli.md does not mention the global option {p.opts}"


def test_every_search_field_and_alias_is_in_the_search_docs():
    text = _read("search.md")
    missing = [f for f in (*KNOWN_FIELDS, *ALIASES) if not re.search(rf"`[^`]*(?<![\w]){f}:", text)]
    assert not missing, f"docs/search.md does not show these query fields (as `{missing[0]}:...`): {missing}"


def test_every_facet_is_in_the_search_docs():
    text = _read("search.md")
    missing = [f for f in FACETS if f"`{f}`" not in text]
    assert not missing, f"docs/search.md does not name these facets (in backticks): {missing}"


def _own(kind: str) -> list[str]:
    """Despatch's own components of a kind (a plug-in installed in this environment documents itself)."""
    return [c.name for c in plugins.components(kind) if c.builtin]


@pytest.mark.parametrize("kind,doc", [("readers", "formats.md"), ("annotators", "enrichment.md"),
                                      ("citation_styles", "citations.md"), ("exporters", "citations.md"),
                                      ("name_variants", "enrichment.md")])
def test_every_registered_component_is_in_the_docs(kind, doc):
    text = _read(doc)
    missing = [n for n in _own(kind) if f"`{n}`" not in text]
    assert not missing, f"docs/{doc} does not describe these registered {kind} (name in backticks): {missing}"


def test_the_component_lists_are_not_empty():
    assert "tei" in _own("readers") and "chicago-note" in _own("citation_styles") and "csv" in _own("exporters")
    assert set(STYLES) >= set(_own("citation_styles"))
