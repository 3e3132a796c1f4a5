"""Linear-product start systems for a partition of the variables (multi-homogeneous homotopy).

For groups G_1, ..., G_m of the variables and the degrees d_ij of equation i in group j, the start
equation i is the product over j of d_ij random affine-linear forms in the variables of G_j.
A start solution chooses, for each equation, one of its forms, group j being chosen exactly |G_j|
times; each group's chosen forms are then a square linear system. With random forms all these
solutions are nonsingular and distinct, and there are as many as the multi-homogeneous Bezout
number. Tracked with the gamma trick they reach every isolated solution of the target
(Sommese–Wampler, *The Numerical Solution of Systems of Polynomials*, 2005, Sec. 8.4; Morgan–
Sommese 1987).
"""

from __future__ import annotations

import numpy as np

from .polynomial import PolySystem
from .root_count import degree_matrix


def _random_complex(rng, shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def linear_product_start(system: PolySystem, groups, rng: np.random.Generator):
    """Start system (affine PolySystem), its solutions (N, n) and the equations' degrees
    (sum_j d_ij, the degrees to homogenize start and target with)."""
    n = system.n_vars
    d = degree_matrix(system, groups)
    # forms[i] = list of (group j, coefficient vector over (1, x_1..x_n))
    forms = []
    for i in range(system.n_eqs):
        row = []
        for j, g in enumerate(groups):
            for _ in range(int(d[i, j])):
                c = np.zeros(n + 1, dtype=np.complex128)
                c[0] = _random_complex(rng, ())
                c[1 + np.asarray(g)] = _random_complex(rng, len(g))
                row.append((j, c))
        forms.append(row)
    equations = []
    for row in forms:
        poly = {(0,) * n: 1.0 + 0j}
        for _, c in row:
            nxt: dict = {}
            for a, v in poly.items():
                for k in np.flatnonzero(c):
                    b = list(a)
                    if k:
                        b[k - 1] += 1
                    key = tuple(b)
                    nxt[key] = nxt.get(key, 0) + v * c[k]
            poly = nxt
        equations.append(poly)
    start = PolySystem.from_terms(equations, n, names=system.names)
    sizes = [len(g) for g in groups]
    solutions: list[np.ndarray] = []

    def choose(i, left, chosen):
        if i == len(forms):
            x = np.zeros(n, dtype=np.complex128)
            for j, g in enumerate(groups):
                rows = [c for jj, c in chosen if jj == j]
                a = np.array([c[1 + np.asarray(g)] for c in rows])
                x[list(g)] = np.linalg.solve(a, -np.array([c[0] for c in rows]))
            solutions.append(x)
            return
        for j, c in forms[i]:
            if left[j]:
                left[j] -= 1
                choose(i + 1, left, chosen + [(j, c)])
                left[j] += 1

    choose(0, sizes, [])
    degrees = np.array([len(row) for row in forms], dtype=np.int64)
    return start, np.array(solutions).reshape(-1, n), degrees
