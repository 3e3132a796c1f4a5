"""Few data: the data-induced metric degenerate on the neurovariety.

For N samples the loss is (1/N) |pi(f) - y|^2 with the evaluation map pi(f) = (f(x_j))_j, a
linear projection C^M -> C^{N d_L}. Let W be the closure of pi(V) and n' = dim W (the generic
rank of pi composed with dPhi: a rank mod p at a random rational point is a proven lower bound,
equal to n' except with probability <= deg / p). When n' < n = dim V the metric is degenerate
on V (Marchetti, Connelly, Breiding, Kohn, *Critical points of degenerate metrics on algebraic
varieties: a tale of overparametrization*, arXiv:2512.21029): the loss is constant along the
fibers of pi on V (of dimension n - n'), so every critical point with pi(f) a smooth critical
point of the distance to y on W lies in a positive-dimensional family, and

- the zero-loss set Z = V cap pi^{-1}(y) is non-empty for generic data exactly when W fills the
  data space (n' = N d_L); then dim Z = n - n', and its degree is the number of points of Z on
  n - n' further generic affine hyperplanes (a witness set: monodromy in the data and the
  hyperplanes, trace test in the hyperplanes);
- otherwise the critical values are the critical points of |g - y|^2 on W (counted by the
  caller on the map pi o Phi), each with a fiber of critical points of dimension n - n';
- isolated critical points can only sit where pi o Phi ramifies (rank d(pi) on T_f V < n'):
  they are the nonsingular solutions of the square gradient system on a coordinate gauge,
  found here by a homotopy from the start system of the smaller of the Bezout and
  multi-homogeneous root bounds (every isolated nonsingular solution is reached with
  probability one when no path fails). Positive-dimensional sets of critical points give
  singular endpoints, which are counted by kind (the fate of every path is reported) but
  neither counted as critical points nor described: the zero-loss set, and families of positive
  loss on the ramification locus. The one-layer attention network d = 2, t = 2, out = 1 with 2
  samples has two such families (two lines, one per critical value; checked with Macaulay2 and
  by hand in tests/geometry/witness/test_degenerate.py) and no isolated critical point.

The Cauchy endgame is not run: counting nonsingular solutions does not need it, and on paths
that end on a positive-dimensional solution set its loops do not close (they were reported as
failed). Nor are ill-conditioned endpoints promoted by Krawczyk's test, as the parameter method
does: the test proves zeros of the system with its coefficients rounded to binary floats, and
rounding breaks a positive-dimensional solution set into isolated zeros with Jacobians singular
to rounding, which the test then proves (two such points on the families above were counted as
isolated critical points). A nonsingular solution of condition number above 1e8 is therefore
reported as a singular endpoint, not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ...homotopy.monodromy import monodromy_solve, trace_test
from ...homotopy.result import PathStatus
from ...homotopy.solve import solve
from ...polymap import PolynomialMap, random_rational
from .gauge import PRIME, _mod, coordinate_gauge, jacobian_mod, rank_mod
from .metrics import evaluation_matrix
from .points import compress, distinct, n_distinct
from .solvers import root_bound
from .systems import critical_system, image_system, section_system

#: the homotopy for isolated critical points is run up to this many paths (its root bound)
MAX_PATHS = 3000
#: monodromy rounds for the zero-loss witness set (stagnation doubled after each failed trace
#: test); when the last one fails, the count is reported as a lower bound
MAX_TRACE_ROUNDS = 4


@dataclass(frozen=True)
class Degenerate:
    """The degenerate regime of a data metric (see the module docstring)."""

    n_data: int  # N d_L, the dimension of the data space
    projected_dimension: int  # n' = dim W
    dimension: int  # n = dim V
    zero_loss_dimension: int | None  # None: empty for generic data
    zero_loss_degree: int | None  # witness points (None: not computed)
    zero_loss_trace: float | None  # trace test residual
    n_critical_values: int | None  # critical points of the distance on W (n' < N d_L)
    n_isolated: int | None  # nonsingular solutions of the gauge gradient system (distinct f)
    n_ramified: int | None  # of which on the ramification locus
    n_paths: int  # homotopy paths tracked (0: not run)
    note: str = ""
    #: the isolated critical points: functions f (ambient coordinates, complex), weights theta
    #: with Phi(theta) = f, and the target w = V^T y / N of the data (f^T Q f - 2 w^T f)
    functions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.complex128))
    weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.complex128))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: the homotopy's start system ("total-degree" or "multihomogeneous") and Bezout number
    start_system: str = ""
    bezout_number: int = 0
    #: paths per PathStatus value (nonsingular, singular, at_infinity, failed)
    path_fates: dict = field(default_factory=dict)
    #: the zero-loss witness set passed the trace test (None: not computed); when it did not,
    #: ``zero_loss_degree`` is a lower bound
    is_trace_passed: bool | None = None

    @property
    def fiber_dimension(self) -> int:
        return self.dimension - self.projected_dimension

    def lines(self) -> list[tuple[str, str]]:
        out = [("data metric", f"degenerate on V: {self.n_data} evaluations see a "
                               f"{self.projected_dimension}-dimensional projection W of the "
                               f"{self.dimension}-dimensional V (fibers of dimension "
                               f"{self.fiber_dimension}, along which the loss is constant)")]
        if self.zero_loss_dimension is None:
            out.append(("zero-loss set", "empty for generic data (W does not fill the data space)"))
        else:
            deg = ("" if self.zero_loss_degree is None else
                   f", degree {self.zero_loss_degree} (witness set, trace test passed, residual "
                   f"{self.zero_loss_trace:.1e})" if self.is_trace_passed else
                   f", degree at least {self.zero_loss_degree} (witness set, TRACE TEST FAILED, "
                   f"residual {self.zero_loss_trace:.1e}: a lower bound)")
            out.append(("zero-loss set", f"dimension {self.zero_loss_dimension}{deg}"))
        if self.n_critical_values is not None:
            out.append(("critical values", f"{self.n_critical_values} critical points of the "
                                           "distance on W, each a family of critical points of "
                                           f"dimension {self.fiber_dimension} in V"))
        if self.n_isolated is not None:
            out.append(("isolated", f"{self.n_isolated} isolated critical points off the "
                                    f"zero-loss set ({self.n_ramified} on the ramification "
                                    "locus)"))
            out.append(("homotopy", self.homotopy_line()))
        if self.note:
            out.append(("note", self.note))
        return out

    @property
    def undecided(self) -> list[str]:
        """What makes the analysis incomplete: isolated points not computed, failed paths, a
        failed trace test (empty when none)."""
        out = []
        if self.n_isolated is None:
            out.append("isolated critical points not computed")
        elif self.n_failed:
            out.append(f"{self.n_failed} of {self.n_paths} paths failed, the isolated count may "
                       "be incomplete")
        if self.is_trace_passed is False:
            out.append("the zero-loss witness set failed the trace test, its degree is a lower "
                       "bound")
        return out

    @property
    def n_failed(self) -> int:
        return self.path_fates.get(PathStatus.FAILED.value, 0)

    def homotopy_line(self) -> str:
        """The start system and the fate of every path."""
        fates = {s: self.path_fates.get(s.value, 0) for s in PathStatus}
        return (f"{self.start_system} start system: {self.n_paths} paths (root bound; Bezout "
                f"{self.bezout_number}): {fates[PathStatus.NONSINGULAR]} nonsingular, "
                f"{fates[PathStatus.SINGULAR]} singular, {fates[PathStatus.AT_INFINITY]} at "
                f"infinity, {fates[PathStatus.FAILED]} failed; singular endpoints lie on "
                "positive-dimensional sets of critical points (the zero-loss set, families of "
                "positive loss on the ramification locus), not counted"
                + ("; failed paths may have missed isolated critical points" if self.n_failed else
                   "; all paths accounted for: every isolated nonsingular solution (probability "
                   "one)"))

    def to_dict(self) -> dict:
        return {"data_dimension": self.n_data, "projected_dimension": self.projected_dimension,
                "fiber_dimension": self.fiber_dimension,
                "zero_loss_dimension": self.zero_loss_dimension,
                "zero_loss_degree": self.zero_loss_degree,
                "zero_loss_trace_residual": self.zero_loss_trace,
                "zero_loss_trace_passed": self.is_trace_passed,
                "n_critical_values": self.n_critical_values, "n_isolated": self.n_isolated,
                "n_ramified": self.n_ramified, "paths": self.n_paths,
                "start_system": self.start_system, "bezout_number": self.bezout_number,
                "path_fates": dict(self.path_fates), "note": self.note}


def projection(phi: PolynomialMap, data) -> PolynomialMap:
    """pi o Phi: the values f(x_j) of f = Phi(theta) at the samples, as exact polynomials."""
    v = evaluation_matrix(phi, data["X"])
    polys = []
    for row in v:
        poly: dict = {}
        for c, src in zip(row, phi.polys):
            if c:
                for a, value in src.items():
                    poly[a] = poly.get(a, Fraction(0)) + c * value
        polys.append({a: value for a, value in poly.items() if value})
    keys = tuple((j, ()) for j in range(len(polys)))
    labels = tuple(f"f(x{j // max(1, len(polys) // len(data['X'])) + 1})" for j in range(len(polys)))
    return PolynomialMap(phi.spec, phi.n_params, labels, tuple(polys), keys)


def projected_rank(phi: PolynomialMap, data, rng) -> int:
    """n' = generic rank of d(pi o Phi): the largest rank mod p at two random rational points
    (a proven lower bound)."""
    pi = projection(phi, data)
    best = 0
    for _ in range(2):
        point = [_mod(Fraction(int(a), 997), PRIME) for a in rng.integers(-997, 998, size=phi.n_params)]
        best = max(best, rank_mod(jacobian_mod(pi, point)))
    return best


def analyze(arch, phi: PolynomialMap, dim: int, data, rng, *, n_values=None,
            show_progress=None) -> Degenerate:
    """The degenerate regime for data with n' < dim (``n_values(pi_map, n')``: the caller's
    count of critical points of the distance on W, used when W does not fill the data space)."""
    pi = projection(phi, data)
    n_data = pi.n_coordinates
    n_proj = projected_rank(phi, data, rng)
    y = data["Y"].reshape(-1)
    gauge = coordinate_gauge(arch, phi, dim, rng)
    psi = gauge.restrict(phi)
    pi_psi = gauge.restrict(pi)
    zero_dim = zero_deg = trace = values = passed = None
    note = ""
    if n_proj == n_data:
        zero_dim = dim - n_proj
        zero_deg, trace, passed = _zero_loss_degree(psi, pi_psi, dim, n_proj, rng, show_progress)
    elif n_values is not None:
        values = n_values(pi, n_proj)
    # isolated critical points: nonsingular solutions of J^T (Q psi - w) = 0 at the data
    v = evaluation_matrix(phi, data["X"])
    n_samples = len(data["X"])
    q = (v.T @ v) / Fraction(n_samples)
    w = v.astype(float).T @ y / n_samples
    fixed = critical_system(psi, q).with_parameters(w)
    counts = root_bound(fixed)
    n_iso = n_ram = None
    paths = 0
    fates: dict = {}
    functions = np.zeros((0, phi.n_coordinates), dtype=np.complex128)
    weights = np.zeros((0, phi.n_params), dtype=np.complex128)
    if counts.bound <= MAX_PATHS:
        if show_progress:
            show_progress(f"isolated critical points: {counts.method} homotopy, {counts.bound} "
                          "paths")
        res = solve(fixed, seed=int(rng.integers(2**31)), counts=counts, endgame=False,
                    certify=False)
        paths = res.n_paths
        fates = {s.value: sum(p is s for p in res.path_status) for s in PathStatus}
        z = res.solutions
        if len(z):
            psi_system, pi_system = image_system(psi), image_system(pi_psi)
            jac = psi_system.evaluate(z)[1]
            s = np.linalg.svd(jac, compute_uv=False)
            regular = s[:, dim - 1] > 1e-8 * s[:, 0]
            z = z[regular]
        if len(z):
            reps, labels = distinct(psi_system.evaluate(z)[0])
            first = np.unique(labels, return_index=True)[1]
            sp = np.linalg.svd(pi_system.evaluate(z[first])[1], compute_uv=False)
            ramified = sp[:, n_proj - 1] <= 1e-8 * sp[:, 0] if n_proj else np.zeros(len(first), bool)
            n_iso, n_ram = len(first), int(ramified.sum())
            functions, weights = reps, gauge.embed(z[first])
        else:
            n_iso, n_ram = 0, 0
    else:
        note = (f"isolated critical points not computed: the {counts.method} homotopy would "
                f"track {counts.bound} paths (limit {MAX_PATHS})")
    return Degenerate(n_data, n_proj, dim, zero_dim, zero_deg, trace, values, n_iso, n_ram, paths,
                      note, functions, weights, w, counts.method, counts.bezout, fates, passed)


def _zero_loss_degree(psi, pi_psi, dim, n_proj, rng, show_progress):
    """deg Z: points of V with pi(f) = y and A f = b (n - n' random affine conditions), by
    monodromy in (y, b) on the gauge (the incidence over V is irreducible), trace test in b,
    repeated with a doubled stagnation budget until it passes (:data:`MAX_TRACE_ROUNDS`).
    Returns (points, trace residual, passed)."""
    k = dim - n_proj
    a_mat = random_rational(rng, (k, psi.n_coordinates))
    both = PolynomialMap(psi.spec, psi.n_params, pi_psi.labels + psi.labels, pi_psi.polys + psi.polys,
                         pi_psi.keys + tuple((1 + j, key) for j, key in enumerate(psi.keys)))
    sel = np.zeros((dim, both.n_coordinates), dtype=object)
    sel[:] = Fraction(0)
    for i in range(n_proj):
        sel[i, i] = Fraction(1)
    sel[n_proj:, n_proj:] = a_mat
    system = section_system(both, sel)
    z0 = (rng.standard_normal(dim) + 1j * rng.standard_normal(dim)) / np.sqrt(2)
    p0 = image_system(both).evaluate(z0[None])[0][0] @ sel.astype(float).T
    psi_system = image_system(psi)

    def image(z):
        return psi_system.evaluate(z)[0] if len(z) else np.zeros((0, psi.n_coordinates))

    direction = np.zeros(dim, dtype=np.complex128)
    direction[n_proj:] = (rng.standard_normal(k) + 1j * rng.standard_normal(k)) / np.sqrt(2)
    sols, stagnation = z0[None], 8
    for _ in range(MAX_TRACE_ROUNDS):
        sols = monodromy_solve(system, sols, p0, seed_rng=rng, stagnation=stagnation,
                               key=lambda z: compress(image(z)), loops_per_round=4,
                               show_progress=show_progress).solutions
        trace = trace_test(system, sols, p0, direction, image, rng)
        if show_progress:
            show_progress(f"zero-loss set: trace test residual {trace.residual:.1e} with "
                          f"{trace.counts[0]} points")
        if trace.is_passed:
            break
        stagnation *= 2
    return n_distinct(image(sols)), trace.residual, trace.is_passed
