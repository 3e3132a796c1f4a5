"""Certification of approximate solutions by Krawczyk's test in ball arithmetic (flint acb).

For F: C^n -> C^n, an approximate zero m, Y ~ J(m)^-1 and a box X around m,
K(X) = m - Y F(m) + (I - Y J(X)) (X - m). If K(X) lies in the interior of X, then X contains
exactly one zero of F and it is nonsingular (Krawczyk 1969; Moore 1977; Rump 1983). All
arithmetic is rigorous (arb/acb balls), so the statement is proven for the system as stored
(its coefficients are the binary floats in ``PolySystem.coefficients``). Boxes that pass and are
pairwise disjoint certify *distinct* solutions: ``n_certified`` counts those.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np
from flint import acb, acb_mat, arb
from scipy.spatial import cKDTree

from .polynomial import PolySystem
from .tracker import newton


@dataclass(frozen=True)
class Certification:
    is_certified: np.ndarray  # (K,) bool
    radii: np.ndarray  # (K,) box radii
    #: (K, n) the points tested, Newton-refined (in 212-bit arithmetic where that was needed):
    #: the better approximations of the zeros proven
    centers: np.ndarray

    @property
    def n_certified(self) -> int:
        return int(self.is_certified.sum())


def _eval_acb(system: PolySystem, x, coefficients):
    """F(x) and J(x) over acb for a point/box x (list of n acb), through the system's
    :class:`~.terms.TermPlan`: every monomial of F and J as one product (monomial tree), then
    each value and Jacobian entry as a sum of coefficient x exponent x monomial (``coefficients``:
    :func:`_entry_coefficients`, exact products of the stored coefficients and integers)."""
    plan = system.term_plan
    parent, var = (a.tolist() for a in plan.tree)
    mono = [acb(1)] * plan.n_monomials
    for j in range(1, plan.n_monomials):
        mono[j] = mono[parent[j]] * x[var[j]]
    rows = [acb(0)] * plan.n_rows
    for r, m, c in coefficients:
        rows[r] += c * mono[m]
    n, k = system.n_vars, system.n_eqs
    return rows[:k], [rows[k + i * n: k + (i + 1) * n] for i in range(k)]


def _entry_coefficients(system: PolySystem) -> list:
    """(output row, monomial, coefficient x exponent factor as acb) per nonzero entry of the
    system's TermPlan, in the current precision (the factors are integers: exact)."""
    plan = system.term_plan
    coef = system.coefficient_values()
    out = []
    for r, m, b, f in zip(plan.entry_row.tolist(), plan.entry_mono.tolist(),
                          plan.entry_base.tolist(), plan.entry_factor.tolist()):
        if coef[b] != 0:
            out.append((r, m, acb(complex(coef[b])) * int(round(f))))
    return out


def _krawczyk(system: PolySystem, mid, radius, coefficients) -> bool:
    """Krawczyk's test around ``mid`` (list of acb points) at the current working precision."""
    n = system.n_vars
    box = [acb(arb(m.real.mid(), radius), arb(m.imag.mid(), radius)) for m in mid]
    f_mid, jac_mid = _eval_acb(system, mid, coefficients)
    try:
        y = acb_mat([[c.mid() for c in row] for row in jac_mid]).inv()
    except (ZeroDivisionError, ValueError):
        return False
    y = acb_mat([[y[i, j].mid() for j in range(n)] for i in range(n)])
    _, jac_box = _eval_acb(system, box, coefficients)
    ident = acb_mat([[acb(1) if i == j else acb(0) for j in range(n)] for i in range(n)])
    delta = acb_mat([[acb(arb(0, radius), arb(0, radius))] for _ in range(n)])
    k = (acb_mat([[m] for m in mid]) - y * acb_mat([[v] for v in f_mid])
         + (ident - y * acb_mat(jac_box)) * delta)
    for i in range(n):
        ki = k[i, 0]
        if not (box[i].real.contains_interior(ki.real) and box[i].imag.contains_interior(ki.imag)):
            return False
    return True


def krawczyk(system: PolySystem, point, *, radius: float, prec: int = 53) -> bool:
    """Krawczyk's test on the box of half-width ``radius`` (real and imaginary) around point.

    With ``prec`` > 53 bits, the point is first refined by Newton's method in that precision
    (for ill-conditioned solutions, whose double-precision error exceeds any useful radius)."""
    return krawczyk_box(system, point, radius=radius, prec=prec)[0]


def krawczyk_box(system: PolySystem, point, *, radius: float, prec: int = 53,
                 coefficients=None):
    """:func:`krawczyk`, also returning the center of the box tested (the refined point, in
    complex128 rounding: the proven box lies within ``radius`` + 2^-52 |center| of it).
    ``coefficients``: :func:`_entry_coefficients` of the system at this precision, when
    already computed (one list for many points)."""
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        if coefficients is None:
            coefficients = _entry_coefficients(system)
        mid = [acb(complex(v)) for v in point]
        if prec > 53:
            for _ in range(12):
                f, jac = _eval_acb(system, mid, coefficients)
                try:
                    step = acb_mat([[c.mid() for c in row] for row in jac]).solve(
                        acb_mat([[v.mid()] for v in f]))
                except (ZeroDivisionError, ValueError):
                    return False, np.asarray(point, dtype=np.complex128)
                mid = [(m - step[i, 0]).mid() for i, m in enumerate(mid)]
        center = np.array([complex(m) for m in mid])
        return _krawczyk(system, mid, radius, coefficients), center
    finally:
        flint.ctx.prec = old


def krawczyk_certify(system: PolySystem, points, *, rtol: float = 1e-9) -> Certification:
    """Certify each point after 3 float Newton steps, on a box of radius
    max(rtol (1 + |x|), 100 |last Newton step|), retrying failures in 212-bit arithmetic
    (Newton-refined, radius 1e-30 (1 + |x|)); keep only boxes disjoint from all others (cubes
    around the float points holding the boxes proven; two are disjoint when their sup-distance
    exceeds the sum of their half-widths)."""
    points = np.atleast_2d(np.asarray(points, dtype=np.complex128))
    if system.n_params:
        raise ValueError("fix the parameters first (with_parameters)")
    if not len(points):
        return Certification(np.zeros(0, dtype=bool), np.zeros(0), points)
    points, steps = newton(lambda z: system.evaluate(z), points, 3)
    scale = 1 + np.max(np.abs(points), axis=1)
    radii = np.maximum(rtol, 100 * steps[-1]) * scale
    old = flint.ctx.prec
    flint.ctx.prec = 53
    try:
        coefficients = _entry_coefficients(system)
    finally:
        flint.ctx.prec = old
    ok = np.array([krawczyk_box(system, p, radius=float(r), coefficients=coefficients)[0]
                   for p, r in zip(points, radii)], dtype=bool)
    centers = points.copy()
    for i in np.flatnonzero(~ok):  # ill-conditioned: refine and test in 212-bit arithmetic
        ok[i], center = krawczyk_box(system, points[i], radius=float(1e-30 * scale[i]), prec=212)
        if ok[i]:  # a cube around the float point that holds the box proven
            shift = np.abs(np.concatenate([(center - points[i]).real, (center - points[i]).imag]))
            radii[i] = float(shift.max()) + 1e-30 * scale[i] + 1e-15 * np.abs(center).max()
            centers[i] = center
    if len(points) > 1:  # boxes are cubes of half-width r_i in R^{2n}: disjoint if their
        # sup-distance exceeds r_i + r_j
        real = np.hstack([points.real, points.imag])
        pairs = cKDTree(real).query_pairs(2 * float(radii.max()), p=np.inf, output_type="ndarray")
        if len(pairs):
            dist = np.max(np.abs(real[pairs[:, 0]] - real[pairs[:, 1]]), axis=1)
            pairs = pairs[dist <= radii[pairs[:, 0]] + radii[pairs[:, 1]]]
            ok[pairs.ravel()] = False
    return Certification(ok, radii, centers)
