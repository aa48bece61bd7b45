"""The statistics every analysis shares, written out from their published formulas.

* Wilson score interval for a share (Wilson 1927): honest at small counts and at shares near 0 or 1,
  where the normal approximation gives intervals below zero.
* Log-likelihood G² for comparing a word's frequency in two corpora (Dunning 1993; Rayson & Garside
  2000, the formula of the Lancaster UCREL calculator): E_i = N_i (O_1 + O_2) / (N_1 + N_2),
  G² = 2 Σ O_i ln(O_i / E_i). Its p-value is the χ² survival function with one degree of freedom.
* Log ratio (Hardie 2014): log2 of the ratio of relative frequencies, a zero frequency taken as 0.5,
  the effect size G² lacks (G² grows with corpus size; log ratio does not).
* Collocation measures on a window's 2×2 table (Evert 2005; as AntConc and Sketch Engine report them):
  MI = log2(O/E), t = (O − E)/√O, and the log-likelihood of the whole table.
* Correction for testing many words at once: Bonferroni, Holm, Benjamini–Hochberg.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the share k/n (0, 0 when n is 0)."""
    if n <= 0:
        return (0.0, 0.0)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def wilson_arrays(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """`wilson` over arrays of counts, the same operations in the same order (so the same floats)."""
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    ok = n > 0
    kk, nn = k[ok], n[ok]
    zz = z * z
    p = kk / nn
    den = 1 + zz / nn
    centre = (p + zz / (2 * nn)) / den
    half = z * np.sqrt(p * (1 - p) / nn + zz / (4 * nn * nn)) / den
    lo, hi = np.zeros(n.shape), np.zeros(n.shape)
    lo[ok] = np.maximum(0.0, centre - half)
    hi[ok] = np.minimum(1.0, centre + half)
    return lo, hi


def round_like_python(x: np.ndarray, digits: int) -> np.ndarray:
    """`round(v, digits)` of every value, as Python rounds it (the exact decimal value, half to even).

    numpy's own rounding scales first, which can tip a value lying within a hair of a half the other
    way; those few are rounded by Python itself, so the result is the same float either way."""
    x = np.asarray(x, dtype=float)
    scaled = x * 10.0**digits
    out = np.rint(scaled) / 10.0**digits
    near = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
    near |= ~np.isfinite(scaled)
    if near.any():
        idx = np.flatnonzero(near.ravel())
        flat = out.reshape(-1)
        flat[idx] = [round(v, digits) for v in x.ravel()[idx].tolist()]
    return out


def _xlogx_over(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """o · ln(o / e), with 0 · ln 0 = 0."""
    out = np.zeros(np.broadcast(o, e).shape, dtype=float)
    o = np.broadcast_to(np.asarray(o, dtype=float), out.shape)
    e = np.broadcast_to(np.asarray(e, dtype=float), out.shape)
    nz = o > 0
    out[nz] = o[nz] * np.log(o[nz] / e[nz])
    return out


def log_likelihood(a: np.ndarray | int, b: np.ndarray | int, c: int, d: int) -> np.ndarray:
    """G² of frequencies `a` (in a corpus of `c` words) against `b` (in `d` words), Rayson & Garside's
    two-cell form; vectorised over words."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    return 2 * (_xlogx_over(a, e1) + _xlogx_over(b, e2))


def log_ratio(a: np.ndarray | int, b: np.ndarray | int, c: int, d: int) -> np.ndarray:
    """log2((a/c) / (b/d)), a zero frequency counted as 0.5 (Hardie 2014)."""
    a = np.maximum(np.asarray(a, dtype=float), 0.5)
    b = np.maximum(np.asarray(b, dtype=float), 0.5)
    return np.log2((a / c) / (b / d))


def chi2_sf_1df(x: np.ndarray | float) -> np.ndarray:
    """P(χ²₁ ≥ x) = erfc(√(x/2))."""
    arr = np.atleast_1d(np.asarray(x, dtype=float))
    return np.array([math.erfc(math.sqrt(max(v, 0.0) / 2)) for v in arr])


def correct(p: np.ndarray, method: str = "bonferroni") -> np.ndarray:
    """p-values adjusted for testing len(p) hypotheses: bonferroni, holm (both bound the chance of any
    false positive) or bh (Benjamini–Hochberg: the expected share of false positives)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0 or method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, p * m)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        adj = np.maximum.accumulate(ranked * (m - np.arange(m)))
    elif method == "bh":
        adj = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    else:
        raise ValueError(f"correction must be bonferroni, holm, bh or none, not {method!r}")
    out = np.empty(m)
    out[order] = np.minimum(1.0, adj)
    return out


def collocation_scores(o11: np.ndarray, r1: int, c1: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """MI, t-score and log-likelihood of collocates seen `o11` times in windows totalling `r1` tokens,
    each with corpus frequency `c1`, in a corpus of `n` tokens (the 2×2 table of Evert 2005)."""
    o11 = np.asarray(o11, dtype=float)
    c1 = np.asarray(c1, dtype=float)
    e11 = r1 * c1 / n
    mi = np.log2(np.where(o11 > 0, o11, np.nan) / e11)
    t = (o11 - e11) / np.sqrt(np.where(o11 > 0, o11, np.nan))
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1
    e12, e21, e22 = r1 * c2 / n, r2 * c1 / n, r2 * c2 / n
    ll = 2 * (_xlogx_over(o11, e11) + _xlogx_over(o12, e12) + _xlogx_over(o21, e21) + _xlogx_over(o22, e22))
    return {"mi": mi, "t": t, "ll": ll, "expected": e11}
