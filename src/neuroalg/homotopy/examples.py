"""Classic benchmark systems (root counts from the literature, used by tests and benchmarks).

- katsura-n: n + 1 unknowns u_0..u_n, u_0 + 2 sum_{i>=1} u_i = 1 and, for m = 0..n-1,
  sum_{l=-n}^{n} u_|l| u_|m-l| = u_m (u_k = 0 for k > n). It has 2^n isolated solutions, all
  nonsingular (S. Katsura, 1990; the PoSSo/PHCpack test suites).
- cyclic-n: sum_i prod_{j<k} z_{i+j} = 0 for k = 1..n-1 and z_1...z_n = 1. Cyclic-5 has 70
  solutions, cyclic-6 156, cyclic-7 924 (Björck–Fröberg 1991; Backelin–Fröberg).
"""

from __future__ import annotations

from collections import defaultdict

from .polynomial import PolySystem

KNOWN_ROOT_COUNTS = {("katsura", n): 2**n for n in range(1, 16)}
KNOWN_ROOT_COUNTS.update({("cyclic", 4): None, ("cyclic", 5): 70, ("cyclic", 6): 156,
                          ("cyclic", 7): 924})


def katsura(n: int) -> PolySystem:
    """The katsura-n system (n + 1 equations and unknowns, 2^n solutions)."""
    nv = n + 1

    def unit(*idx):
        a = [0] * nv
        for i in idx:
            a[i] += 1
        return tuple(a)

    equations = [{unit(0): 1.0, **{unit(i): 2.0 for i in range(1, nv)}, (0,) * nv: -1.0}]
    for m in range(n):
        terms: dict = defaultdict(complex)
        for l in range(-n, n + 1):
            i, j = abs(l), abs(m - l)
            if i <= n and j <= n:
                terms[unit(i, j)] += 1.0
        terms[unit(m)] -= 1.0
        equations.append(dict(terms))
    return PolySystem.from_terms(equations, nv, names=tuple(f"u{i}" for i in range(nv)))


def cyclic(n: int) -> PolySystem:
    """The cyclic-n roots system (n equations and unknowns)."""
    equations = []
    for k in range(1, n):
        terms: dict = defaultdict(complex)
        for i in range(n):
            a = [0] * n
            for j in range(k):
                a[(i + j) % n] += 1
            terms[tuple(a)] += 1.0
        equations.append(dict(terms))
    equations.append({(1,) * n: 1.0, (0,) * n: -1.0})
    return PolySystem.from_terms(equations, n, names=tuple(f"z{i + 1}" for i in range(n)))
