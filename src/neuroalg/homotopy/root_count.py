"""Root bounds of a square system, and the start system they choose.

Three upper bounds on the number of isolated solutions in C^n (with multiplicity):

- Bezout: d_1 ... d_n (total degrees);
- multi-homogeneous Bezout for a partition of the variables into groups of sizes k_j: the
  coefficient of prod_j z_j^(k_j) in prod_i (sum_j d_ij z_j), d_ij the degree of equation i in
  group j (Morgan–Sommese, *A homotopy for solving general polynomial systems that respects
  m-homogeneous structures*, Appl. Math. Comput. 24, 1987);
- BKK: the mixed volume of the Newton polytopes, with the origin added to every support (Li–Wang,
  *The BKK root count in C^n*, Math. Comp. 65, 1996), or without it when no solution can have a
  zero coordinate (Bernstein 1975: the count in the torus).

BKK <= multi-homogeneous <= Bezout (the Newton polytopes lie in the polytopes of the coarser
bounds, and the mixed volume is monotone). :func:`root_count` computes all three and picks the
start system of the smallest bound (on ties the simpler one: total degree, then
multi-homogeneous, then polyhedral).

When the mixed volume of the supports with the origin equals the Bezout number, no enumeration
is needed. It does exactly when a generic system with these supports has no solution at infinity,
i.e. the top-degree forms with generic coefficients have no common zero in P^(n-1).
:func:`generic_zero_at_infinity` decides that per coordinate subspace S: the generic forms
restricted to S have a common zero in the torus of P(S) iff their supports B_i^S satisfy
dim(sum_{i in I} conv B_i^S) >= |I| for every subset I of the equations not vanishing on S
(Bernstein's genericity condition; Sturmfels, *On the Newton polytope of the resultant*,
J. Algebraic Combin. 3, 1994, Thm 1.1), which by Rado's theorem holds iff the matrix whose row i
is a generic combination of the differences of B_i^S has full row rank. The rank is taken mod a
61-bit prime at random combinations: full rank proves a zero at infinity; rank deficiency for
every S is Monte Carlo evidence (Schwartz–Zippel: error <= n 2^n / p).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import flint
import numpy as np

from .mixed_volume import MixedSubdivision, mixed_cells
from .polyhedral import has_no_zero_coordinates, supports
from .polynomial import PolySystem

PRIME = 2**61 - 1
METHODS = ("total-degree", "multihomogeneous", "polyhedral")
MAX_LPS, LPS_PER_PATH = 300_000, 25


def degree_matrix(system: PolySystem, groups) -> np.ndarray:
    """d_ij: the degree of equation i in the variables of group j (n_eqs, m)."""
    out = np.zeros((system.n_eqs, len(groups)), dtype=np.int64)
    for j, g in enumerate(groups):
        np.maximum.at(out[:, j], system.equation, system.exponents[:, list(g)].sum(axis=1))
    return out


def multihomogeneous_bezout(system: PolySystem, groups) -> int:
    """The multi-homogeneous Bezout number of ``system`` for the partition ``groups``."""
    d = degree_matrix(system, groups).tolist()
    counts: dict[tuple[int, ...], int] = {tuple(len(g) for g in groups): 1}
    for row in d:
        nxt: dict[tuple[int, ...], int] = {}
        for state, ways in counts.items():
            for j, dij in enumerate(row):
                if dij and state[j]:
                    key = state[:j] + (state[j] - 1,) + state[j + 1:]
                    nxt[key] = nxt.get(key, 0) + ways * dij
        counts = nxt
    return counts.get(tuple(0 for _ in groups), 0)


def best_partition(system: PolySystem, *, max_two_groups: int = 14):
    """A partition with a small multi-homogeneous Bezout number: every split into two groups
    (up to ``max_two_groups`` variables), then moves of single variables between groups while
    the number decreases. Returns (groups, number)."""
    n = system.n_vars
    best_groups: tuple[tuple[int, ...], ...] = (tuple(range(n)),)
    best = system.bezout_number
    if 2 <= n <= max_two_groups:
        masks = np.array(list(itertools.product([0, 1], repeat=n - 1)), dtype=np.int64)[1:]
        masks = np.hstack([np.zeros((len(masks), 1), dtype=np.int64), masks])  # x_1 in group 0
        deg1 = _group_degrees(system, masks.T)
        deg0 = _group_degrees(system, 1 - masks.T)
        k1 = masks.sum(axis=1)
        poly = np.zeros((len(masks), n + 1), dtype=object)
        poly[:, 0] = 1
        for i in range(system.n_eqs):  # prod_i (deg0_i + deg1_i z), coefficient of z^k1
            shifted = np.zeros_like(poly)
            shifted[:, 1:] = poly[:, :-1] * deg1[i][:, None]
            poly = poly * deg0[i][:, None] + shifted
        numbers = poly[np.arange(len(masks)), k1]
        k = int(np.argmin(numbers))
        if numbers[k] < best:
            best = int(numbers[k])
            best_groups = (tuple(np.flatnonzero(masks[k] == 0)), tuple(np.flatnonzero(masks[k])))
    improved = True
    while improved and n > 1:
        improved = False
        for v, target in itertools.product(range(n), range(len(best_groups) + 1)):
            groups = [tuple(x for x in g if x != v) for g in best_groups]
            if target == len(groups):
                groups.append((v,))
            else:
                groups[target] = tuple(sorted(groups[target] + (v,)))
            groups = [g for g in groups if g]
            number = multihomogeneous_bezout(system, groups)
            if number < best:
                best, best_groups, improved = number, tuple(groups), True
                break
    return tuple(tuple(int(x) for x in g) for g in best_groups), int(best)


def _group_degrees(system: PolySystem, masks) -> np.ndarray:
    """Degree of each equation in the variables selected by each mask column: (n_eqs, P)."""
    per_term = system.exponents @ masks  # (T, P)
    out = np.zeros((system.n_eqs, masks.shape[1]), dtype=np.int64)
    np.maximum.at(out, system.equation, per_term)
    return out.astype(object)


def generic_zero_at_infinity(system: PolySystem, rng: np.random.Generator,
                             *, max_vars: int = 16) -> bool | None:
    """True if a generic system with the supports of ``system`` has a zero at infinity (proven
    by a full-rank matrix mod p), False if none (Monte Carlo), None if n > ``max_vars``."""
    n = system.n_vars
    if n > max_vars:
        return None
    c = system.coefficients[:, 0] != 0
    deg = system.degrees
    top = c & (system.exponents.sum(axis=1) == deg[system.equation])
    e, q = system.exponents[top], system.equation[top]
    bits = (e > 0) @ (1 << np.arange(n, dtype=np.int64))
    subsets = np.arange(1, 2**n, dtype=np.int64)
    inside = (bits[None, :] & ~subsets[:, None]) == 0  # (S, terms): term lives on S
    per_eq = np.zeros((len(subsets), system.n_eqs), dtype=np.int64)
    for i in range(system.n_eqs):
        per_eq[:, i] = inside[:, q == i].sum(axis=1)
    size = np.array([bin(int(s)).count("1") for s in subsets])
    k = (per_eq > 0).sum(axis=1)
    if (k == 0).any():
        return True  # some coordinate subspace lies in every top form's zero set
    # a candidate S needs |K| <= |S| - 1 and no equation with a single term on S
    maybe = np.flatnonzero((k <= size - 1) & ~(per_eq == 1).any(axis=1))
    for s_idx in maybe:
        s_mask = int(subsets[s_idx])
        cols = [j for j in range(n) if s_mask >> j & 1]
        rows = []
        for i in np.flatnonzero(per_eq[s_idx]).tolist():
            pts = e[(q == i) & inside[s_idx]][:, cols]
            diffs = (pts[1:] - pts[0]).tolist()
            weights = [int(w) for w in rng.integers(1, PRIME, len(diffs))]
            rows.append([sum(w * d[c] for w, d in zip(weights, diffs)) % PRIME
                         for c in range(len(cols))])
        if flint.nmod_mat(rows, PRIME).rank() == len(rows):
            return True
    return False


@dataclass(frozen=True)
class RootCount:
    """The three root bounds and the start system chosen (``method``, one of METHODS).

    ``mixed_volume`` is None when it was not computed (``mixed_volume_note`` says why);
    ``subdivision`` holds the mixed cells when they were enumerated."""

    bezout: int
    multihomogeneous: int
    partition: tuple[tuple[int, ...], ...]
    mixed_volume: int | None
    torus: bool
    method: str
    mixed_volume_note: str = ""
    subdivision: MixedSubdivision | None = field(default=None, repr=False, compare=False)

    @property
    def bound(self) -> int:
        return {"total-degree": self.bezout, "multihomogeneous": self.multihomogeneous,
                "polyhedral": self.mixed_volume}[self.method] or 0

    def to_dict(self) -> dict:
        return {"bezout_number": self.bezout, "multihomogeneous_bezout_number":
                self.multihomogeneous, "partition": [list(g) for g in self.partition],
                "mixed_volume": self.mixed_volume, "mixed_volume_note": self.mixed_volume_note,
                "mixed_volume_in": "torus (C*)^n" if self.torus else "C^n (origin added)",
                "start_system": self.method, "root_bound": self.bound}


def root_count(system: PolySystem, rng: np.random.Generator, *, method: str = "auto",
               max_lps: int | None = None) -> RootCount:
    """Compute the root bounds of ``system`` and choose the start system (``method`` 'auto'
    or one of METHODS to force it).

    The mixed-cell search stops after ``max_lps`` feasibility tests, by default
    min(300000, LPS_PER_PATH x the smaller of the other two bounds) with method 'auto' (a test
    costs ~0.1 ms and a path ~5 ms: past that the search would cost more than tracking every
    path of the other start system); the mixed volume is then reported as not computed and the
    start system is chosen among the other two."""
    if method not in ("auto", *METHODS):
        raise ValueError(f"method must be 'auto' or one of {METHODS}; got {method!r}")
    bezout = system.bezout_number
    partition, mhom = best_partition(system)
    torus = has_no_zero_coordinates(system)
    mv: int | None = None
    note, sub = "", None
    if max_lps is None:
        max_lps = MAX_LPS if method == "polyhedral" else min(MAX_LPS, LPS_PER_PATH * min(bezout, mhom))
    if method in ("auto", "polyhedral"):
        at_infinity = None if torus or method == "polyhedral" else \
            generic_zero_at_infinity(system, rng)
        if at_infinity is False:
            mv = bezout
            note = ("equals the Bezout number: generic systems with these supports have no zero "
                    "at infinity (Monte Carlo rank test mod a 61-bit prime)")
        else:
            sub = mixed_cells(supports(system, origin=not torus), seed=rng, max_lps=max_lps)
            if sub.stats.get("complete", True):
                mv = sub.mixed_volume
                note = (f"{len(sub.cells)} mixed cells (lift and prune; cells verified in "
                        "exact arithmetic)")
            else:
                note = (f"not computed: the mixed-cell search passed its budget of {max_lps} "
                        "feasibility tests (it would cost more than tracking the other start)")
                sub = None
    bounds = {"total-degree": bezout, "multihomogeneous": mhom}
    if mv is not None:
        bounds["polyhedral"] = mv
    if method == "auto":
        chosen = min(bounds, key=lambda k: (bounds[k], METHODS.index(k)))
    elif method == "polyhedral" and sub is None:
        raise ValueError(f"the mixed volume could not be computed ({note})")
    else:
        chosen = method
    if chosen == "polyhedral" and sub is None:
        chosen = "total-degree" if bezout <= mhom else "multihomogeneous"
    return RootCount(bezout, mhom, partition, mv, torus, chosen, note, sub)
