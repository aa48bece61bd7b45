"""The annotation types, defined once: everything Despatch knows about a kind of annotation.

A standoff annotation (`model.Annotation`) has a `type` string. This registry says, for each type Despatch
knows, how every layer treats it — its label, the search field and facet that find it, the TEI element
it becomes, the CSS class that highlights it — so that no layer keeps its own list. Add a type here and
the query language, the facets, the TEI export, the reading room and the CLI pick it up (followthemoney's
type registry is the model). Annotation types no one registered (a plug-in annotator's own) are still
stored, shown and exported; they get the defaults of `annotation_type()`.

This module imports nothing of Despatch's: every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnnotationType:
    name: str  #: the `Annotation.type` value
    label: str  #: singular, for people ("organisation")
    plural: str  #: for people ("organisations")
    entity: bool = False  #: a named thing with a page of its own, linked from the text, in the gazetteer
    search_field: str | None = None  #: the query-language field (`person:Dulles`); None: not searchable by type
    aliases: tuple[str, ...] = ()  #: other field names a user may type for it
    facet: str | None = None  #: the facet counting its values over a result; None: no facet
    tei_element: str = "rs"  #: the TEI P5 element the export writes (and the TEI reader reads) for it
    css_class: str | None = None  #: the reading room's highlight class; None: not highlighted
    switch: bool = False  #: has an on/off switch on the document page (in registry order)
    description: str = ""


_TYPES = (
    AnnotationType("person", "person", "people", entity=True, search_field="person", aliases=("persons",),
                   facet="person", tei_element="persName", css_class="t-person", switch=True,
                   description="A person named in the text (enrichment, or the edition's own persName)."),
    AnnotationType("place", "place", "places", entity=True, search_field="place", aliases=("places",),
                   facet="place", tei_element="placeName", css_class="t-place", switch=True,
                   description="A place: country, city, region, or a dateline's place."),
    AnnotationType("org", "organisation", "organisations", entity=True, search_field="org",
                   aliases=("organisation", "organization", "orgs"),
                   facet="org", tei_element="orgName", css_class="t-org", switch=True,
                   description="An organisation: ministry, party, international body, company."),
    AnnotationType("date", "date", "dates", tei_element="date", css_class="t-date", switch=True,
                   description="A date in the text with its normalised value (a range and a precision)."),
    AnnotationType("amount", "amount", "amounts", tei_element="measure", css_class="t-amount", switch=True,
                   description="A sum of money or a quantity with its unit."),
    AnnotationType("judgment", "judgment", "judgments", tei_element="seg", css_class="t-judgment", switch=True,
                   description="Estimative language: a judgment with its likelihood band."),
    AnnotationType("uncertainty", "uncertainty", "uncertainties", tei_element="seg", css_class="t-uncertainty",
                   switch=True, description="A hedge or expression of uncertainty."),
    AnnotationType("term", "term", "terms", tei_element="term",
                   description="A term the edition glosses (TEI term/gloss)."),
    AnnotationType("ref", "reference", "references", tei_element="ref",
                   description="A cross-reference the edition makes (TEI ref)."),
    AnnotationType("entity", "entity", "entities", tei_element="rs",
                   description="A referring string of a kind the edition names in its own type (TEI rs)."),
)

#: Every registered type by name, in display order.
ANNOTATION_TYPES: dict[str, AnnotationType] = {t.name: t for t in _TYPES}
#: The named-entity types (person, place, org): the one place this tuple is written.
ENTITY_TYPES: tuple[str, ...] = tuple(t.name for t in _TYPES if t.entity)
#: Types with a highlight switch on the document page, in the order they are shown.
SWITCH_TYPES: tuple[str, ...] = tuple(t.name for t in _TYPES if t.switch)


def annotation_type(name: str) -> AnnotationType:
    """The registered type `name`, or a default description of an unregistered one (shown, not searched)."""
    t = ANNOTATION_TYPES.get(name)
    if t is not None:
        return t
    return AnnotationType(name, name, name if name.endswith("s") else f"{name}s")


def by_search_field() -> dict[str, str]:
    """Query-language field name (and each alias) → annotation type."""
    out: dict[str, str] = {}
    for t in _TYPES:
        if t.search_field:
            out[t.search_field] = t.name
            out.update({a: t.name for a in t.aliases})
    return out


def label(name: str, plural: bool = False) -> str:
    t = annotation_type(name)
    return t.plural if plural else t.label


__all__ = ["ANNOTATION_TYPES", "ENTITY_TYPES", "SWITCH_TYPES", "AnnotationType", "annotation_type",
           "by_search_field", "label"]
