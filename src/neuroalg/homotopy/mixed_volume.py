"""Mixed cells and the mixed volume of lattice polytopes, by lift and prune.

For finite supports A_1, ..., A_n in Z^n and a lifting w_i: A_i -> Z, a *mixed cell* is a choice
of two points {p_i, q_i} in each A_i and an inner normal (alpha, 1) in Q^n x {1} at which, for
every i, <a, alpha> + w_i(a) is minimal over A_i exactly at p_i and q_i. For a generic lifting the
mixed cells are the cells of type (1, ..., 1) of the fine mixed subdivision of P_1 + ... + P_n
that the lifting induces (P_i = conv A_i), and the mixed volume is the sum of their volumes,
MV(P_1, ..., P_n) = sum over cells |det(p_1 - q_1, ..., p_n - q_n)| (Huber–Sturmfels, *A
polyhedral method for solving sparse polynomial systems*, Math. Comp. 64, 1995, Thm 2.4; the
normalization MV(Delta, ..., Delta) = 1 for the unit simplex, so the mixed volume of n dense
polynomials of degrees d_i is the Bezout number d_1 ... d_n).

Search: depth first over the supports, one edge (a pair {p, q} that is a lower edge of the lifted
A_i) per level; the constraints of the chosen edges on alpha form a linear feasibility problem
(:class:`~.feasibility.Tableau`, warm-started from the parent). At each node every remaining
support's candidate edges are tested, the node is pruned when some support has none left, and the
search branches on the support with the fewest (dynamic enumeration, as in Mizutani–Takeda–Kojima,
*Dynamic enumeration of all mixed cells*, Discrete Comput. Geom. 37, 2007); an edge infeasible at
a node stays infeasible below it. Every leaf is verified in exact rational arithmetic (flint):
alpha solves the n edge equations and every other lifted point lies strictly above; a tie means
the lifting is not generic, and the computation restarts with a new random lifting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import combinations

import flint
import numpy as np

from ..random import check_seed
from .feasibility import FIXED, NONNEG, Tableau


class NotGeneric(Exception):
    """The lifting induced a tie (a non-fine subdivision); draw another."""


class Budget(Exception):
    """The search exceeded its budget of feasibility tests."""


@dataclass(frozen=True)
class MixedCell:
    """One mixed cell: ``edges[i] = (p, q)`` indexes two points of support i; ``normal`` is alpha
    (exact rationals); ``volume = |det(p_i - q_i)|``."""

    edges: tuple[tuple[int, int], ...]
    normal: tuple[flint.fmpq, ...]
    volume: int


@dataclass(frozen=True)
class MixedSubdivision:
    """The mixed cells of ``supports`` under ``lifting`` (both tuples of arrays, one per
    support). ``mixed_volume`` is the sum of the cell volumes."""

    supports: tuple[np.ndarray, ...]
    lifting: tuple[np.ndarray, ...]
    cells: tuple[MixedCell, ...]
    seconds: float
    stats: dict = field(default_factory=dict)

    @property
    def mixed_volume(self) -> int:
        return sum(c.volume for c in self.cells)


def _edge_rows(support, lift, p, q):
    """Rows (k, n) and values of the constraints 'p, q minimal and tied on the lifted support':
    first the equality (p - q) . alpha = w_q - w_p, then (p - a) . alpha <= w_a - w_p."""
    others = np.array([a for a in range(len(support)) if a != p and a != q], dtype=np.int64)
    rows = np.vstack([support[p] - support[q], support[p] - support[others]]).astype(float)
    values = np.concatenate([[lift[q] - lift[p]], lift[others] - lift[p]]).astype(float)
    kinds = np.full(len(values), NONNEG, dtype=np.int8)
    kinds[0] = FIXED
    return rows, values, kinds


def _with_edge(tab: Tableau, rows) -> Tableau | None:
    child = tab.copy()
    child.add(*rows)
    return child if child.feasible() else None


def _verify(supports, lifting, edges):
    """Exact check of a leaf; returns (alpha, volume) or None (floating-point false positive);
    raises NotGeneric on a tie."""
    n = len(supports)
    v = flint.fmpz_mat([[int(x) for x in supports[i][p] - supports[i][q]] for i, (p, q) in
                        enumerate(edges)])
    det = int(v.det())
    if det == 0:
        return None
    rhs = flint.fmpq_mat([[int(lifting[i][q]) - int(lifting[i][p])] for i, (p, q) in
                          enumerate(edges)])
    alpha = flint.fmpq_mat(v).solve(rhs)
    alpha_list = [alpha[j, 0] for j in range(n)]
    for i, (p, q) in enumerate(edges):
        a_mat = flint.fmpq_mat([[int(x) for x in row] for row in supports[i]])
        values = a_mat * alpha
        base = values[p, 0] + int(lifting[i][p])
        for a in range(len(supports[i])):
            if a == p or a == q:
                continue
            gap = values[a, 0] + int(lifting[i][a]) - base
            if gap == 0:
                raise NotGeneric
            if gap < 0:
                return None
    return tuple(alpha_list), abs(det)


def _search(supports, lifting, max_lps):
    n = len(supports)
    stats = {"lps": 0, "nodes": 0, "false_leaves": 0}
    root = Tableau(n)
    candidates, rows = {}, {}
    for i, support in enumerate(supports):
        ok = []
        for e in combinations(range(len(support)), 2):
            stats["lps"] += 1
            rows[i, e] = _edge_rows(support, lifting[i], *e)
            if _with_edge(root, rows[i, e]) is not None:
                ok.append(e)
        candidates[i] = ok
    cells: list[MixedCell] = []

    def visit(tab, chosen, cand):
        stats["nodes"] += 1
        remaining = [i for i in range(n) if i not in chosen]
        if not remaining:
            edges = tuple(chosen[i] for i in range(n))
            found = _verify(supports, lifting, edges)
            if found is None:
                stats["false_leaves"] += 1
            else:
                cells.append(MixedCell(edges, found[0], found[1]))
            return
        tested = {}
        if stats["lps"] > max_lps:
            raise Budget
        for i in sorted(remaining, key=lambda j: len(cand[j])):
            ok = []
            for e in cand[i]:
                stats["lps"] += 1
                child = _with_edge(tab, rows[i, e])
                if child is not None:
                    ok.append((e, child))
            if not ok:
                return
            tested[i] = ok
            if len(ok) == 1:
                break
        best = min(tested, key=lambda j: len(tested[j]))
        below = dict(cand)
        for i, ok in tested.items():
            below[i] = [e for e, _ in ok]
        for e, child in tested[best]:
            visit(child, {**chosen, best: e}, below)

    visit(root, {}, candidates)
    return cells, stats


def mixed_cells(supports, *, seed=None, lifting_range: int = 2**12, max_tries: int = 8,
                max_lps: int | None = None) -> MixedSubdivision:
    """The mixed cells of a fine mixed subdivision of ``supports`` (n integer arrays (m_i, n))
    induced by a random integer lifting in [0, lifting_range); restarts on a non-generic lifting.

    A support with fewer than two points has no edge: no mixed cell, mixed volume 0. With
    ``max_lps``, the search stops after that many feasibility tests and returns no cells with
    ``stats['complete'] = False``."""
    clock = time.perf_counter()
    _, rng = check_seed(seed)
    supports = tuple(np.asarray(s, dtype=np.int64) for s in supports)
    n = len(supports)
    if any(s.ndim != 2 or s.shape[1] != n for s in supports):
        raise ValueError("need n supports of points in Z^n")
    if any(len(s) < 2 for s in supports):
        return MixedSubdivision(supports, tuple(np.zeros(len(s), np.int64) for s in supports),
                                (), time.perf_counter() - clock)
    for attempt in range(max_tries):
        lifting = tuple(rng.integers(0, lifting_range, len(s)) for s in supports)
        try:
            cells, stats = _search(supports, lifting, np.inf if max_lps is None else max_lps)
        except NotGeneric:
            continue
        except Budget:
            return MixedSubdivision(supports, lifting, (), time.perf_counter() - clock,
                                    {"complete": False})
        stats["attempts"] = attempt + 1
        stats["complete"] = True
        return MixedSubdivision(supports, lifting, tuple(cells), time.perf_counter() - clock,
                                stats)
    raise RuntimeError(f"no generic lifting found in {max_tries} tries")


def mixed_volume(supports, *, seed=None) -> int:
    """MV(conv A_1, ..., conv A_n), normalized so that MV(Delta, ..., Delta) = 1."""
    return mixed_cells(supports, seed=seed).mixed_volume
