"""The annotation-type registry: every layer's list of types derives from `despatch.annotation_types`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import despatch
from despatch.annotation_types import ANNOTATION_TYPES, ENTITY_TYPES, SWITCH_TYPES, annotation_type
from despatch.export.tei import tei_document
from despatch.ingest import IngestOptions, read_path
from despatch.model import Annotation, Document, Span
from despatch.search.facets import FACETS
from despatch.search.query import parse

SRC = Path(despatch.__file__).resolve().parent


def _literal_strings(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return {e.value for e in node.elts}  # type: ignore[attr-defined]
    return None


def test_the_entity_types_are_written_once():
    """No module but the registry spells out person, place and org together (a tuple, list or set)."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = _literal_strings(node)
            if values and set(ENTITY_TYPES) <= values:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
    assert ENTITY_TYPES == ("person", "place", "org")


def test_search_fields_facets_and_aliases_come_from_the_registry():
    for t in ANNOTATION_TYPES.values():
        if t.search_field:
            assert str(parse(f"{t.search_field}:Dulles")) == f"{t.search_field}:Dulles"
            for alias in t.aliases:
                assert str(parse(f"{alias}:Dulles")) == f"{t.search_field}:Dulles"
        if t.facet:
            assert FACETS[t.facet][0] == f"f_{t.name}"
    assert str(parse("organisation:NATO")) == "org:NATO"


def test_every_highlighted_type_has_a_style_and_a_switch():
    css = (SRC / "web" / "static" / "app.css").read_text(encoding="utf-8")
    for t in ANNOTATION_TYPES.values():
        if t.css_class:
            assert re.search(rf"\.text \.{re.escape(t.css_class)}\b", css), t.name
            assert re.search(rf"\.sw\.{re.escape(t.css_class)}\b", css), t.name
    assert SWITCH_TYPES[:3] == ENTITY_TYPES


def test_unregistered_types_get_defaults():
    t = annotation_type("ship")
    assert (t.label, t.plural, t.search_field, t.facet, t.tei_element, t.css_class) == ("ship", "ships", None, None,
                                                                                        "rs", None)


def test_each_registered_type_survives_a_tei_round_trip(tmp_path):
    """The export writes each type's TEI element and the TEI reader maps that element back to the type."""
    words = [f"w{i}" for i in range(len(ANNOTATION_TYPES))]
    text = " ".join(words) + "."
    anns = []
    pos = 0
    for name, w in zip(ANNOTATION_TYPES, words, strict=True):
        value = {"type": "ship"} if name == "entity" else ({"target": "#n1"} if name == "ref" else None)
        anns.append(Annotation(name, pos, pos + len(w), w, value, "test@1"))
        pos += len(w) + 1
    doc = Document(id="t/one", collection="t", text=text, title="Types",
                   structure=[Span("paragraph", 0, len(text))], annotations=anns)
    path = tmp_path / "types.xml"
    path.write_text(tei_document(doc), encoding="utf-8")
    back = read_path(path, IngestOptions(enrich=False))[0]
    got = {(a.start, a.type) for a in back.annotations}
    assert got == {(a.start, a.type) for a in anns}
