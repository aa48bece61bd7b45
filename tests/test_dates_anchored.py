"""Partial and relative dates resolved against the document's own date and precision (expected values by hand)."""

from __future__ import annotations

import pytest

from despatch.enrich.dates import DateAnnotator, anchor_of
from despatch.model import DocDate, Document


def run(text: str, start: str | None, end: str | None = None, precision: str = "day", **md) -> dict[str, dict]:
    d = DocDate(start, end or start, precision) if start else None
    doc = Document(id="t/x", collection="t", text=text, date=d, metadata=md)
    return {a.text: a.value for a in DateAnnotator()(doc)}


def un(text: str, year: int = 1953, session: int = 8) -> dict[str, dict]:
    return run(text, f"{year}-01-01", f"{year}-12-31", "year", country="RUS", session=session, year=year)


def test_un_month_of_this_year_is_the_session_year():
    d = un("The armistice was signed in April of this year. In April the talks began.")
    assert d["April of this year"]["value"] == "1953-04"
    assert d["April"]["value"] == "1953-04"
    assert d["April"]["resolved_from"] == "document date" and "General Debate" in d["April"]["anchor"]


def test_un_last_and_next_months_around_the_september_debate():
    d = un("Last September we met; last June there was a rising; next March the commission reports.")
    assert d["Last September"]["value"] == "1952-09"
    assert d["last June"]["value"] == "1953-06"
    assert d["next March"]["value"] == "1954-03"


def test_un_session_opened_in_november_1951():
    d = un("Since last October nothing has changed.", year=1951, session=6)
    assert d["last October"]["value"] == "1951-10"


def test_un_this_month_is_not_guessed():
    d = un("This month the Assembly meets; this year it will decide; last year it failed.")
    assert d["This month"]["value"] is None and "not known" in d["This month"]["unresolved"]
    assert d["this year"]["value"] == "1953" and d["last year"]["value"] == "1952"


def test_frus_day_month_last_goes_back_across_the_year():
    d = run("I received your despatch of the 6th of November last, and the note of December 28.", "1861-01-14")
    assert d["6th of November last"]["value"] == "1860-11-06"
    assert d["December 28"]["value"] == "1860-12-28"


def test_instant_ultimo_proximo_and_of_last_month():
    d = run("On the 22d instant; the 30th ultimo; the 3d proximo; the 4th of last month.", "1884-01-24")
    assert d["the 22d instant"]["value"] == "1884-01-22"
    assert d["the 30th ultimo"]["value"] == "1883-12-30"
    assert d["the 3d proximo"]["value"] == "1884-02-03"
    assert d["the 4th of last month"]["value"] == "1883-12-04"
    assert "ultimo" in d["the 30th ultimo"]["rule"]


def test_yesterday_today_tomorrow_need_a_day():
    d = run("Yesterday the Minister called; he leaves to-morrow.", "1917-04-01")
    assert d["Yesterday"]["value"] == "1917-03-31"
    assert d["to-morrow"]["value"] == "1917-04-02"
    m = run("Yesterday the Minister called.", "1917-04-01", "1917-04-30", "month")
    assert m["Yesterday"]["value"] is None and "not dated to the day" in m["Yesterday"]["unresolved"]


def test_seasons_forward_and_back():
    d = run("Next spring the troops leave; last winter was hard; this summer was quiet.", "1953-09-03")
    assert (d["Next spring"]["start"], d["Next spring"]["end"]) == ("1954-03-01", "1954-05-31")
    assert (d["last winter"]["start"], d["last winter"]["end"]) == ("1952-12-01", "1953-02-28")
    assert d["this summer"]["value"] == "1953-06/1953-08"


def test_month_by_tense():
    d = run("The conference will meet in January. The treaty was signed in November.", "1953-09-03")
    assert d["January"]["value"] == "1954-01"
    assert d["November"]["value"] == "1952-11"


def test_years_ago():
    assert run("Two years ago the pact was signed.", "1953-09-03")["Two years ago"]["value"] == "1951"


def test_unresolvable_keeps_text_and_no_value():
    d = run("In April the talks began, the 6th instant.", None)
    assert d["April"]["value"] is None and d["April"]["unresolved"]
    assert d["the 6th instant"]["value"] is None


@pytest.mark.parametrize("text", ["for 1620 francs", "paid 1850 dollars", "of 1900 tons of coal", "No. 1917 of"])
def test_amounts_and_numbers_are_not_dates(text):
    assert run(f"He was paid {text} in all.", "1870-05-01") == {}


def test_year_after_a_preposition_is_still_a_date():
    assert run("Since 1950 the trade grew.", "1953-09-03")["1950"]["value"] == "1950"


def test_anchor_of_a_range_of_years_is_none():
    doc = Document(id="t/x", collection="t", text="", date=DocDate("1941-01-01", "1960-12-31", "year"))
    assert anchor_of(doc) is None
