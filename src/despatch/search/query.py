"""The query language: what a historian types, parsed by our own parser into a tree.

User text never reaches an engine's query syntax: `parse()` builds the tree below and `engine.py`
compiles the tree into index queries. A malformed query raises `QueryError` with the position and a
suggestion, never a stack trace. `str(tree)` is the canonical form `--explain` prints.

Grammar (operators in capitals only; `and`, `or`, `near` in any other case are ordinary words):

    query   := or_expr
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (["AND"] unary)*          -- juxtaposition means AND
    unary   := "NOT" unary | "-" primary | "+" primary | primary
    primary := "(" or_expr ")" | FIELD ":" value | '"phrase"' ["~" N] | "=" word | word ["*"]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..annotation_types import ANNOTATION_TYPES
from ..errors import QueryError

MAX_TERMS = 1024

TEXT_FIELDS = ("title", "text")
ENTITY_FIELDS = tuple(t.search_field for t in ANNOTATION_TYPES.values() if t.search_field)
KEYWORD_FIELDS = ("classification", "collection", "type", "lang")
DATE_FIELDS = ("year", "date", "before", "after")
SIMILAR_FIELD = "similar"  # similar:ID, documents like a given one
KNOWN_FIELDS = TEXT_FIELDS + ENTITY_FIELDS + KEYWORD_FIELDS + DATE_FIELDS + (SIMILAR_FIELD,)
ALIASES = {
    "language": "lang",
    "doc_type": "type",
    "doctype": "type",
    "class": "classification",
    **{alias: t.name for t in ANNOTATION_TYPES.values() if t.search_field for alias in t.aliases},
    "body": "text",
}

_FIELD_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


#: Longer queries and deeper nesting (parentheses, NOT) are refused with a message, before they cost anything.
#: A hundred-kilobyte query gets a clear 400 rather than a reset connection; long real queries still parse.
MAX_QUERY_CHARS = 20000
MAX_NESTING = 32


# -- the tree ------------------------------------------------------------------------------------
class Node:
    def terms(self) -> list[Node]:
        """Word, phrase and entity leaves outside NOT: what snippets highlight."""
        return []


@dataclass
class All(Node):
    """Everything (an empty query, or only filters)."""

    def __str__(self) -> str:
        return "*"


@dataclass
class Nothing(Node):
    """Nothing matches (e.g. only punctuation was typed)."""

    def __str__(self) -> str:
        return "(nothing)"


@dataclass
class Word(Node):
    text: str
    field: str | None = None  # None: title and text
    exact: bool = False  # =word: the form as typed (no stemming; still case- and accent-insensitive)
    prefix: bool = False  # word*

    def __str__(self) -> str:
        s = ("=" if self.exact else "") + _quote_word(self.text) + ("*" if self.prefix else "")
        return f"{self.field}:{s}" if self.field else s

    def terms(self) -> list[Node]:
        return [self] if self.field in (None, "text", "title") else []


@dataclass
class Phrase(Node):
    text: str
    field: str | None = None
    slop: int = 0  # "a b"~N: the words within N positions of each other, in any order

    def __str__(self) -> str:
        s = '"' + self.text.replace('"', "") + '"' + (f"~{self.slop}" if self.slop else "")
        return f"{self.field}:{s}" if self.field else s

    def terms(self) -> list[Node]:
        return [self] if self.field in (None, "text", "title") else []


@dataclass
class Value(Node):
    """An exact-value field: collection, type, lang, classification, a metadata key, or an entity."""

    field: str
    value: str

    def __str__(self) -> str:
        return f"{self.field}:{_quote_word(self.value)}"


@dataclass
class Similar(Node):
    """Documents like the one with this id: by meaning where the archive has vectors, else by its words."""

    doc_id: str

    def __str__(self) -> str:
        return f"{SIMILAR_FIELD}:{_quote_word(self.doc_id)}"


@dataclass
class DateRange(Node):
    """Documents whose date range overlaps [start, end] (ISO days, inclusive; None = open)."""

    start: str | None
    end: str | None
    typed: str = ""

    def __str__(self) -> str:
        return f"date:{self.start or ''}..{self.end or ''}"


@dataclass
class And(Node):
    items: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return "(" + " AND ".join(map(str, self.items)) + ")"

    def terms(self) -> list[Node]:
        return [t for i in self.items for t in i.terms()]


@dataclass
class Or(Node):
    items: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return "(" + " OR ".join(map(str, self.items)) + ")"

    def terms(self) -> list[Node]:
        return [t for i in self.items for t in i.terms()]


@dataclass
class Not(Node):
    item: Node

    def __str__(self) -> str:
        return f"NOT {self.item}"


def _quote_word(w: str) -> str:
    return (
        w if w and not re.search(r'[\s():"]', w) and w not in ("AND", "OR", "NOT") else '"' + w.replace('"', "") + '"'
    )


# -- lexing --------------------------------------------------------------------------------------
@dataclass
class _Tok:
    kind: str  # word phrase lparen rparen and or not plus minus field
    text: str
    pos: int
    slop: int = 0


def _clean(query: str) -> str:
    """NFC, and control characters (including NUL) turned into spaces so positions stay put."""
    query = unicodedata.normalize("NFC", query)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in query)


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                raise QueryError("unclosed quotation mark", i, 'add a closing " or remove this one', q)
            tok = _Tok("phrase", q[i + 1 : j], i)
            i = j + 1
            m = re.match(r"~(\d{1,3})", q[i:])
            if m:
                tok.slop = int(m.group(1))
                i += m.end()
            elif q[i : i + 1] == "~":
                raise QueryError("proximity needs a number after ~", i, 'write e.g. "soviet policy"~5', q)
            toks.append(tok)
            continue
        if c in "()":
            toks.append(_Tok("lparen" if c == "(" else "rparen", c, i))
            i += 1
            continue
        if c in "+-" and i + 1 < n and not q[i + 1].isspace() and (not toks or _boundary(q, i)):
            toks.append(_Tok("plus" if c == "+" else "minus", c, i))
            i += 1
            continue
        m = _FIELD_RE.match(q, i)
        if m and (i == 0 or _boundary(q, i)):
            name = m.group(1)
            if m.end() >= n or q[m.end()].isspace() or q[m.end()] == ")":
                if ALIASES.get(name.lower(), name.lower()) not in KNOWN_FIELDS:  # "Note: ..." in running text
                    toks.append(_Tok("word", name, i))
                    i = m.end()
                    continue
            toks.append(_Tok("field", name, i))
            i = m.end()
            if i >= n or q[i].isspace() or q[i] == ")":
                raise QueryError(
                    f"field {m.group(1)}: has no value",
                    i,
                    f'write e.g. {m.group(1)}:word or {m.group(1)}:"two words"',
                    q,
                )
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in '()"':
            j += 1
        word = q[i:j]
        kind = {"AND": "and", "OR": "or", "NOT": "not", "&&": "and", "||": "or"}.get(word, "word")
        toks.append(_Tok(kind, word, i))
        i = j
    return toks


def _boundary(q: str, i: int) -> bool:
    return i == 0 or q[i - 1].isspace() or q[i - 1] in "("


# -- parsing -------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, q: str, toks: list[_Tok], meta_keys: set[str] | None) -> None:
        self.q, self.toks, self.i, self.meta_keys = q, toks, 0, meta_keys
        self.warnings: list[str] = []
        self.count = 0
        self.depth = 0

    def deeper(self, t: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the query nests parentheses and NOTs more than {MAX_NESTING} deep", t.pos,
                             "write it flatter")

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, msg: str, pos: int, suggestion: str | None = None) -> QueryError:
        return QueryError(msg, pos, suggestion, self.q)

    def parse(self) -> Node:
        if not self.toks:
            return All()
        node = self.or_expr(None)
        t = self.peek()
        if t is not None:
            if t.kind == "rparen":
                raise self.error("unmatched closing parenthesis", t.pos, "remove it or add a matching (")
            raise self.error(f"unexpected {t.text!r}", t.pos)
        return node

    def or_expr(self, fld: str | None) -> Node:
        items = [self.and_expr(fld)]
        while (t := self.peek()) is not None and t.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("rparen", "or", "and"):  # type: ignore[union-attr]
                raise self.error("OR needs a term on both sides", t.pos, 'to search the word, write "or" in lower case')
            items.append(self.and_expr(fld))
        return items[0] if len(items) == 1 else Or(items)

    def and_expr(self, fld: str | None) -> Node:
        t = self.peek()
        if t is not None and t.kind == "and":
            raise self.error("AND needs a term on both sides", t.pos, 'to search the word, write "and" in lower case')
        items = [self.unary(fld)]
        while (t := self.peek()) is not None and t.kind not in ("or", "rparen"):
            if t.kind == "and":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("rparen", "or", "and"):
                    raise self.error(
                        "AND needs a term on both sides", t.pos, 'to search the word, write "and" in lower case'
                    )
            items.append(self.unary(fld))
        return items[0] if len(items) == 1 else And(items)

    def unary(self, fld: str | None) -> Node:
        t = self.peek()
        assert t is not None
        if t.kind in ("not", "minus"):
            self.take()
            if self.peek() is None or self.peek().kind in ("rparen", "or", "and"):  # type: ignore[union-attr]
                raise self.error(
                    f"{t.text} needs a term after it", t.pos, 'to search the word, write "not" in lower case'
                )
            self.deeper(t)
            node = Not(self.unary(fld) if t.kind == "not" else self.primary(fld))
            self.depth -= 1
            return node
        if t.kind == "plus":
            self.take()
            if self.peek() is None:
                raise self.error("+ needs a term after it", t.pos)
            return self.primary(fld)
        return self.primary(fld)

    def primary(self, fld: str | None) -> Node:
        t = self.peek()
        if t is None:
            raise self.error("the query ends too early", len(self.q), "add a term")
        if t.kind == "lparen":
            self.take()
            if self.peek() is None:
                raise self.error("unclosed parenthesis", t.pos, "add a closing ) or remove this (")
            if self.peek().kind == "rparen":  # type: ignore[union-attr]
                raise self.error("empty parentheses", t.pos, "put a term inside or remove them")
            self.deeper(t)
            node = self.or_expr(fld)
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise self.error("unclosed parenthesis", t.pos, "add a closing ) or remove this (")
            self.take()
            return node
        if t.kind == "rparen":
            raise self.error("unmatched closing parenthesis", t.pos, "remove it or add a matching (")
        if t.kind in ("and", "or"):
            raise self.error(
                f"{t.text} needs a term on both sides",
                t.pos,
                f'to search the word, write "{t.text.lower()}" in lower case',
            )
        if t.kind == "field":
            self.take()
            return self.field(t)
        self._count(t)
        if t.kind == "phrase":
            self.take()
            words = " ".join(t.text.split())
            if not words:
                return Nothing()
            if fld in DATE_FIELDS or _is_value_field(fld):
                return self.value(fld, words, t.pos)  # type: ignore[arg-type]
            if fld in ENTITY_FIELDS:
                return Phrase(words, fld, t.slop)
            return Phrase(words, fld, t.slop)
        if t.kind in ("word", "not", "plus", "minus"):
            self.take()
            text = t.text
            if fld in DATE_FIELDS or _is_value_field(fld):
                return self.value(fld, text, t.pos)  # type: ignore[arg-type]
            exact = text.startswith("=") and len(text) > 1
            if exact:
                text = text[1:]
            prefix = text.endswith("*") and len(text.rstrip("*")) > 0
            text = text.rstrip("*") if prefix else text
            if not text.strip("*"):
                self.warnings.append(f"ignored {t.text!r}: nothing to search for")
                return Nothing()
            return Word(text, fld, exact=exact, prefix=prefix)
        raise self.error(f"unexpected {t.text!r}", t.pos)

    def _count(self, t: _Tok) -> None:
        self.count += 1
        if self.count > MAX_TERMS:
            raise self.error(f"the query has more than {MAX_TERMS} terms", t.pos, "shorten it")

    def field(self, t: _Tok) -> Node:
        name = ALIASES.get(t.text.lower(), t.text.lower())
        if name not in KNOWN_FIELDS and self.meta_keys is not None and name not in self.meta_keys:
            # Not a field we know: the user probably typed a colon in running text ("Note: ...").
            self.warnings.append(
                f"{t.text}: is not a field; searched as a word (fields: {', '.join(KNOWN_FIELDS)}, or a metadata key)"
            )
            return Word(t.text)
        nxt = self.peek()
        if nxt is None:
            raise self.error(f"field {t.text}: has no value", t.pos, f"write e.g. {t.text}:word")
        if nxt.kind == "lparen":
            if name in DATE_FIELDS:
                raise self.error(f"{name}: takes one date or range, not a group", nxt.pos, f"write e.g. {name}:1953")
            return self.primary(name)
        if nxt.kind in ("word", "phrase", "and", "or", "not", "plus", "minus"):
            if nxt.kind in ("and", "or", "not"):
                nxt.kind = "word"
            return self.primary(name)
        raise self.error(f"field {t.text}: has no value", nxt.pos, f"write e.g. {t.text}:word")

    def value(self, fld: str, text: str, pos: int) -> Node:
        if fld == SIMILAR_FIELD:
            return Similar(text)
        if fld in DATE_FIELDS:
            return parse_date_filter(fld, text, pos, self.q)
        return Value(fld, text)


def _is_value_field(fld: str | None) -> bool:
    return fld is not None and fld not in TEXT_FIELDS and fld not in ENTITY_FIELDS and fld not in DATE_FIELDS


# -- dates -----------------------------------------------------------------------------------------
def _bounds(text: str, pos: int, q: str) -> tuple[str, str]:
    """The first and last day a date as typed covers: 1953 → 1953-01-01..1953-12-31."""
    m = _DATE_RE.match(text)
    if not m:
        raise QueryError(
            f"{text!r} is not a date", pos, "write a year (1953), a month (1953-03) or a day (1953-03-05)", q
        )
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return f"{y:04d}-01-01", f"{y:04d}-12-31"
    mo_i = int(mo)
    if not 1 <= mo_i <= 12:
        raise QueryError(f"{text!r} has no month {mo_i}", pos, "months run 01..12", q)
    last = _month_days(y, mo_i)
    if d is None:
        return f"{y:04d}-{mo_i:02d}-01", f"{y:04d}-{mo_i:02d}-{last:02d}"
    d_i = int(d)
    if not 1 <= d_i <= last:
        raise QueryError(f"{text!r} has no day {d_i}", pos, f"that month has {last} days", q)
    day = f"{y:04d}-{mo_i:02d}-{d_i:02d}"
    return day, day


def _month_days(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _prev_day(day: str) -> str:
    import datetime as _dt

    d = _dt.date.fromisoformat(day) - _dt.timedelta(days=1)
    return d.isoformat()


def _next_day(day: str) -> str:
    import datetime as _dt

    d = _dt.date.fromisoformat(day) + _dt.timedelta(days=1)
    return d.isoformat()


def parse_date_filter(fld: str, text: str, pos: int = 0, q: str = "") -> DateRange:
    """year:/date:/before:/after: → the inclusive day range a document's date must overlap."""
    q = q or text
    t = text.strip()
    if fld == "before":
        return DateRange(None, _prev_day(_bounds(t, pos, q)[0]), f"before:{t}")
    if fld == "after":
        return DateRange(_next_day(_bounds(t, pos, q)[1]), None, f"after:{t}")
    for op in (">=", "<=", ">", "<"):
        if t.startswith(op):
            lo, hi = _bounds(t[len(op) :], pos + len(op), q)
            rng = {
                ">=": DateRange(lo, None),
                "<=": DateRange(None, hi),
                ">": DateRange(_next_day(hi), None),
                "<": DateRange(None, _prev_day(lo)),
            }[op]
            rng.typed = f"{fld}:{t}"
            return rng
    if ".." in t:
        a, b = t.split("..", 1)
        lo = _bounds(a, pos, q)[0] if a else None
        hi = _bounds(b, pos + len(a) + 2, q)[1] if b else None
        if lo is None and hi is None:
            raise QueryError("a date range needs at least one end", pos, "write e.g. date:1953-03..1953-09", q)
        if lo and hi and lo > hi:
            raise QueryError(f"the range {t} ends before it starts", pos, f"write {fld}:{b}..{a}", q)
        return DateRange(lo, hi, f"{fld}:{t}")
    if fld == "year" and not re.fullmatch(r"\d{4}", t):
        raise QueryError(f"{t!r} is not a year", pos, "write e.g. year:1953 or year:1950..1955", q)
    lo, hi = _bounds(t, pos, q)
    return DateRange(lo, hi, f"{fld}:{t}")


# -- entry point -----------------------------------------------------------------------------------
@dataclass
class Parsed:
    tree: Node
    warnings: list[str]

    def __str__(self) -> str:
        return str(self.tree)


def parse(query: str, meta_keys: set[str] | None = None) -> Parsed:
    """Parse what the user typed. `meta_keys`, if given, are the metadata keys usable as fields; any
    other unknown `name:` is then searched as a word (with a warning) instead of as a field."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long: {len(query)} characters, the limit is {MAX_QUERY_CHARS}",
                         MAX_QUERY_CHARS, "shorten it", query[:MAX_QUERY_CHARS])
    q = _clean(query)
    p = _Parser(q, _lex(q), {k.lower() for k in meta_keys} if meta_keys is not None else None)
    tree = p.parse()
    return Parsed(_simplify(tree), p.warnings)


def _simplify(node: Node) -> Node:
    if isinstance(node, (And, Or)):
        kind = type(node)
        items: list[Node] = []
        for item in (_simplify(i) for i in node.items):
            items.extend(item.items if isinstance(item, kind) else [item])
        if isinstance(node, And):
            items = [i for i in items if not isinstance(i, All)] or [All()]
            if any(isinstance(i, Nothing) for i in items):
                return Nothing()
        else:
            items = [i for i in items if not isinstance(i, Nothing)] or [Nothing()]
        return items[0] if len(items) == 1 else kind(items)
    if isinstance(node, Not):
        return Not(_simplify(node.item))
    return node


def parse_filter(text: str, meta_keys: set[str] | None = None) -> Node:
    """A filter as a facet gives it ("year:1953", "collection:frus"): one field:value clause; a leading
    "-" excludes what it names ("-collection:frus")."""
    if text.strip().startswith("-"):
        return Not(parse_filter(text.strip()[1:], meta_keys))
    m = _FIELD_RE.match(text.strip())
    if not m:
        raise QueryError(f"filter {text!r} is not field:value", 0, "write e.g. year:1953 or collection:frus", text)
    fld = ALIASES.get(m.group(1).lower(), m.group(1).lower())
    val = text.strip()[m.end() :]
    if val.startswith('"') and val.endswith('"') and len(val) >= 2:
        val = val[1:-1]
    if fld in DATE_FIELDS:
        return parse_date_filter(fld, val, m.end(), text)
    if fld == "decade":
        if not re.fullmatch(r"\d{3}0s?", val):
            raise QueryError(f"{val!r} is not a decade", m.end(), "write e.g. decade:1950s", text)
        y = int(val[:4])
        return DateRange(f"{y:04d}-01-01", f"{y + 9:04d}-12-31", f"decade:{y}s")
    if fld in TEXT_FIELDS:
        return Phrase(val, fld) if " " in val else Word(val, fld)
    return Value(fld, val)
