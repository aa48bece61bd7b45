"""The query language parser: every operator and field, the date rule, and malformed or hostile input."""

from __future__ import annotations

import pytest

from despatch.search.query import (
    And,
    DateRange,
    Not,
    Or,
    Phrase,
    QueryError,
    Value,
    Word,
    parse,
    parse_filter,
)


def tree(q: str, **kw):
    return parse(q, **kw).tree


def test_words_are_anded_by_juxtaposition():
    assert tree("soviet policy") == And([Word("soviet"), Word("policy")])


def test_explicit_and_or_not_with_precedence():
    assert tree("a OR b c") == Or([Word("a"), And([Word("b"), Word("c")])])
    assert tree("a AND b") == And([Word("a"), Word("b")])
    assert tree("a NOT b") == And([Word("a"), Not(Word("b"))])
    assert tree("(a OR b) c") == And([Or([Word("a"), Word("b")]), Word("c")])


def test_plus_and_minus():
    assert tree("+stalin -malenkov") == And([Word("stalin"), Not(Word("malenkov"))])


def test_hyphenated_word_is_not_negation():
    assert tree("self-determination") == Word("self-determination")


def test_phrase_proximity_prefix_exact():
    assert tree('"peaceful coexistence"') == Phrase("peaceful coexistence")
    assert tree('"nuclear weapons"~5') == Phrase("nuclear weapons", slop=5)
    assert tree("disarm*") == Word("disarm", prefix=True)
    assert tree("=Soviets") == Word("Soviets", exact=True)


@pytest.mark.parametrize("field", ["title", "text", "person", "place", "org"])
def test_text_fields(field):
    assert tree(f"{field}:Churchill") == Word("Churchill", field=field)
    assert tree(f'{field}:"Winston Churchill"') == Phrase("Winston Churchill", field=field)


def test_field_applies_to_a_group():
    assert tree("title:(soviet OR russia)") == Or([Word("soviet", "title"), Word("russia", "title")])


@pytest.mark.parametrize(
    "q,field,value",
    [
        ("classification:secret", "classification", "secret"),
        ("collection:frus", "collection", "frus"),
        ("type:telegram", "type", "telegram"),
        ("lang:en", "lang", "en"),
        ("language:fr", "lang", "fr"),
        ("country:USA", "country", "USA"),
        ("session:8", "session", "8"),
        ('classification:"top secret"', "classification", "top secret"),
    ],
)
def test_value_fields_and_metadata_keys(q, field, value):
    assert tree(q) == Value(field, value)


@pytest.mark.parametrize(
    "q,start,end",
    [
        ("year:1953", "1953-01-01", "1953-12-31"),
        ("year:1950..1955", "1950-01-01", "1955-12-31"),
        ("date:1953-03..1953-09", "1953-03-01", "1953-09-30"),
        ("date:1952-02", "1952-02-01", "1952-02-29"),
        ("date:1953-03-05", "1953-03-05", "1953-03-05"),
        ("date:>1950", "1951-01-01", None),
        ("date:>=1950", "1950-01-01", None),
        ("date:<1950-06", None, "1950-05-31"),
        ("date:<=1950-06", None, "1950-06-30"),
        ("before:1950", None, "1949-12-31"),
        ("after:1950-06-15", "1950-06-16", None),
        ("date:1953..", "1953-01-01", None),
    ],
)
def test_dates(q, start, end):
    t = tree(q)
    assert isinstance(t, DateRange)
    assert (t.start, t.end) == (start, end)


@pytest.mark.parametrize(
    "q,pos,hint",
    [
        ('soviet "peaceful coexistence', 8, "closing"),
        ("(soviet OR russia", 1, ")"),
        ("soviet OR russia)", 17, "remove"),
        ("soviet AND", 8, "lower case"),
        ("OR soviet", 1, "lower case"),
        ("title:", 7, "title:word"),
        ("date:1953-13", 6, "months"),
        ("date:1960..1950", 6, "1950..1960"),
        ("year:fifties", 6, "year:1953"),
        ("()", 1, "term"),
        ('"a b"~', 6, "~5"),
    ],
)
def test_errors_have_position_and_suggestion(q, pos, hint):
    with pytest.raises(QueryError) as e:
        parse(q)
    assert e.value.position + 1 == pos
    assert hint in (e.value.suggestion or "")
    assert f"character {pos}" in str(e.value)
    assert e.value.pointer().splitlines()[1].index("^") == pos - 1


def test_backend_operator_words_are_plain_words():
    # FTS5 and tantivy keywords mean nothing special to our parser.
    assert tree("NEAR") == Word("NEAR")
    assert tree("soviet and russia") == And([Word("soviet"), Word("and"), Word("russia")])
    assert tree("a or b not c") == And([Word(w) for w in "a or b not c".split()])
    assert tree("NEAR(a b)") == And([Word("NEAR"), Word("a"), Word("b")])
    assert tree("a^2 b~3 {x TO y} [1 TO 2]") == And(
        [Word("a^2"), Word("b~3"), Word("{x"), Word("TO"), Word("y}"), Word("[1"), Word("TO"), Word("2]")]
    )


def test_unknown_column_prefix_is_a_word_when_fields_are_known():
    p = parse("column:secret note: this", meta_keys={"country"})
    assert p.tree == And([Word("column"), Word("secret"), Word("note"), Word("this")])
    assert any("column: is not a field" in w for w in p.warnings)


def test_known_metadata_key_is_a_field():
    assert parse("country:USA", meta_keys={"country"}).tree == Value("country", "USA")


def test_empty_and_blank_queries_match_everything():
    assert str(tree("")) == "*"
    assert str(tree("   \t\n ")) == "*"


def test_control_characters_are_spaces():
    assert tree("soviet\x00policy\x07") == And([Word("soviet"), Word("policy")])
    assert tree("a\u200bb") == And([Word("a"), Word("b")])


def test_non_latin_scripts():
    assert tree("Москва 北京 القاهرة") == And([Word("Москва"), Word("北京"), Word("القاهرة")])
    assert tree('"Организация Объединённых Наций"') == Phrase("Организация Объединённых Наций")


def test_very_long_query_parses_or_fails_cleanly():
    q = " ".join(["policy"] * 1500)  # 10,499 characters
    with pytest.raises(QueryError) as e:
        parse(q)
    assert "more than" in str(e.value)
    assert len(parse("x" * 10_000).tree.text) == 10_000  # type: ignore[attr-defined]


def test_canonical_form_reparses_to_the_same_tree():
    for q in ['title:(a OR b) -c "x y"~2 year:1953', "=Soviets disarm* country:USA", "a OR (b AND NOT c)"]:
        t = tree(q)
        assert tree(str(t)) == t or str(tree(str(t))) == str(t)


def test_filters_from_facets():
    assert parse_filter("year:1953") == DateRange("1953-01-01", "1953-12-31", "year:1953")
    d = parse_filter("decade:1950s")
    assert (d.start, d.end) == ("1950-01-01", "1959-12-31")
    assert parse_filter('classification:"TOP SECRET"') == Value("classification", "TOP SECRET")
    with pytest.raises(QueryError):
        parse_filter("nonsense")
