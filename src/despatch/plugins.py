"""Components registered by name: readers, annotators, citation styles, exporters and name lists, found
through Python entry points.

Despatch's own components are registered exactly like a third party's, in `pyproject.toml`:

    [project.entry-points."despatch.readers"]
    tei = "despatch.readers.tei:TEIReader"

so a package that declares an entry point in one of these groups adds a reader (an annotator, a citation
style, an export format, a list of names a field search widens to) to every interface — `despatch ingest
--format`, `despatch cite --style`, the reading room — with no change to Despatch (datasette's default
plugins and spaCy's registries work the same way). `despatch plugins` lists what is installed. See
docs/extending.md for what each kind of component must provide.

An entry point names a factory: called with a component's settings as keyword arguments (none by default)
it returns the component. A class is such a factory.
"""

from __future__ import annotations

import importlib
import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import NotFound, PluginError

GROUPS: dict[str, str] = {
    "readers": "despatch.readers",
    "annotators": "despatch.annotators",
    "citation_styles": "despatch.citation_styles",
    "exporters": "despatch.exporters",
    "name_variants": "despatch.name_variants",
}
#: What a group's components are called in messages.
KINDS = {"readers": "reader", "annotators": "annotator", "citation_styles": "citation style",
         "exporters": "export format", "name_variants": "name list"}
OWN = "despatch"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Component:
    """One registered component: its group, name, where it is defined, and the package that registered it."""

    kind: str  # readers | annotators | citation_styles | exporters | name_variants
    name: str
    value: str  # "module:attribute"
    package: str
    version: str

    @property
    def builtin(self) -> bool:
        return self.package == OWN

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "value": self.value, "package": self.package,
                "version": self.version, "builtin": self.builtin}


@cache
def components(kind: str) -> tuple[Component, ...]:
    """The registered components of a kind: Despatch's own first, then others; each by name.

    Two packages registering the same name: Despatch's own wins, then the first package by name; a
    component can never be replaced silently (`despatch plugins` shows both).
    """
    group = _group(kind)
    own, others = [], []
    seen: set[tuple[str, str]] = set()
    for ep in metadata.entry_points(group=group):
        dist = ep.dist
        pkg = _norm(dist.metadata["Name"]) if dist is not None else "?"
        if (pkg, ep.name) in seen:  # the same distribution found twice on sys.path
            continue
        seen.add((pkg, ep.name))
        c = Component(kind, ep.name, ep.value, pkg, dist.version if dist is not None else "?")
        (own if pkg == OWN else others).append(c)
    if not own:
        own = _from_source_tree(kind)
    own.sort(key=lambda c: c.name)  # installers write entry points sorted; say so rather than rely on it
    others.sort(key=lambda c: (c.name, c.package))
    return tuple(own + others)


def _from_source_tree(kind: str) -> list[Component]:
    """Despatch's own entry points read from the pyproject.toml of the checkout this module runs from.

    Only for an editable install whose metadata predates a change to the entry points (pip wrote the
    metadata at install time): the registrations are the same lines pip would have read. Anywhere else
    a missing registration is an error that says how to repair the install.
    """
    pyproject = Path(__file__).resolve().parent.parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        project = {}
    eps = project.get("entry-points", {}).get(GROUPS[kind], {}) if project.get("name") == OWN else {}
    if not eps:
        raise PluginError(
            f"Despatch's own {KINDS[kind]}s are not registered: the installed package metadata predates "
            f"the entry points in pyproject.toml; reinstall with `./dev setup` (pip install -e .)"
        )
    log.warning("despatch: the installed metadata lacks the %s entry points; using %s (run `./dev setup`)",
                GROUPS[kind], pyproject)
    return [Component(kind, name, value, OWN, str(project.get("version", "?"))) for name, value in eps.items()]


def all_components() -> list[Component]:
    return [c for kind in GROUPS for c in components(kind)]


def names(kind: str) -> list[str]:
    """The names a user may choose (each once, in registry order)."""
    return list(dict.fromkeys(c.name for c in components(kind)))


def find(kind: str, name: str) -> Component:
    for c in components(kind):
        if c.name == name:
            return c
    raise NotFound(f"no {KINDS[kind]} named {name!r}; installed: {', '.join(names(kind))}")


def factory(kind: str, name: str) -> Callable[..., Any]:
    """The factory registered as `name` (imported on first use, then cached)."""
    c = find(kind, name)
    return _load(c.kind, c.name, c.value)


def create(kind: str, name: str, **settings: Any) -> Any:
    """A new component `name` of `kind`, made with `settings`."""
    f = factory(kind, name)
    try:
        return f(**settings)
    except TypeError as e:
        raise PluginError(f"{KINDS[kind]} {name!r} does not take these settings {sorted(settings)}: {e}") from None


@cache
def _load(kind: str, name: str, value: str) -> Callable[..., Any]:
    ep = metadata.EntryPoint(name=name, value=value, group=GROUPS[kind])
    try:
        obj = ep.load()
    except Exception as e:  # an import error inside a plug-in: name it, and what is missing
        raise PluginError(f"{KINDS[kind]} {name!r} ({value}) cannot be loaded: {type(e).__name__}: {e}") from e
    if not callable(obj):
        raise PluginError(f"{KINDS[kind]} {name!r} ({value}) is not a factory (a class or a function)")
    return obj


def _group(kind: str) -> str:
    try:
        return GROUPS[kind]
    except KeyError:
        raise NotFound(f"no kind of component {kind!r}; one of {', '.join(GROUPS)}") from None


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def refresh() -> None:
    """Forget what was found (after installing a package into the running interpreter)."""
    importlib.invalidate_caches()  # importlib.metadata's path cache too
    components.cache_clear()
    _load.cache_clear()


__all__ = ["GROUPS", "Component", "all_components", "components", "create", "factory", "find", "names", "refresh"]
