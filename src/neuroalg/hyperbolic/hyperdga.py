"""HyperDGA: a similarity score of two data sets in hyperbolic space, and its baselines.

HyperDGA [MMPKPVK24] builds the hyperbolic Delaunay graph of the union of two point sets A and B
in the Poincare ball (``delaunay.py``) and counts its *heterogeneous* edges, those joining a point
of A to a point of B:

    HyperDGA(A, B) = #{heterogeneous edges} / #{edges}   in [0, 1].

Well-mixed sets (A and B samples of one distribution) share many Delaunay edges (for equal sizes,
about one half of the edges are heterogeneous); separated sets only touch along an interface, so
the score drops towards 0. Higher means more similar. (This is the "quality" score of Delaunay
Component Analysis [PPKVK22] with one component, as used in the paper.) Being defined by the
Delaunay graph alone, the score is invariant under every isometry of hyperbolic space.

Baselines compared in the paper, both with the hyperbolic distance d:
* hyperbolic Wasserstein distance: the optimal transport cost between the uniform measures on A
  and B, min over couplings pi of sum pi_ab d(a, b) (an assignment for |A| = |B|, a transport LP
  otherwise);
* symmetric Chamfer distance: (mean_a min_b d(a, b)^2 + mean_b min_a d(a, b)^2) / 2.
Lower means more similar for both.

References
----------
[MMPKPVK24] A. A. Medbouhi, G. L. Marchetti, V. Polianskii, A. Kravberg, P. Poklukar, A. Varava,
    D. Kragic, 2024. Hyperbolic Delaunay Geometric Alignment. ECML PKDD 2024, arXiv:2404.08608.
[PPKVK22] P. Poklukar, V. Polianskii, A. Varava, F. T. Pokorny, D. Kragic, 2022. Delaunay
    Component Analysis for Evaluation of Data Representations. ICLR 2022, arXiv:2202.06866.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import SpecError
from ..results import Certainty, Result
from .delaunay import DelaunayGraph, hyperbolic_delaunay
from .models import check_ball, distance

#: Largest |A| |B| for which the Wasserstein baseline is computed by default (an LP or assignment).
MAX_TRANSPORT = 4_000_000


@dataclass(frozen=True, eq=False)
class HyperDGAResult(Result):
    """HyperDGA score with its edge counts and baselines."""

    score: float
    n_a: int
    n_b: int
    n_edges: int
    n_heterogeneous: int
    n_aa: int
    n_bb: int
    wasserstein: float | None
    chamfer: float | None
    graph: DelaunayGraph
    seconds: float
    seed: int | None = None

    @property
    def edges(self) -> np.ndarray:
        return self.graph.edges

    headline_key: ClassVar[str] = "score"
    method_name: ClassVar[str] = ("HyperDGA (Medbouhi et al. arXiv:2404.08608): hyperbolic Delaunay "
                                  "graph as the lower convex hull of hyperboloid lifts, clipped to the ball")

    @property
    def status(self) -> Certainty:
        return Certainty.UNDECIDED if self.graph.n_undecided else Certainty.NUMERICAL

    def headline(self) -> str:
        return (f"HyperDGA = {self.score:.6f}: {self.n_heterogeneous} of {self.n_edges} hyperbolic "
                f"Delaunay edges join A and B ({self.status})")

    def lines(self) -> list[tuple[str, str]]:
        dim = self.graph.points.shape[1]
        out = [("points", f"|A| = {self.n_a}, |B| = {self.n_b}, dimension {dim} (Poincare ball)"),
               ("edges", f"A-A {self.n_aa}, B-B {self.n_bb}, A-B {self.n_heterogeneous} "
                         f"(lower hull had {self.graph.n_hull_edges} before clipping to H^{dim})")]
        if self.graph.n_qp:
            out.append(("faces by min-norm", f"{self.graph.n_qp} (d >= 3: exact active-set enumeration)"))
        if self.graph.n_undecided:
            out.append(("undecided faces", f"{self.graph.n_undecided} within 1e-12 of the boundary (kept)"))
        out += [("hyperbolic Wasserstein", "not computed" if self.wasserstein is None
                 else f"{self.wasserstein:.6g} (lower = more similar)"),
                ("symmetric Chamfer", "not computed" if self.chamfer is None
                 else f"{self.chamfer:.6g} (mean squared distances; lower = more similar)"),
                ("method", "lower hull of hyperboloid lifts (power diagram in the Klein model), "
                           "clipped to the ball"),
                ("time", f"{self.seconds:.3f} s")]
        return out

    def payload(self) -> dict:
        return {"score": self.score, "n_a": self.n_a, "n_b": self.n_b, "n_edges": self.n_edges,
               "n_heterogeneous": self.n_heterogeneous, "n_aa": self.n_aa, "n_bb": self.n_bb,
               "wasserstein": self.wasserstein, "chamfer": self.chamfer,
               "n_hull_edges": self.graph.n_hull_edges, "n_qp": self.graph.n_qp,
               "n_undecided": self.graph.n_undecided, "edges": self.graph.edges.tolist()}


def hyperbolic_wasserstein(A, B) -> float:
    """Optimal transport cost between the uniform measures on A and B (hyperbolic distance)."""
    A, B = check_ball(A, "A"), check_ball(B, "B", dim=np.asarray(A).shape[1])
    C = distance(A, B)
    n, m = C.shape
    if n == m:
        from scipy.optimize import linear_sum_assignment

        r, c = linear_sum_assignment(C)
        return float(C[r, c].mean())
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    rows = np.concatenate([np.repeat(np.arange(n), m), n + np.tile(np.arange(m), n)])
    cols = np.concatenate([np.arange(n * m), np.arange(n * m)])
    eq = coo_matrix((np.ones(2 * n * m), (rows, cols)), shape=(n + m, n * m)).tocsr()
    rhs = np.concatenate([np.full(n, 1.0 / n), np.full(m, 1.0 / m)])
    res = linprog(C.ravel(), A_eq=eq[:-1], b_eq=rhs[:-1], bounds=(0, None), method="highs")
    if res.status != 0:
        raise SpecError(f"hyperbolic Wasserstein: the transport LP failed ({res.message})")
    return float(res.fun)


def symmetric_chamfer(A, B) -> float:
    """(mean_a min_b d(a, b)^2 + mean_b min_a d(a, b)^2) / 2, hyperbolic distance."""
    A, B = check_ball(A, "A"), check_ball(B, "B", dim=np.asarray(A).shape[1])
    D2 = distance(A, B) ** 2
    return float((D2.min(axis=1).mean() + D2.min(axis=0).mean()) / 2.0)


def hyperdga(A, B, *, baselines: bool = True) -> HyperDGAResult:
    """HyperDGA score of point sets A and B in the Poincare ball (same dimension, any d >= 1).

    Parameters
    ----------
    A, B : arrays of shape (n_a, d), (n_b, d)
        Points with |x| < 1. Duplicate points (in A, in B, or shared) are rejected: the Delaunay
        graph needs distinct sites.
    baselines : bool, default=True
        Also compute the hyperbolic Wasserstein and symmetric Chamfer distances (the Wasserstein
        one only when |A| |B| <= 4e6).

    Returns
    -------
    HyperDGAResult

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0.0, 0.0], [0.3, 0.1], [-0.2, 0.3]])
    >>> B = np.array([[0.1, -0.3], [-0.3, -0.2]])
    >>> r = hyperdga(A, B)
    >>> r.n_heterogeneous, r.n_edges
    (4, 8)
    """
    clock = time.perf_counter()
    A = check_ball(A, "A")
    B = check_ball(B, "B", dim=A.shape[1])
    X = np.concatenate([A, B])
    if len(np.unique(X, axis=0)) != len(X):
        raise SpecError("A and B must consist of distinct points (a duplicate was found); remove "
                        "repeated rows first")
    g = hyperbolic_delaunay(X)
    na = len(A)
    side = np.arange(len(X)) >= na
    e = g.edges
    het = int((side[e[:, 0]] != side[e[:, 1]]).sum())
    aa = int((~side[e[:, 0]] & ~side[e[:, 1]]).sum())
    bb = g.n_edges - het - aa
    w = c = None
    if baselines:
        c = symmetric_chamfer(A, B)
        if len(A) * len(B) <= MAX_TRANSPORT:
            w = hyperbolic_wasserstein(A, B)
    score = het / g.n_edges if g.n_edges else 0.0
    return HyperDGAResult(score, na, len(B), g.n_edges, het, aa, bb, w, c, g,
                          time.perf_counter() - clock)
