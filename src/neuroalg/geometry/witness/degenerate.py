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
  found here by a total-degree homotopy (every isolated nonsingular solution is reached with
  probability one; positive-dimensional families give singular endpoints, not counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ...homotopy.monodromy import monodromy_solve, trace_test
from ...homotopy.solve import solve
from ...polymap import PolynomialMap, random_rational
from .gauge import PRIME, _mod, coordinate_gauge, jacobian_mod, rank_mod
from .metrics import evaluation_matrix
from .points import compress, distinct, n_distinct
from .systems import critical_system, image_system, section_system

#: the total-degree homotopy for isolated critical points is run up to this many paths
MAX_PATHS = 3000


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
    n_paths: int  # total-degree paths tracked (0: not run)
    note: str = ""
    #: the isolated critical points: functions f (ambient coordinates, complex), weights theta
    #: with Phi(theta) = f, and the target w = V^T y / N of the data (f^T Q f - 2 w^T f)
    functions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.complex128))
    weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.complex128))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0))

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
                   f", degree {self.zero_loss_degree} (witness set, trace residual "
                   f"{self.zero_loss_trace:.1e})")
            out.append(("zero-loss set", f"dimension {self.zero_loss_dimension}{deg}"))
        if self.n_critical_values is not None:
            out.append(("critical values", f"{self.n_critical_values} critical points of the "
                                           "distance on W, each a family of critical points of "
                                           f"dimension {self.fiber_dimension} in V"))
        if self.n_isolated is not None:
            out.append(("isolated", f"{self.n_isolated} isolated critical points off the "
                                    f"zero-loss set ({self.n_ramified} on the ramification "
                                    f"locus); total-degree homotopy, {self.n_paths} paths"))
        if self.note:
            out.append(("note", self.note))
        return out

    def to_dict(self) -> dict:
        return {"data_dimension": self.n_data, "projected_dimension": self.projected_dimension,
                "fiber_dimension": self.fiber_dimension,
                "zero_loss_dimension": self.zero_loss_dimension,
                "zero_loss_degree": self.zero_loss_degree,
                "zero_loss_trace_residual": self.zero_loss_trace,
                "n_critical_values": self.n_critical_values, "n_isolated": self.n_isolated,
                "n_ramified": self.n_ramified, "paths": self.n_paths, "note": self.note}


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
    zero_dim = zero_deg = trace = values = None
    note = ""
    if n_proj == n_data:
        zero_dim = dim - n_proj
        zero_deg, trace = _zero_loss_degree(psi, pi_psi, dim, n_proj, rng, show_progress)
    elif n_values is not None:
        values = n_values(pi, n_proj)
    # isolated critical points: nonsingular solutions of J^T (Q psi - w) = 0 at the data
    v = evaluation_matrix(phi, data["X"])
    n_samples = len(data["X"])
    q = (v.T @ v) / Fraction(n_samples)
    system = critical_system(psi, q)
    w = v.astype(float).T @ y / n_samples
    bezout = system.bezout_number
    n_iso = n_ram = None
    paths = 0
    functions = np.zeros((0, phi.n_coordinates), dtype=np.complex128)
    weights = np.zeros((0, phi.n_params), dtype=np.complex128)
    if bezout <= MAX_PATHS:
        if show_progress:
            show_progress(f"isolated critical points: total-degree homotopy, {bezout} paths")
        res = solve(system.with_parameters(w), seed=int(rng.integers(2**31)), certify=False)
        paths = res.n_paths
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
        note = (f"isolated critical points not computed: the total-degree homotopy would track "
                f"{bezout} paths (limit {MAX_PATHS})")
    return Degenerate(n_data, n_proj, dim, zero_dim, zero_deg, trace, values, n_iso, n_ram, paths,
                      note, functions, weights, w)


def _zero_loss_degree(psi, pi_psi, dim, n_proj, rng, show_progress):
    """deg Z: points of V with pi(f) = y and A f = b (n - n' random affine conditions), by
    monodromy in (y, b) on the gauge (the incidence over V is irreducible), trace test in b."""
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

    mono = monodromy_solve(system, z0[None], p0, seed_rng=rng, stagnation=8,
                           key=lambda z: compress(image(z)),
                           loops_per_round=4, show_progress=show_progress)
    direction = np.zeros(dim, dtype=np.complex128)
    direction[n_proj:] = (rng.standard_normal(k) + 1j * rng.standard_normal(k)) / np.sqrt(2)
    trace = trace_test(system, mono.solutions, p0, direction, image, rng)
    return n_distinct(image(mono.solutions)), trace.residual
