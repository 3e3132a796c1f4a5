"""The sampling radius of a tropical rational map: a cube that meets every linear region, proven.

For a one-output map ``f = F ⊘ G`` with ``F(x) = max_i (c_i + a_i.x)`` and
``G(x) = max_j (d_j + e_j.x)``, the *piece* ``Q_ij`` is where monomial i attains F and monomial j
attains G: ``(a_k - a_i).x <= c_i - c_k`` for all k and ``(e_l - e_j).x <= d_j - d_l`` for all l,
a system ``A x <= b`` with non-zero rows (exponents are distinct). f is affine on each piece,
the pieces cover ``R^n``, and the full-dimensional ones have interiors ``{A x < b}``.

**Claim.** With ``R = max ||x_ij||_inf`` over one verified interior point ``x_ij`` of every
full-dimensional piece (``R = 1`` if that maximum is 0, which happens only when f is affine),
every linear region U of f meets the cube ``C = [-R, R]^n`` in a set with non-empty interior.
Proof: U (a maximal connected open set on which f is affine) meets the interior of some
full-dimensional piece Q (the union of the lower-dimensional pieces has empty interior);
``U ∪ int Q`` is connected and open with f affine on it (the two affine maps agree on an open
set), so ``int Q ⊆ U`` by maximality. ``x_Q`` lies in the open set ``int Q`` and in C, and
``R > 0``, so points of ``int C`` near ``x_Q`` lie in U: ``U ∩ int C`` is open and non-empty.

**Proof obligations**, met in exact rational arithmetic (every float is a rational, so the
floating-point expression of a float network is read exactly):

* an interior point: ``A x < b`` strictly at the rational point x. Candidates come from two
  LPs on the rows scaled to unit length (HiGHS): the point of least ``||x||_inf`` at depth
  ``t / 1024`` (then ``t / 16``) inside the piece, t its Chebyshev radius, which keeps R close
  to its infimum, and the Chebyshev centre;
* an empty interior (a pair that needs no point): by Motzkin's transposition theorem
  ``{A x < b}`` is empty if some ``y >= 0`` has ``sum y = 1``, ``A^T y = 0`` and
  ``b.y <= 0`` (then ``0 = y^T A x < y^T b <= 0`` for any solution x, a contradiction). The LP
  ``min b.y`` over such y gives a support S, and y is re-solved exactly on S and checked.

A pair with neither proof leaves R unproven: the result says so (``is_proven`` False, the
number of undecided pairs). ``closure_radius`` is the LP value ``max_ij dist_inf(0, Q_ij)`` over
the pieces with an interior (floating point, not proven): every cube larger than it (by the LP
tolerance) meets every piece's interior, since an open cube meeting the closure of a convex set
with interior meets its interior; so R exceeds it only by the depth of the verified points.

This replaces the Hoffman-constant radius of [LWCBM24], which bounds ``dist_inf(0, Q_ij)``: a
cube of that half-width reaches only the pieces' *closures* (R = 0 for ``|x|``, whose regions
are open half-lines; R = 2 for ``2 ReLU(2 - x) + 1``, whose region ``x > 2`` misses
``[-2, 2]``), and its bound is usually far larger than the distance itself.

References
----------
[LWCBM24] P. Lezeau, T. Walker, Y. Cao, S. Bhatia, A. Monod, Tropical expressivity of neural
        networks, arXiv:2405.20174.
[Sch86] A. Schrijver, Theory of Linear and Integer Programming, Wiley 1986, §7.8 (Motzkin's
        transposition theorem).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SpecError

#: the point of least norm is taken at these fractions of the piece's Chebyshev radius (the
#: first whose point verifies; smaller keeps R closer to the closure radius)
DEPTH_FRACTIONS = (2.0 ** -10, 2.0 ** -4)
#: supports with weights below this are dropped before the exact re-solve of a Motzkin certificate
SUPPORT_TOL = 1e-12


@dataclass(frozen=True)
class SamplingRadius:
    """Every linear region of ``F ⊘ G`` meets ``[-radius, radius]^n`` in an interior point
    (module docstring), proven when ``is_proven``.

    ``radius``: the largest ``||x||_inf`` of the verified interior points (1 if that is 0: f
    is affine);
    ``closure_radius``: ``max dist_inf(0, piece)`` by LP (not proven); ``n_pieces``: pieces
    with a verified interior point; ``n_empty``: pairs with a verified empty interior;
    ``n_undecided``: pairs with neither (then ``is_proven`` is False and ``radius`` covers only
    the verified pieces); ``arithmetic``: ``"exact"`` (rational expression) or ``"float"`` (the
    floating-point expression, each float read as the rational it is: the proof is about that
    expression, which equals the network up to rounding); ``n_lp``: LPs solved.
    """

    radius: float
    closure_radius: float
    is_proven: bool
    n_pieces: int
    n_empty: int
    n_undecided: int
    arithmetic: str
    n_lp: int

    def __str__(self) -> str:
        cube = f"[-{self.radius:.17g}, {self.radius:.17g}]^n"
        if self.is_proven:
            what = (f"R = {self.radius:.17g}: every linear region meets {cube} in an interior "
                    f"point (proven in exact arithmetic")
            what += ")" if self.arithmetic == "exact" else " for the floating-point expression)"
        else:
            what = (f"R = {self.radius:.17g} NOT proven: {self.n_undecided} piece(s) of F ⊘ G "
                    f"could be neither shown empty nor given an interior point")
        return (f"{what}; {self.n_pieces} pieces with an interior, {self.n_empty} empty; "
                f"closure radius {self.closure_radius:.6g} (LP, not proven: the largest distance "
                f"of a piece, so larger cubes meet every piece)")

    def to_dict(self) -> dict:
        return {"radius": self.radius, "closure_radius": self.closure_radius,
                "proven": self.is_proven, "n_pieces": self.n_pieces, "n_empty": self.n_empty,
                "n_undecided": self.n_undecided, "arithmetic": self.arithmetic, "n_lp": self.n_lp,
                "norm": "inf", "meets": "the interior of every linear region"}


def _rows(P, i) -> list:
    """Exact rows ``(a, b)`` of ``a.x <= b``: monomial i of P is the maximum."""
    E = [[Fraction(v) for v in row] for row in P.exponents.tolist()]
    c = [Fraction(v) for v in P.coefficients.tolist()]
    return [([ek - ei for ek, ei in zip(E[k], E[i])], c[i] - c[k])
            for k in range(len(c)) if k != i]


def _scaled(rows) -> tuple[np.ndarray, np.ndarray]:
    """Float rows of unit Euclidean length (each row first divided by its largest entry exactly,
    so no overflow or underflow), and the right-hand sides."""
    G, e = [], []
    for a, b in rows:
        big = max(abs(v) for v in a)
        g = np.array([float(v / big) for v in a])
        nrm = float(np.linalg.norm(g))
        G.append(g / nrm)
        e.append(float(b / big) / nrm)
    return np.array(G), np.array(e)


def _strictly_inside(rows, x) -> bool:
    xs = [Fraction(float(v)) for v in x]
    return all(sum(ai * xi for ai, xi in zip(a, xs)) < b for a, b in rows)


def _least_norm_point(G, e, depth, counter):
    """A point of ``{G x <= e - depth}`` of least ``||x||_inf`` (LP), or None."""
    from ._lp import solve_lp

    m, n = G.shape
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    ones = np.ones((n, 1))
    A = np.vstack([np.hstack([G, np.zeros((m, 1))]),
                   np.hstack([np.eye(n), -ones]), np.hstack([-np.eye(n), -ones])])
    upper = np.concatenate([e - depth, np.zeros(2 * n)])
    _, z = solve_lp(cost, A, np.full(m + 2 * n, -np.inf), upper, np.full(n + 1, -np.inf),
                    np.full(n + 1, np.inf), counter=counter)
    return None if z is None else z[:n]


def _empty_interior(rows, G, e, counter) -> bool:
    """Whether ``{A x < b}`` is proven empty by an exact Motzkin certificate (module docstring)."""
    from ._lp import solve_lp
    from .maxplus import _exact_solve

    m, n = G.shape
    A = np.vstack([G.T, np.ones((1, m))])
    rhs = np.append(np.zeros(n), 1.0)
    val, y = solve_lp(e, A, rhs, rhs, np.zeros(m), np.full(m, np.inf), counter=counter)
    if y is None or val > 1e-9 * (1 + np.abs(e).max()):
        return False
    support = np.flatnonzero(y > SUPPORT_TOL)
    M = np.array([[rows[k][0][i] for k in support] for i in range(n)]
                 + [[Fraction(1)] * len(support)], dtype=object)
    w = _exact_solve(M, [Fraction(0)] * n + [Fraction(1)])
    if w is None or any(v < 0 for v in w):
        return False
    return sum(v * rows[k][1] for v, k in zip(w, support)) <= 0


def sampling_radius(expr) -> SamplingRadius:
    """Radius R such that ``[-R, R]^n`` meets every linear region of ``expr`` in an interior
    point, proven in exact arithmetic (module docstring).

    ``expr``: a :class:`~.maxplus.MaxPlusPolynomial` (its regions) or a one-output
    :class:`~.maxplus.TropicalRationalMap`. Pruned expressions have fewer pieces to check.
    Raises SpecError for more than one output or non-finite coefficients.

    Examples
    --------
    >>> from neuroalg.tropical import tropicalize
    >>> r = sampling_radius(tropicalize([([[-1]], [2]), ([[2]], [1])]))   # 2 ReLU(2 - x) + 1
    >>> r.is_proven, 2 < r.radius < 2.2                # the region x > 2 needs R > 2
    (True, True)
    """
    from ._lp import LPCounter, chebyshev
    from .maxplus import MaxPlusPolynomial

    if isinstance(expr, MaxPlusPolynomial):
        F, G = expr, MaxPlusPolynomial.constant(expr.n_vars, 0, exact=expr.is_exact)
    else:
        if expr.n_outputs != 1:
            raise SpecError(f"the sampling radius needs one output; got {expr.n_outputs}")
        F, G = expr.numerators[0], expr.denominators[0]
    for P in (F, G):
        if not (np.all(np.isfinite(P.exponents.astype(float)))
                and np.all(np.isfinite(P.coefficients.astype(float)))):
            raise SpecError("the tropical expression has non-finite entries (float overflow); "
                            "use exact (integer or fraction) weights or smaller ones")
    counter = LPCounter()
    radius, closure = Fraction(0), 0.0
    n_pieces = n_empty = n_undecided = 0
    rowsF = [_rows(F, i) for i in range(F.n_monomials)]
    rowsG = [_rows(G, j) for j in range(G.n_monomials)]
    for rF in rowsF:
        for rG in rowsG:
            rows = [(a, b) for a, b in rF + rG if any(v != 0 for v in a) or b <= 0]
            if any(all(v == 0 for v in a) for a, _ in rows):   # 0 < b <= 0: no interior
                n_empty += 1
                continue
            if not rows:             # one monomial each: f is affine, one piece, R^n
                n_pieces += 1
                continue
            Gn, e = _scaled(rows)
            L = float(np.abs(e).max()) or 1.0    # the piece's length scale: work in x / L
            t, y = chebyshev(Gn, e / L, counter=counter)
            point = None
            if y is not None and t > 0:
                for depth in DEPTH_FRACTIONS + (None,):       # None: the Chebyshev centre
                    cand = y if depth is None else _least_norm_point(Gn, e / L, depth * t, counter)
                    if cand is not None and _strictly_inside(rows, L * cand):
                        point = L * cand
                        break
            if point is not None:
                n_pieces += 1
                radius = max(radius, Fraction(float(np.abs(point).max())))
                z = _least_norm_point(Gn, e / L, 0.0, counter)
                closure = max(closure, L * float(np.abs(z).max()) if z is not None else 0.0)
            elif _empty_interior(rows, Gn, e, counter):
                n_empty += 1
            else:
                n_undecided += 1
    if radius == 0:      # only one piece, containing 0 inside: f is affine, any cube works
        radius = Fraction(1)
    return SamplingRadius(float(radius), closure, n_undecided == 0, n_pieces, n_empty, n_undecided,
                          "exact" if F.is_exact and G.is_exact else "float", counter.n)
