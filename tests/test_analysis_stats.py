"""The statistics of despatch.analysis against values worked out by hand from the published formulas,
and keyness on a toy corpus whose every count is written out below."""

from __future__ import annotations

import math

import numpy as np
import pytest

from despatch.analysis import stats
from despatch.analysis.keyness import compare_counts, keyness
from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive


def test_wilson_matches_newcombe_1998():
    # Newcombe, "Two-sided confidence intervals for the single proportion", Stat. Med. 1998, Table I
    # (method 3, score interval without continuity correction).
    for k, n, lo, hi in [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
                         (1, 29, 0.0061, 0.1718)]:
        got = stats.wilson(k, n)
        assert got[0] == pytest.approx(lo, abs=1e-4) and got[1] == pytest.approx(hi, abs=1e-4), (k, n, got)


def test_log_likelihood_is_rayson_and_garsides_formula():
    # The UCREL log-likelihood wizard's formula (Rayson & Garside 2000): a, b = frequencies of the word,
    # c, d = corpus sizes; E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d); LL = 2(a ln(a/E1) + b ln(b/E2)).
    a, b, c, d = 120, 45, 250_000, 310_000
    e1 = 250_000 * 165 / 560_000  # 73.660714...
    e2 = 310_000 * 165 / 560_000  # 91.339285...
    assert e1 == pytest.approx(73.6607142857) and e2 == pytest.approx(91.3392857143)
    by_hand = 2 * (120 * math.log(120 / 73.6607142857) + 45 * math.log(45 / 91.3392857143))
    assert float(stats.log_likelihood(a, b, c, d)) == pytest.approx(by_hand, rel=1e-9)
    # Dunning's four-cell form (as in Daille 1995 / Kilgarriff's corpora-list note),
    # 2[Σ x ln x over the cells − Σ over the margins + N ln N], adds the two cells of "other words",
    # which the calculator's form leaves out: for a rare word they add almost nothing.
    cells = [120, 45, 250_000 - 120, 310_000 - 45]
    rows = [165, 560_000 - 165]
    cols = [250_000, 310_000]
    dunning = 2 * (sum(x * math.log(x) for x in cells) - sum(x * math.log(x) for x in rows)
                   - sum(x * math.log(x) for x in cols) + 560_000 * math.log(560_000))
    assert float(stats.log_likelihood(a, b, c, d)) == pytest.approx(dunning, rel=1e-3)


def test_critical_values_published_with_the_ucrel_calculator():
    # 95th, 99th, 99.9th and 99.99th percentiles of chi-square with 1 d.f., as the UCREL page lists them.
    for crit, p in [(3.84, 0.05), (6.63, 0.01), (10.83, 0.001), (15.13, 0.0001)]:
        assert float(stats.chi2_sf_1df(crit)[0]) == pytest.approx(p, rel=0.02)


def test_zero_frequency_cell_counts_as_zero_and_log_ratio_uses_half():
    # a word absent from B: the b-term vanishes (0 ln 0 = 0)
    e1 = 1000 * 7 / 3000
    assert float(stats.log_likelihood(7, 0, 1000, 2000)) == pytest.approx(2 * 7 * math.log(7 / e1))
    assert float(stats.log_ratio(7, 0, 1000, 2000)) == pytest.approx(math.log2((7 / 1000) / (0.5 / 2000)))


def test_corrections():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert list(stats.correct(p, "bonferroni")) == pytest.approx([0.04, 0.16, 0.12, 0.02])
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → monotone 0.06
    assert list(stats.correct(p, "holm")) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: sorted p·m/rank = 0.02, 0.02, 0.04, 0.04, then running minimum from the top
    assert list(stats.correct(p, "bh")) == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_collocation_measures_by_hand():
    # node windows hold 1,000 words; the collocate occurs 50 times in 100,000, 10 of them in the windows
    sc = stats.collocation_scores(np.array([10]), 1000, np.array([50]), 100_000)
    e = 1000 * 50 / 100_000  # 0.5
    assert float(sc["mi"][0]) == pytest.approx(math.log2(10 / e))
    assert float(sc["t"][0]) == pytest.approx((10 - e) / math.sqrt(10))
    o = [10, 990, 40, 100_000 - 1000 - 50 + 10]
    ex = [e, 1000 * 99_950 / 100_000, 99_000 * 50 / 100_000, 99_000 * 99_950 / 100_000]
    assert float(sc["ll"][0]) == pytest.approx(2 * sum(x * math.log(x / y) for x, y in zip(o, ex, strict=True)))


def test_minimum_frequency_and_the_number_of_tests():
    labels = ["a", "b", "c"]
    ka, kb, tested = compare_counts(labels, [30, 2, 0], [5, 1, 1], 1000, 1000, min_freq=5)
    assert tested == 1  # only "a" reaches 5 in A and B together: one test, no correction for the others
    assert [k.item for k in ka] == ["a"] and kb == []
    assert ka[0].p_adjusted == pytest.approx(ka[0].p)


@pytest.fixture
def toy(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.txt").write_text("The cat sat on the mat.\n\nThe cat ate the fish.\n")
    (tmp_path / "b" / "two.txt").write_text("The dog sat on the log.\n\nThe dog ran away, the dog did.\n")
    arch = open_archive(tmp_path / "toy.db")
    ingest(arch, [tmp_path / "a", tmp_path / "b"], IngestOptions(enrich=False))
    yield arch
    arch.close()


def test_keyness_on_a_toy_corpus(toy):
    # A: the ×4, cat ×2, sat, on, mat, ate, fish = 11 words. B: the ×4, dog ×3, sat, on, log, ran, away, did = 13.
    k = keyness(toy, "collection:a", "collection:b", min_freq=1, correction="none")
    assert k.a["words"] == 11 and k.b["words"] == 13
    items = {i.item: i for i in k.key_a + k.key_b}
    cat, dog, the = items["cat"], items["dog"], items["the"]
    assert (cat.freq_a, cat.freq_b, dog.freq_a, dog.freq_b, the.freq_a, the.freq_b) == (2, 0, 0, 3, 4, 4)
    assert cat.g2 == pytest.approx(2 * (2 * math.log(2 / (11 * 2 / 24))))  # 3.1206
    assert dog.g2 == pytest.approx(2 * (3 * math.log(3 / (13 * 3 / 24))))  # 3.6786
    assert the.g2 == pytest.approx(2 * (4 * math.log(4 / (11 * 8 / 24)) + 4 * math.log(4 / (13 * 8 / 24))))
    assert cat.log_ratio == pytest.approx(math.log2((2 / 11) / (0.5 / 13)))
    assert cat.p == pytest.approx(math.erfc(math.sqrt(cat.g2 / 2)))
    assert "cat" in [i.item for i in k.key_a] and "dog" in [i.item for i in k.key_b]
    # against the rest: B is everything outside A, the same numbers here
    r = keyness(toy, "collection:a", min_freq=1, correction="none")
    assert r.b["rest"] and r.b["words"] == 13
    assert {i.item: i.g2 for i in r.key_a}["cat"] == pytest.approx(cat.g2)
    # with twelve words tested, Bonferroni multiplies each p by twelve (capped at 1)
    c = keyness(toy, "collection:a", "collection:b", min_freq=1)
    assert c.tested == 12
    assert {i.item: i.p_adjusted for i in c.key_a}["cat"] == pytest.approx(min(1.0, cat.p * 12))


def test_wilson_over_arrays_gives_the_same_floats_as_one_at_a_time():
    rnd = np.random.default_rng(3)
    n = np.concatenate([rnd.integers(0, 2_000_000, 3000), np.arange(0, 50)])
    k = (n * rnd.random(len(n))).astype(np.int64)
    k[:20] = 0
    k[20:40] = n[20:40]  # shares of 0 and 1
    lo, hi = stats.wilson_arrays(k.reshape(-1, 61), n.reshape(-1, 61))
    for i, (kk, nn) in enumerate(zip(k.tolist(), n.tolist(), strict=True)):
        assert (lo.ravel()[i], hi.ravel()[i]) == stats.wilson(kk, nn), (kk, nn)


def test_rounding_over_arrays_is_pythons_round():
    rnd = np.random.default_rng(5)
    xs = np.concatenate([rnd.random(20_000), rnd.random(2000) * 1e-4,
                         # halves in decimal, the cases where scaling first can round the other way
                         np.array([0.0000005, 0.0000015, 0.1234565, 0.2500005, 0.9999995, 1.0, 0.0, 0.5]),
                         np.arange(1, 2000) / 2e6])
    got = stats.round_like_python(xs.reshape(2, -1) if len(xs) % 2 == 0 else xs, 6).ravel()
    assert got.tolist() == [round(x, 6) for x in xs.tolist()]
