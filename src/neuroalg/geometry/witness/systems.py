"""The square systems in theta that probe a neurovariety, built from its exact polynomial map.

All parameters of a problem enter linearly, as monodromy needs:

- the image system: Phi itself as a (non-square) system whose ``evaluate`` gives values and the
  Jacobian;
- witness system for the degree: A Phi(theta) = b (dim V random affine-linear conditions in
  function space) and C theta = c (P - dim V random affine conditions: a gauge slice meeting each
  fiber in finitely many points);
- critical system of the squared loss |psi(z) - u|_Q^2 for the restriction psi of Phi to a
  coordinate gauge (:mod:`.gauge`): J_psi^T (Q psi(z) - w) = 0, square in the dim V unknowns
  z, with the restricted map's own Jacobian (no random mixing matrix: where J_psi has rank
  dim V this is exactly J^T Q (Phi - u) = 0).

Random matrices are random rationals (exact over Q until the final conversion to complex128).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property

import flint
import numpy as np

from ...errors import SpecError
from ...homotopy.polynomial import PolySystem
from ...polymap import PolynomialMap, random_rational


def image_system(phi: PolynomialMap) -> PolySystem:
    """Phi as a (non-square) PolySystem: ``evaluate`` gives values and the Jacobian."""
    return PolySystem.from_terms(list(phi.polys), phi.n_params)


def _ring(n_vars: int, n_params: int):
    names = tuple(f"t{i}" for i in range(n_vars)) + tuple(f"p{i}" for i in range(n_params))
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    return ctx, ctx.gens()


def _lift(ctx, poly: dict, n_params: int):
    return ctx.from_dict({a + (0,) * n_params: flint.fmpq(c.numerator, c.denominator)
                          for a, c in poly.items()}) if poly else ctx.constant(0)


def _q(c) -> flint.fmpq:
    c = Fraction(c)
    return flint.fmpq(c.numerator, c.denominator)


def _to_system(polys, n_vars: int, n_params: int) -> PolySystem:
    equations = []
    for i, poly in enumerate(polys):
        terms: dict = {}
        for exps, c in poly.to_dict().items():
            a, q = exps[:n_vars], exps[n_vars:]
            row = terms.setdefault(a, np.zeros(1 + n_params, dtype=np.complex128))
            if sum(q) == 0:
                row[0] += float(Fraction(int(c.p), int(c.q)))
            elif sum(q) == 1:
                row[1 + q.index(1)] += float(Fraction(int(c.p), int(c.q)))
            else:
                raise SpecError(f"equation {i + 1} is not affine in the parameters")
        equations.append(terms)
    return PolySystem.from_terms(equations, n_vars, n_params=n_params)


def slice_rows(ctx, gens, c_matrix, param_offset: int):
    """The gauge slice C theta - c (c = parameters starting at ``param_offset``)."""
    n = c_matrix.shape[1]
    rows = []
    for j, row in enumerate(c_matrix):
        poly = ctx.constant(0)
        for k in range(n):
            poly += _q(row[k]) * gens[k]
        rows.append(poly - gens[n + param_offset + j])
    return rows


def witness_system(phi: PolynomialMap, dim: int, rng, *, c_matrix=None):
    """A Phi(theta) - b = 0, C theta - c = 0 with parameters (b, c); returns system, A, C.

    C (P - dim rows) is random unless given (e.g. a gauge normalizing each rescaled unit)."""
    p, m = phi.n_params, phi.n_coordinates
    a_mat = random_rational(rng, (dim, m))
    c_mat = random_rational(rng, (p - dim, p)) if c_matrix is None else c_matrix
    ctx, gens = _ring(p, p)
    lifted = [_lift(ctx, poly, p) for poly in phi.polys]
    rows = []
    for i in range(dim):
        poly = ctx.constant(0)
        for j in range(m):
            if a_mat[i, j]:
                poly += _q(a_mat[i, j]) * lifted[j]
        rows.append(poly - gens[p + i])
    rows += slice_rows(ctx, gens, c_mat, dim)
    return _to_system(rows, p, p), a_mat, c_mat


class Taylor:
    """Values, gradients and Hessians of polynomials psi_j(z) at a batch of points, all from one
    table of monomials: every monomial of psi and of its first and second derivatives is a
    product of powers z_k^e (n multiplications per monomial), and the three blocks are dense
    real matrices times that table (two real matrix products each)."""

    def __init__(self, polys, n_vars: int):
        rows: list[tuple[int, tuple, float]] = []  # (row, exponent, coefficient)
        m, n = len(polys), n_vars
        for j, poly in enumerate(polys):
            for a, c in poly.items():
                c = float(c)
                rows.append((j, a, c))
                for i in range(n):
                    if a[i]:
                        ai = a[:i] + (a[i] - 1,) + a[i + 1:]
                        rows.append((m + j * n + i, ai, c * a[i]))
                        for k in range(n):
                            if ai[k]:
                                aik = ai[:k] + (ai[k] - 1,) + ai[k + 1:]
                                rows.append((m + m * n + (j * n + i) * n + k, aik, c * a[i] * ai[k]))
        exps = sorted({a for _, a, _ in rows})
        index = {a: k for k, a in enumerate(exps)}
        self.exponents = np.array(exps, dtype=np.int64).reshape(-1, n)
        self.matrix = np.zeros((m + m * n + m * n * n, len(exps)))
        for r, a, c in rows:
            self.matrix[r, index[a]] += c
        self.m, self.n = m, n

    def __call__(self, z):
        """psi (B, m), d psi (B, m, n), d^2 psi (B, m, n, n) at z (B, n)."""
        z = np.asarray(z, dtype=np.complex128)
        batch, (m, n) = len(z), (self.m, self.n)
        top = int(self.exponents.max(initial=0))
        powers = np.ones((n, top + 1, batch), dtype=np.complex128)
        for e in range(1, top + 1):
            powers[:, e] = powers[:, e - 1] * z.T
        mono = np.ones((len(self.exponents), batch), dtype=np.complex128)
        for k in range(n):
            mono *= powers[k, self.exponents[:, k]]
        out = self.matrix @ mono.real + 1j * (self.matrix @ mono.imag)
        f = out[:m].T
        grad = out[m:m + m * n].reshape(m, n, batch).transpose(2, 0, 1)
        hess = out[m + m * n:].reshape(m, n, n, batch).transpose(3, 0, 1, 2)
        return f, grad, hess


class CriticalSystem:
    """J^T (Q psi(z) - w) = 0 in the dim V unknowns z of a gauge-restricted map psi (see
    :mod:`.gauge`), with parameters w (M entries, entering linearly).

    J = d psi / dz is the Jacobian of the restricted map, whose columns span T_f V wherever it
    has rank dim V; there the equations say exactly that Q (f - u) is normal to V at
    f = psi(z) (the unrandomized critical condition J_Phi^T Q (Phi - u) = 0, since
    im J = im J_Phi). Points where J drops rank are not critical points of the regular part and
    are filtered by the caller. For a target u, w = Q u; for data (x_j, y_j),
    w = (1/N) sum_j V(x_j)^T y_j (no inverse of a possibly singular Q).

    Evaluated structurally (:class:`Taylor`): values J^T r, Jacobian sum_j r_j Hess psi_j +
    J^T Q J and dF/dw . dw = -J^T dw, with r = Q psi - w; far fewer operations than the
    expanded polynomials, which are kept (``expanded``) for Krawczyk's test in ball
    arithmetic and for other solvers."""

    def __init__(self, psi: PolynomialMap, metric: np.ndarray):
        self.psi, self.metric = psi, metric
        self.q = metric.astype(float)
        self.taylor = Taylor(psi.polys, psi.n_params)
        self.n_vars = self.n_eqs = psi.n_params
        self.n_params = psi.n_coordinates

    def evaluate(self, x, p=None, dp=None):
        f, jac_psi, hess = self.taylor(np.atleast_2d(x))
        r = f @ self.q.T - (0 if p is None else np.asarray(p, dtype=np.complex128))
        batch, n = jac_psi.shape[0], self.n_vars
        jt = jac_psi.transpose(0, 2, 1)  # (B, n, m)
        values = np.matmul(jt, r[..., None])[..., 0]
        curvature = np.matmul(r[:, None, :], hess.reshape(batch, self.n_params, n * n))
        jac = curvature.reshape(batch, n, n) + np.matmul(jt, np.matmul(self.q, jac_psi))
        if dp is None:
            return values, jac
        dp = np.asarray(dp, dtype=np.complex128)
        return values, jac, -(np.matmul(jt, dp) if dp.ndim == 1 else np.matmul(jt, dp[..., None])[..., 0])

    @cached_property
    def expanded(self) -> PolySystem:
        """The same equations as a PolySystem of expanded terms."""
        return expanded_critical_system(self.psi, self.metric)

    def with_parameters(self, p) -> PolySystem:
        return self.expanded.with_parameters(p)

    @property
    def bezout_number(self) -> int:
        return self.expanded.bezout_number

    @property
    def coefficients(self) -> np.ndarray:
        """What identifies the system (for checkpoints): Q and the restricted map's terms."""
        return np.concatenate([self.q.ravel(), self.taylor.matrix[: self.psi.n_coordinates].ravel()])


def critical_system(psi: PolynomialMap, metric: np.ndarray) -> CriticalSystem:
    """The critical system of |psi(z) - u|_Q^2 (see :class:`CriticalSystem`)."""
    return CriticalSystem(psi, metric)


def expanded_critical_system(psi: PolynomialMap, metric: np.ndarray) -> PolySystem:
    """J^T (Q psi(z) - w) = 0 as a PolySystem of expanded terms (parameters w)."""
    dim, m = psi.n_params, psi.n_coordinates
    ctx, gens = _ring(dim, m)
    lifted = [_lift(ctx, poly, m) for poly in psi.polys]
    weighted = []
    for j in range(m):
        poly = -gens[dim + j]
        for k in range(m):
            if metric[j, k]:
                poly += _q(metric[j, k]) * lifted[k]
        weighted.append(poly)
    rows = []
    for i in range(dim):
        poly = ctx.constant(0)
        for j in range(m):
            d = lifted[j].derivative(i)
            if not d.is_zero():
                poly += d * weighted[j]
        rows.append(poly)
    return _to_system(rows, dim, m)


def lagrange_system(forms, metric: np.ndarray) -> PolySystem:
    """Q y - w - dH(y)^T lam = 0 and H(y) = 0 in the unknowns (y, lam), parameters w.

    ``forms`` are the c polynomials H_j (dicts {exponent tuple in y: Fraction}) of a complete
    intersection containing a variety X of codimension c in C^s, ``metric`` the s x s form Q.
    At a point y of X where dH has rank c (a smooth point of X), the first block says that
    Q y - w is normal to X: y is a critical point of |y - u|_Q^2 on X for w = Q u (the Lagrange
    formulation of the ED problem; Draisma et al., FoCM 16 (2016), Section 2)."""
    s, c = metric.shape[0], len(forms)
    ctx, gens = _ring(s + c, s)
    lifted = [_lift(ctx, poly, s) if poly else ctx.constant(0) for poly in
              ({a + (0,) * c: v for a, v in form.items()} for form in forms)]
    rows = []
    for i in range(s):
        poly = -gens[s + c + i]
        for k in range(s):
            if metric[i, k]:
                poly += _q(metric[i, k]) * gens[k]
        for j in range(c):
            d = lifted[j].derivative(i)
            if not d.is_zero():
                poly -= gens[s + j] * d
        rows.append(poly)
    return _to_system(rows + lifted, s + c, s)


def section_system(psi: PolynomialMap, rows: np.ndarray) -> PolySystem:
    """rows . psi(z) - p = 0 (one equation per row of Fractions), parameters p: the points of
    the image of psi on the affine-linear space {rows f = p} (square when rows has dim psi rows)."""
    n, k = psi.n_params, len(rows)
    ctx, gens = _ring(n, k)
    lifted = [_lift(ctx, poly, k) for poly in psi.polys]
    out = []
    for i, row in enumerate(rows):
        poly = -gens[n + i]
        for j, c in enumerate(row):
            if c:
                poly += _q(c) * lifted[j]
        out.append(poly)
    return _to_system(out, n, k)
