"""An independent region counter for the tropical tests (brute force, written only here).

For a small ReLU network with rational weights it enumerates every activation pattern, writes the
region of the pattern as strict linear inequalities ``a.x + c > 0`` in exact arithmetic
(Fractions), and decides whether it is non-empty with a Chebyshev-ball LP
(``scipy.optimize.linprog``); a region counted as non-empty has its LP centre re-checked exactly.
Linear regions are the classes of activation regions with the same exact affine map joined across
shared facets (the closures meet in dimension ``n0 - 1``, found by LPs for implicit equalities).
It shares no code with ``neuroalg.tropical``: use it to check that package.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

#: a Chebyshev radius below this counts as "no interior" (the test networks are well conditioned)
T_MIN = 1e-9


def exact_layers(layers):
    """``[(W, b)]`` as nested lists of Fractions (floats are read exactly)."""
    out = []
    for W, b in layers:
        out.append(([[Fraction(v) for v in row] for row in np.asarray(W, dtype=object).tolist()],
                    [Fraction(v) for v in np.asarray(b, dtype=object).ravel().tolist()]))
    return out


def _chebyshev(cons, n, box=None):
    """Largest t <= 1 and centre x with ``a.x + c >= t |a|`` for every constraint (and inside
    ``[-R, R]^n`` with margin t if ``box = R``); (t, x) or (-inf, None)."""
    rows, rhs = [], []
    for a, c in cons:
        big = max(abs(v) for v in a)          # scale exactly first: floats neither overflow
        a, c = [v / big for v in a], c / big   # nor underflow below
        af = np.array([float(v) for v in a])
        nrm = float(np.linalg.norm(af))
        rows.append(np.append(-af / nrm, 1.0))      # -a.x/|a| + t <= c/|a|
        rhs.append(float(c) / nrm)
    if box is not None:
        for i in range(n):
            for s in (1.0, -1.0):
                e = np.zeros(n + 1)
                e[i], e[n] = s, 1.0
                rows.append(e)
                rhs.append(float(box))
    cost = np.zeros(n + 1)
    cost[n] = -1.0
    res = linprog(cost, A_ub=np.array(rows) if rows else None, b_ub=np.array(rhs) if rows else None,
                  bounds=[(None, None)] * n + [(None, 1.0)], method="highs")
    if res.status != 0:
        return -np.inf, None
    return float(res.x[n]), res.x[:n]


def _holds_strictly(cons, x, box=None):
    xs = [Fraction(float(v)) for v in x]
    if box is not None and any(not abs(v) <= Fraction(box) for v in xs):
        return False
    return all(sum(ai * xi for ai, xi in zip(a, xs)) + c > 0 for a, c in cons)


def activation_regions(layers, box=None):
    """Every non-empty activation region: dicts with ``pattern``, ``cons`` (strict ``a.x + c > 0``),
    ``map`` (exact ``(F, f)`` as tuples) and a verified interior ``point``. ``box``: None or
    ``(lo, hi)`` for every axis."""
    L = exact_layers(layers)
    n = len(L[0][0][0])
    n_hidden = sum(len(W) for W, _ in L[:-1])
    box_cons = []
    if box is not None:
        lo, hi = Fraction(box[0]), Fraction(box[1])
        for i in range(n):
            e = [Fraction(int(k == i)) for k in range(n)]
            box_cons += [(e, -lo), ([-v for v in e], hi)]
    found = []
    for pattern in itertools.product((0, 1), repeat=n_hidden):
        M = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]   # input = M x + m
        m = [Fraction(0)] * n
        cons, ok, pos = list(box_cons), True, 0
        for W, b in L[:-1]:
            newM, newm = [], []
            for row, bj in zip(W, b):
                a = [sum(row[k] * M[k][i] for k in range(len(row))) for i in range(n)]
                c = sum(row[k] * m[k] for k in range(len(row))) + bj
                active = pattern[pos] == 1
                pos += 1
                if all(v == 0 for v in a):          # a constant neuron: active iff c > 0
                    ok = ok and ((c > 0) if active else (c <= 0))
                else:
                    cons.append((a, c) if active else ([-v for v in a], -c))
                newM.append(a if active else [Fraction(0)] * n)
                newm.append(c if active else Fraction(0))
            M, m = newM, newm
        if not ok:
            continue
        t, x = _chebyshev(cons, n) if cons else (1.0, np.zeros(n))
        if not t > T_MIN:
            continue
        assert _holds_strictly(cons, x), f"oracle: LP centre of pattern {pattern} not verified"
        W, b = L[-1]
        F = tuple(tuple(sum(row[k] * M[k][i] for k in range(len(row))) for i in range(n)) for row in W)
        f = tuple(sum(row[k] * m[k] for k in range(len(row))) + bj for row, bj in zip(W, b))
        found.append({"pattern": pattern, "cons": cons, "map": (F, f), "point": x})
    return found


def _dimension(cons, n):
    """Affine dimension of ``{x : a.x + c >= 0}`` (implicit equalities found by LPs), -1 if empty."""
    scaled = [([v / max(abs(w) for w in a) for v in a], c / max(abs(w) for w in a)) for a, c in cons]
    A = np.array([[float(v) for v in a] for a, _ in scaled])
    c = np.array([float(v) for _, v in scaled])
    nrm = np.linalg.norm(A, axis=1)
    A, c = A / nrm[:, None], c / nrm
    eq = []
    for k in range(len(cons)):
        # max a_k.x + c_k subject to all constraints
        res = linprog(-A[k], A_ub=-A, b_ub=c, bounds=[(None, None)] * n, method="highs")
        if res.status == 2:
            return -1
        if res.status == 3 or -res.fun + c[k] > T_MIN:   # unbounded or positive slack
            continue
        eq.append(A[k])
    return n - (np.linalg.matrix_rank(np.array(eq), tol=1e-9) if eq else 0)


def linear_regions(regions, n):
    """Classes (lists of indices) of same-map activation regions joined across shared facets."""
    parent = list(range(len(regions)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(regions)), 2):
        if regions[i]["map"] != regions[j]["map"] or find(i) == find(j):
            continue
        if _dimension(regions[i]["cons"] + regions[j]["cons"], n) == n - 1:
            parent[find(j)] = find(i)
    classes: dict = {}
    for i in range(len(regions)):
        classes.setdefault(find(i), []).append(i)
    return list(classes.values())


def meets_cube_interior(region, R, n):
    """Whether the open region meets the interior of ``[-R, R]^n`` (LP, centre verified exactly)."""
    t, x = _chebyshev(region["cons"], n, box=R)
    return bool(t > 0 and x is not None and _holds_strictly(region["cons"], x, box=R))


class Oracle:
    activation_regions = staticmethod(activation_regions)
    linear_regions = staticmethod(linear_regions)
    meets_cube_interior = staticmethod(meets_cube_interior)

    @staticmethod
    def counts(layers, box=None):
        """(activation regions, linear regions, distinct maps)."""
        regs = activation_regions(layers, box)
        n = len(exact_layers(layers)[0][0][0])
        return len(regs), len(linear_regions(regs, n)), len({r["map"] for r in regs})


@pytest.fixture(scope="session")
def oracle():
    return Oracle
